"""The names a C repository's headers declare as the profile's compiler sees them.

Many names of a decomp are never written as declarations: X-macro tables included into enum
bodies make `ACTOR_EN_NIW` and `NA_SE_EN_DODO_M_DEAD`, a macro body declares the first fields of
several structs (`DOOR_ACTOR_BASE`), an `#if` inside an enum keeps some constants and drops
others, and the profile's `-D` flags and the compiler itself define macros. `preprocess_headers`
asks the profile's own preprocessor: every include-guarded header that a `.c` file of the repo
includes at its top level (in the order the files first include them) goes into one translation
unit, preprocessed once with the profile's compiler, flags, defines and include roots
(`<cc> -E -dD`). Host programs add nothing: a `.c` file in a folder with a build of its own
(`tools/` and its Makefile), or with an `#include <...>` found nowhere under the roots.

The output is parsed with tree-sitter; each symbol is mapped back through the line markers to
the file and line its tokens come from (an X-macro entry to its line of the table), each
`#define` of the output becomes a macro, those of `-D` flags with the place `<profile NAME>`, the
compiler's own with `<built-in>`.

Headers the build generates (`make setup`'s asset headers) may be missing: each include that
resolves nowhere gets an empty stand-in, searched last, so one missing file does not stop the
rest. Unguarded headers (X-macro tables, fragments) are only read where a header includes them.
The repo's `.c` files themselves are left to the plain index (`symbol_index`): what they declare
is for their own translation unit, whose compile check speaks for it.
"""

from __future__ import annotations

import json
import os
import re
import resource
import subprocess
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from modsmith.code.c_macros import macro_arity, pasted_params
from modsmith.code.c_symbols import iter_c_symbols
from modsmith.code.languages import code_parser
from modsmith.errors import ModsmithError
from modsmith.ground.c.profiles import CompileProfile
from modsmith.ground.sandbox import SandboxLimits, rlimits, scratch_dir

#: bump when the rows made here change, so that cached layers are rebuilt
PREPROCESSOR_VERSION = "1"
LIMITS = SandboxLimits(cpu_seconds=300, wall_seconds=600, memory_mb=4096, file_mb=2048)
MAX_DIAGNOSTICS = 20
BUILT_IN = "<built-in>"

_INCLUDE_OR_BRACE = re.compile(
    r"^[ \t]*#[ \t]*include[ \t]*(?:\"(?P<quoted>[^\"\n]+)\"|<(?P<angled>[^>\n]+)>)"
    r"|//[^\n]*|/\*(?:[^*]|\*(?!/))*(?:\*/|\Z)|\"(?:\\.|[^\"\\\n])*\"|'(?:\\.|[^'\\\n])*'|(?P<brace>[{}])",
    re.M,
)
_LEADING_NOISE = re.compile(r"\s+|//[^\n]*|/\*(?:[^*]|\*(?!/))*\*/")
_GUARD = re.compile(r"#[ \t]*(?:ifndef[ \t]+\w|if[ \t]+!\s*defined\b|pragma[ \t]+once\b)")
_MARKER = re.compile(rb'^# (\d+) "((?:[^"\\]|\\.)*)"')
_DEFINE = re.compile(r"#define ([A-Za-z_]\w*)(\([^)]*\))? ?(.*)$", re.S)


@dataclass
class PreprocessedSymbols:
    """What one preprocessor run gave: symbol rows (see `symbol_rows`), how many headers went in,
    the includes that resolve nowhere, and the first things the preprocessor complained of."""

    rows: list[tuple] = field(default_factory=list)
    headers: int = 0
    missing: list[str] = field(default_factory=list)
    diagnostics: list[str] = field(default_factory=list)
    seconds: float = 0.0


@dataclass
class _Plan:
    headers: list[Path]  # guarded headers included at the top level of .c files, first use first
    missing: set[str]  # include names that resolve nowhere


def preprocess_headers(
    repo: Path,
    profile: CompileProfile,
    sources: Iterable[str],
    extra_include_dirs: Sequence[Path] = (),
) -> PreprocessedSymbols:
    """The symbols of the repo's headers as `profile` preprocesses them (see the module doc).

    `sources` are the repo-relative paths of its C files (`.c` files decide which headers go in).
    `extra_include_dirs` are searched after the profile's roots (headers generated elsewhere, such
    as asset declarations written from the asset XML); their symbols are kept too.
    """
    started = time.perf_counter()
    repo = Path(repo).resolve()
    compiler = profile.compiler_path()
    roots = [Path(os.path.realpath(repo / d)) for d in profile.include_dirs if (repo / d).is_dir()]
    extra = [Path(os.path.realpath(d)) for d in extra_include_dirs if Path(d).is_dir()]
    plan = _plan(repo, sorted(sources), roots + extra)
    result = PreprocessedSymbols(headers=len(plan.headers), missing=sorted(plan.missing))
    if not plan.headers:
        return result
    with scratch_dir("modsmith-preprocess-") as work:
        stubs = work / "missing"
        for name in plan.missing:
            stub = stubs / name
            stub.parent.mkdir(parents=True, exist_ok=True)
            stub.touch()
        unit = work / "modsmith_headers.c"
        unit.write_text("".join(f'#include "{_quoted(h)}"\n' for h in plan.headers), encoding="utf-8")
        argv = [compiler, *(f for f in profile.flags if f != "-fsyntax-only"), "-w", f"-std={profile.std}"]
        argv += [f"-D{define}" for define in profile.defines]
        argv += [f"-I{root}" for root in roots + extra]
        argv += [f"-idirafter{stubs}", "-E", "-dD", unit.name]
        output = work / "modsmith_headers.i"
        errors = run_preprocessor(argv, work, output)
        result.diagnostics = [line for line in errors.splitlines() if ": error: " in line][:MAX_DIAGNOSTICS]
        data = output.read_bytes()
    places = _Places(repo, extra, profile)
    result.rows = list(symbol_rows(data, places))
    result.seconds = time.perf_counter() - started
    return result


