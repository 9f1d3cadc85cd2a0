"""Walk a source tree the way git sees it: sorted, `.git/` skipped, `.gitignore` files honoured.

Include and exclude globs use gitignore syntax (via `pathspec`) and match paths relative to the
root, so `*.h` matches headers at any depth and `tools/` excludes a whole folder.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from pathspec import GitIgnoreSpec

from modsmith.errors import ModsmithError


@dataclass(frozen=True, slots=True)
class WalkedFile:
    """A file the walk kept: its posix path relative to the root, and its stat figures."""

    rel: str
    path: Path
    size: int
    mtime_ns: int


def walk_files(
    root: str | Path,
    include: Sequence[str] = (),
    exclude: Sequence[str] = (),
    respect_gitignore: bool = True,
) -> Iterator[WalkedFile]:
    """Files under `root` in sorted order; symbolic links are not followed."""
    root = Path(root)
    if not root.is_dir():
        raise ModsmithError("no such directory", where=str(root))
    include_spec = GitIgnoreSpec.from_lines(include) if include else None
    exclude_spec = GitIgnoreSpec.from_lines(exclude) if exclude else None
    yield from _walk_dir(root, "", [], include_spec, exclude_spec, respect_gitignore)


def _walk_dir(
    directory: Path,
    rel_dir: str,
    ignores: list[tuple[str, GitIgnoreSpec]],
    include_spec: GitIgnoreSpec | None,
    exclude_spec: GitIgnoreSpec | None,
    respect_gitignore: bool,
) -> Iterator[WalkedFile]:
    try:
        entries = sorted(os.scandir(directory), key=lambda entry: entry.name)
    except OSError as exc:
        raise ModsmithError(f"cannot read directory: {exc.strerror}", where=str(directory)) from None
    if respect_gitignore and any(e.name == ".gitignore" and e.is_file() for e in entries):
        lines = (directory / ".gitignore").read_text(encoding="utf-8", errors="replace").splitlines()
        ignores = [*ignores, (rel_dir, GitIgnoreSpec.from_lines(lines))]
    for entry in entries:
        if entry.name == ".git" or entry.is_symlink():
            continue
        rel = rel_dir + entry.name
        if entry.is_dir():
            if _ignored(rel + "/", ignores):
                continue
            if exclude_spec is not None and exclude_spec.match_file(rel + "/"):
                continue
            yield from _walk_dir(
                Path(entry.path), rel + "/", ignores, include_spec, exclude_spec, respect_gitignore
            )
        elif entry.is_file():
            if _ignored(rel, ignores):
                continue
            if exclude_spec is not None and exclude_spec.match_file(rel):
                continue
            if include_spec is not None and not include_spec.match_file(rel):
                continue
            stat = entry.stat()
            yield WalkedFile(rel, Path(entry.path), stat.st_size, stat.st_mtime_ns)


def _ignored(rel: str, ignores: list[tuple[str, GitIgnoreSpec]]) -> bool:
    """Git's rule: the deepest `.gitignore` with a matching pattern decides, its last match wins."""
    for base, spec in reversed(ignores):
        result = spec.check_file(rel[len(base) :])
        if result.include is not None:
            return result.include
    return False


def git_commit(root: str | Path) -> str | None:
    """`git rev-parse HEAD` for the repository holding `root`; None when there is none or no git."""
    try:
        done = subprocess.run(
            ["git", "-C", str(root), "rev-parse", "HEAD"],
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    commit = done.stdout.strip()
    return commit if done.returncode == 0 and commit else None
