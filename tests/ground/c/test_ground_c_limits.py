"""The C check's own limits: the size of code it accepts, the include scan's memory, the sandbox's
resource limits under a caller's lowered hard limits, and a crashing compiler."""

from __future__ import annotations

import json
import resource
import shutil
import signal
import stat
import subprocess
import sys
import tracemalloc
from pathlib import Path

import pytest

from modsmith.ground.c.c_check_pool import CCheckPool
from modsmith.ground.c.c_lexing import Dialect
from modsmith.ground.c.compile_c import c_compile_check
from modsmith.ground.c.include_policy import IncludeRoots, clean_source, scan_snippet
from modsmith.ground.c.profiles import PROFILE_DIR, load_profile
from modsmith.ground.sandbox import SandboxLimits

pytestmark = pytest.mark.skipif(shutil.which("gcc") is None, reason="needs gcc")

FN = "void EnTest_Limits(Actor* thisx, PlayState* play) { thisx->speed = 1.0f; }\n"
LIMITS = SandboxLimits(cpu_seconds=5, wall_seconds=20)


def profile_with_compiler(tmp_path: Path, script: str | None = None):
    """The oot profile; with `script`, its compiler is that shell script (which logs every run)."""
    if script is None:
        return load_profile("oot-gc-eu-mq-dbg")
    compiler = tmp_path / "bin" / "fake-gcc"
    compiler.parent.mkdir(exist_ok=True)
    compiler.write_text(f'#!/bin/sh\necho run >> "{tmp_path / "runs.log"}"\n{script}\n')
    compiler.chmod(compiler.stat().st_mode | stat.S_IXUSR)
    text = (
        (PROFILE_DIR / "oot-gc-eu-mq-dbg.yaml").read_text().replace("compiler: gcc", f"compiler: {compiler}")
    )
    (tmp_path / "fake.yaml").write_text(text.replace("name: oot-gc-eu-mq-dbg", "name: fake"))
    return load_profile(tmp_path / "fake.yaml")


# --- size --------------------------------------------------------------------------------------------


def test_code_over_the_size_limit_is_too_large_and_unread(decomp_repo, tmp_path):
    repo = decomp_repo[0]
    logging = profile_with_compiler(tmp_path, f'exec {shutil.which("gcc")} "$@"')
    big = FN + "/* padding */\n" * (SandboxLimits().max_source_bytes // 14)
    result = c_compile_check(big, repo, logging, limits=LIMITS)
    assert result.failure_class == "too_large" and not result.passed
    assert "max_source_bytes" in result.detail and str(len(big)) in result.detail
    assert not (tmp_path / "runs.log").exists()
    assert c_compile_check(FN, repo, logging, limits=LIMITS).passed


def test_the_size_limit_is_configurable_and_counts_utf8_bytes(decomp_repo):
    repo, profile = decomp_repo[0], load_profile("oot-gc-eu-mq-dbg")
    small = LIMITS.model_copy(update={"max_source_bytes": 2048})
    assert c_compile_check(FN, repo, profile, limits=small).passed
    padded = FN + "/* " + "x" * 2000 + " */\n"
    assert c_compile_check(padded, repo, profile, limits=small).failure_class == "too_large"
    accented = FN + "/* " + "\u00e9" * 1000 + " */\n"  # about 1100 characters, 2100 bytes
    assert len(accented) < 2048 < len(accented.encode())
    assert c_compile_check(accented, repo, profile, limits=small).failure_class == "too_large"


def test_the_pool_says_too_large_too(decomp_repo, tmp_path, monkeypatch):
    monkeypatch.setenv("MODSMITH_CACHE", str(tmp_path / "cache"))
    repo, profile = decomp_repo[0], load_profile("oot-gc-eu-mq-dbg")
    pool = CCheckPool(repo, profile, workers=2, limits=LIMITS.model_copy(update={"max_source_bytes": 4096}))
    big = FN + "int gPad[] = {" + "1," * 3000 + "};\n"
    results = list(pool.check_many([big, FN, big]))
    assert [r.failure_class for r in results] == ["too_large", None, "too_large"]


# --- memory ------------------------------------------------------------------------------------------

SHAPES = {
    "names-on-one-line": "a " * 500_000,
    "lines": "a\n" * 500_000,
    "splices": "a\\\n" * 330_000,
    "comments": "/**/" * 250_000,
    "punctuation": "+" * 1_000_000,
    "refused-pieces": "_Pra " * 200_000,
    "includes": '#include "global.h"\n' * 50_000,
    "trigraphs": "??=a " * 200_000,
    "directive-line": "#define X " + "a " * 500_000,
    "strings": '"" ' * 330_000,
}


@pytest.mark.parametrize("text", SHAPES.values(), ids=SHAPES.keys())
def test_the_include_scan_keeps_its_memory_flat(text, decomp_repo):
    """A megabyte of any shape costs a few megabytes at most, not a token list (~100 bytes a token)."""
    repo = decomp_repo[0]
    roots = IncludeRoots(repo=repo, include_dirs=(repo / "include",))
    assert 900_000 < len(text) < 1_100_000
    tracemalloc.start()
    try:
        scan = scan_snippet(clean_source(text), roots, Dialect())
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 4 * len(text), f"{peak / 1e6:.1f} MB for {len(text) / 1e6:.1f} MB of source"
    assert len(scan.violations) <= 50 and len(scan.includes) <= 256


# --- the caller's hard limits ------------------------------------------------------------------------

CHILD = """
import json, sys
from pathlib import Path
from modsmith.ground.c.compile_c import c_compile_check
from modsmith.ground.c.profiles import load_profile
from modsmith.ground.sandbox import SandboxLimits
result = c_compile_check(sys.argv[3], Path(sys.argv[2]), load_profile(sys.argv[1]), limits=SandboxLimits())
print(json.dumps({"passed": result.passed, "detail": result.detail}))
"""
REPORTING_GCC = """#!{python}
import json, os, resource, sys
names = ("RLIMIT_AS", "RLIMIT_CPU", "RLIMIT_FSIZE", "RLIMIT_CORE")
with open({report!r}, "w") as out:
    json.dump({{n: resource.getrlimit(getattr(resource, n)) for n in names}}, out)
os.execv({gcc!r}, [{gcc!r}, *sys.argv[1:]])
"""


def test_checks_run_under_lower_hard_limits_than_the_sandbox_asks_for(decomp_repo, tmp_path):
    """As under `ulimit -Hv`: the sandbox may lower limits, never raise them, so it clamps them."""
    memory, cpu, fsize = 900 << 20, 9, 32 << 20  # below the defaults' 1024 MB, 10(+1) s, 64 MB
    report = tmp_path / "limits.json"
    compiler = tmp_path / "reporting-gcc"
    compiler.write_text(
        REPORTING_GCC.format(python=sys.executable, report=str(report), gcc=shutil.which("gcc"))
    )
    compiler.chmod(compiler.stat().st_mode | stat.S_IXUSR)
    text = (
        (PROFILE_DIR / "oot-gc-eu-mq-dbg.yaml").read_text().replace("compiler: gcc", f"compiler: {compiler}")
    )
    (tmp_path / "reporting.yaml").write_text(text)

    def lower() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu))
        resource.setrlimit(resource.RLIMIT_FSIZE, (fsize, fsize))

    child = subprocess.run(
        [sys.executable, "-c", CHILD, str(tmp_path / "reporting.yaml"), str(decomp_repo[0]), FN],
        capture_output=True,
        text=True,
        timeout=300,
        preexec_fn=lower,
    )
    assert child.returncode == 0 and "Traceback" not in child.stderr, child.stderr[-2000:]
    assert json.loads(child.stdout)["passed"], child.stdout
    applied = json.loads(report.read_text())
    assert applied == {
        "RLIMIT_AS": [memory, memory],
        "RLIMIT_CPU": [cpu, cpu],
        "RLIMIT_FSIZE": [fsize, fsize],
        "RLIMIT_CORE": [0, 0],
    }


