"""The symbol index: every C and C# symbol of a repository in one SQLite file, at one commit.

`SymbolIndex.build(repo)` walks the tree (honouring `.gitignore`), parses `.c`/`.h`/`.cs` files
with tree-sitter and stores functions, prototypes, macros (with arity, body and the parameters
they paste), structs, unions, enums, enum constants (those under `#if` too), typedefs, globals
and struct fields; classes, structs, interfaces, enums, methods, properties and fields of C#.
These rows have `origin` "source". A rebuild re-reads only files whose size or mtime changed and
re-parses only those whose content hash changed, so re-indexing an unchanged repo costs a
directory walk. Lookups are answered from memory after the first query of each name.

Given a compile profile, `build` adds what the profile's preprocessor makes of the repo's
headers (`preprocessed_index`): X-macro constants at their table line, fields declared through
macro bodies, the profile's `-D` names and the compiler's own macros, with `origin` "profile"
(rows the plain parse already has are not repeated). That layer depends on the profile, so the
default index file is one per repo and profile; it is made again only when the profile, the
compiler or a C file changed.
"""

from __future__ import annotations

import bisect
import hashlib
import json
import os
import re
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
from modsmith.ground.c.macro_pasting import pasting_macros
from modsmith.ground.c.preprocessed_index import PREPROCESSOR_VERSION, preprocess_headers
from modsmith.ground.c.profiles import CompileProfile

SCHEMA_VERSION = 2
MAX_FILE_BYTES = 4_000_000
#: Kinds whose names can follow `.` or `->`.
MEMBER_KINDS = ("field", "property")
_BINARY_SNIFF_BYTES = 8192
_MARKS = ", ".join("?" * 14)
_FIRST_NAME = re.compile(r"[A-Za-z_]\w*")
_COLUMNS = "name, kind, file, line, end_line, signature, arity, container, type, lang, origin"

