"""The symbol index: every C and C# symbol of a repository in one SQLite file, at one commit.

`SymbolIndex.build(repo)` walks the tree (honouring `.gitignore`), parses `.c`/`.h`/`.cs` files
with tree-sitter and stores functions, prototypes, macros (with arity, body and the parameters
they paste), structs, unions, enums, enum constants (those under `#if` too), typedefs, globals
and struct fields; classes, structs, interfaces, enums, methods, properties and fields of C#.
These rows have `origin` "source". A rebuild re-reads only files whose size or mtime changed and
re-parses only those whose content hash changed, so re-indexing an unchanged repo costs a
directory walk (`index_build`; the file's schema is `index_store`'s). Lookups are answered from
memory after the first query of each name.

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
import os
import re
import sqlite3
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from modsmith.errors import ModsmithError
from modsmith.ground.c.macro_pasting import pasting_macros
from modsmith.ground.c.profiles import CompileProfile
from modsmith.ground.names.index_build import BuildCounts, update_index
from modsmith.ground.names.index_store import ENTRY_COLUMNS, connect

#: Kinds whose names can follow `.` or `->`.
MEMBER_KINDS = ("field", "property")
_FIRST_NAME = re.compile(r"[A-Za-z_]\w*")


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
        conn = connect(db_path, create=True)
        try:
            counts = update_index(
                conn,
                repo,
                include=include,
                exclude=exclude,
                include_ignored=include_ignored,
                on_file=on_file,
                profile=profile,
                extra_include_dirs=extra_include_dirs,
                assets=assets,
            )
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
        conn = connect(db_path, create=False)
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
                    f"SELECT {ENTRY_COLUMNS} FROM symbols WHERE name = ?"
                    " ORDER BY file, line, kind, container",
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
