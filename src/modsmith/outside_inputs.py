"""What a stage reads from outside the run, as a hash: so a stage reruns when its repo changed.

A file is hashed by content (by size and modification time when it is large). A git work tree is
its HEAD commit, the diff of its tracked files against HEAD and the size and time of each
untracked, not ignored file: a commit, an edit, a new file all change it, and a checkout of
thousands of files costs two git commands. Any other folder is every file's path, size and time.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
from collections.abc import Iterable
from pathlib import Path

#: Files up to this size are hashed by content; larger ones by size and modification time.
CONTENT_HASH_LIMIT = 4 * 1024 * 1024


def outside_fingerprint(paths: Iterable[Path]) -> str:
    """A hash of the state of every given file or folder (a missing one counts as missing)."""
    digest = hashlib.sha256()
    for path in paths:
        digest.update(f"{path}\0{path_state(path)}\n".encode())
    return digest.hexdigest()[:16]


def path_state(path: Path) -> str:
    if path.is_file():
        return _file_state(path)
    if path.is_dir():
        return _git_state(path) or _folder_state(path)
    return "missing" if not path.exists() else "not a file or folder"


def _file_state(path: Path) -> str:
    stat = path.stat()
    if stat.st_size > CONTENT_HASH_LIMIT:
        return f"{stat.st_size}:{stat.st_mtime_ns}"
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return f"{stat.st_size}:{stat.st_mtime_ns}"


def _git(folder: Path, *args: str) -> bytes | None:
    try:
        done = subprocess.run(
            ["git", "-C", str(folder), *args], capture_output=True, timeout=120, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout if done.returncode == 0 else None


def _git_state(folder: Path) -> str | None:
    """HEAD, tracked changes and untracked files of a git work tree rooted at `folder`."""
    if not (folder / ".git").exists():
        return None
    head = _git(folder, "rev-parse", "HEAD")
    diff = _git(folder, "diff", "HEAD", "--no-ext-diff", "--no-textconv", "--binary")
    untracked = _git(folder, "ls-files", "--others", "--exclude-standard", "-z")
    if head is None or diff is None or untracked is None:
        return None
    digest = hashlib.sha256(head + b"\0" + diff + b"\0")
    for name in sorted(untracked.split(b"\0")):
        if name:
            digest.update(name + b"\0" + _stat_line(folder / os.fsdecode(name)).encode())
    return "git:" + digest.hexdigest()


def _folder_state(folder: Path) -> str:
    digest = hashlib.sha256()
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = sorted(d for d in dirnames if d != ".git")
        for name in sorted(filenames):
            path = Path(dirpath) / name
            digest.update(f"{path.relative_to(folder)}\0{_stat_line(path)}\n".encode())
    return "dir:" + digest.hexdigest()


def _stat_line(path: Path) -> str:
    try:
        stat = path.stat()
    except OSError:
        return "gone"
    return f"{stat.st_size}:{stat.st_mtime_ns}"
