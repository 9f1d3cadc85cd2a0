"""C fragments checked inside the file that includes them.

In the decomps an actor's `z_en_foo.c` does `#include "z_en_foo_data.inc.c"`; the fragment alone
does not compile, since it uses the includer's statics, types and macros. A fragment is therefore
compiled inside its includer: the includer's text with the fragment's text (the user's copy, as
checked) in place of the include line, as if it lived at the includer's path (`FragmentPlace`,
a `SourcePlace`: the names check then asks the compiler about the fragment's own lines of that
same text).

Finding the includer: the `.c` files of the fragment's folder, then, for a `.inc.c`, every `.c`
file under the repo's `src/`; an include line counts when the path it resolves to (the includer's
folder first, then the profile's include roots) is the fragment, not merely a file of the same
name. The first includer found is the one used.

What the compiler says is then the fragment's only where it is the fragment's doing: diagnostics
on the fragment's lines (shown at its own path and lines), and errors elsewhere in the includer
that the includer does not have with the fragment as committed (`git show HEAD:FRAGMENT`): the
edited fragment broke its includer, shown at the includer's own line. The includer's own errors
are left out, and all of them where the fragment is unchanged or has no committed copy. A compile
that never reached the fragment (a missing header above the include line, a time limit) is
reported as is.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from modsmith.code.source_text import decode_source
from modsmith.ground.c.c_diagnostics import OUTPUT_LINES, CCompileResult, CDiagnostic
from modsmith.ground.c.compile_c import MAX_ERRORS
from modsmith.ground.code_spans import CodeSpan
from modsmith.ground.grounding import Grounding, SourcePlace
from modsmith.ground.names.git_history import GitFailed, git_output
from modsmith.ground.sandbox import oversize
from modsmith.records import Check

_INCLUDE = re.compile(r'^[ \t]*#[ \t]*include[ \t]*"([^"\n]+)"', re.M)
_Q, _E = r"[‘'`\"]", r"[’'\"]"
#: results that say the compiler never judged the code (it stopped before it, or never ran)
_NOT_JUDGED = {
    "too_large",
    "forbidden_include",
    "timeout",
    "compiler_crash",
    "missing_asset",
    "missing_header",
}
_ERROR = ("error", "fatal error")


@dataclass(frozen=True)
class Includer:
    """A repo file that includes a fragment: its path relative to the repo, its text, and the
    1-based line of the include."""

    rel: str
    text: str
    line: int


class FragmentPlace(SourcePlace):
    """The includer around a fragment: any fragment stands in its place, whatever it holds."""

    def fits(self, code: str) -> bool:
        return True


@dataclass
class FragmentCheck:
    """The checks of a file compiled inside its includer (`includer`: its path in the repo), or,
    with `checks` None, the reason it is checked alone; `note` says which, in one line."""

    checks: dict[str, Check] | None
    includer: str | None
    note: str


def is_fragment(path: Path) -> bool:
    return path.name.endswith(".inc.c")


def find_includers(repo: Path, fragment: Path, include_dirs: list[Path]) -> list[Includer]:
    """The repo's `.c` files that include `fragment` (a file inside `repo`), nearest first: the
    fragment's own folder, then (for a `.inc.c`) the whole of `src/`. `include_dirs` are the
    folders an include is searched in after the includer's own."""
    repo, target = Path(repo).resolve(), Path(os.path.realpath(fragment))
    if not target.is_relative_to(repo):
        return []
    folder = target.parent
    candidates = sorted(folder.glob("*.c"))
    if is_fragment(target) and (repo / "src").is_dir():
        candidates += sorted(p for p in (repo / "src").rglob("*.c") if p.parent != folder)
    found = []
    for path in candidates:
        if path == target or not path.is_file():
            continue
        try:
            data = path.read_bytes()
        except OSError:
            continue
        if target.name.encode() not in data:
            continue
        text, _encoding = decode_source(data)
        for match in _INCLUDE.finditer(text):
            if Path(match.group(1)).name == target.name and _resolves_to(
                match.group(1), path.parent, include_dirs, target
            ):
                line = text.count("\n", 0, match.start()) + 1
                found.append(Includer(path.relative_to(repo).as_posix(), text, line))
                break
    return found


def _resolves_to(include: str, own_dir: Path, include_dirs: list[Path], target: Path) -> bool:
    """Whether `#include "include"` in a file of `own_dir` reads `target`, as the compiler looks."""
    for folder in (own_dir, *include_dirs):
        candidate = folder / include
        if candidate.is_file():
            return Path(os.path.realpath(candidate)) == target
    return False


def place_in(includer: Includer) -> FragmentPlace:
    """The includer's text around its include line (lines end at `\\n` only, as the compiler's do)."""
    lines = includer.text.split("\n")
    before = "".join(f"{line}\n" for line in lines[: includer.line - 1])
    return FragmentPlace(includer.rel, before, "\n".join(lines[includer.line :]))


