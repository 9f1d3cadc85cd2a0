"""Reading a repository's history with a few streamed git commands: a commit's source files, and
every commit's `-U0` diff in one `git log -p`.

`commit_patches` yields each commit (newest first, children before parents, merges skipped) with
its hunks: the removed and added lines of one place in one file. `source_texts` yields the text
of every source file of a commit. Both raise `GitFailed` when git is missing, the directory is
no repository, or git stops with an error.
"""

from __future__ import annotations

import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

#: Config that would change what `git log -p` prints, set back to git's defaults.
_PLAIN = ("-c", "log.showSignature=false", "-c", "diff.noprefix=false", "-c", "core.quotePath=true")
_COMMIT_START = "\n\x00"  # each commit's header line starts with a NUL


class GitFailed(Exception):
    """git is missing, the folder is no repository, or a git command failed or ran too long."""

    def __init__(self, message: str, *, timed_out: bool = False):
        super().__init__(message)
        self.timed_out = timed_out


@dataclass(slots=True)
class Hunk:
    """One place a commit changed: the lines it removed and the lines it added there."""

    removed: list[str] = field(default_factory=list)
    added: list[str] = field(default_factory=list)


@dataclass(slots=True)
class CommitPatch:
    sha: str
    date: str  # committer date, YYYY-MM-DD
    subject: str
    hunks: list[Hunk] = field(default_factory=list)


def git_output(repo: Path, *args: str, timeout: float = 120.0) -> str:
    """stdout of one git command in `repo`; `GitFailed` when it cannot run or fails."""
    try:
        done = subprocess.run(
            ["git", "-C", str(repo), "--no-pager", *_PLAIN, *args],
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="replace",
            timeout=timeout,
            stdin=subprocess.DEVNULL,
            check=False,
        )
    except (OSError, subprocess.SubprocessError) as error:
        raise GitFailed(f"git {args[0]}: {error}") from error
    if done.returncode != 0:
        raise GitFailed(f"git {args[0]}: {done.stderr.strip()[:200]}")
    return done.stdout


def commit_patches(
    repo: Path, commit: str, pathspecs: tuple[str, ...], *, deadline: float | None = None
) -> Iterator[CommitPatch]:
    """Every non-merge commit reachable from `commit`, newest first, with its `-U0` hunks in the
    files `pathspecs` match. Files are never paired as renamed: a moved file is a removal and an
    addition. `deadline` (a `time.monotonic()` value) stops the walk with `GitFailed`."""
    args = (
        "log", "-p", "-U0", "--no-renames", "--no-merges", "--topo-order", "--no-color",
        "--no-ext-diff", "--no-textconv", "--format=%x00%H%x09%cs%x09%s", commit, "--", *pathspecs,
    )  # fmt: skip
    with _streamed(repo, args) as stream:
        pending = ["\n"]  # the text of the commit being read, in blocks (a commit can be huge)
        while block := stream.read(1 << 20):
            if deadline is not None and time.monotonic() > deadline:
                raise GitFailed("git log: the history took too long to read", timed_out=True)
            pending.append(block)
            if "\x00" in block:
                *done, rest = "".join(pending).split(_COMMIT_START)
                yield from (_commit_patch(text) for text in done if text)
                pending = [rest]
        if "".join(pending).strip():
            yield _commit_patch("".join(pending))


def _commit_patch(text: str) -> CommitPatch:
    """One commit of the log: its header line, then a `diff --git` section per file, each a
    header (`---`/`+++` lines, which are no content) and then its hunks, each `@@ -...` line
    followed by the removed (`-`) and added (`+`) lines."""
    header, _, diff = text.partition("\n")
    sha, date, subject = (header.split("\t", 2) + ["", ""])[:3]
    patch = CommitPatch(sha, date, subject)
    for section in ("\n" + diff).split("\ndiff --git ")[1:]:
        for hunk in section.split("\n@@ -")[1:]:
            lines = hunk.split("\n")
            patch.hunks.append(
                Hunk(
                    [line[1:] for line in lines if line[:1] == "-"],
                    [line[1:] for line in lines if line[:1] == "+"],
                )
            )
    return patch


def source_texts(repo: Path, commit: str, suffixes: tuple[str, ...]) -> Iterator[tuple[str, str]]:
    """(path, text) of each file of `commit` whose name ends with one of `suffixes`."""
    listing = git_output(repo, "ls-tree", "-r", "-z", "--full-tree", commit)
    blobs: list[tuple[str, str]] = []
    for entry in listing.split("\0"):
        meta, _, path = entry.partition("\t")
        parts = meta.split()
        if len(parts) == 3 and parts[1] == "blob" and path.lower().endswith(suffixes):
            blobs.append((parts[2], path))
    if not blobs:
        return
    try:
        process = subprocess.Popen(
            ["git", "-C", str(repo), "cat-file", "--batch"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
    except OSError as error:
        raise GitFailed(f"git cat-file: {error}") from error
    assert process.stdin is not None and process.stdout is not None

    def ask() -> None:  # in a thread: writing every id first could fill both pipes
        try:
            process.stdin.write("".join(f"{sha}\n" for sha, _ in blobs).encode())
            process.stdin.close()
        except OSError:
            pass

    writer = threading.Thread(target=ask, daemon=True)
    writer.start()
    try:
        for _, path in blobs:
            header = process.stdout.readline().split()
            if len(header) != 3:
                continue  # "<sha> missing": an object this clone lacks
            data = process.stdout.read(int(header[2]) + 1)[:-1]
            yield path, data.decode("utf-8", errors="replace")
    finally:
        process.stdout.close()
        process.kill()
        process.wait()
        writer.join()


class _streamed:
    """`git ARGS` with its stdout as text; GitFailed when git cannot start or ends with an error."""

    def __init__(self, repo: Path, args: tuple[str, ...]):
        self.command = ["git", "-C", str(repo), "--no-pager", *_PLAIN, *args]
        self.what = f"git {args[0]}"
        self.process: subprocess.Popen[str] | None = None
        self.errors = tempfile.TemporaryFile()  # a file, not a pipe: warnings cannot stall git

    def __enter__(self) -> IO[str]:
        try:
            self.process = subprocess.Popen(
                self.command,
                stdout=subprocess.PIPE,
                stderr=self.errors,
                stdin=subprocess.DEVNULL,
                text=True,
                encoding="utf-8",
                errors="replace",
                bufsize=1 << 20,
            )
        except OSError as error:
            self.errors.close()
            raise GitFailed(f"{self.what}: {error}") from error
        assert self.process.stdout is not None
        return self.process.stdout

    def __exit__(self, kind, value, traceback) -> None:
        process = self.process
        assert process is not None and process.stdout is not None
        if kind is not None:
            process.kill()
        process.stdout.close()
        failed = process.wait() != 0
        self.errors.seek(0)
        error = self.errors.read(400).decode("utf-8", errors="replace").strip()
        self.errors.close()
        if failed and kind is None:
            raise GitFailed(f"{self.what}: {error}")
