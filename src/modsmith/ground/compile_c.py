"""Compile check for generated C: does a snippet get through the decomp's own syntax check?

A snippet larger than the limits' `max_source_bytes` fails as `too_large` before anything reads
it. The snippet is then checked by `include_policy`, in the dialect of the profile's `-std`; a
forbidden form fails the check as `forbidden_include` and no compiler runs. Otherwise it is
written to a fresh scratch directory, wrapped when it is a fragment, and given to the profile's
compiler with `-fsyntax-only -nostdinc`, the profile's flags and only the profile's include roots
(absolute `-I` of repo directories), inside `run_compiler`'s limits. Nothing is assembled, linked
or run.

Wrapping: a snippet with no `#include` gets the profile's `standard_includes` (those present under
the include roots) in a prelude; if it also has statements at the top level and no function
definition (tree-sitter C decides), the statements go into the profile's `statement_wrapper`.
`#line` directives keep every reported line the snippet's own.

A failure is classed by the first rule that matches:

1. `too_large` / `forbidden_include`: the snippet is over the size limit, or the scan found a
   violation (the compiler never ran).
2. `timeout`: the compiler was stopped by the wall-clock or CPU limit; `other` when it ran out of
   memory (the limit), whatever it had said before; `compiler_crash` when it crashed (an internal
   compiler error, or killed by a signal that is not one of the limits').
3. `missing_asset` / `missing_header`: gcc stopped at `fatal error: X: No such file or
   directory`. It is an asset header when X matches the profile's `generated_dirs` (a glob such as
   `assets/*`, or a path under a listed directory) and none of the listed directories exists yet:
   the decomp's `make setup` has not extracted the assets, which is not the snippet's fault.
4. The first error, in the compiler's order, that names a known class (the vocabulary of
   `failure_classes`, shared with C#): `invented_name` (implicit declaration of a function,
   undeclared identifier, unknown type name, no such member), `wrong_arguments` (wrong argument
   count of a function or of a function-like macro, an argument of the wrong type), `type_error`
   (incompatible types or pointers, conflicting types, and the like) or `syntax_error` (expected
   ..., stray characters, unterminated literals or conditionals). The first error is the likeliest
   cause of those after it: a call of a function-like macro with the wrong arity is
   `wrong_arguments`, and the "undeclared" error gcc adds for that macro's name is not counted as
   an unknown name.
5. `other`: any other error (`#error`, arrays too large, the memory limit).

`names` lists every identifier the compiler called unknown (warnings included, so a profile
without `-Werror=implicit-function-declaration` still reports them); `unknown_members` the members
it could not find. Warnings located in headers are left out of the diagnostics and the output, as
are include-chain lines: with a precompiled header they would not be printed, and a result must not
depend on whether one was used. A diagnostic located in a file outside the repository (which the
include rules prevent) is never shown, only that one was removed.
"""

from __future__ import annotations

import fnmatch
import functools
import os
import re
import signal
import time
from pathlib import Path, PurePosixPath
from typing import Literal

import tree_sitter_c
from pydantic import BaseModel, Field
from tree_sitter import Language, Parser

from modsmith.errors import ModsmithError
from modsmith.ground.include_policy import (
    Dialect,
    IncludeRoots,
    IncludeViolation,
    SnippetScan,
    clean_source,
    scan_snippet,
)
from modsmith.ground.profiles import CompileProfile
from modsmith.ground.sandbox import CompilerRun, SandboxLimits, oversize, run_compiler, scratch_dir

CFailureClass = Literal[  # the C part of `failure_classes.FailureClass`
    "invented_name",
    "wrong_arguments",
    "type_error",
    "syntax_error",
    "missing_asset",
    "missing_header",
    "forbidden_include",
    "too_large",
    "timeout",
    "compiler_crash",
    "other",
]
NOTE = "a syntax check proves names and types, not linking or behaviour"
ASSET_MESSAGE = "needs extracted assets: run `make setup` in the decomp"
PRELUDE = "<prelude>"
OUTPUT_LINES = 40
MAX_ERRORS = 20

