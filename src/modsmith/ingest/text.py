"""The `ingest.text` stage: guides and forum posts (.txt, .md, .html) into chunked text Documents.

Reading: files are decoded as UTF-8 (a BOM is allowed); an HTML file that is not UTF-8 is decoded
with the charset its `<meta>` declares, if any. Anything else is skipped as "not UTF-8", files with
NUL bytes as "binary file", other extensions as "unsupported extension", FIFOs, devices and sockets
(never opened) as "not a regular file". Folders are walked recursively in sorted order, leaving out
hidden folders (`.git`, ...).

Cleaning gives a list of sections (heading path + paragraphs): HTML via `html_cleaning`; Markdown
with `#` and setext headings, front matter dropped; plain text with underlined or short ALL-CAPS
headings, BBCode stripped. Chunking is in `chunking`.
"""

from __future__ import annotations

import codecs
import hashlib
import os
import re
import stat
import textwrap
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, Literal

import numpy as np
from pydantic import Field, model_validator

from modsmith.errors import ModsmithError
from modsmith.ingest.chunking import (
    Chunk,
    Section,
    SectionBuilder,
    TokenCounter,
    chunk_by_count,
    chunk_by_paragraphs,
    make_token_counter,
    sample_chunk_count,
)
from modsmith.ingest.html_cleaning import html_to_sections, strip_bbcode
from modsmith.records import Document, Provenance, Record, content_id
from modsmith.stage import Rejects, Stage, StageConfig

LANG_BY_SUFFIX = {".txt": "text", ".md": "markdown", ".markdown": "markdown", ".html": "html", ".htm": "html"}
Guide = tuple[str | None, list[Section]]  # (title, sections)


# ---------------------------------------------------------------- finding and decoding files


def walk_files(given: str) -> Iterator[tuple[Path, str]]:
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


# ---------------------------------------------------------------- Markdown

_ATX = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
_SETEXT_MD = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_RULE = re.compile(r"^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_LIST_MARKER = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s")


def _front_matter_end(lines: list[str]) -> int:
    """Index of the first line after YAML (`---`) or TOML (`+++`) front matter; 0 when there is none."""
    if not lines or lines[0].strip() not in ("---", "+++"):
        return 0
    closers = ("---", "...") if lines[0].strip() == "---" else ("+++",)
    for index in range(1, len(lines)):
        if lines[index].strip() in closers:
            return index + 1
    return 0


def parse_markdown(text: str) -> Guide:
    """Markdown to sections: `#` and setext headings, fenced code kept whole, front matter dropped."""
    lines = text.splitlines()
    builder = SectionBuilder()
    title: str | None = None
    paragraph: list[str] = []
    start = 0
    fence: str | None = None

    def flush(end: int) -> None:
        body = "\n".join(paragraph).strip("\n")
        if body and not (body.startswith("<!--") and body.endswith("-->")):
            builder.paragraph(body, (start + 1, end))
        paragraph.clear()

    def heading(level: int, text: str) -> None:
        nonlocal title
        if text:
            builder.heading(level, text)
            if level == 1 and title is None:
                title = text

    for index in range(_front_matter_end(lines), len(lines)):
        line = lines[index].rstrip()
        if fence is not None:
            paragraph.append(line)
            if line.strip().startswith(fence) and set(line.strip()) == {fence[0]}:
                flush(index + 1)
                fence = None
            continue
        opening = _FENCE.match(line)
        atx = _ATX.match(line)
        if opening:
            flush(index)
            fence, start = opening.group(1), index
            paragraph.append(line)
        elif not line.strip():
            flush(index)
        elif atx:
            flush(index)
            heading(len(atx.group(1)), (atx.group(2) or "").strip())
        elif paragraph and _SETEXT_MD.match(line) and not _LIST_MARKER.match(paragraph[0]):
            text_lines = " ".join(part.strip() for part in paragraph)
            paragraph.clear()
            heading(1 if line.strip()[0] == "=" else 2, text_lines)
        elif _RULE.match(line):
            flush(index)
        else:
            if not paragraph:
                start = index
            paragraph.append(line)
    flush(len(lines))
    return title, builder.finish()


