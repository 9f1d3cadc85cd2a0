"""Rename history: when a name is gone from the repo, which commit removed it and what replaced it.

The whole history is read once per HEAD commit, in one pass (`git log -p -U0`, see
`rename_scan`), and every answer is stored in a SQLite cache beside the symbol index, so a
lookup is one query and asking again, even from another process, runs no git command. A rename is
reported only where one commit replaced the old name by the new one in the same place; a chain
of renames leads to the name that stands in HEAD. Without git, or outside a repository, every
answer is None.
"""

from __future__ import annotations

import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

from modsmith.ground.names.git_history import GitFailed, commit_patches, git_output, source_texts
from modsmith.ground.names.rename_scan import RenameScan, names_in_sources
from modsmith.ground.names.symbol_index import SymbolIndex

_PATHSPECS = ("*.c", "*.h", "*.cs", "*.inc")
#: Bump when what is stored would come out differently: older caches are then read again.
_FORMAT = 1
_HEAD_SOURCES = (".c", ".h", ".cs", ".inc", ".xml")
_SCHEMA = """
CREATE TABLE IF NOT EXISTS rename_builds (
    head TEXT PRIMARY KEY, status TEXT NOT NULL, commits INTEGER NOT NULL, gone INTEGER NOT NULL,
    renames INTEGER NOT NULL, seconds REAL NOT NULL, limit_s REAL NOT NULL, format INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS rename_commits (
    head TEXT NOT NULL, id INTEGER NOT NULL, sha TEXT NOT NULL, date TEXT NOT NULL,
    subject TEXT NOT NULL, PRIMARY KEY (head, id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS rename_gone (
    head TEXT NOT NULL, name TEXT NOT NULL, new TEXT, commit_id INTEGER NOT NULL, via TEXT NOT NULL,
    PRIMARY KEY (head, name)
) WITHOUT ROWID;
"""


@dataclass(frozen=True, slots=True)
class Rename:
    """`old` was removed in `commit` (dated `date`, YYYY-MM-DD); `new` replaced it (None: removed).
    `via`: the names it had in between, when it was renamed more than once."""

    old: str
    new: str | None
    commit: str
    date: str
    subject: str
    via: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class HistoryBuild:
    """How the history of one HEAD was read: `status` is "done" or "timeout"."""

    head: str
    status: str
    commits: int
    gone: int
    renames: int
    seconds: float