DIAGNOSTIC_LINE = re.compile(
    r"^(?P<file>[^\n]*?):(?P<line>\d+):(?:(?P<col>\d+):)? "
    r"(?P<sev>fatal error|error|warning|note): (?P<msg>.*)$"
)
_TOOL_DIAGNOSTIC = re.compile(
    r"^(?P<file>[\w.+<>-]+(?: [\w-]+)?): (?P<sev>fatal error|error|warning|note): (?P<msg>.*)$"
)
_CONTEXT_LINE = re.compile(r"^[^\n:]+: (?:In function|In member function|At top level|In )[^\n]*:$")
_ONCE_NOTE = "each undeclared identifier is reported only once"
_INCLUDE_CHAIN = re.compile(r"^(?:In file included from |\s+from )")
_MISSING = re.compile(r"^(?P<path>.+?): No such file or directory$")
_Q, _E = r"[‘'`\"]", r"[’'\"]"
_UNKNOWN_NAME = [
    re.compile(rf"implicit declaration of function {_Q}(?P<name>[^’'\"]+){_E}"),
    re.compile(rf"^{_Q}(?P<name>[^’'\"]+){_E} undeclared"),
    re.compile(rf"unknown type name {_Q}(?P<name>[^’'\"]+){_E}"),
    re.compile(rf"use of undeclared identifier {_Q}(?P<name>[^’'\"]+){_E}"),
    re.compile(rf"call to undeclared function {_Q}(?P<name>[^’'\"]+){_E}"),
]
_UNKNOWN_MEMBER = [
    re.compile(
        rf"^{_Q}(?P<on>[^’'\"]+){_E}(?: {{aka [^}}]*}})? has no member named {_Q}(?P<name>[^’'\"]+){_E}"
    ),
    re.compile(rf"no member named {_Q}(?P<name>[^’'\"]+){_E} in {_Q}(?P<on>[^’'\"]+){_E}"),
]
_MACRO_ARITY = re.compile(
    r"^macro \"(?P<name>\w+)\" "
    r"(?:requires \d+ arguments?, but only \d+ given|passed \d+ arguments?, but takes)"
    r"|too (?:few|many) arguments provided to function-like macro"
)
_WRONG_ARGUMENTS = re.compile(
    r"too (?:few|many) arguments|(?:passing|incompatible type for) argument \d+ of "
)
_TYPE_ERROR = re.compile(
    r"request for member|incompatible|"
    r"makes (?:pointer|integer) from|without a cast|invalid operands|invalid type argument|conflicting types|"
    r"lvalue required|read-only|is not a function|called object|subscripted value|incomplete type|"
    r"undefined type|storage size of|invalid initializer|void value not ignored|invalid use of|"
    r"wrong type argument|used (?:struct|union|array) type value|aggregate value used|cannot convert|"
    r"redefinition of|redeclared|declared as function returning|invalid application of|is a pointer; did you"
)
_SYNTAX_ERROR = re.compile(
    r"^expected |stray |missing terminating|unterminated|invalid preprocessing directive|without #if|"
    r"#else after #else|unbalanced|empty character constant|invalid suffix|without a previous|"
    r"at end of input|#include expects|#include nested depth|extra tokens|missing '\)'|syntax error"
)
# Only the compiler's own lines count ("cc1: out of memory ...", "gcc: fatal error: Killed signal ..."):
# a snippet can print anything in its own diagnostics (`#error CPU time limit exceeded`).
_LIMIT_MESSAGES = [
    (
        "cpu",
        re.compile(r"^[\w.+-]+: .*CPU time limit exceeded", re.M),  # SIGXCPU, from the CPU limit
    ),
    (
        "memory",
        re.compile(r"^(?:[\w.+-]+: .*)?(?:out of memory|memory exhausted|[Cc]annot allocate memory)", re.M),
    ),
]
# A crash, in the compiler's own lines (a snippet's `#error` text always follows "error: "): the driver's
# "internal compiler error: Segmentation fault signal terminated program cc1" or "fatal error: Killed
# signal terminated program cc1", cc1's "snippet.c:3:1: internal compiler error: in ...", clang's own.
_CRASH = re.compile(
    r"^(?:(?:[\w.+-]+:|[^\n:]+:\d+:(?:\d+:)?) internal compiler error: (?P<ice>.*)"
    r"|[\w.+-]+: fatal error: (?P<killed>\w[\w ]*) signal terminated program.*"
    r"|clang[\w.+-]*: error: (?P<clang>unable to execute command: .*|clang frontend command failed .*))$",
    re.M,
)
ICE_EXIT_STATUS = 4  # gcc's exit status after an internal compiler error
_SIGNALS = {s.value for s in signal.Signals}


