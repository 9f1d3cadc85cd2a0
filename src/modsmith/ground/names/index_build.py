"""Building the symbol index: walking the repo (as git sees it), re-reading the files whose size or
time changed and re-parsing those whose content changed (`code/` extracts their symbols, rows of
origin "source"), then the layer the profile's preprocessor adds (origin "profile", made again only
when the profile, its compiler or a C file changed) and the names the asset tools generate (origin
"asset"). See `symbol_index` for what the rows mean.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from modsmith.code.c_symbols import iter_c_symbols
from modsmith.code.csharp_symbols import iter_csharp_symbols
from modsmith.code.languages import code_parser, language_of
from modsmith.code.repo_walk import WalkedFile, git_commit, walk_files
from modsmith.errors import ModsmithError
from modsmith.ground.c.preprocessed_index import PREPROCESSOR_VERSION, preprocess_headers
from modsmith.ground.c.profiles import CompileProfile
from modsmith.ground.names.index_store import ROW_MARKS

MAX_FILE_BYTES = 4_000_000
_BINARY_SNIFF_BYTES = 8192


@dataclass(slots=True)
class BuildCounts:
    """What one build did. `hashed`: files read and hashed because their size or mtime changed."""

    files: int = 0
    unchanged: int = 0
    hashed: int = 0
    indexed: int = 0
    removed: int = 0
    skipped: int = 0
    seconds: float = 0.0
    #: whether the profile's preprocessor ran (False: no profile, or nothing it reads changed)
    preprocessed: bool = False
    preprocessed_headers: int = 0
    missing_headers: int = 0
    preprocessor_errors: list[str] = field(default_factory=list)


def update_index(
    conn: sqlite3.Connection,
    repo: Path,
    *,
    include: Sequence[str] = (),
    exclude: Sequence[str] = (),
    include_ignored: Sequence[str] = (),
    on_file: Callable[[str, str], None] | None = None,
    profile: CompileProfile | None = None,
    extra_include_dirs: Sequence[Path] = (),
    assets: Callable[[Path], Iterable[Any]] | None = None,
) -> BuildCounts:
    """Bring the index in `conn` up to date with `repo` (see `SymbolIndex.build` for the arguments):
    the files that changed, then the profile's layer and the asset names when what they read changed."""
    counts = _update(conn, repo, _walk(repo, include, exclude, include_ignored), on_file or _ignore)
    _update_profile_layer(conn, repo, profile, extra_include_dirs, counts)
    _update_asset_layer(conn, repo, assets)
    return counts


def _ignore(rel: str, action: str) -> None:
    pass


def _walk(
    repo: Path, include: Sequence[str], exclude: Sequence[str], include_ignored: Sequence[str]
) -> Iterator[WalkedFile]:
    """The repo's files as git sees them, then every file of the ignored folders asked for."""
    seen: set[str] = set()
    for walked in walk_files(repo, include, exclude):
        seen.add(walked.rel)
        yield walked
    for folder in include_ignored:
        prefix = (repo / folder).resolve().relative_to(repo).as_posix() + "/"
        for walked in walk_files(repo / folder, respect_gitignore=False):
            rel = prefix + walked.rel
            if rel not in seen:
                seen.add(rel)
                yield WalkedFile(rel, walked.path, walked.size, walked.mtime_ns)


def _update(
    conn: sqlite3.Connection,
    repo: Path,
    files: Iterable[WalkedFile],
    on_file: Callable[[str, str], None],
) -> BuildCounts:
    counts = BuildCounts()
    conn.execute("BEGIN IMMEDIATE")
    try:
        meta = dict(conn.execute("SELECT key, value FROM meta").fetchall())
        if meta.get("repo") != str(repo):
            conn.execute("DELETE FROM symbols")
            conn.execute("DELETE FROM files")
        known = {
            row[0]: row[1:] for row in conn.execute("SELECT path, sha1, size, mtime_ns FROM files").fetchall()
        }
        seen: set[str] = set()
        for walked in files:
            lang = language_of(walked.rel)
            if lang is None:
                continue
            counts.files += 1
            seen.add(walked.rel)
            old = known.get(walked.rel)
            if old is not None and old[1] == walked.size and old[2] == walked.mtime_ns:
                counts.unchanged += 1
                on_file(walked.rel, "unchanged")
                continue
            action = _update_file(conn, walked.rel, walked.path, lang, old[0] if old else None, counts)
            conn.execute(
                "UPDATE files SET size = ?, mtime_ns = ? WHERE path = ?",
                (walked.size, walked.mtime_ns, walked.rel),
            )
            on_file(walked.rel, action)
        for rel in sorted(set(known) - seen):
            conn.execute("DELETE FROM symbols WHERE file = ? AND origin = 'source'", (rel,))
            conn.execute("DELETE FROM files WHERE path = ?", (rel,))
            counts.removed += 1
            on_file(rel, "removed")
        for key, value in (("repo", str(repo)), ("commit", git_commit(repo) or ""), ("built", _now())):
            conn.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return counts


