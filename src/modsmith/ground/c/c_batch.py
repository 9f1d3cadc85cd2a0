"""Several C snippets in one compiler run, with each result identical to checking it alone.

Starting the compiler and loading the precompiled header cost far more than parsing one snippet,
so the pool puts independent snippets into one translation unit: the shared prelude once, then each
snippet behind `#line 1 "snipNNN.c"` (a name as long as `snippet.c`, so `__FILE__` has the same
size), each followed by a sentinel, a `static` function definition that is an error anywhere but at
file scope. The compiler's messages are split by file name, renamed back, and classified exactly as
a lone check's. Which snippets may share a run is `c_batch_members`'s business.

After the run, a snippet is checked alone instead when: the run timed out, was cut short or ended
early; a message cannot be attributed to one snippet; the snippet reached the error limit; it uses
a name the compiler called unknown in an earlier snippet; or gcc's "did you mean" names something
an earlier snippet declared or used unknown (a lone check could not have seen it). A snippet whose
sentinel fails (it left the parser inside a body or a declaration) is checked alone and the rest of
the batch runs again without it.
"""

from __future__ import annotations

import re
from pathlib import Path

from modsmith.ground.c.c_batch_members import SOLO_NAME, BatchItem
from modsmith.ground.c.c_diagnostics import DIAGNOSTIC_LINE, PRELUDE, CCompileResult, interpret
from modsmith.ground.c.compile_c import MAX_ERRORS, compiler_argv, hidden_paths
from modsmith.ground.c.profiles import CompileProfile
from modsmith.ground.sandbox import CompilerRun, SandboxLimits, run_compiler, scratch_dir

SENTINEL = "<sentinel>"
WERROR_LINE = "cc1: some warnings being treated as errors"
_SUGGESTION = re.compile(r"did you mean [‘'](?:struct |union |enum )?([^’']+)[’']")
_SENTINEL_AT = re.compile(rf"^{SENTINEL} (\d+):", re.M)
_CONTEXT = re.compile(r"^(?P<file>[^\n:]+): (?:In function|At top level)")


def check_batch(
    items: list[BatchItem],
    repo: Path,
    profile: CompileProfile,
    *,
    compiler: str,
    pch: Path | None,
    pch_headers: tuple[str, ...],
    limits: SandboxLimits,
) -> tuple[list[CCompileResult | None], int]:
    """Results for `items` and the number of compiler runs it took; None where a snippet must be
    checked alone. A snippet that leaves the parser in a bad state (its sentinel fails) is set
    aside and the others are run again without it."""
    results: list[CCompileResult | None] = [None] * len(items)
    pending = list(range(len(items)))
    runs = 0
    while len(pending) > 1:
        runs += 1
        outcome = _run_batch([items[i] for i in pending], repo, profile, compiler, pch, pch_headers, limits)
        if isinstance(outcome, int):  # the snippet at this position broke the run
            del pending[outcome]
            continue
        for position, result in zip(pending, outcome, strict=True):
            results[position] = result
        break
    return results, runs


def _run_batch(
    items: list[BatchItem],
    repo: Path,
    profile: CompileProfile,
    compiler: str,
    pch: Path | None,
    pch_headers: tuple[str, ...],
    limits: SandboxLimits,
) -> list[CCompileResult | None] | int:
    """One compiler run: per-item results, or the position of the item whose sentinel failed."""
    names = [f"snip{i:03d}.c" for i in range(len(items))]
    prelude = "".join(f'#include "{h}"\n' for h in items[0].unit.standard_includes)
    parts = [f'#line 1 "{PRELUDE}"\n{prelude}\n']
    for i, (item, name) in enumerate(zip(items, names, strict=True)):
        parts.append(f'#line 1 "{name}"\n{item.source}\n\n')
        if item.clean:
            parts.append(
                f'#line 1 "{SENTINEL} {i}"\n'
                f"__attribute__((unused)) static int modsmith_sentinel_{i}(void) {{ return 0; }}\n"
            )
    use_pch = bool(pch_headers) and tuple(items[0].unit.leading_includes[: len(pch_headers)]) == pch_headers
    argv = [
        a if not a.startswith("-fmax-errors=") else f"-fmax-errors={MAX_ERRORS * len(items) + 1}"
        for a in compiler_argv(compiler, profile, repo, pch=pch if use_pch else None)
    ]
    hide = hidden_paths(repo, pch, profile)
    with scratch_dir("modsmith-batch-") as work:
        (work / "batch.c").write_text("".join(parts), encoding="utf-8", errors="replace")
        run = run_compiler([*argv, "batch.c"], work, limits, hide)
    owned = _split(run, names)
    if owned is None:
        return [None] * len(items)
    if isinstance(owned, int):
        return owned
    results: list[CCompileResult | None] = []
    visible_before: set[str] = set()  # file-scope names earlier snippets declared, or made by implicit use
    for item, lines in zip(items, owned, strict=True):
        errors = sum(
            1 for line in lines if (m := DIAGNOSTIC_LINE.match(line)) and m["sev"] in ("error", "fatal error")
        )
        if any("[-Werror=" in line for line in lines):
            lines = [*lines, WERROR_LINE]
        solo = CompilerRun(returncode=1 if errors else 0, output="\n".join(lines))
        result = interpret(solo, item.unit, profile, repo, SOLO_NAME, pch_used=use_pch)
        suggested = {m[1] for line in lines for m in _SUGGESTION.finditer(line)}
        trusted = (
            errors < MAX_ERRORS and not (item.idents & visible_before) and not (suggested & visible_before)
        )
        results.append(result if trusted else None)
        visible_before.update(result.names, item.declared)
    return results


def _split(run: CompilerRun, names: list[str]) -> list[list[str]] | int | None:
    """Each snippet's output lines, renamed to the lone check's file name; the position of the first
    failed sentinel, if one failed; None if the output cannot be attributed."""
    if run.timed_out or run.truncated or run.returncode < 0 or "compilation terminated" in run.output:
        return None
    index = {name: i for i, name in enumerate(names)}
    owned: list[list[str]] = [[] for _ in names]
    broken = [int(m[1]) for m in _SENTINEL_AT.finditer(run.output)]
    if broken:
        return min(broken)
    current: int | None = None
    dropping = False
    for line in run.output.split("\n"):
        if not line.strip() or line == WERROR_LINE or line.startswith(("In file included from ", " ")):
            continue
        m = DIAGNOSTIC_LINE.match(line) or _CONTEXT.match(line)
        if m is None:
            return None
        file = m["file"]
        severity = m.groupdict().get("sev")
        if file in index:
            current, dropping = index[file], False
            owned[current].append(SOLO_NAME + line[len(file) :])
        elif severity == "note" and (dropping or current is not None):
            if not dropping:
                owned[current].append(line)
        elif severity == "warning" and m.groupdict().get("line"):
            dropping = True  # a warning inside a header: a lone check leaves it out too
        else:
            return None
    return owned
