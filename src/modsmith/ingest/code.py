"""The `ingest.code` stage: one `Document(kind="code")` per C or C# symbol of a source tree.

Files are read and parsed one at a time with one tree-sitter parser per language, so memory
does not grow with the size of the tree. Files saved in another encoding than UTF-8 (Windows-1252,
Latin-1, UTF-16 with a byte-order mark: see `modsmith.code.source_text`) are decoded and parsed as UTF-8,
their documents recording `meta.encoding`; binary and oversized files are skipped and reported to
the stage's rejects.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import multiprocessing
import os
from collections import Counter, deque
from collections.abc import Iterator
from itertools import islice
from json.encoder import encode_basestring
from pathlib import Path
from typing import Any

from pydantic import Field

from modsmith.code.c_symbols import iter_c_symbols
from modsmith.code.csharp_symbols import iter_csharp_symbols
from modsmith.code.languages import CodeLanguage, code_parser, language_of
from modsmith.code.repo_walk import WalkedFile, git_commit, walk_files
from modsmith.code.source_text import decode_source, looks_binary
from modsmith.code.symbols import Symbol
from modsmith.errors import ModsmithError
from modsmith.records import Document, Provenance
from modsmith.stage import Rejects, SourceStage, StageConfig

_EXTRACTORS = {"c": iter_c_symbols, "csharp": iter_csharp_symbols}
FILES_PER_TASK = 16
PARALLEL_FROM_FILES = 200


def iter_code_documents(
    path_rel: str,
    source_bytes: bytes,
    lang: CodeLanguage,
    provenance_base: Provenance,
    encoding: str | None = None,
) -> Iterator[Document]:
    """Parse one file's bytes (UTF-8) and yield a document per symbol.

    `provenance_base` gives `source` and `commit`; `path` and `lines` are filled in here. The id
    is `content_id(source, path, symbol_kind, name, first_line)`. `encoding`, when given, is the
    encoding the file was saved in (its bytes here are already re-encoded as UTF-8): it goes into
    each document's `meta.encoding`.
    """
    tree = code_parser(lang).parse(source_bytes)
    id_prefix = json.dumps([provenance_base.source, path_rel], ensure_ascii=False, separators=(",", ":"))[:-1]
    for symbol in _EXTRACTORS[lang](tree.root_node, source_bytes):
        document = _document(symbol, path_rel, source_bytes, lang, provenance_base, id_prefix)
        if encoding is not None:
            document.meta["encoding"] = encoding
        yield document


def symbol_id(id_prefix: str, kind: str, name: str, line: int) -> str:
    """`content_id(source, path, kind, name, line)`, with the JSON of `[source, path` made once per file.

    `id_prefix` is `[source, path]` as `content_id` writes it (compact JSON) without its closing `]`.
    """
    blob = f"{id_prefix},{encode_basestring(kind)},{encode_basestring(name)},{line}]"
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:16]


def _document(
    symbol: Symbol, path_rel: str, source: bytes, lang: str, base: Provenance, id_prefix: str
) -> Document:
    meta: dict[str, Any] = {
        "symbol": symbol.name,
        "symbol_kind": symbol.kind,
        "signature": symbol.signature,
        "doc": symbol.doc,
        "params": symbol.params,
        "container": symbol.container,
        "lines": symbol.last_line - symbol.first_line + 1,
        "bytes": symbol.end_byte - symbol.start_byte,
        "storage": symbol.storage,
    }
    meta.update(symbol.extra)
    # One validation call in pydantic-core for the document and its provenance together.
    return Document.model_validate(
        {
            "id": symbol_id(id_prefix, symbol.kind, symbol.name, symbol.first_line),
            "kind": "code",
            "text": source[symbol.start_byte : symbol.end_byte].decode("utf-8", errors="replace"),
            "lang": lang,
            "provenance": {
                "source": base.source,
                "path": path_rel,
                "lines": (symbol.first_line, symbol.last_line),
                "commit": base.commit,
                "licence": base.licence,
            },
            "meta": meta,
        }
    )


class IngestCode(SourceStage):
    """Read a C / C# source tree and emit one code document per symbol."""

    name = "ingest.code"

    class Config(StageConfig):
        root: str = Field(description="Folder (usually a git checkout) to read source files from.")
        include: list[str] = Field(
            default_factory=list,
            description="Gitignore-style globs of files to read, relative to `root`; empty reads everything.",
        )
        exclude: list[str] = Field(
            default_factory=list, description="Gitignore-style globs of files or folders to leave out."
        )
        languages: list[CodeLanguage] = Field(
            default_factory=lambda: ["c", "csharp"],
            description="Languages to extract: `c` (.c, .h) and/or `csharp` (.cs).",
        )
        max_file_bytes: int = Field(
            default=2_000_000, gt=0, description="Files bigger than this are skipped as 'too large'."
        )
        workers: int = Field(
            default=0,
            ge=0,
            description="Processes that parse files: 0 = one per CPU (up to 8) for trees of 200+ files, "
            "1 = all in this process.",
        )
        respect_gitignore: bool = Field(
            default=True, description="Skip files that the tree's .gitignore files ignore."
        )

    config: Config

    def __init__(self, config: Config | dict[str, Any] | None = None):
        super().__init__(config)
        self._figures = _Figures()

    def root(self) -> Path:
        root = Path(self.config.root).expanduser().resolve()
        if not root.is_dir():
            raise ModsmithError("no such directory", where=self.config.root)
        return root

    def _walk(self, root: Path) -> Iterator[WalkedFile]:
        cfg = self.config
        return walk_files(root, cfg.include, cfg.exclude, cfg.respect_gitignore)

    def read(self, rejects: Rejects) -> Iterator[Document]:
        root = self.root()
        figures = self._figures = _Figures(commit=git_commit(root))
        base = Provenance(source=str(root), commit=figures.commit)

        def sources() -> Iterator[tuple[str, bytes, str | None]]:
            for walked in self._walk(root):
                figures.files_seen += 1
                read = self._read(walked, figures, rejects)
                if read is not None:
                    figures.files_parsed += 1
                    figures.bytes += walked.size
                    yield walked.rel, *read

        for document in self._documents(sources(), base):
            figures.symbols[document.meta["symbol_kind"]] += 1
            yield document
        if figures.files_parsed == 0:
            skipped = ", ".join(f"{n} {reason}" for reason, n in sorted(figures.skipped.items())) or "none"
            raise ModsmithError(
                f"no parsable C or C# files ({figures.files_seen} files seen; skipped: {skipped})",
                where=self.config.root,
                hint="check `include`, `exclude` and `languages`",
            )

    def _documents(
        self, sources: Iterator[tuple[str, bytes, str | None]], base: Provenance
    ) -> Iterator[Document]:
        """Documents of every file, in walk order: in this process, or parsed by worker processes."""
        workers = self.config.workers or min(os.cpu_count() or 1, 8)
        first = list(islice(sources, PARALLEL_FROM_FILES))  # small trees are not worth the workers
        sources = itertools.chain(first, sources)
        serial = workers == 1 or len(first) < PARALLEL_FROM_FILES
        if serial or multiprocessing.get_start_method(allow_none=True) not in (None, "fork"):
            for rel, source, encoding in sources:
                yield from iter_code_documents(rel, source, language_of(rel), base, encoding)
            return
        # Files go out in chunks, at most 4 chunks per worker in flight, so memory stays bounded
        # whatever the size of the tree; results come back in walk order.
        chunks = _chunks(
            ((rel, source, encoding, base.source, base.commit) for rel, source, encoding in sources),
            FILES_PER_TASK,
        )
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            pending: deque = deque()
            for chunk in chunks:
                pending.append(pool.apply_async(_documents_as_json, (chunk,)))
                while len(pending) >= 4 * workers or (pending and pending[0].ready()):
                    yield from (Document.model_validate_json(line) for line in pending.popleft().get())
            while pending:
                yield from (Document.model_validate_json(line) for line in pending.popleft().get())

    def _read(
        self, walked: WalkedFile, figures: _Figures, rejects: Rejects
    ) -> tuple[bytes, str | None] | None:
        """A readable text source file of a selected language as UTF-8 bytes, with the encoding it was
        saved in when that was not UTF-8 (None when it was)."""
        lang = language_of(walked.rel)
        if lang is None:
            figures.skipped["not code"] += 1
            return None
        if lang not in self.config.languages:
            figures.skipped["language not selected"] += 1
            return None
        reason, detail = None, ""
        if walked.size > self.config.max_file_bytes:
            reason, detail = "too large", f"{walked.size} bytes > max_file_bytes {self.config.max_file_bytes}"
        else:
            try:
                source = walked.path.read_bytes()
            except OSError as exc:
                reason, detail = "unreadable", str(exc.strerror)
            else:
                if looks_binary(source):
                    reason = "binary file"
        if reason is not None:
            figures.skipped[reason] += 1
            rejects.add({"path": walked.rel}, reason, detail)
            return None
        text, encoding = decode_source(source)
        if encoding in ("utf-8", "utf-8-sig"):
            return source, None  # as it is: a byte-order mark stays where tree-sitter expects it
        figures.decoded[encoding] += 1
        return text.encode("utf-8"), encoding

    def source_fingerprint(self) -> str:
        root = self.root()
        digest = hashlib.sha256(self.config.model_dump_json().encode())
        for walked in self._walk(root):
            digest.update(f"{walked.rel}\0{walked.size}\0{walked.mtime_ns}\n".encode())
        digest.update((git_commit(root) or "").encode())
        return digest.hexdigest()[:16]

    def summary(self) -> dict[str, Any]:
        return self._figures.as_dict()