# ---------------------------------------------------------------- plain text

_UNDERLINE = re.compile(r"^\s*([=\-~*#_+^])\1{2,}\s*$")
_CAPS_PUNCTUATION = set(" '&:,./()[]#-!?")


def is_caps_heading(line: str) -> bool:
    """A short line in capitals (`NEUTRAL GAME`, `3. EDGE GUARDING:`), as plain-text guides head sections."""
    text = line.strip()
    letters = sum(c.isalpha() for c in text)
    return (
        letters >= 3
        and len(text) <= 60
        and len(text.split()) <= 8
        and all(c.isupper() or c.isdigit() or c in _CAPS_PUNCTUATION for c in text)
    )


def strip_trailing_signature(lines: list[str]) -> list[str]:
    """Drop a signature: a `--` line followed by at most four lines of text at the end of the file."""
    for index in range(len(lines) - 1, max(-1, len(lines) - 12), -1):
        if lines[index].rstrip() == "--":
            if sum(1 for line in lines[index + 1 :] if line.strip()) <= 4:
                return lines[:index]
            break
    return lines


def parse_plain_text(text: str) -> Guide:
    """Plain text to sections, BBCode and a trailing `--` signature removed.

    Headings: a line opening its block and underlined (maybe overlined too) with `===`, `---`, `~~~`
    and the like, or a short ALL-CAPS line standing alone between blank lines. As in
    reStructuredText, heading levels follow the order in which each style first appears. The title
    is the first heading when the text opens with it and its style is not used again.
    """
    lines = strip_trailing_signature(strip_bbcode(text, keep_lines=True).splitlines())
    items: list[tuple[str, Any, Any]] = []  # ("heading", style, text) or ("paragraph", text, span)
    block: list[tuple[int, str]] = []
    for number, line in enumerate([*lines, ""], 1):
        if line.strip():
            block.append((number, line.rstrip()))
        elif block:
            items.extend(_plain_block(block))
            block = []

    styles: list[str] = []
    for kind, style, _ in items:
        if kind == "heading" and style not in styles:
            styles.append(style)
    title = None
    if items and items[0][0] == "heading":
        uses = sum(1 for kind, style, _ in items if kind == "heading" and style == items[0][1])
        title = items[0][2] if uses == 1 else None

    builder = SectionBuilder()
    for kind, a, b in items:
        if kind == "heading":
            builder.heading(styles.index(a) + 1, b)
        else:
            builder.paragraph(a, b)
    return title, builder.finish()


def _plain_block(block: list[tuple[int, str]]) -> Iterator[tuple[str, Any, Any]]:
    """Split one blank-line-separated block into headings and paragraphs."""
    if len(block) == 1 and is_caps_heading(block[0][1]):
        yield "heading", "CAPS", block[0][1].strip().rstrip(":").strip()
        return
    pending: list[tuple[int, str]] = []
    index = 0
    while index < len(block):
        number, line = block[index]
        underline = _UNDERLINE.match(block[index + 1][1]) if index + 1 < len(block) else None
        if underline and not pending and not _UNDERLINE.match(line) and len(line.strip()) <= 80:
            overlined = index > 0 and bool(_UNDERLINE.match(block[index - 1][1]))
            style = ("over" if overlined else "") + underline.group(1)
            yield "heading", style, line.strip()
            index += 2
        elif _UNDERLINE.match(line):
            yield from _plain_paragraph(pending)  # a separator line, or the overline of a heading
            pending = []
            index += 1
        else:
            pending.append((number, line))
            index += 1
    yield from _plain_paragraph(pending)


