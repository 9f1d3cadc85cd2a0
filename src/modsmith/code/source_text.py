"""Source files as text, whatever encoding they were saved in.

Older Unity projects and C code bases hold files saved as Windows-1252 or Latin-1 (an `é` in a
comment, a `©` in a header). They are read, not skipped: UTF-8 first (a UTF-8 or UTF-16 byte-order
mark decides outright), else Windows-1252, else Latin-1, which decodes any byte. Windows-1252 and
Latin-1 agree on every byte but 0x80-0x9F, where Windows-1252 has `€`, curly quotes and dashes and
Latin-1 only control characters, so Windows-1252 is tried first; five bytes it leaves undefined
make it Latin-1. Only a file with a NUL byte near its start (and no UTF-16 mark) is binary.
"""

from __future__ import annotations

import codecs

BINARY_SNIFF_BYTES = 8192
_UTF16_MARKS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


def looks_binary(data: bytes) -> bool:
    """Whether `data` is not text: a NUL byte in its first 8 KiB, unless it is marked UTF-16."""
    return b"\0" in data[:BINARY_SNIFF_BYTES] and not data.startswith(_UTF16_MARKS)


def decode_source(data: bytes) -> tuple[str, str]:
    """The text of a source file and the encoding it was read with (`utf-8`, `utf-8-sig`, `utf-16`,
    `windows-1252` or `latin-1`); a UTF-8 byte-order mark is kept out of the text."""
    if data.startswith(_UTF16_MARKS):
        return data.decode("utf-16", errors="replace"), "utf-16"
    try:
        if data.startswith(codecs.BOM_UTF8):
            return data.decode("utf-8-sig"), "utf-8-sig"
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "windows-1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "latin-1"