class CDiagnostic(BaseModel):
    """One compiler message. `line` is the snippet's own line when `file` is the snippet; for a
    header it is the header's line; None where no line applies (the prelude, the compiler itself)."""

    file: str
    line: int | None = None
    column: int | None = None
    severity: Literal["fatal error", "error", "warning", "note"]
    message: str
    kind: CFailureClass | Literal["warning", "note"]


class UnknownMember(BaseModel):
    """A member the compiler could not find on a type."""

    name: str
    on: str


class CCompileResult(BaseModel):
    """What the C compile check found."""

    passed: bool
    failure_class: CFailureClass | None = None
    detail: str = Field(default="", description="One line saying why it failed.")
    diagnostics: list[CDiagnostic] = Field(default_factory=list)
    compiler_output: str = ""
    names: list[str] = Field(default_factory=list, description="Identifiers the compiler called unknown.")
    unknown_members: list[UnknownMember] = Field(default_factory=list)
    violations: list[IncludeViolation] = Field(default_factory=list)
    wrapped: bool = False
    wrapping: Literal["none", "includes", "function"] = "none"
    standard_includes: list[str] = Field(default_factory=list, description="Headers the prelude added.")
    pch_used: bool = False
    timed_out: bool = False
    limit: Literal["wall", "cpu", "memory"] | None = None
    truncated: bool = False
    note: str = NOTE


class TranslationUnit(BaseModel):
    """The file the compiler gets for a snippet."""

    text: str
    wrapping: Literal["none", "includes", "function"]
    standard_includes: list[str]
    snippet_lines: int
    leading_includes: list[str]


def c_compile_check(
    snippet: str,
    repo: Path,
    profile: CompileProfile,
    *,
    limits: SandboxLimits | None = None,
    file_name: str = "snippet.c",
    pch: Path | None = None,
) -> CCompileResult:
    """Syntax-check `snippet` against the code base at `repo` with `profile`.

    `file_name` is where the snippet claims to live; when it is a path of a directory that exists
    under the include roots (`src/overlays/actors/ovl_En_Foo/z_en_foo.c`), that directory is
    searched for `"..."` includes as the real file's would be. `pch` is a precompiled header from
    `c_check_pool.build_pch`; it is used only where the snippet starts with its headers.
    """
    compiler = profile.compiler_path()
    repo = Path(repo).resolve()
    if not repo.is_dir():
        raise ModsmithError("repository not found", where=str(repo))
    limits = limits or SandboxLimits()
    rel = _relative_name(file_name)
    size = oversize(snippet, limits)
    if size is not None:
        return too_large(size, limits)
    source = clean_source(snippet)
    with scratch_dir() as work:
        work = work.resolve()
        (work / rel).parent.mkdir(parents=True, exist_ok=True)
        quote_dir = _repo_dir_of(repo, profile, rel)
        roots = include_roots(repo, profile, (work / rel).parent, quote_dir)
        scan = scan_snippet(source, roots, Dialect.of(profile.std))
        if scan.violations:
            return _forbidden(scan)
        unit = translation_unit(source, scan, profile, roots, rel.as_posix(), limits.wall_seconds)
        (work / rel).write_text(unit.text, encoding="utf-8", errors="replace")
        pch_headers = precompiled_headers(pch) if pch else ()
        use_pch = bool(pch_headers) and _starts_with(unit, pch_headers)
        argv = compiler_argv(compiler, profile, repo, quote_dir=quote_dir, pch=pch if use_pch else None)
        run = run_compiler([*argv, rel.as_posix()], work, limits, hidden_paths(repo, pch, profile))
    return interpret(run, unit, profile, repo, rel.as_posix(), pch_used=use_pch)


def include_roots(
    repo: Path, profile: CompileProfile, snippet_dir: Path, quote_dir: Path | None
) -> IncludeRoots:
    """The guard's view of the search path (real paths, existing directories only)."""
    dirs = tuple(Path(os.path.realpath(d)) for d in profile.search_dirs(repo))
    quotes = (Path(os.path.realpath(snippet_dir)),) + (
        (Path(os.path.realpath(quote_dir)),) if quote_dir else ()
    )
    return IncludeRoots(repo=Path(os.path.realpath(repo)), include_dirs=dirs, quote_dirs=quotes)