def _plain_paragraph(lines: list[tuple[int, str]]) -> Iterator[tuple[str, Any, Any]]:
    if lines:
        body = textwrap.dedent("\n".join(line for _, line in lines)).strip("\n")
        yield "paragraph", body, (lines[0][0], lines[-1][0])


def parse_guide(text: str, lang: str) -> Guide:
    """Clean one decoded file of language "markdown", "html" or "text" into (title, sections)."""
    if lang == "html":
        return html_to_sections(text)
    if lang == "markdown":
        return parse_markdown(text)
    return parse_plain_text(text)


# ---------------------------------------------------------------- the stage


def file_rng(seed: int, key: str) -> np.random.Generator:
    """A generator that depends only on the seed and one file's relative path."""
    digest = int.from_bytes(hashlib.sha256(key.encode("utf-8")).digest()[:8], "big")
    return np.random.default_rng([seed, digest])


class IngestTextConfig(StageConfig):
    paths: list[str] = Field(
        min_length=1,
        description="Guide files or folders to read (.txt, .md, .markdown, .html, .htm); folders are read "
        "recursively in sorted order, hidden folders left out.",
    )
    chunker: Literal["paragraphs", "gaussian"] = Field(
        default="paragraphs",
        description="'paragraphs': pack whole paragraphs of one section up to max_tokens. 'gaussian': cut "
        "each guide into N even runs of paragraphs, N drawn per file from a clipped normal distribution.",
    )
    max_tokens: int = Field(default=512, ge=1, description="Token budget of a chunk (paragraphs chunker).")
    tokenizer: str | None = Field(
        default=None,
        description="tokenizer.json file or local model folder to count tokens with; default: a fast "
        "approximation (words and punctuation marks).",
    )
    gaussian_mean: float = Field(default=3.0, description="Mean of the chunk count per guide (gaussian).")
    gaussian_std: float = Field(default=3.5, ge=0, description="Standard deviation of that count (gaussian).")
    gaussian_min: int = Field(default=2, ge=1, description="Smallest chunk count per guide (gaussian).")
    gaussian_max: int = Field(default=50, ge=1, description="Largest chunk count per guide (gaussian).")
    seed: int = Field(
        default=0,
        ge=0,
        description="Seed of the gaussian chunker; each file's draw depends on it and its path.",
    )
    min_chunk_tokens: int = Field(
        default=8, ge=0, description="Chunks with fewer tokens are dropped (reason 'too short')."
    )

    @model_validator(mode="after")
    def _check_range(self) -> IngestTextConfig:
        if self.gaussian_min > self.gaussian_max:
            raise ValueError("gaussian_min must not be larger than gaussian_max")
        return self