def _update_file(
    conn: sqlite3.Connection, rel: str, path: Path, lang: str, old_sha1: str | None, counts: BuildCounts
) -> str:
    """Hash one changed file and re-extract its symbols when its content changed."""
    try:
        data = path.read_bytes()
    except OSError:
        data = b""
    counts.hashed += 1
    sha1 = hashlib.sha1(data).hexdigest()
    if sha1 == old_sha1:
        counts.unchanged += 1
        return "unchanged"
    rows: list[tuple] = []
    action = "indexed"
    if len(data) > MAX_FILE_BYTES or b"\0" in data[:_BINARY_SNIFF_BYTES] or not data:
        action = "skipped"
        counts.skipped += 1
    else:
        rows = list(_symbol_rows(rel, data, lang))
        counts.indexed += 1
    conn.execute("DELETE FROM symbols WHERE file = ? AND origin = 'source'", (rel,))
    conn.executemany(f"INSERT INTO symbols VALUES ({ROW_MARKS})", rows)
    conn.execute("INSERT OR REPLACE INTO files VALUES (?, ?, ?, 0, 0, ?)", (rel, sha1, lang, len(rows)))
    return action


def _symbol_rows(rel: str, data: bytes, lang: str) -> Iterator[tuple]:
    """(name, kind, file, line, end_line, signature, arity, params, container, type, lang) per symbol."""
    root = code_parser(lang).parse(data).root_node
    if lang == "c":
        symbols = iter_c_symbols(root, data, index_extras=True)
    else:
        symbols = iter_csharp_symbols(root, data)
    for s in symbols:
        params = json.dumps(s.params) if s.params is not None else None
        arity = s.extra.get("arity") if lang == "c" else None
        value = pasted = None
        if s.kind == "macro":
            value = s.extra.get("value")
            pasted = json.dumps(s.extra["pasted"]) if s.extra.get("pasted") else None
        yield (
            s.name, s.kind, rel, s.first_line, s.last_line, s.signature, arity, params,
            s.container, s.extra.get("type"), lang, value, pasted, "source",
        )  # fmt: skip
        typedef = s.extra.get("typedef")
        if typedef and typedef != s.name:
            # `typedef struct Foo_s {...} Foo;`: `Foo` is a name of its own.
            yield (
                typedef, "typedef", rel, s.first_line, s.last_line, None, None, None, None, s.name, lang,
                None, None, "source",
            )  # fmt: skip


def _update_profile_layer(
    conn: sqlite3.Connection,
    repo: Path,
    profile: CompileProfile | None,
    extra_include_dirs: Sequence[Path],
    counts: BuildCounts,
) -> None:
    """Make the profile's layer again when anything it reads changed (its key); drop it without
    a profile."""
    meta = dict(conn.execute("SELECT key, value FROM meta").fetchall())
    if profile is None:
        if meta.get("layer_key"):
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("DELETE FROM symbols WHERE origin = 'profile'")
            conn.execute("DELETE FROM meta WHERE key IN ('layer_key', 'profile')")
            conn.execute("COMMIT")
        return
    sources = [r[0] for r in conn.execute("SELECT path FROM files WHERE lang = 'c' ORDER BY path")]
    try:
        key = _layer_key(conn, repo, profile, extra_include_dirs) if sources else ""
    except ModsmithError as exc:  # no compiler: the plain index still answers
        counts.preprocessor_errors = [exc.one_line()]
        key = ""
    if meta.get("layer_key", "") == key:
        return
    if not key:
        _update_profile_layer(conn, repo, None, (), counts)
        return
    layer = preprocess_headers(repo, profile, sources, extra_include_dirs)
    counts.preprocessed = True
    counts.preprocessed_headers = layer.headers
    counts.missing_headers = len(layer.missing)
    counts.preprocessor_errors = layer.diagnostics
    conn.execute("BEGIN IMMEDIATE")
    try:
        conn.execute("DELETE FROM symbols WHERE origin = 'profile'")
        plain = set(
            conn.execute("SELECT name, kind, file, line, container FROM symbols WHERE lang = 'c'").fetchall()
        )
        rows = [
            (*row[:10], "c", *row[10:], "profile") for row in layer.rows if (*row[:4], row[8]) not in plain
        ]
        conn.executemany(f"INSERT INTO symbols VALUES ({ROW_MARKS})", rows)
        for name, value in (("layer_key", key), ("profile", profile.name)):
            conn.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (name, value))
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