def compiler_argv(
    compiler: str,
    profile: CompileProfile,
    repo: Path,
    *,
    quote_dir: Path | None = None,
    pch: Path | None = None,
) -> list[str]:
    """The compiler command for a check, without the input file."""
    argv = [compiler, *profile.flags]
    for required in ("-nostdinc", "-fsyntax-only"):
        if required not in argv:
            argv.append(required)
    argv.append(f"-std={profile.std}")
    argv += [f"-D{define}" for define in profile.defines]
    if quote_dir is not None:
        argv.append(f"-iquote{quote_dir}")
    argv += [f"-I{d}" for d in profile.search_dirs(repo)]
    if profile.is_clang():
        argv += [
            f"-ferror-limit={MAX_ERRORS}",
            "-fno-caret-diagnostics",
            "-fno-color-diagnostics",
            "-fmacro-backtrace-limit=1",
        ]
    else:
        argv += [
            f"-fmax-errors={MAX_ERRORS}",
            "-ftrack-macro-expansion=0",
            "-fno-diagnostics-show-caret",
            "-fdiagnostics-color=never",
        ]
    if pch is not None:
        argv += ["-include", str(pch)]
    return argv


def translation_unit(
    source: str,
    scan: SnippetScan,
    profile: CompileProfile,
    roots: IncludeRoots,
    name: str,
    seconds: float = 20.0,
) -> TranslationUnit:
    """Wrap a fragment: a prelude of standard includes, and bare statements in the statement wrapper."""
    lines = source.count("\n") + (0 if source.endswith("\n") or not source else 1)
    if scan.includes:
        return TranslationUnit(
            text=source,
            wrapping="none",
            standard_includes=[],
            snippet_lines=lines,
            leading_includes=scan.leading_includes,
        )
    present = [h for h in profile.standard_includes if _found(h, roots)]
    statements = _only_statements(source, seconds)
    if not present and not statements:
        return TranslationUnit(
            text=source, wrapping="none", standard_includes=[], snippet_lines=lines, leading_includes=[]
        )
    head, tail = profile.statement_wrapper.split("{body}") if statements else ("", "")
    prelude = "".join(f'#include "{h}"\n' for h in present) + head
    text = f'#line 1 "{PRELUDE}"\n{prelude}\n#line 1 "{name}"\n{source}\n{tail}\n'
    return TranslationUnit(
        text=text,
        wrapping="function" if statements else "includes",
        standard_includes=present,
        snippet_lines=lines,
        leading_includes=present,
    )


def interpret(
    run: CompilerRun,
    unit: TranslationUnit,
    profile: CompileProfile,
    repo: Path,
    name: str,
    *,
    pch_used: bool = False,
) -> CCompileResult:
    """Turn a compiler run into a classified result."""
    diagnostics, output = _diagnostics(run.output, unit, name)
    result = CCompileResult(
        passed=False,
        diagnostics=diagnostics,
        compiler_output="\n".join(output[:OUTPUT_LINES]),
        wrapped=unit.wrapping != "none",
        wrapping=unit.wrapping,
        standard_includes=unit.standard_includes,
        pch_used=pch_used,
        timed_out=run.timed_out,
        truncated=run.truncated or len(output) > OUTPUT_LINES,
    )
    arity_names = {m["name"] for d in diagnostics if (m := _MACRO_ARITY.search(d.message)) and m["name"]}
    for diag in diagnostics:
        for pattern in _UNKNOWN_NAME:
            m = pattern.search(diag.message)
            if m and m["name"] not in arity_names and m["name"] not in result.names:
                result.names.append(m["name"])
        for pattern in _UNKNOWN_MEMBER:
            m = pattern.search(diag.message)
            member = UnknownMember(name=m["name"], on=m["on"]) if m else None
            if member and member not in result.unknown_members:
                result.unknown_members.append(member)
    errors = [d for d in diagnostics if d.severity in ("error", "fatal error")]
    result.limit = _limit(run)
    if result.limit in ("wall", "cpu"):
        result.failure_class, result.detail = (
            "timeout",
            f"the compiler was stopped at the {result.limit} time limit",
        )
        return result
    if result.limit == "memory":  # what it said before running out proves little
        result.failure_class, result.detail = "other", "the compiler hit the memory limit"
        return result
    crash = _crash(run)
    if crash is not None:
        result.failure_class, result.detail = "compiler_crash", f"the compiler crashed ({crash})"
        return result
    if run.returncode == 0 and not errors:
        result.passed = True
        return result
    missing = next(
        (m["path"] for d in errors if d.severity == "fatal error" and (m := _MISSING.match(d.message))), None
    )
    if missing is not None:
        if _is_generated(missing, profile) and not assets_extracted(repo, profile):
            result.failure_class, result.detail = "missing_asset", f"{missing}: {ASSET_MESSAGE}"
        else:
            result.failure_class, result.detail = (
                "missing_header",
                f"{missing}: no such header under the include roots",
            )
        return result
    first = next((d for d in errors if d.kind != "other"), None)
    if first is not None:
        result.failure_class = first.kind
        unknown = [*result.names, *(f"{m.on}.{m.name}" for m in result.unknown_members)]
        result.detail = (
            f"unknown: {', '.join(unknown)}" if first.kind == "invented_name" and unknown else first.message
        )
    else:
        result.failure_class = "other"
        result.detail = errors[0].message if errors else f"the compiler failed (exit status {run.returncode})"
    return result


