"""Rename history: when a name is gone from the repo, which commit removed it and what replaced it.

`git log -S<name>` lists the commits (newest first, on the current branch) that changed how often
the name occurs; the newest one that removed it is the rename. Its diff (`git show -U0`) pairs
each removed line that used the name with the most similar added line: the identifier at the
same position is the new name (`GlobalContext* globalCtx` / `PlayState* play`). When no line
pairs up, the most similar new identifier of the same hunks that exists in the index is taken.
A name renamed twice is followed to its current name. Results are cached in SQLite keyed by
(HEAD commit, name), so asking again, even from another process, runs no git command. Without
git, or outside a repository, every answer is None.
"""

from __future__ import annotations

import re
import sqlite3
import subprocess
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from rapidfuzz import fuzz

from modsmith.ground.symbol_index import SymbolIndex

_IDENT = re.compile(r"[A-Za-z_]\w*")
_PATHSPECS = ("*.c", "*.h", "*.cs", "*.inc")
_MAX_COMMITS = 25
_CACHE_SCHEMA = """
CREATE TABLE IF NOT EXISTS renames (
    head TEXT NOT NULL, name TEXT NOT NULL, found INTEGER NOT NULL, new TEXT, sha TEXT, date TEXT,
    subject TEXT, PRIMARY KEY (head, name)
)
"""


@dataclass(frozen=True, slots=True)
class Rename:
    """`old` was removed in `commit` (dated `date`, YYYY-MM-DD); `new` replaced it (None: removed)."""

    old: str
    new: str | None
    commit: str
    date: str
    subject: str


