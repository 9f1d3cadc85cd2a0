"""The SQLite cache of teacher responses.

A response is stored as soon as it arrives (one committed row), keyed by a hash of the endpoint,
model, messages and sampling parameters, so a rerun after a crash asks only what was not answered.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
import time
from pathlib import Path
from typing import Any

from modsmith.errors import ModsmithError

SCHEMA = """
CREATE TABLE IF NOT EXISTS responses (
    key TEXT PRIMARY KEY,
    endpoint TEXT NOT NULL,
    model TEXT NOT NULL,
    request TEXT NOT NULL,
    response TEXT NOT NULL,
    created REAL NOT NULL
)
"""


def request_key(endpoint: str, model: str, messages: list[dict[str, Any]], params: dict[str, Any]) -> str:
    """The cache key of one chat request."""
    blob = json.dumps([endpoint, model, messages, params], sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


class ResponseCache:
    """Teacher responses by request key; safe to share between threads of one process."""

    def __init__(self, path: str | Path):
        self.path = Path(path).expanduser()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.execute(SCHEMA)
        except (OSError, sqlite3.Error) as exc:
            raise ModsmithError(f"cannot open the teacher cache: {exc}", where=str(self.path)) from None
        self._lock = threading.Lock()

    def get(self, key: str) -> dict[str, Any] | None:
        with self._lock:
            row = self._db.execute("SELECT response FROM responses WHERE key = ?", (key,)).fetchone()
        return json.loads(row[0]) if row else None

    def put(
        self, key: str, endpoint: str, model: str, request: dict[str, Any], response: dict[str, Any]
    ) -> None:
        with self._lock:
            self._db.execute(
                "INSERT OR REPLACE INTO responses (key, endpoint, model, request, response, created)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (
                    key,
                    endpoint,
                    model,
                    json.dumps(request, ensure_ascii=False),
                    json.dumps(response),
                    time.time(),
                ),
            )

    def __len__(self) -> int:
        with self._lock:
            return self._db.execute("SELECT count(*) FROM responses").fetchone()[0]

    def keys(self) -> set[str]:
        with self._lock:
            return {row[0] for row in self._db.execute("SELECT key FROM responses")}

    def close(self) -> None:
        self._db.close()