def precompiled_headers(pch: Path) -> tuple[str, ...]:
    """The headers a precompiled header made by `build_pch` holds, in order."""
    return _pch_headers(str(pch))


@functools.lru_cache(maxsize=64)
def _pch_headers(path: str) -> tuple[str, ...]:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError:
        return ()
    return tuple(re.findall(r'^#include "([^"\n]+)"$', text, re.M))


# --- helpers -----------------------------------------------------------------------------------------


def _relative_name(file_name: str) -> PurePosixPath:
    rel = PurePosixPath(file_name.replace("\\", "/"))
    if rel.is_absolute() or ".." in rel.parts or not rel.name or not rel.name.endswith((".c", ".h")):
        raise ModsmithError(
            f"file name {file_name!r} must be a relative path to a .c or .h file inside the repo"
        )
    return rel


def _repo_dir_of(repo: Path, profile: CompileProfile, rel: PurePosixPath) -> Path | None:
    """The repo directory a snippet named `rel` lives in, if it exists inside an include root."""
    if rel.parent == PurePosixPath("."):
        return None
    candidate = repo / rel.parent
    if not candidate.is_dir():
        return None
    real = Path(os.path.realpath(candidate))
    roots = [Path(os.path.realpath(repo / d)) for d in profile.include_dirs]
    return candidate if any(real == r or r in real.parents for r in roots) else None


def hidden_paths(repo: Path, pch: Path | None, profile: CompileProfile | None = None) -> dict[str, str]:
    """Host paths a compiler's output must not show, and the names shown instead."""
    hide = {str(repo): "<repo>", os.path.realpath(repo): "<repo>"}
    for folder in profile.generated_include_dirs if profile is not None else ():
        hide[str(folder)] = "<generated>"
    if pch is not None:
        hide[str(pch.parent)] = "<pch>"
        hide[os.path.realpath(pch.parent)] = "<pch>"
    return hide


def _forbidden(scan: SnippetScan) -> CCompileResult:
    first = scan.violations[0]
    detail = f"line {first.line}: {first.form} {first.target}: {first.reason}".replace("  ", " ")
    return CCompileResult(
        passed=False, failure_class="forbidden_include", detail=detail, violations=scan.violations
    )


def _found(header: str, roots: IncludeRoots) -> bool:
    return any((root / header).is_file() for root in roots.include_dirs)


@functools.cache
def c_language() -> Language:
    return Language(tree_sitter_c.language())


_STATEMENT_BLOCKS = {"preproc_if", "preproc_ifdef", "preproc_else", "preproc_elif"}


def _only_statements(source: str, seconds: float) -> bool:
    """Whether the snippet has statements at the top level and no function definition."""
    deadline = time.monotonic() + seconds
    data = source.encode("utf-8", errors="replace")
    try:  # a fresh parser per call: parsers are not shared between threads
        tree = Parser(c_language()).parse(
            lambda offset, _point: data[offset : offset + 65536],
            progress_callback=lambda *_: time.monotonic() > deadline,
        )
    except ValueError:
        return False
    statements, stack = False, list(tree.root_node.children)
    while stack:
        node = stack.pop()
        if node.type == "function_definition":
            return False
        if node.type in _STATEMENT_BLOCKS:
            stack.extend(node.children)
        elif node.type.endswith("_statement"):
            statements = True
    return statements


def _starts_with(unit: TranslationUnit, headers: tuple[str, ...]) -> bool:
    return tuple(unit.leading_includes[: len(headers)]) == headers


