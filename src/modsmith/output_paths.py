"""Where outputs may go: never over an input, and a dataset folder replaced whole or not at all.

`refuse_output_over_inputs` stops a command before it starts when an output is one of its inputs
(the same file by any name: a symlink, a hard link, `./x` and `x`) or a folder that holds one.
`replaced_folder` builds a folder beside its target and swaps it in with one rename, so a reader
(or a kill -9) sees the old complete folder or the new complete folder, never a mix.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import re
import shutil
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from filelock import FileLock, Timeout

from modsmith.errors import ModsmithError
from modsmith.records import temp_path_beside, write_text_atomic


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return a.resolve() == b.resolve()


def _inside(path: Path, folder: Path) -> bool:
    return folder.resolve() in path.resolve().parents


def refuse_output_over_inputs(
    outputs: Iterable[str | Path], inputs: Iterable[str | Path | None], folders: bool = False
) -> None:
    """Raise a ModsmithError when an output is an input, or a folder that contains one.

    `folders` says the outputs are folders; a file output that is an existing folder is refused.
    """
    inputs = [Path(p) for p in inputs if p is not None]
    for output in map(Path, outputs):
        if not folders and output.is_dir():
            raise ModsmithError("cannot write: is a directory", where=str(output), hint="give a file path")
        for source in inputs:
            if _same_file(output, source):
                raise ModsmithError(
                    f"the output is the input {source}: writing it would destroy the input",
                    where=str(output),
                    hint="choose another output path",
                )
            if _inside(source, output):
                raise ModsmithError(
                    f"the output folder holds the input {source}: writing it would replace the input",
                    where=str(output),
                    hint="choose a new folder for the output",
                )


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one atomic rename (Linux renameat2 RENAME_EXCHANGE); False if unsupported."""
    libc_name = ctypes.util.find_library("c")
    if libc_name is None:
        return False
    libc = ctypes.CDLL(libc_name, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    at_fdcwd, rename_exchange = -100, 2
    result = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange)
    if result == 0:
        return True
    error = ctypes.get_errno()
    if error in (22, 38, 95):  # EINVAL, ENOSYS, EOPNOTSUPP: this file system or kernel cannot exchange
        return False
    raise OSError(error, os.strerror(error), str(b))


@contextmanager
def replaced_folder(target: str | Path, owned: re.Pattern[str] | None = None) -> Iterator[Path]:
    """Yield an empty staging folder beside `target`; when the block succeeds it becomes `target`.

    If the block raises, the staging folder is removed and `target` is untouched. An existing
    `target` whose files do not all match `owned` (names this tool writes) is refused before
    anything is written, so a user's own files are never swept away.
    """
    target = Path(target)
    if target.exists() and not target.is_dir():
        raise ModsmithError("cannot write a folder: a file is there", where=str(target))
    if target.is_dir() and owned is not None:
        foreign = sorted(p.name for p in target.iterdir() if not owned.fullmatch(p.name))
        if foreign:
            raise ModsmithError(
                f"the folder holds files modsmith did not write ({', '.join(foreign[:3])})",
                where=str(target),
                hint="choose a new or empty folder",
            )
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        staging = temp_path_beside(target)
        staging.mkdir()
    except OSError as exc:
        raise ModsmithError(f"cannot write: {exc.strerror or exc}", where=str(target)) from None
    try:
        yield staging
        if not target.exists():
            os.rename(staging, target)
        elif _exchange(staging, target):
            shutil.rmtree(staging)  # now the old folder
        else:
            old = staging.with_name(staging.name + ".old")
            os.rename(target, old)
            try:
                os.rename(staging, target)
            except OSError:
                os.rename(old, target)
                raise
            shutil.rmtree(old)
    except OSError as exc:
        raise ModsmithError(f"cannot write: {exc.strerror or exc}", where=str(target)) from None
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)


@contextmanager
def folder_lock(folder: Path, what: str, place: str, hint: str):
    """Hold `folder` (a run directory, a training output) for this process; a ModsmithError naming
    the holder's PID if another process holds it ("`what` is in progress in this `place`"). The
    lock goes with its process, even a killed one."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ModsmithError(
            f"cannot create the {place}: {exc.strerror or exc}",
            where=str(folder),
            hint="give a folder that can be written",
        ) from None
    lock = FileLock(folder / ".lock")
    pid_file = folder / ".lock.pid"
    try:
        lock.acquire(timeout=0)
    except Timeout:
        try:
            holder = f"PID {int(pid_file.read_text().strip())}"
        except (OSError, ValueError):
            holder = "another process"
        raise ModsmithError(
            f"{what} is in progress in this {place} ({holder})",
            where=str(folder),
            hint=hint,
        ) from None
    except OSError as exc:
        message = f"cannot lock the {place}: {exc.strerror or exc}"
        raise ModsmithError(message, where=str(folder)) from None
    try:
        write_text_atomic(pid_file, f"{os.getpid()}\n")
        yield
    finally:
        pid_file.unlink(missing_ok=True)
        lock.release()