class IngestText(Stage):
    """Read guides and forum posts, clean them, and emit one text Document per chunk."""

    name = "ingest.text"
    Config = IngestTextConfig
    is_source = True

    def __init__(self, config: Any = None, **kwargs: Any):
        super().__init__(config, **kwargs)
        self._figures: dict[str, Any] = {}

    def process(self, records: Iterable[Record], rejects: Rejects) -> Iterator[Record]:
        config = self.config
        for given in config.paths:
            if not Path(given).exists():
                raise ModsmithError("no such file or directory", where=given)
        count = make_token_counter(config.tokenizer)
        yield from records

        skipped: Counter[str] = Counter()
        figures = {"files_read": 0, "bytes_read": 0, "files_without_text": 0, "chunks": 0, "tokens": 0}
        dropped: Counter[str] = Counter()
        self._figures = {**figures, "skipped": skipped, "chunks_dropped": dropped}
        for given in config.paths:
            for path, rel in walk_files(given):
                where = {"source": given, "path": rel}
                lang = LANG_BY_SUFFIX.get(path.suffix.lower())
                if lang is None:
                    skipped["unsupported extension"] += 1
                    rejects.add(where, "unsupported extension", path.suffix or "no extension")
                    continue
                data, reason, detail = read_regular_file(path)
                text = None
                if data is not None:
                    text, reason, detail = decode_text(data, lang)
                if text is None:
                    skipped[reason] += 1
                    rejects.add(where, reason, detail)
                    continue
                self._figures["files_read"] += 1
                self._figures["bytes_read"] += len(data)
                title, sections = parse_guide(text, lang)
                chunks = self._chunk(rel, sections, count)
                if not chunks:
                    self._figures["files_without_text"] += 1
                    rejects.add(where, "no text", "nothing left after cleaning")
                for document in self._documents(given, rel, lang, title or path.stem, chunks, count, rejects):
                    self._figures["chunks"] += 1
                    self._figures["tokens"] += document.meta["tokens"]
                    yield document
        if self._figures["files_read"] == 0:
            reasons = ", ".join(f"{n} {reason}" for reason, n in sorted(skipped.items())) or "no files found"
            raise ModsmithError(
                f"no readable guide files (skipped: {reasons})",
                where=", ".join(config.paths),
                hint="ingest.text reads UTF-8 .txt, .md, .markdown, .html and .htm files",
            )

    def _chunk(self, rel: str, sections: list[Section], count: TokenCounter) -> list[Chunk]:
        config = self.config
        if config.chunker == "paragraphs":
            return chunk_by_paragraphs(sections, config.max_tokens, count)
        rng = file_rng(config.seed, rel)
        n = sample_chunk_count(
            rng, config.gaussian_mean, config.gaussian_std, config.gaussian_min, config.gaussian_max
        )
        return chunk_by_count(sections, n)

    def _documents(
        self,
        given: str,
        rel: str,
        lang: str,
        title: str,
        chunks: list[Chunk],
        count: TokenCounter,
        rejects: Rejects,
    ) -> Iterator[Document]:
        kept: list[tuple[Chunk, int]] = []
        for chunk in chunks:
            tokens = count(chunk.text)
            if tokens < self.config.min_chunk_tokens:
                self._figures["chunks_dropped"]["too short"] += 1
                where = {"source": given, "path": rel, "headings": chunk.headings, "text": chunk.text[:200]}
                rejects.add(where, "too short", f"{tokens} tokens")
            else:
                kept.append((chunk, tokens))
        for index, (chunk, tokens) in enumerate(kept):
            yield Document(
                id=content_id(rel, index, chunk.text),
                kind="text",
                text=chunk.text,
                lang=lang,
                provenance=Provenance(source=given, path=rel, lines=chunk.lines if lang != "html" else None),
                meta={
                    "title": title,
                    "headings": chunk.headings,
                    "chunk_index": index,
                    "chunk_count": len(kept),
                    "tokens": tokens,
                    "chunker": self.config.chunker,
                },
            )

    def source_fingerprint(self) -> str:
        """Hash of every readable file's relative path, size and modification time."""
        digest = hashlib.sha256()
        for given in self.config.paths:
            digest.update(f"{given}\0".encode())
            for path, rel in walk_files(given):
                if path.suffix.lower() in LANG_BY_SUFFIX:
                    try:
                        figures = path.stat()
                    except FileNotFoundError:  # a dangling link, skipped as such
                        continue
                    if stat.S_ISREG(figures.st_mode):
                        digest.update(f"{rel}\0{figures.st_size}\0{figures.st_mtime_ns}\n".encode())
        return digest.hexdigest()[:16]

    def summary(self) -> dict[str, Any]:
        """Files read (and how many had no text left), files skipped by reason, chunks, tokens, drops."""
        figures = self._figures
        return {
            **{
                k: figures.get(k, 0)
                for k in ("files_read", "bytes_read", "files_without_text", "chunks", "tokens")
            },
            "skipped": dict(sorted(figures.get("skipped", {}).items())),
            "chunks_dropped": dict(sorted(figures.get("chunks_dropped", {}).items())),
        }
