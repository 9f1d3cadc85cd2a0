"""Compile check for generated C: does a snippet get through the decomp's own syntax check?

A snippet larger than the limits' `max_source_bytes` fails as `too_large` before anything reads
it. The snippet is then checked by `include_policy`, in the dialect of the profile's `-std`; a
forbidden form fails the check as `forbidden_include` and no compiler runs. Otherwise it is
written to a fresh scratch directory, wrapped when it is a fragment, and given to the profile's
compiler with `-fsyntax-only -nostdinc`, the profile's flags and defines, the `file_defines` of the
snippet's file name (a snippet with no name, `snippet.c`, gets none), and only the profile's include
roots (absolute `-I` of repo directories), inside `run_compiler`'s limits. Nothing is assembled,
linked or run. A precompiled header is used only where no file defines apply: it was built without
them, and the result must be the one a check without it gives.

Wrapping: a snippet with no `#include` gets the profile's `standard_includes` (those present under
the include roots) in a prelude; if it also has statements at the top level and no function
definition (tree-sitter C decides), the statements go into the profile's `statement_wrapper`.
`#line` directives keep every reported line the snippet's own.

How the compiler's output is read and a failure classed is `c_diagnostics`'s business.
"""

from __future__ import annotations

import functools
import os
import re
import time
from collections.abc import Sequence
from pathlib import Path, PurePosixPath

from tree_sitter import Parser

from modsmith.code.languages import c_language
from modsmith.errors import ModsmithError
from modsmith.ground.c.c_diagnostics import PRELUDE, CCompileResult, TranslationUnit, interpret
from modsmith.ground.c.c_lexing import Dialect
from modsmith.ground.c.include_policy import (
    IncludeRoots,
    SnippetScan,
    clean_source,
    scan_snippet,
)
from modsmith.ground.c.profiles import CompileProfile
from modsmith.ground.sandbox import SandboxLimits, oversize, run_compiler, scratch_dir

#: the file name of a snippet that claims no place in the repo: it gets no `file_defines`
UNNAMED = "snippet.c"
MAX_ERRORS = 20


def c_compile_check(
    snippet: str,
    repo: Path,
    profile: CompileProfile,
    *,
    limits: SandboxLimits | None = None,
    file_name: str = UNNAMED,
    pch: Path | None = None,
) -> CCompileResult:
    """Syntax-check `snippet` against the code base at `repo` with `profile`.

    `file_name` is where the snippet claims to live; when it is a path of a directory that exists
    under the include roots (`src/overlays/actors/ovl_En_Foo/z_en_foo.c`), that directory is
    searched for `"..."` includes as the real file's would be, and the profile's `file_defines`
    for that path apply. `pch` is a precompiled header from `c_check_pool.build_pch`; it is used
    only where the snippet starts with its headers and no file defines apply.
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
        extra = file_defines(profile, rel.as_posix())
        pch_headers = precompiled_headers(pch) if pch and not extra else ()
        use_pch = bool(pch_headers) and _starts_with(unit, pch_headers)
        argv = compiler_argv(
            compiler, profile, repo, quote_dir=quote_dir, pch=pch if use_pch else None, extra_defines=extra
        )
        run = run_compiler([*argv, rel.as_posix()], work, limits, hidden_paths(repo, pch, profile))
    return interpret(run, unit, profile, repo, rel.as_posix(), pch_used=use_pch)


def file_defines(profile: CompileProfile, file_name: str) -> list[str]:
    """The profile's extra defines for code checked as `file_name`; none for unnamed code."""
    return [] if file_name == UNNAMED else profile.defines_for(file_name)


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
    extra_defines: Sequence[str] = (),
) -> list[str]:
    """The compiler command for a check, without the input file; `extra_defines` (a file's
    `file_defines`) come after the profile's, as the Makefile adds them."""
    argv = [compiler, *profile.flags]
    for required in ("-nostdinc", "-fsyntax-only"):
        if required not in argv:
            argv.append(required)
    argv.append(f"-std={profile.std}")
    argv += [f"-D{define}" for define in (*profile.defines, *extra_defines)]
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


def too_large(size: int, limits: SandboxLimits) -> CCompileResult:
    return CCompileResult(
        passed=False,
        failure_class="too_large",
        detail=f"the code is {size} bytes, over the check's limit of {limits.max_source_bytes} bytes "
        "(max_source_bytes)",
    )
