"""Running a compiler on generated code without trusting it.

Generated code is never executed. The compiler runs in a fresh temporary directory, in a session
of its own, with CPU-time, memory, file-size and core-dump limits and a wall-clock timeout; its
output is truncated and host paths are replaced by neutral names before anyone sees it. A limit is
never above what the calling process may use itself: each is clamped to the caller's hard limit
(a shell's `ulimit -v`), since a process may lower its limits but not raise them.
"""

from __future__ import annotations

import os
import re
import resource
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, Field


class SandboxLimits(BaseModel):
    """Limits on one compiler run."""

    cpu_seconds: int = Field(default=10, ge=1, description="CPU time the compiler may use.")
    wall_seconds: float = Field(default=20.0, gt=0, description="Wall-clock time before it is killed.")
    memory_mb: int = Field(default=1024, ge=64, description="Address-space limit of the compiler process.")
    output_bytes: int = Field(default=64_000, ge=1024, description="Compiler output kept (the rest is cut).")
    file_mb: int = Field(default=64, ge=1, description="Largest file the compiler may write.")
    max_source_bytes: int = Field(
        default=1 << 20,
        ge=1024,
        description="Largest code a check accepts (UTF-8 bytes); larger code fails as too large, unread.",
    )


@dataclass
class CompilerRun:
    """What one sandboxed compiler run returned."""

    returncode: int
    output: str
    timed_out: bool = False
    truncated: bool = False


def rlimits(limits: SandboxLimits) -> dict[int, tuple[int, int]]:
    """The (soft, hard) resource limits of a compiler run, each clamped to this process's hard limit."""
    wanted = {
        resource.RLIMIT_CPU: (limits.cpu_seconds, limits.cpu_seconds + 1),
        resource.RLIMIT_AS: (limits.memory_mb << 20, limits.memory_mb << 20),
        resource.RLIMIT_FSIZE: (limits.file_mb << 20, limits.file_mb << 20),
        resource.RLIMIT_CORE: (0, 0),
    }
    clamped = {}
    for which, (soft, hard) in wanted.items():
        ceiling = resource.getrlimit(which)[1]
        if ceiling != resource.RLIM_INFINITY:
            hard = min(hard, ceiling)
        clamped[which] = (min(soft, hard), hard)
    return clamped


def _apply(clamped: dict[int, tuple[int, int]]):
    def apply() -> None:  # runs in the child between fork and exec: computed beforehand, nothing to fail
        for which, pair in clamped.items():
            resource.setrlimit(which, pair)

    return apply


@contextmanager
def scratch_dir(prefix: str = "modsmith-check-") -> Iterator[Path]:
    """A fresh private temporary directory, removed afterwards."""
    with tempfile.TemporaryDirectory(prefix=prefix) as name:
        yield Path(name)


def run_compiler(
    argv: list[str], cwd: Path, limits: SandboxLimits, hide: dict[str, str] | None = None
) -> CompilerRun:
    """Run `argv` in `cwd` under `limits`; `hide` maps host paths to the names shown instead.

    A missing compiler raises FileNotFoundError: the caller turns it into a ModsmithError with the
    package to install.
    """
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LC_ALL": "C", "LANG": "C"}
    proc = subprocess.Popen(
        argv,
        cwd=cwd,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        env=env,
        preexec_fn=_apply(rlimits(limits)),
        start_new_session=True,
    )
    timed_out = False
    try:
        raw, _ = proc.communicate(timeout=limits.wall_seconds)
    except subprocess.TimeoutExpired:
        timed_out = True
        os.killpg(proc.pid, 9)
        raw, _ = proc.communicate()
    truncated = len(raw) > limits.output_bytes
    text = raw[: limits.output_bytes].decode("utf-8", errors="replace")
    return CompilerRun(proc.returncode, scrub_paths(text, cwd, hide or {}), timed_out, truncated)


def scrub_paths(text: str, cwd: Path, hide: dict[str, str]) -> str:
    """Replace the scratch dir and every host path in `hide` by neutral names."""
    replacements = {str(cwd) + "/": "", str(cwd): "."} | {k.rstrip("/"): v for k, v in hide.items()}
    for path in sorted(replacements, key=len, reverse=True):
        text = text.replace(path, replacements[path])
    return re.sub(r"/(?:tmp|home|root|usr|var)/[^\s:'\"]*/", "<host>/", text)


def oversize(snippet: str, limits: SandboxLimits) -> int | None:
    """The snippet's size in UTF-8 bytes when it is over `limits.max_source_bytes`, else None
    (counted a piece at a time, so a huge snippet is never copied whole)."""
    limit = limits.max_source_bytes
    if len(snippet) <= limit // 4:
        return None
    if snippet.isascii():
        return len(snippet) if len(snippet) > limit else None
    size = sum(
        len(snippet[i : i + 65536].encode("utf-8", errors="surrogatepass"))
        for i in range(0, len(snippet), 65536)
    )
    return size if size > limit else None