def check_in_includer(
    path: Path, spans: list[CodeSpan], grounding: Grounding, repo_name: str | None
) -> FragmentCheck | None:
    """The checks of the C file `path` (`repo_name`: its path in the repo, None when outside it)
    inside the first repo file that includes it. For a `.inc.c` that cannot be, a FragmentCheck
    without checks saying why; for a plain `.c` file nothing in its folder includes, None."""
    repo = grounding.repo
    if repo is None or repo_name is None:
        return FragmentCheck(None, None, "checked alone: not a file of a repo") if is_fragment(path) else None
    profile = grounding.pool.profile if grounding.pool is not None else None
    include_dirs = profile.search_dirs(Path(repo).resolve()) if profile is not None else [Path(repo)]
    includers = find_includers(Path(repo), path, include_dirs)
    if not includers:
        return (
            FragmentCheck(None, None, "no file of the repo includes it: checked alone")
            if is_fragment(path)
            else None
        )
    includer, place = includers[0], place_in(includers[0])
    more = len(includers) - 1
    others = f" (also included by {more} other file{'s' if more > 1 else ''})" if more else ""
    note = f"checked inside {includer.rel}, which includes it at line {includer.line}{others}"
    pool, code = grounding.pool, spans[0].text
    if pool is None:  # no compile check: the names check alone, as for any file
        return FragmentCheck(grounding.check_spans(spans, file_name=repo_name), includer.rel, note)
    compiled = place.substitute(code)
    size = oversize(compiled, pool.limits)
    if size is not None:
        note = f"{includer.rel} includes it but is {size:,} bytes with it, over the size limit: checked alone"
        return FragmentCheck(None, None, note)
    result = pool.check(compiled, file_name=includer.rel)
    committed = _committed_text(Path(repo), repo_name)

    def compile_with(text: str) -> CCompileResult:
        return pool.check(place.substitute(text), file_name=includer.rel)

    mine = fragment_result(result, place, code, repo_name, committed, compile_with)
    return FragmentCheck(grounding.check_spans(spans, iter([mine]), place=place), includer.rel, note)


def _committed_text(repo: Path, rel: str) -> str | None:
    """The file as committed at HEAD; None outside git or when it is not committed."""
    try:
        return git_output(repo, "show", f"HEAD:{rel}", timeout=30)
    except GitFailed:
        return None


def fragment_result(
    result: CCompileResult,
    place: SourcePlace,
    code: str,
    fragment_name: str,
    committed: str | None,
    compile_with: Callable[[str], CCompileResult],
) -> CCompileResult:
    """The compile result of an includer with `code` in place of the fragment (`place`), cut down
    to what is the fragment's doing. Its diagnostics keep the compiled file's lines (the names
    check maps them to the fragment's own); its output shows them at `fragment_name` and the
    fragment's lines, or at the includer's own lines. An error outside the fragment is kept only
    when the includer compiled with the `committed` fragment (`compile_with`, asked only then)
    does not have it too."""
    if result.failure_class in _NOT_JUDGED or result.limit == "memory":
        return result
    first = place.before.count("\n") + 1  # the fragment's line 1 in the compiled text
    last = first + code.count("\n")

    def inside(d: CDiagnostic) -> bool:
        return d.file == place.file_name and d.line is not None and first <= d.line <= last

    known: set[tuple[str, int | None, str]] | None = None
    kept: list[CDiagnostic] = []
    shown: list[str] = []
    previous = False
    for d in result.diagnostics:
        if d.severity == "note":
            keep = previous
        elif inside(d):
            keep = True
        elif d.severity in _ERROR and committed is not None and committed != code:
            if known is None:
                shift = committed.count("\n")
                known = {_key(b, place, first, shift) for b in compile_with(committed).diagnostics}
            keep = _key(d, place, first, last - first) not in known
        else:
            keep = False  # the includer's own: the fragment is as committed, or has no committed copy
        previous = keep
        if not keep:
            continue
        kept.append(d)
        if inside(d):
            at = f"{fragment_name}:{d.line - first + 1}"  # type: ignore[operator]
        else:
            file, line, _ = _key(d, place, first, last - first)
            at = f"{file}:{line}" if line is not None else file
        column = f"{d.column}:" if d.column is not None else ""
        shown.append(f"{at}:{column} {d.severity}: {d.message}")
    errors = [d for d in kept if d.severity in _ERROR]
    names = [n for n in result.names if any(_quotes(n, d.message) for d in kept)]
    members = [m for m in result.unknown_members if any(_quotes(m.name, d.message) for d in kept)]
    all_errors = [d for d in result.diagnostics if d.severity in _ERROR]
    stopped = len(all_errors) >= MAX_ERRORS and not any(
        d.file == place.file_name and d.line is not None and d.line > last for d in all_errors
    )
    mine = result.model_copy(
        update={
            "passed": not errors,
            "failure_class": None,
            "detail": "",
            "diagnostics": kept,
            "compiler_output": "\n".join(shown[:OUTPUT_LINES]),
            "names": names,
            "unknown_members": members,
            "truncated": stopped or len(shown) > OUTPUT_LINES,
        }
    )
    if errors:
        first_error = next((d for d in errors if d.kind != "other"), errors[0])
        mine.failure_class = first_error.kind  # type: ignore[assignment]
        unknown = [*names, *(f"{m.on}.{m.name}" for m in members)]
        invented = first_error.kind == "invented_name" and unknown
        mine.detail = f"unknown: {', '.join(unknown)}" if invented else first_error.message
    return mine


def _key(d: CDiagnostic, place: SourcePlace, first: int, shift: int) -> tuple[str, int | None, str]:
    """Where a diagnostic stands in the includer's own lines, and what it says, so that compiles
    with different fragments (`shift`: the fragment's lines after its first) compare: a line after
    the fragment moves up by `shift`; one in the fragment is no includer line (-1)."""
    line = d.line
    if d.file == place.file_name and line is not None and line >= first:
        line = -1 if line <= first + shift else line - shift
    return d.file, line, d.message


def _quotes(name: str, message: str) -> bool:
    return re.search(rf"{_Q}{re.escape(name)}{_E}", message) is not None