def _documents_as_json(chunk: list[tuple[str, bytes, str | None, str, str | None]]) -> list[str]:
    """A worker's share: some files' documents, serialised (cheap to send back and re-validate)."""
    lines = []
    for rel, source, encoding, root, commit in chunk:
        base = Provenance(source=root, commit=commit)
        documents = iter_code_documents(rel, source, language_of(rel), base, encoding)
        lines.extend(d.model_dump_json() for d in documents)
    return lines


def _chunks(items: Iterator, size: int) -> Iterator[list]:
    while chunk := list(islice(items, size)):
        yield chunk


class _Figures:
    """What one ingest run saw, for `summary()`."""

    def __init__(self, commit: str | None = None):
        self.commit = commit
        self.files_seen = 0
        self.files_parsed = 0
        self.bytes = 0
        self.symbols: Counter[str] = Counter()
        self.skipped: Counter[str] = Counter()
        self.decoded: Counter[str] = Counter()

    def as_dict(self) -> dict[str, Any]:
        return {
            "commit": self.commit,
            "files_seen": self.files_seen,
            "files_parsed": self.files_parsed,
            "bytes": self.bytes,
            "symbols": dict(sorted(self.symbols.items())),
            "skipped": dict(sorted(self.skipped.items())),
            "decoded": dict(sorted(self.decoded.items())),
        }