_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE files (
    path TEXT PRIMARY KEY, sha1 TEXT NOT NULL, lang TEXT NOT NULL, size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL, symbols INTEGER NOT NULL
);
CREATE TABLE symbols (
    name TEXT NOT NULL, kind TEXT NOT NULL, file TEXT NOT NULL, line INTEGER NOT NULL,
    end_line INTEGER NOT NULL, signature TEXT, arity INTEGER, params TEXT, container TEXT, type TEXT,
    lang TEXT NOT NULL, value TEXT, pasted TEXT, origin TEXT NOT NULL
);
CREATE INDEX symbols_origin ON symbols (origin);
CREATE INDEX symbols_name ON symbols (name);
CREATE INDEX symbols_file ON symbols (file);
CREATE INDEX symbols_container ON symbols (container);
"""


@dataclass(frozen=True, slots=True)
class SymbolEntry:
    """One indexed symbol. `arity`: argument count of functions and function-like macros
    (-1 variadic, None unknown or object-like); `container`: the struct/union of a field, the
    enum of a constant, the class of a C# member; `type`: base type name of fields, globals and
    typedefs; `origin`: "source" (read from the file), "profile" (seen only through the profile's
    preprocessor; `file` is then `<profile NAME>` for a `-D` flag, `<built-in>` for the compiler's
    own macros) or "asset" (a name the asset tools generate, at its line of the asset XML)."""

    name: str
    kind: str
    file: str
    line: int
    end_line: int
    signature: str | None
    arity: int | None
    container: str | None
    type: str | None
    lang: str
    origin: str = "source"

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}"


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


def default_index_path(repo: str | Path, profile: str | None = None) -> Path:
    """`$MODSMITH_CACHE/index/<sha1 of the resolved repo path>[:16][-<profile>].sqlite` (cache:
    ~/.cache/modsmith): one index per repo, and one per repo and compile profile."""
    cache = os.environ.get("MODSMITH_CACHE")
    root = Path(cache).expanduser() if cache else Path.home() / ".cache" / "modsmith"
    key = hashlib.sha1(str(Path(repo).expanduser().resolve()).encode()).hexdigest()[:16]
    if profile:
        key += "-" + hashlib.sha1(profile.encode()).hexdigest()[:8]
    return root / "index" / f"{key}.sqlite"


class SymbolIndex:
    """An open symbol index. Use `build` or `open`; close it (or use `with`) when done."""

    def __init__(self, conn: sqlite3.Connection, db_path: Path):
        self._conn = conn
        self.db_path = db_path
        meta = dict(conn.execute("SELECT key, value FROM meta").fetchall())
        self.repo: Path | None = Path(meta["repo"]) if meta.get("repo") else None
        self.commit: str | None = meta.get("commit") or None
        self.last_build: BuildCounts | None = None
        self._entries: dict[str, tuple[SymbolEntry, ...]] = {}
        self._names: frozenset[str] | None = None
        self._members: tuple[dict[str, dict[str, str | None]], frozenset[str]] | None = None
        self._name_lists: dict[tuple[str, ...] | None, list[str]] = {}
        self._fields: dict[str, frozenset[str]] = {}
        self._alias_chains: dict[str, tuple[str, ...]] = {}
        self._pasted: dict[str, frozenset[int]] | None = None
        self._aliases_of: dict[str, SymbolEntry | None] = {}
        self.profile: str | None = meta.get("profile") or None

    # --- making and opening ------------------------------------------------------------------

    @classmethod
    def build(
        cls,
        repo: str | Path,
        db_path: str | Path | None = None,
        *,
        include: Sequence[str] = (),
        exclude: Sequence[str] = (),
        include_ignored: Sequence[str] = (),
        on_file: Callable[[str, str], None] | None = None,
        profile: CompileProfile | None = None,
        extra_include_dirs: Sequence[Path] = (),
        assets: Callable[[Path], Iterable[Any]] | None = None,
    ) -> SymbolIndex:
        """Index (or bring up to date) the C and C# files of `repo`; returns the open index.

        `include`/`exclude` are gitignore-style globs relative to `repo`. `include_ignored` names
        folders of `repo` to index whole although `.gitignore` ignores them, such as the asset
        headers a decomp generates (`extracted/gc-eu-mq-dbg`, `build/gc-eu-mq-dbg/assets`).
        `on_file(rel_path, action)` is called per file with action "indexed", "unchanged",
        "skipped" or "removed". `index.last_build` holds the counts.

        With `profile`, the headers are also read through the profile's preprocessor (see the
        module doc); `extra_include_dirs` are searched after its include roots (generated
        headers). Without one, an earlier profile layer of the file is dropped.

        `assets(repo)` gives the names the repo's asset tools will generate (such as
        `asset_xml.read_asset_xml`: objects with `name`, `kind`, `c_type`, `xml_file`, `line`);
        they are stored with `origin` "asset" at their XML file and line, read again only when a
        file under `assets/` or `baseroms/` changed.
        """
        started = time.perf_counter()
        repo = Path(repo).expanduser()
        if not repo.is_dir():
            raise ModsmithError("no such directory", where=str(repo), hint="give the root of a C or C# repo")
        repo = repo.resolve()
        for folder in include_ignored:
            path = (repo / folder).resolve()
            if not path.is_dir() or not path.is_relative_to(repo):
                raise ModsmithError("no such folder in the repository", where=str(repo / folder))
        db_path = Path(db_path).expanduser() if db_path is not None else default_index_path(repo)
        conn = _connect(db_path, create=True)
        try:
            counts = _update(conn, repo, _walk(repo, include, exclude, include_ignored), on_file or _ignore)
            _update_profile_layer(conn, repo, profile, extra_include_dirs, counts)
            _update_asset_layer(conn, repo, assets)
        except sqlite3.Error as exc:
            conn.close()
            raise ModsmithError(f"cannot write the symbol index: {exc}", where=str(db_path)) from None
        except BaseException:
            conn.close()
            raise
        index = cls(conn, db_path)
        counts.seconds = time.perf_counter() - started
        index.last_build = counts
        return index

    @classmethod
    def open(cls, db_path: str | Path) -> SymbolIndex:
        """Open an index written by `build`."""
        db_path = Path(db_path).expanduser()
        if not db_path.is_file():
            raise ModsmithError(
                "no symbol index here",
                where=str(db_path),
                hint="build one with `modsmith index REPO -o FILE`",
            )
        conn = _connect(db_path, create=False)
        return cls(conn, db_path)

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> SymbolIndex:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def __reduce__(self):
        # Worker processes reopen the file rather than sharing a connection.
        return (SymbolIndex.open, (str(self.db_path),))

    # --- queries -----------------------------------------------------------------------------

    def lookup(self, name: str) -> list[SymbolEntry]:
        """Every symbol called `name` (declarations and definitions), by file and line."""
        return list(self.entries(name))

    def entries(self, name: str) -> tuple[SymbolEntry, ...]:
        """`lookup` without the copy: the cached tuple."""
        found = self._entries.get(name)
        if found is None:
            if self._names is not None and name not in self._names:
                found = ()
            else:
                rows = self._conn.execute(
                    f"SELECT {_COLUMNS} FROM symbols WHERE name = ? ORDER BY file, line, kind, container",
                    (name,),
                ).fetchall()
                found = tuple(SymbolEntry(*row) for row in rows)
            self._entries[name] = found
        return found

    def exists(self, name: str) -> bool:
        return name in self.all_names()

    def all_names(self) -> frozenset[str]:
        """Every distinct symbol name (loaded once)."""
        if self._names is None:
            self._names = frozenset(r[0] for r in self._conn.execute("SELECT DISTINCT name FROM symbols"))
        return self._names

    def has_field(self, name: str) -> bool:
        """True when some struct/union (or C# type) has a field or property called `name`."""
        return name in self._member_table()[1]

    def fields_of(self, type_name: str) -> frozenset[str]:
        """Field (and C# property) names of a struct, union or class, following typedef aliases."""
        found = self._fields.get(type_name)
        if found is None:
            by_container = self._member_table()[0]
            found = frozenset()
            for name in self._aliases(type_name):
                if name in by_container:
                    found = frozenset(by_container[name])
                    break
            self._fields[type_name] = found
        return found

    def member_type(self, type_name: str, member: str) -> str | None:
        """Base type name of `type_name.member` when the index knows it (typedef aliases followed)."""
        by_container = self._member_table()[0]
        for name in self._aliases(type_name):
            members = by_container.get(name)
            if members is not None:
                return members.get(member)
        return None

    def _member_table(self) -> tuple[dict[str, dict[str, str | None]], frozenset[str]]:
        """container -> {member: type}, and every member name; read once (a decomp has ~30k)."""
        if self._members is None:
            rows = self._conn.execute(
                "SELECT container, name, type FROM symbols WHERE kind IN (?, ?)"
                " ORDER BY file, line, kind, container, name",
                MEMBER_KINDS,
            ).fetchall()
            by_container: dict[str, dict[str, str | None]] = {}
            for container, name, type_name in rows:
                if container is not None:
                    by_container.setdefault(container, {}).setdefault(name, type_name)
            self._members = (by_container, frozenset(r[1] for r in rows))
        return self._members

    def _aliases(self, type_name: str) -> tuple[str, ...]:
        """`type_name` and the names its typedefs stand for (`ThingAlias` -> `Thing` -> `Thing_s`)."""
        chain = self._alias_chains.get(type_name)
        if chain is None:
            names: list[str] = []
            name: str | None = type_name
            while name and name not in names and len(names) < 5:
                names.append(name)
                name = next((e.type for e in self.entries(name) if e.kind == "typedef" and e.type), None)
            chain = self._alias_chains[type_name] = tuple(names)
        return chain

    def pasted_params(self) -> dict[str, frozenset[int]]:
        """Function-like macros that paste (`##`) or stringify (`#`) some of their arguments, with
        the positions of those arguments; also through other macros (`VT_FGCOL(color)` passes
        `color` to a macro that pastes it). Read once."""
        if self._pasted is None:
            rows = self._conn.execute(
                "SELECT name, params, value, pasted FROM symbols WHERE kind = 'macro' AND params IS NOT NULL"
                " ORDER BY name, file, line"
            ).fetchall()
            self._pasted = pasting_macros(rows)
        return self._pasted

    def member_alias(self, name: str, depth: int = 0) -> SymbolEntry | None:
        """The `#define` that makes `name` stand for a member (`#define rScale regs[9]`, `#define
        vFdFxRotX bFdFxFloat1`): an object-like macro whose body starts with a field's name (or
        with another such alias). None when there is none."""
        if name in self._aliases_of:
            return self._aliases_of[name]
        found = None
        macros = [e for e in self.entries(name) if e.kind == "macro" and e.signature == f"#define {name}"]
        if macros and depth < 4:
            rows = self._conn.execute(
                "SELECT file, line, value FROM symbols WHERE name = ? AND kind = 'macro' AND params IS NULL",
                (name,),
            ).fetchall()
            for file, line, value in sorted(rows, key=lambda r: (r[0], r[1])):
                first = _FIRST_NAME.search(value or "")
                target = first.group() if first else None
                if (
                    target
                    and target != name
                    and (self.has_field(target) or self.member_alias(target, depth + 1))
                ):
                    found = next(e for e in macros if (e.file, e.line) == (file, line))
                    break
        self._aliases_of[name] = found
        return found

    def has_prefix(self, prefix: str) -> bool:
        """Whether some name starts with `prefix` (and is longer)."""
        names = self.names()
        at = bisect.bisect_right(names, prefix)
        return at < len(names) and names[at].startswith(prefix)

    def names(self, kinds: Iterable[str] | None = None) -> list[str]:
        """Sorted distinct names, optionally of some kinds only (cached; for fuzzy matching)."""
        key = tuple(sorted(set(kinds))) if kinds is not None else None
        found = self._name_lists.get(key)
        if found is None:
            if key is None:
                found = sorted(self.all_names())
            else:
                marks = ", ".join("?" * len(key))
                rows = self._conn.execute(
                    f"SELECT DISTINCT name FROM symbols WHERE kind IN ({marks}) ORDER BY name", key
                ).fetchall()
                found = [r[0] for r in rows]
            self._name_lists[key] = found
        return found

    def callables(self) -> list[tuple[str, str, int | None]]:
        """(name, kind, arity) of every function, prototype and macro (arity None: object-like
        macro or `f()`; -1: variadic)."""
        rows = self._conn.execute(
            "SELECT name, kind, arity FROM symbols WHERE kind IN ('function', 'prototype', 'macro')"
        )
        return rows.fetchall()

    @property
    def languages(self) -> set[str]:
        """The languages of the indexed files ("c", "csharp")."""
        return {r[0] for r in self._conn.execute("SELECT DISTINCT lang FROM files")}

    def stats(self) -> dict[str, int]:
        """Number of symbols per kind."""
        rows = self._conn.execute("SELECT kind, COUNT(*) FROM symbols GROUP BY kind ORDER BY kind")
        return dict(rows.fetchall())

    def file_count(self) -> int:
        return self._conn.execute("SELECT COUNT(*) FROM files").fetchone()[0]


# --- building ---------------------------------------------------------------------------------


def _ignore(rel: str, action: str) -> None:
    pass


def _connect(db_path: Path, create: bool) -> sqlite3.Connection:
    hint = "choose a writable index path (-o) or set MODSMITH_CACHE"
    try:
        if create:
            db_path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(db_path, timeout=30, check_same_thread=False, isolation_level=None)
    except (OSError, sqlite3.Error) as exc:
        raise ModsmithError(f"cannot open the symbol index: {exc}", where=str(db_path), hint=hint) from None
    try:
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        version = _schema_version(conn)
        if version != SCHEMA_VERSION:
            if not create:
                what = (
                    "not a modsmith symbol index" if version is None else "made by another modsmith version"
                )
                raise ModsmithError(what, where=str(db_path), hint="rebuild it with `modsmith index REPO`")
            _create_schema(conn)
    except sqlite3.Error as exc:
        conn.close()
        raise ModsmithError(f"cannot use the symbol index: {exc}", where=str(db_path), hint=hint) from None
    except ModsmithError:
        conn.close()
        raise
    return conn


def _schema_version(conn: sqlite3.Connection) -> int | None:
    try:
        row = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    except sqlite3.OperationalError:
        return None
    return int(row[0]) if row and str(row[0]).isdigit() else None


def _create_schema(conn: sqlite3.Connection) -> None:
    conn.execute("BEGIN")
    for table in ("meta", "files", "symbols"):
        conn.execute(f"DROP TABLE IF EXISTS {table}")
    for statement in _SCHEMA.split(";"):
        if statement.strip():
            conn.execute(statement)
    conn.execute("INSERT INTO meta VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))
    conn.execute("COMMIT")


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
    conn.executemany(f"INSERT INTO symbols VALUES ({_MARKS})", rows)
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
        conn.executemany(f"INSERT INTO symbols VALUES ({_MARKS})", rows)
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
        conn.executemany(f"INSERT INTO symbols VALUES ({_MARKS})", rows)
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