# --- a crashing compiler -----------------------------------------------------------------------------

ICE = "internal compiler error: Segmentation fault signal terminated program cc1"
CRASHES = {
    "ice-text": f'echo "gcc: {ICE}" >&2\necho "Please submit a full bug report." >&2\nexit 4',
    "ice-in-cc1": 'echo "snippet.c:1:1: internal compiler error: in expand_expr, at expr.cc:1" >&2\nexit 4',
    "ice-exit-status": "exit 4",
    "segv": "kill -SEGV $$",
    "abort": "kill -ABRT $$",
    "killed-cc1": 'echo "gcc: fatal error: Killed signal terminated program cc1" >&2\nexit 1',
}


@pytest.mark.parametrize("script", CRASHES.values(), ids=CRASHES.keys())
def test_a_crashing_compiler_is_a_crash_not_a_timeout(script, decomp_repo, tmp_path):
    result = c_compile_check(FN, decomp_repo[0], profile_with_compiler(tmp_path, script), limits=LIMITS)
    assert result.failure_class == "compiler_crash", (result.failure_class, result.detail)
    assert result.detail.startswith("the compiler crashed") and result.limit is None and not result.timed_out


def test_the_cpu_limit_is_still_a_timeout(decomp_repo, tmp_path):
    cpu = "gcc: internal compiler error: CPU time limit exceeded signal terminated program cc1"
    scripted = c_compile_check(
        FN, decomp_repo[0], profile_with_compiler(tmp_path, f'echo "{cpu}" >&2\nexit 4'), limits=LIMITS
    )
    assert scripted.failure_class == "timeout" and scripted.limit == "cpu"
    driver = c_compile_check(
        FN,
        decomp_repo[0],
        profile_with_compiler(tmp_path, f"kill -{signal.SIGXCPU.name[3:]} $$"),
        limits=LIMITS,
    )
    assert driver.failure_class == "timeout" and driver.limit == "cpu"


def test_a_snippet_cannot_fake_a_crash(decomp_repo):
    result = c_compile_check(
        "#error internal compiler error: Segmentation fault\n" + FN,
        decomp_repo[0],
        load_profile("oot-gc-eu-mq-dbg"),
        limits=LIMITS,
    )
    assert result.failure_class == "other" and "#error" in result.detail
