"""What the profile's compiler said about the names of one C block: the name check's referee.

The name check works from an index; the compile check runs the profile's own compiler. Where
both ran on a block, the name check never contradicts the compiler: a name it would call
invented is kept only when the compiler rejects it too (an undeclared identifier, an unknown
type, no such member; an argument count the compiler refuses), or when it stands in code the
compiler could not reach, and then the report says why: the file could not be compiled (a
missing asset header, a forbidden include, a time limit), the compiler stopped (a fatal error,
too many errors), the line has a syntax error, or the code is in an `#if` branch the profile
does not take. Any other name the compiler accepted, whatever the index says.

Which `#if` branches the compiler skipped is learned, only when a name needs it, from the
profile's preprocessor run on the same translation unit (`reached_lines`).

C# blocks get the same referee from mcs (`csharp_block_verdict`): compiled alone, in their Unity
project or among its scripts, a block's names are accepted unless mcs could not find them; when
the block needs a package the references lack, the names mcs could not find are put down to it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Literal

from modsmith.errors import ModsmithError
from modsmith.ground.c.c_diagnostics import CCompileResult, CDiagnostic
from modsmith.ground.c.c_lexing import Dialect
from modsmith.ground.c.compile_c import (
    MAX_ERRORS,
    compiler_argv,
    file_defines,
    include_roots,
    translation_unit,
)
from modsmith.ground.c.include_policy import clean_source, scan_snippet
from modsmith.ground.c.preprocessed_index import run_preprocessor
from modsmith.ground.c.profiles import CompileProfile
from modsmith.ground.csharp.compile_csharp import CSharpResult
from modsmith.ground.sandbox import SandboxLimits, scratch_dir

Judgement = Literal["accepted", "rejected", "unreached", "package"]

_Q, _E = r"[‘'`\"]", r"[’'\"]"
_ARITY = [
    re.compile(rf"too (?:few|many) arguments to function {_Q}(?P<name>[^’'\"]+){_E}"),
    re.compile(
        r"^macro \"(?P<name>\w+)\" (?:requires \d+ arguments?, but only \d+ given|passed \d+ arguments?)"
    ),
]
_MEMBER = re.compile(rf"request for member {_Q}(?P<name>[^’'\"]+){_E}")
_UNREACHABLE = {
    "too_large": "the code is over the check's size limit",
    "forbidden_include": "the include rules refused the code",
    "timeout": "the compiler was stopped at its time limit",
    "compiler_crash": "the compiler crashed",
}
_DIRECTIVE = re.compile(r"^[ \t]*#[ \t]*(if|ifdef|ifndef|elif|elifdef|elifndef|else|endif)\b([^\n]*)")
_CONDITIONAL = re.compile(r"^[ \t]*(?:#|%:|\?\?=)[ \t]*(?:/\*.*?\*/[ \t]*)?(?:if|elif|else)", re.M)
_PREPROCESS_LIMITS = SandboxLimits(cpu_seconds=30, wall_seconds=60, file_mb=256)
_MARKER = re.compile(r'^# (\d+) "((?:[^"\\]|\\.)*)"')


@dataclass
class BlockVerdict:
    """The compiler's word on the names of one block (lines are the block's own, 1-based).

    `reached_until`: the last line the compiler read (None: all of them), and `stop` why it read
    no further; `rejected`: names it called unknown and members it found on no struct, each with
    its message; `arity`: callees whose argument count it refused; `syntax_lines`: lines with a
    syntax error; `skipped`: a function telling whether a line is in an `#if` branch the profile
    does not take (the branch, or None), asked only when needed.
    """

    reached_until: int | None = None
    stop: str = ""
    rejected: dict[str, str] = field(default_factory=dict)
    arity: dict[str, str] = field(default_factory=dict)
    syntax_lines: set[int] = field(default_factory=set)
    skipped: Callable[[int], str | None] | None = None
    #: C# that needs packages the references lack: the names the compiler could not find may be
    #: theirs (`TextMeshProUGUI` with `using TMPro;`), so none of them is called invented
    needs_package: str = ""
    #: C#: the compiler's word holds for a name on any line (the block may have been compiled
    #: wrapped or among other scripts, so its lines are not the compiled file's)
    any_line: bool = False

    def accepts_all(self, source: str) -> bool:
        """Whether the compiler read every line of `source` (no `#if` it could have skipped) and
        refused no name, argument count or syntax in it: then every name of it is accepted."""
        return (
            self.reached_until is None
            and not self.rejected
            and not self.arity
            and not self.syntax_lines
            and _CONDITIONAL.search(source) is None
        )

    def judge(self, name: str, line: int, *, arity: bool = False) -> tuple[Judgement, str]:
        """Whether the compiler accepted `name` used on `line` (or, with `arity`, its argument
        count there), rejected it, or never read it; and the words for the report."""
        refused = self.arity if arity else self.rejected
        if self.needs_package and name not in refused:
            return "package", f"the code needs {self.needs_package}, which may declare it"
        if self.any_line:
            if name in refused:
                return "rejected", f"the compiler rejects it too: {refused[name]}"
            return "accepted", ""
        if self.reached_until is not None and line > self.reached_until:
            return "unreached", self.stop
        if name in refused:
            return "rejected", f"the compiler rejects it too: {refused[name]}"
        if line in self.syntax_lines:
            return "unreached", f"line {line} has a syntax error, so the compiler could not read it"
        branch = self.skipped(line) if self.skipped is not None else None
        if branch is not None:
            return "unreached", f"in code the compiler skips: {branch}"
        return "accepted", ""


#: C# failures after which mcs has read every name of the code (it stops early on syntax errors)
_CSHARP_READ_ALL = ("invented_name", "wrong_arguments", "type_error", "needs_package")


def csharp_block_verdict(result: CSharpResult) -> BlockVerdict | None:
    """The C# compiler's verdict on a block's names: every name accepted when it compiled; when it
    failed on names or types, the names it could not find rejected and the rest accepted; every
    unknown name put down to the package when it needs one; None when it did not read every name
    (a syntax error, newer C#, a limit)."""
    if result.passed:
        return BlockVerdict(any_line=True)
    if result.failure_class not in _CSHARP_READ_ALL:
        return None
    rejected: dict[str, str] = {}
    for unknown in result.unknown_api:
        place = f"{unknown.on}." if unknown.on else ""
        rejected.setdefault(unknown.name, f"{unknown.code}: {place}{unknown.name} does not exist")
    if result.failure_class == "needs_package":
        return BlockVerdict(needs_package=", ".join(result.packages) or "a package", any_line=True)
    return BlockVerdict(rejected=rejected, any_line=True)


def block_verdict(
    result: CCompileResult,
    file_name: str,
    offset: int = 0,
    lines: int | None = None,
    skipped: Callable[[int], str | None] | None = None,
) -> BlockVerdict:
    """The verdict on a block from its compile result. `file_name` is the name the compiler saw it
    under; the block's line 1 is the compiled file's line `offset + 1` (a function compiled in its
    own file) and it has `lines` lines."""
    verdict = BlockVerdict(skipped=_shifted(skipped, offset) if skipped else None)
    if result.failure_class in _UNREACHABLE or result.limit == "memory":
        reason = _UNREACHABLE.get(result.failure_class or "", "the compiler hit its memory limit")
        verdict.reached_until, verdict.stop = 0, f"the file could not be compiled: {reason}"
        return verdict
    mine = [d for d in result.diagnostics if d.file == file_name and d.line is not None]
    fatal = next((d for d in result.diagnostics if d.severity == "fatal error"), None)
    if fatal is not None:
        line = fatal.line - offset if fatal in mine else 0
        if result.failure_class in ("missing_asset", "missing_header"):
            what = "missing asset header" if result.failure_class == "missing_asset" else "missing header"
            path = fatal.message.split(": No such file", 1)[0]
            verdict.stop = f"the file could not be compiled: {what} {path}"
        elif fatal in mine:
            verdict.stop = f"the compiler stopped at line {line}: {fatal.message}"
        else:
            verdict.stop = f"the compiler stopped in {fatal.file}: {fatal.message}"
        verdict.reached_until = max(0, line)
    errors = [d for d in result.diagnostics if d.severity == "error"]
    if (len(errors) >= MAX_ERRORS or result.truncated) and verdict.reached_until is None:
        last = max((d.line for d in mine if d.severity == "error"), default=offset) - offset
        verdict.reached_until = max(0, last)
        verdict.stop = f"the compiler stopped after {len(errors)} errors, at line {last}"
    for diagnostic in result.diagnostics:
        if diagnostic.severity not in ("error", "warning"):
            continue
        for pattern in _ARITY:
            match = pattern.search(diagnostic.message)
            if match:
                verdict.arity.setdefault(match["name"], _where(diagnostic, offset, file_name))
        match = _MEMBER.search(diagnostic.message)
        if match:
            verdict.rejected.setdefault(match["name"], _where(diagnostic, offset, file_name))
        if diagnostic.kind == "syntax_error" and diagnostic in mine:
            verdict.syntax_lines.add(diagnostic.line - offset)
    for name in result.names:
        verdict.rejected.setdefault(name, _message_of(result, name, offset, file_name))
    for member in result.unknown_members:
        verdict.rejected.setdefault(member.name, _message_of(result, member.name, offset, file_name))
    if lines is not None and verdict.reached_until is not None:
        verdict.reached_until = min(verdict.reached_until, lines)
    return verdict


def _where(diagnostic: CDiagnostic, offset: int, file_name: str) -> str:
    """`line N: message`, N the block's own line (or `FILE:N: ` for a header's message)."""
    if diagnostic.line is None:
        return diagnostic.message
    if diagnostic.file == file_name:
        return f"line {diagnostic.line - offset}: {diagnostic.message}"
    return f"{diagnostic.file}:{diagnostic.line}: {diagnostic.message}"


def _message_of(result: CCompileResult, name: str, offset: int, file_name: str) -> str:
    quoted = re.compile(rf"{_Q}{re.escape(name)}{_E}")
    found = next((d for d in result.diagnostics if quoted.search(d.message)), None)
    return _where(found, offset, file_name) if found is not None else f"{name} is unknown to it"


def _shifted(skipped: Callable[[int], str | None], offset: int) -> Callable[[int], str | None]:
    return (lambda line: skipped(line + offset)) if offset else skipped


# --- which #if branches the compiler skipped -----------------------------------------------------


def skipped_branches(source: str, reached: frozenset[int] | None) -> Callable[[int], str | None]:
    """A function telling, for a line of `source`, the `#if` branch around it that produced no
    tokens in the preprocessed text (`reached`: the lines of `source` that did), or None."""
    groups = conditional_groups(source)

    def branch(line: int) -> str | None:
        if reached is None:
            return None
        inner = [g for g in groups if g[0] < line < g[1]]
        if not inner:
            return None
        start, end, text = max(inner, key=lambda g: g[0])
        if any(start < other < end for other in reached):
            return None
        return f"the `{text}` branch at line {start}"

    return branch


def conditional_groups(source: str) -> list[tuple[int, int, str]]:
    """(directive line, line of the next directive of the same conditional, directive text) of
    each branch of each `#if`/`#ifdef`/`#ifndef` ... `#elif`/`#else` ... `#endif` of `source`."""
    groups: list[tuple[int, int, str]] = []
    stack: list[tuple[int, str]] = []
    for number, line in enumerate(source.split("\n"), start=1):
        match = _DIRECTIVE.match(line)
        if match is None:
            continue
        keyword = match.group(1)
        text = f"#{keyword}{match.group(2).split('//', 1)[0].split('/*', 1)[0].rstrip()}"
        if keyword in ("if", "ifdef", "ifndef"):
            stack.append((number, text))
        elif stack:
            start, opened = stack.pop()
            groups.append((start, number, opened))
            if keyword != "endif":
                stack.append((number, text))
    return groups


def reached_lines(
    snippet: str, repo: Path, profile: CompileProfile, file_name: str = "snippet.c"
) -> frozenset[int] | None:
    """The lines of `snippet` that give the profile's preprocessor any tokens, compiled as the
    compile check compiles it (its prelude and wrapper, its directory for `"..."` includes); None
    when that cannot be learned (the include rules refuse it, the preprocessor fails). The
    profile's `file_defines` for `file_name` apply, as in the compile check."""
    source = clean_source(snippet)
    rel = PurePosixPath(file_name)
    repo = Path(repo).resolve()
    quote_dir = (
        repo / rel.parent if rel.parent != PurePosixPath(".") and (repo / rel.parent).is_dir() else None
    )
    with scratch_dir("modsmith-reached-") as work:
        (work / rel).parent.mkdir(parents=True, exist_ok=True)
        roots = include_roots(repo, profile, (work / rel).parent, quote_dir)
        scan = scan_snippet(source, roots, Dialect.of(profile.std))
        if scan.violations:
            return None
        unit = translation_unit(source, scan, profile, roots, rel.as_posix())
        (work / rel).write_text(unit.text, encoding="utf-8", errors="replace")
        extra = file_defines(profile, rel.as_posix())
        argv = compiler_argv(profile.compiler_path(), profile, repo, quote_dir=quote_dir, extra_defines=extra)
        output = work / "modsmith_reached.i"
        try:
            run_preprocessor([*argv, "-E", rel.as_posix()], work, output, _PREPROCESS_LIMITS)
        except ModsmithError:
            return None
        data = output.read_bytes()
    reached: set[int] = set()
    current, number = None, 0
    name = rel.as_posix()
    for line in data.decode("utf-8", errors="replace").split("\n"):
        marker = _MARKER.match(line)
        if marker is not None:
            current, number = marker.group(2), int(marker.group(1))
            continue
        if current == name and line.strip():
            reached.add(number)
        number += 1
    return frozenset(reached)
