"""Finding and decoding the files of guides: folders walked in sorted order (hidden folders left
out), only regular files opened, text decoded as UTF-8 or, for HTML, as its `<meta>` charset says."""

from __future__ import annotations

import codecs
import os
import re
import stat
from collections.abc import Iterator
from pathlib import Path

from modsmith.errors import ModsmithError

#: The files `ingest.text` reads, and the language each is cleaned as.
LANG_BY_SUFFIX = {".txt": "text", ".md": "markdown", ".markdown": "markdown", ".html": "html", ".htm": "html"}


def files_under(given: str) -> Iterator[tuple[Path, str]]:
    """(path, path relative to `given` in posix form) of every file, sorted; a non-folder gives its name."""
    root = Path(given)
    if not root.exists():
        raise ModsmithError("no such file or directory", where=given)
    if not root.is_dir():
        yield root, root.name
        return
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            path = Path(dirpath) / name
            yield path, path.relative_to(root).as_posix()


_FILE_TYPES = {
    stat.S_IFIFO: "FIFO",
    stat.S_IFCHR: "character device",
    stat.S_IFBLK: "block device",
    stat.S_IFSOCK: "socket",
    stat.S_IFDIR: "directory",
}


def read_regular_file(path: Path) -> tuple[bytes | None, str, str]:
    """(data, "", "") or (None, reason, detail): only a regular file is opened and read.

    A FIFO, device or socket (also behind a link) is "not a regular file": opening a FIFO waits for
    a writer forever and a device may never end. The open does not block and its descriptor is
    checked again, so a FIFO swapped in after the first check is caught too.
    """
    try:
        mode = os.stat(path).st_mode
        if stat.S_ISREG(mode):
            descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
            with open(descriptor, "rb") as file:
                mode = os.fstat(descriptor).st_mode
                if stat.S_ISREG(mode):
                    return file.read(), "", ""
    except FileNotFoundError:
        return None, "not a regular file", "dangling link" if path.is_symlink() else "vanished"
    except OSError as exc:
        return None, "cannot read", exc.strerror or str(exc)
    return None, "not a regular file", _FILE_TYPES.get(stat.S_IFMT(mode), "special file")


_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)


def decode_text(data: bytes, lang: str) -> tuple[str | None, str, str]:
    """(text, "", "") or (None, reason, detail): UTF-8, else an HTML file's declared charset."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return None, "not UTF-8", "UTF-16 byte order mark"
    if b"\x00" in data[:8192]:
        return None, "binary file", "contains NUL bytes"
    try:
        return data.decode("utf-8-sig"), "", ""
    except UnicodeDecodeError as exc:
        detail = f"invalid byte 0x{data[exc.start]:02x} at offset {exc.start}"
    declared = _META_CHARSET.search(data[:4096]) if lang == "html" else None
    if declared:
        charset = declared.group(1).decode("ascii")
        try:
            if codecs.lookup(charset).name != "utf-8":
                return data.decode(charset), "", ""
        except (LookupError, UnicodeDecodeError):
            detail += f"; declared charset {charset!r} does not decode it either"
    return None, "not UTF-8", detail
