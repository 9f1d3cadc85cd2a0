"""The `ingest.text` stage: guides and forum posts (.txt, .md, .html) into chunked text Documents.

Reading: files are decoded as UTF-8 (a BOM is allowed); an HTML file that is not UTF-8 is decoded
with the charset its `<meta>` declares, if any. Anything else is skipped as "not UTF-8", files with
NUL bytes as "binary file", other extensions as "unsupported extension", FIFOs, devices and sockets
(never opened) as "not a regular file". Folders are walked recursively in sorted order, leaving out
hidden folders (`.git`, ...): see `guide_files`.

Cleaning gives a list of sections (heading path + paragraphs): HTML via `html_cleaning`, Markdown
and plain text via `text_cleaning`. Chunking is in `chunking`.
"""

from __future__ import annotations

import hashlib
import stat
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Literal

import numpy as np
from pydantic import Field, model_validator

from modsmith.errors import ModsmithError
from modsmith.ingest.chunking import (
    Chunk,
    Section,
    TokenCounter,
    chunk_by_count,
    chunk_by_paragraphs,
    make_token_counter,
    sample_chunk_count,
)
from modsmith.ingest.guide_files import LANG_BY_SUFFIX, decode_text, files_under, read_regular_file
from modsmith.ingest.text_cleaning import parse_guide
from modsmith.records import Document, Provenance, content_id
from modsmith.stage import Rejects, SourceStage, StageConfig


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


class IngestText(SourceStage):
    """Read guides and forum posts, clean them, and emit one text Document per chunk."""

    name = "ingest.text"
    Config = IngestTextConfig

    def __init__(self, config: IngestTextConfig | dict[str, Any] | None = None):
        super().__init__(config)
        self._figures: dict[str, Any] = {}

    def read(self, rejects: Rejects) -> Iterator[Document]:
        config = self.config
        for given in config.paths:
            if not Path(given).exists():
                raise ModsmithError("no such file or directory", where=given)
        count = make_token_counter(config.tokenizer)
        skipped: Counter[str] = Counter()
        figures = {"files_read": 0, "bytes_read": 0, "files_without_text": 0, "chunks": 0, "tokens": 0}
        dropped: Counter[str] = Counter()
        self._figures = {**figures, "skipped": skipped, "chunks_dropped": dropped}
        for given in config.paths:
            for path, rel in files_under(given):
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
            for path, rel in files_under(given):
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