class RenameHistory:
    """Rename lookups for one repository.

    `cache`: a SQLite path, or a `SymbolIndex`: the cache goes beside its file (for the index of
    `modsmith check --repo`, in the index cache folder), one file per index, holding the history
    of one HEAD. None, and no index: the history stays in memory. With an index, names it knows
    exist, and HEAD is the index's commit; without one, `git rev-parse HEAD` tells. `timeout`
    bounds the one-time read of the history. `git_runs` counts the git commands run.
    """

    def __init__(
        self,
        repo: str | Path,
        cache: str | Path | SymbolIndex | None = None,
        *,
        index: SymbolIndex | None = None,
        timeout: float = 600.0,
    ):
        if isinstance(cache, SymbolIndex):
            index = index or cache
            cache = None
        if cache is None and index is not None:
            cache = index.db_path.with_name(f"{index.db_path.stem}.renames.sqlite")
        self.repo = Path(repo)
        self.index = index
        self.timeout = timeout
        self.git_runs = 0
        self._cache_path = Path(cache) if cache is not None else None
        self._conn: sqlite3.Connection | None = None
        self._memory: dict[str, Rename | None] = {}
        self._head: str | None = None
        self._head_known = False
        self._build: HistoryBuild | None = None
        self._gone: dict[str, Rename] | None = None  # when there is no cache file

    def renamed(self, name: str) -> Rename | None:
        """The rename that replaced `name`, when it is gone and history shows a successor."""
        found = self.history(name)
        return found if found is not None and found.new else None

    def history(self, name: str) -> Rename | None:
        """The commit that removed `name` (with its current name, if it was renamed); None when
        `name` exists now, never stood in the code on this branch, or git cannot tell."""
        if name not in self._memory:
            self._memory[name] = self._look_up(name)
        return self._memory[name]

    def head(self) -> str | None:
        if not self._head_known:
            if self.index is not None:
                self._head = self.index.commit
            else:
                try:
                    self.git_runs += 1
                    self._head = git_output(self.repo, "rev-parse", "--verify", "HEAD^{commit}").strip()
                except GitFailed:
                    self._head = None
            self._head_known = True
        return self._head

    def build(self) -> HistoryBuild | None:
        """Read the history now unless the cache has it; None without git or a repository."""
        head = self.head()
        if head is None:
            return None
        if self._build is None or self._build.head != head:
            self._build = self._cached_build(head) or self._read_history(head)
        return self._build

    def entries(self) -> list[Rename]:
        """Every name gone from HEAD, by name (renamed ones with their current name)."""
        build = self.build()
        if build is None or build.status != "done":
            return []
        if self._gone is not None:
            return [self._gone[name] for name in sorted(self._gone)]
        rows = self._connect().execute(_SELECT + " ORDER BY g.name", (build.head,)).fetchall()
        return [_rename(row) for row in rows]

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def __getstate__(self) -> dict:
        # a worker process opens its own cache connection (and reads its answers from the file)
        state = {**self.__dict__, "_conn": None}
        if self._cache_path is not None and self._build is not None and self._build.status == "done":
            state["_gone"] = None
        return state

    # --- answers -------------------------------------------------------------------------------

    def _look_up(self, name: str) -> Rename | None:
        if self.index is not None and self.index.exists(name):
            return None
        build = self.build()
        if build is None or build.status != "done":
            return None
        if self._gone is not None:
            return self._gone.get(name)
        row = self._connect().execute(_SELECT + " AND g.name = ?", (build.head, name)).fetchone()
        return _rename(row) if row is not None else None

    def _read_history(self, head: str) -> HistoryBuild | None:
        started = time.monotonic()
        try:
            self.git_runs += 2
            scan = RenameScan(names_in_sources(source_texts(self.repo, head, _HEAD_SOURCES)))
        except GitFailed:
            return None
        try:
            self.git_runs += 1
            for commit in commit_patches(self.repo, head, _PATHSPECS, deadline=started + self.timeout):
                scan.add(commit)
        except GitFailed as failure:
            if not failure.timed_out:
                return None
            build = HistoryBuild(head, "timeout", len(scan.commits), 0, 0, time.monotonic() - started)
            self._store(build, [], [])
            return build
        gone = scan.gone()
        renames = sum(1 for g in gone if g.new is not None)
        build = HistoryBuild(head, "done", len(scan.commits), len(gone), renames, time.monotonic() - started)
        rows = [(g.old, g.new, g.commit, "\t".join(g.via)) for g in gone]
        if not self._store(build, scan.commits, rows):
            self._gone = {g.old: Rename(g.old, g.new, *scan.commits[g.commit], via=g.via) for g in gone}
        return build

    # --- the cache -----------------------------------------------------------------------------

    def _connect(self) -> sqlite3.Connection:
        if self._conn is None:
            assert self._cache_path is not None
            conn = sqlite3.connect(self._cache_path, timeout=60, check_same_thread=False)
            conn.executescript(_SCHEMA)
            self._conn = conn
        return self._conn

    def _cached_build(self, head: str) -> HistoryBuild | None:
        if self._cache_path is None or not self._cache_path.is_file():
            return None
        try:
            row = self._connect().execute(_SELECT_BUILD, (head,)).fetchone()
        except sqlite3.Error:
            return None
        if row is None or row[6] != _FORMAT or (row[0] == "timeout" and row[5] < self.timeout):
            return None  # not read yet, read by another version, or a longer limit may finish it
        return HistoryBuild(head, row[0], row[1], row[2], row[3], row[4])

    def _store(self, build: HistoryBuild, commits: list, rows: list) -> bool:
        """Save one HEAD's history (replacing other HEADs'); False when the cache is unusable."""
        if self._cache_path is None:
            return False
        try:
            self._cache_path.parent.mkdir(parents=True, exist_ok=True)
            conn = self._connect()
            with conn:
                conn.execute("BEGIN IMMEDIATE")
                for table in ("rename_builds", "rename_commits", "rename_gone"):
                    conn.execute(f"DELETE FROM {table}")  # one HEAD per cache: the current one
                conn.executemany(
                    "INSERT INTO rename_commits VALUES (?, ?, ?, ?, ?)",
                    [(build.head, i, *commit) for i, commit in enumerate(commits)],
                )
                conn.executemany(
                    "INSERT INTO rename_gone VALUES (?, ?, ?, ?, ?)", [(build.head, *row) for row in rows]
                )
                conn.execute(
                    "INSERT INTO rename_builds VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    (build.head, build.status, build.commits, build.gone, build.renames, build.seconds,
                     self.timeout, _FORMAT),
                )  # fmt: skip
        except (sqlite3.Error, OSError):
            self.close()
            self._cache_path = None  # not writable: answers stay in memory only
            return False
        return True


_SELECT_BUILD = (
    "SELECT status, commits, gone, renames, seconds, limit_s, format FROM rename_builds WHERE head = ?"
)
_SELECT = (
    "SELECT g.name, g.new, c.sha, c.date, c.subject, g.via FROM rename_gone g "
    "JOIN rename_commits c ON c.head = g.head AND c.id = g.commit_id WHERE g.head = ?"
)


def _rename(row: tuple) -> Rename:
    name, new, sha, date, subject, via = row
    return Rename(name, new, sha, date, subject, tuple(via.split("\t")) if via else ())
