"""The symbol index's SQLite file: its schema (one `symbols` row per name, the `files` it was read
from, `meta`), and opening it."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from modsmith.errors import ModsmithError

SCHEMA_VERSION = 2
#: the placeholders of one `symbols` row
ROW_MARKS = ", ".join("?" * 14)
#: the columns a `SymbolEntry` is made of
ENTRY_COLUMNS = "name, kind, file, line, end_line, signature, arity, container, type, lang, origin"


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


def connect(db_path: Path, create: bool) -> sqlite3.Connection:
    """The index file opened (`create`: made, or remade when another schema version wrote it)."""
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