def _diagnostics(output: str, unit: TranslationUnit, name: str) -> tuple[list[CDiagnostic], list[str]]:
    """Parsed diagnostics and the output lines kept; see the module doc for what is left out."""
    diagnostics: list[CDiagnostic] = []
    kept: list[str] = []
    context: list[str] = []
    dropping = False
    for raw in output.split("\n"):  # only a newline ends a line: a snippet's `#error` may hold \v or \x85
        if _INCLUDE_CHAIN.match(raw):
            continue
        m = DIAGNOSTIC_LINE.match(raw) or _TOOL_DIAGNOSTIC.match(raw)
        if not m:
            if _CONTEXT_LINE.match(raw):
                context = [raw] if ": In " in raw else []  # "At top level:" depends on what came before
            elif not dropping and raw.strip():
                kept.append(raw)
            continue
        file, severity, message = m["file"], m["sev"], m["msg"].strip()
        if severity == "note" and message.startswith(_ONCE_NOTE):
            continue  # printed once per translation unit, so it says nothing about this snippet
        if file.startswith(("/", "<host>")):
            kept.append("[a diagnostic located in a file outside the include roots was removed]")
            dropping = True
            continue
        if severity == "note" and dropping:
            continue
        at = m.groupdict()
        dropping = severity == "warning" and file not in (name, PRELUDE) and at.get("line") is not None
        if dropping:
            continue
        line = int(at["line"]) if at.get("line") else None
        column = int(at["col"]) if at.get("col") else None
        shown = file[len("<repo>/") :] if file.startswith("<repo>/") else file
        if file == PRELUDE:
            line = column = None
        elif file == name and line is not None:
            line = min(line, max(unit.snippet_lines, 1))
        kind = _kind(message) if severity in ("error", "fatal error") else severity
        diagnostics.append(
            CDiagnostic(file=shown, line=line, column=column, severity=severity, message=message, kind=kind)
        )
        kept.extend(context)
        context = []
        kept.append(raw.replace("<repo>/", "", 1) if raw.startswith("<repo>/") else raw)
    return diagnostics, kept


def _kind(message: str) -> CFailureClass:
    if any(p.search(message) for p in (*_UNKNOWN_NAME, *_UNKNOWN_MEMBER)):
        return "invented_name"
    if _MACRO_ARITY.search(message) or _WRONG_ARGUMENTS.search(message):
        return "wrong_arguments"
    if _TYPE_ERROR.search(message):
        return "type_error"
    if _SYNTAX_ERROR.search(message):
        return "syntax_error"
    return "other"


def _limit(run: CompilerRun) -> Literal["wall", "cpu", "memory"] | None:
    if run.timed_out:
        return "wall"
    for name, pattern in _LIMIT_MESSAGES:
        if pattern.search(run.output):
            return name  # type: ignore[return-value]
    if run.returncode == -signal.SIGXCPU:
        return "cpu"  # the driver itself hit the CPU limit
    return None


def _crash(run: CompilerRun) -> str | None:
    """What crashed the compiler, if it crashed: an internal compiler error, or a signal that is not
    one of the limits' (those are classed before this)."""
    m = _CRASH.search(run.output)
    if m:
        return (m["ice"] or (m["killed"] and m["killed"] + " signal") or m["clang"]).strip()[:200]
    if run.returncode < 0:
        return (
            f"killed by {signal.Signals(-run.returncode).name}" if -run.returncode in _SIGNALS else "killed"
        )
    if run.returncode == ICE_EXIT_STATUS:
        return f"exit status {ICE_EXIT_STATUS}, an internal compiler error"
    return None


def too_large(size: int, limits: SandboxLimits) -> CCompileResult:
    return CCompileResult(
        passed=False,
        failure_class="too_large",
        detail=f"the code is {size} bytes, over the check's limit of {limits.max_source_bytes} bytes "
        "(max_source_bytes)",
    )


def _is_generated(include: str, profile: CompileProfile) -> bool:
    for entry in profile.generated_dirs:
        if any(ch in entry for ch in "*?["):
            if fnmatch.fnmatchcase(include, entry):
                return True
        elif include == entry or include.startswith(entry.rstrip("/") + "/"):
            return True
    return False


def assets_extracted(repo: Path, profile: CompileProfile) -> bool:
    """Whether the decomp's `make setup` has extracted its assets (a generated directory exists)."""
    return any(
        (repo / entry).is_dir() for entry in profile.generated_dirs if not any(ch in entry for ch in "*?[")
    )