#: what an asset name is stored as, by the kind its provider gives
_ASSET_KINDS = {"macro": "macro", "limb_enum": "enum", "limb_enum_member": "enum_constant"}
_ASSET_INPUTS = ("assets", "baseroms")


def _update_asset_layer(
    conn: sqlite3.Connection, repo: Path, assets: Callable[[Path], Iterable[Any]] | None
) -> None:
    """Store the asset names `assets(repo)` gives, when what it reads changed; drop them without it."""
    meta = dict(conn.execute("SELECT key, value FROM meta").fetchall())
    key = ""
    if assets is not None:
        digest = hashlib.sha1(
            f"{repo}\n{getattr(assets, '__module__', '')}.{getattr(assets, '__qualname__', '')}\n".encode()
        )
        for folder in _ASSET_INPUTS:
            if (repo / folder).is_dir():
                for walked in walk_files(repo / folder):
                    if not walked.rel.endswith((".c", ".h")):
                        digest.update(f"{folder}/{walked.rel}:{walked.size}:{walked.mtime_ns}\n".encode())
        key = digest.hexdigest()
    if meta.get("asset_key", "") == key:
        return
    rows = []
    for symbol in assets(repo) if assets is not None else ():
        kind = _ASSET_KINDS.get(symbol.kind, "global")
        c_type = symbol.c_type or None
        base = c_type.split("[", 1)[0].strip() if c_type else None
        signature = f"{c_type} {symbol.name}" if c_type and kind == "global" else None
        rows.append(
            (
                symbol.name, kind, symbol.xml_file, symbol.line, symbol.line, signature, None, None, None,
                base if kind == "global" else None, "c", None, None, "asset",
            )
        )  # fmt: skip
    conn.execute("BEGIN IMMEDIATE")
    try:
        conn.execute("DELETE FROM symbols WHERE origin = 'asset'")
        conn.executemany(f"INSERT INTO symbols VALUES ({ROW_MARKS})", rows)
        conn.execute("INSERT OR REPLACE INTO meta VALUES ('asset_key', ?)", (key,))
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


def _layer_key(
    conn: sqlite3.Connection, repo: Path, profile: CompileProfile, extra_include_dirs: Sequence[Path]
) -> str:
    """What the profile layer depends on: the profile, its compiler, every C file's content, and the
    headers of folders git does not track (generated headers, extra include dirs)."""
    digest = hashlib.sha1(f"{PREPROCESSOR_VERSION}\n{repo}\n{profile.model_dump_json()}\n".encode())
    compiler = profile.compiler_path()
    stat = os.stat(compiler)
    digest.update(f"{compiler}:{stat.st_size}:{stat.st_mtime_ns}\n".encode())
    for path, sha1 in conn.execute("SELECT path, sha1 FROM files WHERE lang = 'c' ORDER BY path"):
        digest.update(f"{path}:{sha1}\n".encode())
    untracked = [repo / d for d in profile.generated_dirs if not any(ch in d for ch in "*?[")]
    for folder in [*untracked, *map(Path, extra_include_dirs)]:
        digest.update(f"{folder}\n".encode())
        for walked in walk_files(folder, respect_gitignore=False) if folder.is_dir() else ():
            if walked.rel.endswith((".h", ".c")):
                digest.update(f"{walked.rel}:{walked.size}:{walked.mtime_ns}\n".encode())
    return digest.hexdigest()


def _now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