def _quoted(path: Path) -> str:
    return str(path).replace("\\", "\\\\").replace('"', '\\"')


def run_preprocessor(argv: list[str], cwd: Path, output: Path, limits: SandboxLimits = LIMITS) -> str:
    """Run the preprocessor under `limits`, its output into `output` (kept whatever it complains
    of); returns what it printed on stderr. Too long a run is a ModsmithError."""
    clamped = rlimits(limits)

    def limit() -> None:
        for which, pair in clamped.items():
            resource.setrlimit(which, pair)

    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LC_ALL": "C", "LANG": "C"}
    try:
        with output.open("wb") as out:
            done = subprocess.run(
                argv,
                cwd=cwd,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.PIPE,
                env=env,
                preexec_fn=limit,
                timeout=limits.wall_seconds,
                check=False,
            )
    except subprocess.TimeoutExpired:
        raise ModsmithError(
            f"the preprocessor took longer than {limits.wall_seconds:.0f} s",
            where=str(argv[0]),
        ) from None
    except OSError as exc:
        raise ModsmithError(f"cannot run the preprocessor: {exc}", where=str(argv[0])) from None
    return done.stderr.decode("utf-8", errors="replace")


# --- which headers ---------------------------------------------------------------------------


def _plan(repo: Path, sources: list[str], roots: list[Path]) -> _Plan:
    """The guarded headers the `.c` files include at their top level, and every include of those
    headers (and of what they include) that resolves nowhere."""
    plan = _Plan(headers=[], missing=set())
    chosen: set[str] = set()
    resolved: dict[tuple[str, str], str | None] = {}
    root_names = [str(root) for root in roots]

    def resolve(name: str, quoted: bool, here: str) -> str | None:
        key = (name, here if quoted else "")
        if key not in resolved:
            found = None
            if not os.path.isabs(name) and ".." not in name.split("/"):
                for base in ([here] if quoted else []) + root_names:
                    candidate = os.path.join(base, name)
                    if os.path.isfile(candidate):
                        found = os.path.realpath(candidate)
                        break
            resolved[key] = found
        return resolved[key]

    own_build: dict[str, bool] = {}
    for rel in sources:
        if not rel.endswith(".c") or _in_subproject(repo, rel, own_build):
            continue
        here = os.path.dirname(os.path.join(str(repo), rel))
        includes = list(_includes(_read(Path(here, os.path.basename(rel)))))
        if any(not quoted and resolve(name, False, here) is None for name, quoted, _ in includes):
            continue  # `<stdio.h>` found nowhere under the roots: a host program, not the profile's
        for name, quoted, depth in includes:
            if depth or not name.endswith(".h"):
                continue
            target = resolve(name, quoted, here)
            if target is not None and target not in chosen and _guarded(_read(Path(target))):
                chosen.add(target)
                plan.headers.append(Path(target))
    visited: set[str] = set()
    pending = [str(h) for h in plan.headers]
    while pending:
        path = pending.pop()
        if path in visited:
            continue
        visited.add(path)
        for name, quoted, _depth in _includes(_read(Path(path))):
            target = resolve(name, quoted, os.path.dirname(path))
            if target is None:
                _missing(plan, name)
            elif target not in visited:
                pending.append(target)
    return plan


_BUILD_FILES = ("Makefile", "makefile", "GNUmakefile", "CMakeLists.txt", "meson.build", "configure")


def _in_subproject(repo: Path, rel: str, known: dict[str, bool]) -> bool:
    """Whether a folder between the repo root and the file has a build of its own (`tools/` with
    its Makefile): its programs are built for the host, not with the profile."""
    parts = rel.split("/")[:-1]
    for depth in range(1, len(parts) + 1):
        folder = "/".join(parts[:depth])
        if folder not in known:
            known[folder] = any((repo / folder / name).is_file() for name in _BUILD_FILES)
        if known[folder]:
            return True
    return False


def _missing(plan: _Plan, name: str) -> None:
    parts = Path(name).parts
    if name and not Path(name).is_absolute() and ".." not in parts and "." not in parts:
        plan.missing.add(name)


def _read(path: Path) -> str:
    try:
        return path.read_bytes().decode("utf-8", errors="replace")
    except OSError:
        return ""