class RenameHistory:
    """Rename lookups for one repository. `cache`: a SQLite path or a `SymbolIndex` (its file).

    With an index, "exists now" means "in the index", and HEAD is the index's commit; without
    one, `git grep` and `git rev-parse` answer those. `git_runs` counts the git commands run.
    """

    def __init__(
        self,
        repo: str | Path,
        cache: str | Path | SymbolIndex | None = None,
        *,
        index: SymbolIndex | None = None,
        timeout: float = 120.0,
    ):
        if isinstance(cache, SymbolIndex):
            index = index or cache
            cache = cache.db_path
        elif cache is None and index is not None:
            cache = index.db_path
        self.repo = Path(repo)
        self.index = index
        self.timeout = timeout
        self.git_runs = 0
        self._cache_path = Path(cache) if cache is not None else None
        self._conn: sqlite3.Connection | None = None
        self._memory: dict[str, Rename | None] = {}
        self._head: str | None = None
        self._head_known = False

    def renamed(self, name: str) -> Rename | None:
        """The rename that replaced `name`, when it is gone and history shows a successor."""
        found = self.history(name)
        return found if found is not None and found.new else None

    def history(self, name: str) -> Rename | None:
        """The commit that removed `name` (with its successor, if any); None when `name` exists
        now, never existed on this branch, or git cannot tell."""
        if name in self._memory:
            return self._memory[name]
        head = self.head()
        if head is None:
            return None
        cached, result = self._cache_get(head, name)
        if not cached:
            try:
                result = self._search(head, name, depth=0)
            except _GitFailed:
                self._memory[name] = None
                return None
            self._cache_put(head, name, result)
        self._memory[name] = result
        return result

    def head(self) -> str | None:
        if not self._head_known:
            if self.index is not None:
                self._head = self.index.commit
            else:
                out = self._git_or_none("rev-parse", "HEAD")
                self._head = out.strip() if out else None
            self._head_known = True
        return self._head

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def __getstate__(self) -> dict:
        # a worker process opens its own cache connection
        return {**self.__dict__, "_conn": None}

    # --- the search ----------------------------------------------------------------------------

    def _search(self, head: str, name: str, depth: int) -> Rename | None:
        if self._exists(head, name):
            return None
        log = self._git("log", f"-S{name}", "--format=%H%x09%cs%x09%s", head, "--", *_PATHSPECS)
        word = re.compile(rf"(?<!\w){re.escape(name)}(?!\w)")
        for line in log.splitlines()[:_MAX_COMMITS]:
            sha, date, subject = (line.split("\t", 2) + ["", ""])[:3]
            hunks = _hunks(self._git("show", "-U0", "--format=", sha, "--", *_PATHSPECS))
            removed = sum(len(word.findall(r)) for h in hunks for r in h[0])
            added = sum(len(word.findall(a)) for h in hunks for a in h[1])
            if added > removed:
                return None  # the newest change added it: it is still there, outside the index
            if removed == added:
                continue
            new = self._successor(head, name, word, hunks, depth)
            return Rename(name, new, sha, date, subject)
        return None

    def _successor(
        self,
        head: str,
        name: str,
        word: re.Pattern[str],
        hunks: list[tuple[list[str], list[str]]],
        depth: int,
    ) -> str | None:
        votes: Counter[str] = Counter()
        fallback: set[str] = set()
        for removed_lines, added_lines in hunks:
            old_words = {t for r in removed_lines for t in _IDENT.findall(r)}
            for removed in removed_lines:
                if not word.search(removed):
                    continue
                tokens = _IDENT.findall(removed)
                if name not in tokens:
                    continue
                position = tokens.index(name)
                partner = _partner(tokens, added_lines, name)
                if partner is not None and partner[position] != name:
                    votes[partner[position]] += 1
                for added in added_lines:
                    fallback.update(t for t in _IDENT.findall(added) if t not in old_words)
        ranked = sorted(votes, key=lambda n: (-votes[n], -fuzz.ratio(n.lower(), name.lower()), n))
        existing = [n for n in ranked if self._exists(head, n)]
        if existing:
            return existing[0]
        if ranked and depth < 3:
            later = self._search(head, ranked[0], depth + 1)
            if later is not None and later.new:
                return later.new
        candidates = [n for n in fallback if fuzz.ratio(n.lower(), name.lower()) >= 50]
        candidates.sort(key=lambda n: (-fuzz.ratio(n.lower(), name.lower()), n))
        existing = [n for n in candidates if self._exists(head, n)]
        return existing[0] if existing else (ranked[0] if ranked else None)

    def _exists(self, head: str, name: str) -> bool:
        if self.index is not None:
            return self.index.exists(name)
        return self._git_or_none("grep", "-q", "-w", "-F", name, head, "--", *_PATHSPECS) is not None

    # --- git -----------------------------------------------------------------------------------

    def _git(self, *args: str) -> str:
        out = self._git_or_none(*args)
        if out is None:
            raise _GitFailed(args[0])
        return out

    def _git_or_none(self, *args: str) -> str | None:
        self.git_runs += 1
        try:
            done = subprocess.run(
                ["git", "-C", str(self.repo), "--no-pager", *args],
                capture_output=True,
                text=True,
                errors="replace",
                timeout=self.timeout,
                stdin=subprocess.DEVNULL,
                check=False,
            )
        except (OSError, subprocess.SubprocessError):
            return None
        return done.stdout if done.returncode == 0 else None

    # --- the cache -----------------------------------------------------------------------------

    def _cache(self) -> sqlite3.Connection | None:
        if self._conn is None and self._cache_path is not None:
            try:
                conn = sqlite3.connect(self._cache_path, timeout=30, check_same_thread=False)
                conn.execute(_CACHE_SCHEMA)
                conn.commit()
            except sqlite3.Error:
                self._cache_path = None  # not writable: answers stay in memory only
                return None
            self._conn = conn
        return self._conn

    def _cache_get(self, head: str, name: str) -> tuple[bool, Rename | None]:
        conn = self._cache()
        if conn is None:
            return False, None
        row = conn.execute(
            "SELECT found, new, sha, date, subject FROM renames WHERE head = ? AND name = ?", (head, name)
        ).fetchone()
        if row is None:
            return False, None
        found, new, sha, date, subject = row
        return True, Rename(name, new, sha, date, subject) if found else None

    def _cache_put(self, head: str, name: str, result: Rename | None) -> None:
        conn = self._cache()
        if conn is None:
            return
        values = (
            (head, name, 1, result.new, result.commit, result.date, result.subject)
            if result is not None
            else (head, name, 0, None, None, None, None)
        )
        try:
            conn.execute("INSERT OR REPLACE INTO renames VALUES (?, ?, ?, ?, ?, ?, ?)", values)
            conn.commit()
        except sqlite3.Error:
            pass


class _GitFailed(Exception):
    pass


def _hunks(diff: str) -> list[tuple[list[str], list[str]]]:
    """(removed lines, added lines) of each hunk of a `-U0` diff."""
    hunks: list[tuple[list[str], list[str]]] = []
    current: tuple[list[str], list[str]] | None = None
    for line in diff.splitlines():
        if line.startswith("@@"):
            current = ([], [])
            hunks.append(current)
        elif current is None or line.startswith(("---", "+++")):
            continue
        elif line.startswith("-"):
            current[0].append(line[1:])
        elif line.startswith("+"):
            current[1].append(line[1:])
        elif line.startswith("diff "):
            current = None
    return hunks


def _partner(tokens: list[str], added_lines: list[str], name: str) -> list[str] | None:
    """The added line's identifiers that pair with a removed line's: same count, most in common."""
    best, best_same = None, 0
    for added in added_lines:
        other = _IDENT.findall(added)
        if len(other) != len(tokens) or name in other:
            continue
        same = sum(1 for a, b in zip(tokens, other, strict=True) if a == b)
        if same > best_same:
            best, best_same = other, same
    return best