def _includes(text: str) -> Iterator[tuple[str, bool, int]]:
    """(name, quoted, brace depth) of each `#include` of a file, comments and literals skipped."""
    if "#" not in text:
        return
    depth = 0
    for match in _INCLUDE_OR_BRACE.finditer(text):
        brace = match.group("brace")
        if brace is not None:
            depth = depth + 1 if brace == "{" else max(0, depth - 1)
        elif match.group("quoted") is not None:
            yield match.group("quoted"), True, depth
        elif match.group("angled") is not None:
            yield match.group("angled"), False, depth


def _guarded(text: str) -> bool:
    """Whether a header starts (after comments) with an include guard or `#pragma once`."""
    position = 0
    while True:
        match = _LEADING_NOISE.match(text, position)
        if match is None or match.end() == position:
            break
        position = match.end()
    return _GUARD.match(text, position) is not None


# --- reading the output ------------------------------------------------------------------------


class _Places:
    """Names the files of line markers as the index does: repo-relative paths, `<profile NAME>`
    for `-D` flags, `<built-in>`; None for files whose symbols are not kept (stand-ins, the
    unit itself, anything outside the repo and the extra include dirs)."""

    def __init__(self, repo: Path, extra: list[Path], profile: CompileProfile):
        self.repo = str(repo) + os.sep
        self.extra = [str(d) + os.sep for d in extra]
        self.profile = f"<profile {profile.name}>"
        self.define_lines = {d.split("=", 1)[0]: i for i, d in enumerate(profile.defines, start=1)}
        self._cache: dict[bytes, str | None] = {}

    def name(self, raw: bytes) -> str | None:
        found = self._cache.get(raw, ...)
        if found is ...:
            found = self._cache[raw] = self._name(raw.decode("utf-8", errors="replace"))
        return found

    def _name(self, text: str) -> str | None:
        text = text.replace('\\"', '"').replace("\\\\", "\\")
        if text == "<command-line>":
            return self.profile
        if text == BUILT_IN:
            return BUILT_IN
        path = os.path.normpath(text)
        if path.startswith(self.repo):
            return Path(path[len(self.repo) :]).as_posix()
        for base in self.extra:
            if path.startswith(base):
                return Path(path[len(base) :]).as_posix()
        return None


def symbol_rows(data: bytes, places: _Places) -> Iterator[tuple]:
    """Rows `(name, kind, file, line, end_line, signature, arity, params, container, type, value,
    pasted)` of the symbols and `#define`s of preprocessed output with line markers (`-E -dD`)."""
    lines = data.split(b"\n")
    files: list[str | None] = [None] * len(lines)
    numbers = [0] * len(lines)
    current: str | None = None
    number = 0
    seen_macros: set[tuple[str, str, int]] = set()
    for i, line in enumerate(lines):
        if line.startswith(b"#"):
            marker = _MARKER.match(line)
            if marker is not None:
                current, number = places.name(marker.group(2)), int(marker.group(1))
            elif line.startswith(b"#define ") and current is not None:
                row = _macro_row(line.decode("utf-8", errors="replace"), current, number, places)
                if row is not None and (row[0], row[2], row[3]) not in seen_macros:
                    seen_macros.add((row[0], row[2], row[3]))
                    yield row
                number += 1
            else:
                number += 1
            lines[i] = b""
            continue
        files[i], numbers[i] = current, number
        number += 1
    code = b"\n".join(lines)
    root = code_parser("c").parse(code).root_node
    for symbol in iter_c_symbols(root, code, index_extras=True):
        if symbol.kind == "macro":
            continue
        row = symbol.first_line - 1
        file = files[row]
        if file is None or file.startswith("<"):
            continue
        line = numbers[row]
        last = symbol.last_line - 1
        end_line = numbers[last] if files[last] == file and numbers[last] >= line else line
        params = json.dumps(symbol.params) if symbol.params is not None else None
        yield (
            symbol.name, symbol.kind, file, line, end_line, _one_line(symbol.signature),
            symbol.extra.get("arity"), params, symbol.container, symbol.extra.get("type"), None, None,
        )  # fmt: skip
        typedef = symbol.extra.get("typedef")
        if typedef and typedef != symbol.name:
            yield (typedef, "typedef", file, line, end_line, None, None, None, None, symbol.name, None, None)


def _macro_row(text: str, file: str, line: int, places: _Places) -> tuple | None:
    match = _DEFINE.match(text)
    if match is None:
        return None
    name, params_text, value = match.group(1), match.group(2), match.group(3).strip()
    if file == places.profile:
        line = places.define_lines.get(name, 0)
    params = None
    if params_text is not None:
        inner = params_text[1:-1]
        params = [p.strip() for p in inner.split(",")] if inner.strip() else []
    signature = f"#define {name}" + (f"({', '.join(params)})" if params is not None else "")
    pasted = json.dumps(pasted_params(params, value)) if params else None
    return (
        name, "macro", file, line, line, signature, macro_arity(params),
        json.dumps(params) if params is not None else None, None, None, value, pasted,
    )  # fmt: skip


def _one_line(text: str | None) -> str | None:
    return " ".join(text.split()) if text else text
