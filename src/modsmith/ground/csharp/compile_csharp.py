"""Compile check for Unity C#: does it build against the UnityEngine API?

Sources are compiled with Mono's `mcs` into a throwaway library, inside `run_compiler`'s sandbox,
against either our own UnityEngine reference stubs (`unity_stubs/*.cs`, original signatures only) or
the user's Unity install (`<Unity>/Editor/Data/Managed`). Nothing produced is ever loaded or run.
`compile_units` compiles several files as one assembly (a Unity project, see `unity_project`) and
sorts mcs's errors by file; `csharp_check` is the one-file case.

mcs implements C# up to 7.2 minus local functions and some pattern forms (`is null`, patterns and
`when` in switch cases, `is var x`); Unity 2020.2+ accepts C# 8 and 2021.2+ C# 9. tree-sitter-c-sharp
finds the newer constructs (`newer_features`, each with the C# version it came in) so that "needs newer
C#" is told apart from a real mistake (`csharp_syntax`). The failure classes and how errors map to
them are in `csharp_errors`.

Before any of that, `csharp_policy` refuses a source that mentions a strong-name signing attribute
(`forbidden_include`: such an attribute makes mcs read a host file or key container, as an include
of a host file would; mcs never runs) and takes out `#line` / `#pragma checksum`; line ends are made
`\n` first, so tree-sitter and mcs count the same lines. Scripts written before Unity 5.5 name
`NavMeshAgent` and its kin without `using UnityEngine.AI;`; Unity's script updater adds that import,
and so does `prepare_source` (on the line of the first `using`, so no line moves).
"""

from __future__ import annotations

import functools
import hashlib
import os
import re
import shutil
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, Field

from modsmith.errors import ModsmithError
from modsmith.ground.csharp.csharp_errors import (
    CSharpError,
    CSharpFeature,
    FailureClass,
    UnknownApi,
    classify,
    parse_errors,
    unknown_api,
)
from modsmith.ground.csharp.csharp_policy import (
    forbidden_attribute,
    normalise_line_ends,
    strip_file_directives,
)
from modsmith.ground.csharp.csharp_syntax import scan_source
from modsmith.ground.sandbox import CompilerRun, SandboxLimits, oversize, run_compiler, scratch_dir

__all__ = ["CSharpError", "CSharpFeature", "CSharpResult", "FailureClass", "UnknownApi", "csharp_check"]

STUB_DIR = Path(__file__).with_name("unity_stubs")
SOURCE_NAME = "Generated.cs"
LANGVERSION = "7.2"  # the highest numbered version mcs accepts
QUIET_WARNINGS = "0067,0168,0169,0219,0414,0649"  # unused fields/locals/events: noise in every script

#: Types that moved from `UnityEngine` to `UnityEngine.AI` in Unity 5.5 (the updater adds the using).
MOVED_TO_AI = re.compile(r"\b(?:NavMesh(?:Agent|Obstacle|Hit|Path|PathStatus|Data)?|OffMeshLink(?:Data)?)\b")
_AI_USING = re.compile(r"^[ \t]*using[ \t]+UnityEngine\.AI[ \t]*;", re.M)
_FIRST_USING = re.compile(r"^[ \t]*using[ \t]+[A-Za-z_][\w.]*[ \t]*;", re.M)


class CSharpResult(BaseModel):
    """What the compile check found."""

    passed: bool
    failure_class: FailureClass | None = None
    errors: list[CSharpError] = Field(default_factory=list)
    unknown_api: list[UnknownApi] = Field(default_factory=list)
    packages: list[str] = Field(default_factory=list, description="Packages it needs (needs_package).")
    newer_features: list[CSharpFeature] = Field(default_factory=list)
    compiler_output: str = ""
    timed_out: bool = False
    truncated: bool = False
    detail: str = ""


def csharp_check(
    source: str, unity_managed: Path | None = None, limits: SandboxLimits | None = None
) -> CSharpResult:
    """Compile `source` as a library against UnityEngine (our stubs, or `unity_managed`'s DLLs)."""
    refused = refusal(source)
    if refused is not None:
        return refused
    limits = limits or SandboxLimits()
    size = oversize(source, limits)
    if size is not None:
        detail = f"the code is {size} bytes, over the check's limit of {limits.max_source_bytes} bytes"
        return CSharpResult(passed=False, failure_class="too_large", detail=detail)
    compiled = compile_units([source], csharp_references(unity_managed), limits, names=[SOURCE_NAME])
    return compiled.result(0, source, limits.wall_seconds)


def refusal(source: str) -> CSharpResult | None:
    """The verdict on a source that mentions a key attribute (mcs must not see it), else None."""
    refused = forbidden_attribute(source)
    if refused is None:
        return None
    return CSharpResult(passed=False, failure_class="forbidden_include", detail=refused.detail)


def csharp_references(unity_managed: Path | None) -> list[Path]:
    """The UnityEngine assemblies to compile against: a Unity install's, else the stub assembly."""
    return unity_references(unity_managed) if unity_managed else [build_stub_assembly()]


def prepare_source(source: str) -> str:
    """The source as mcs gets it: line ends normalised, `#line`/`#pragma checksum` taken out, and
    `using UnityEngine.AI;` added as Unity's updater adds it (see the module doc)."""
    source = strip_file_directives(normalise_line_ends(source))
    if MOVED_TO_AI.search(source) and not _AI_USING.search(source):
        first = _FIRST_USING.search(source)
        if first is not None:
            at = first.start() + len(first.group()) - len(first.group().lstrip())
            source = f"{source[:at]}using UnityEngine.AI; {source[at:]}"
    return source


@dataclass
class Compiled:
    """One mcs run over several sources: the run, and its errors by source (and those of no source)."""

    run: CompilerRun
    errors: list[list[CSharpError]]
    general: list[CSharpError]
    names: list[str]

    @property
    def passed(self) -> bool:
        run = self.run
        return run.returncode == 0 and not run.timed_out and not any(self.errors) and not self.general

    def output_of(self, index: int) -> str:
        """The compiler's lines about one source (all of them when it is the only one)."""
        if len(self.names) == 1:
            return self.run.output
        name = self.names[index]
        return "\n".join(line for line in self.run.output.splitlines() if line.startswith(name + "("))

    def result(
        self,
        index: int,
        source: str,
        seconds: float = 20.0,
        errors: list[CSharpError] | None = None,
        project_packages: Sequence[str] = (),
    ) -> CSharpResult:
        """The verdict on source `index` (its original text is `source`), judged on `errors` if given;
        `project_packages` are the packages its Unity project lists."""
        errors = (self.errors[index] if errors is None else errors) + self.general
        features, tree_ok = scan_source(normalise_line_ends(source), seconds)
        timed_out = self.run.timed_out
        result = CSharpResult(
            passed=not errors and not timed_out and (self.run.returncode == 0 or any(self.errors)),
            errors=errors,
            newer_features=features,
            compiler_output=self.output_of(index),
            timed_out=timed_out,
            truncated=self.run.truncated,
        )
        if not result.passed:
            considered = [] if timed_out else errors  # a killed compiler's last words prove little
            result.failure_class, blamed, packages = classify(
                source, considered, features, tree_ok, project_packages
            )
            result.packages = sorted({p.name for p in packages})
            result.unknown_api = [api for e in considered if e not in blamed and (api := unknown_api(e))]
            result.detail = describe(result, considered, packages)
        return result


def describe(result: CSharpResult, errors: list[CSharpError], packages: list) -> str:
    """One line on why a source failed."""
    if result.timed_out:
        return "the compiler ran out of time"
    if packages:
        wanted = ", ".join(f"{p.name} (for {p.namespace})" for p in packages)
        return f"needs package {wanted}"
    if not errors:
        return "the compiler failed without an error line"
    first = errors[0]
    where = f"line {first.line}: " if first.line else ""
    return f"{where}{first.code} {first.message}"


def compile_units(
    sources: list[str],
    references: list[Path],
    limits: SandboxLimits,
    names: list[str] | None = None,
    output: Path | None = None,
    assembly: str = "Gen",
) -> Compiled:
    """Compile `sources` together as one library; `output` keeps the built assembly (when it built).

    Sources are prepared (`prepare_source`) and written as `names` (default `s0.cs`, `s1.cs`, ...);
    errors come back by source. References are linked into the scratch folder and shown as
    `<UnityEngine>` in the output.
    """
    mcs = _find_mcs()
    names = names or [f"s{i}.cs" for i in range(len(sources))]
    hide = {str(ref.parent): "<UnityEngine>" for ref in references}
    with scratch_dir() as work:
        (work / "refs").mkdir()
        for ref in references:
            (work / "refs" / ref.name).symlink_to(ref)
        for name, source in zip(names, sources, strict=True):
            (work / name).write_text(prepare_source(source), encoding="utf-8", errors="replace", newline="")
        argv = [
            mcs,
            "-target:library",
            f"-langversion:{LANGVERSION}",
            f"-nowarn:{QUIET_WARNINGS}",
            "-codepage:utf8",
            *[f"-r:refs/{ref.name}" for ref in references],
            f"-out:{assembly}.dll",
            *names,
        ]
        run = run_compiler(argv, work, limits, hide)
        built = work / f"{assembly}.dll"
        if output is not None and run.returncode == 0 and not run.timed_out and built.is_file():
            output.parent.mkdir(parents=True, exist_ok=True)
            partial = output.with_name(f".{output.name}.{os.getpid()}")
            shutil.copyfile(built, partial)
            os.replace(partial, output)
    by_name: dict[str, list[CSharpError]] = {name: [] for name in names}
    general = []
    for error in parse_errors(run.output):
        if error.file in by_name:
            by_name[error.file].append(error.model_copy(update={"file": None}))
        elif error.file is None:
            general.append(error)
    return Compiled(run, [by_name[name] for name in names], general, names)


# --- references -------------------------------------------------------------------------------------


def unity_references(managed: Path) -> list[Path]:
    """The UnityEngine assemblies of a Unity install's `Editor/Data/Managed` directory.

    Newer Unity keeps the per-module assemblies (and a forwarding UnityEngine.dll) in a `UnityEngine/`
    subfolder; when that exists it is used, plus top-level extras such as UnityEngine.UI.dll.
    """
    managed = Path(managed).expanduser().resolve()
    hint = "point at <Unity>/Editor/Data/Managed, the folder holding UnityEngine*.dll"
    if not managed.is_dir():
        raise ModsmithError("Unity managed directory not found", where=str(managed), hint=hint)
    found: dict[str, Path] = {}
    for dll in sorted((managed / "UnityEngine").glob("UnityEngine*.dll")):
        found[dll.name] = dll
    modules = bool(found)
    for dll in sorted(managed.glob("UnityEngine*.dll")):
        if not (modules and dll.name == "UnityEngine.dll"):  # the modules' forwarder is the one to use
            found.setdefault(dll.name, dll)
    if not found:
        raise ModsmithError(
            "no UnityEngine*.dll in the Unity managed directory", where=str(managed), hint=hint
        )
    return [found[name] for name in sorted(found)]


def build_stub_assembly(cache_dir: Path | None = None) -> Path:
    """Compile `unity_stubs/*.cs` to a cached `UnityEngine.dll` (rebuilt only when stubs or mcs change)."""
    mcs = _find_mcs()
    sources = sorted(STUB_DIR.glob("*.cs"))
    digest = hashlib.sha256(mcs_version().encode())
    for path in sources:
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    target = (cache_dir or _default_cache()) / digest.hexdigest()[:16] / "UnityEngine.dll"
    if target.is_file():
        return target
    with scratch_dir("modsmith-unity-stubs-") as work:
        argv = [
            mcs,
            "-target:library",
            f"-langversion:{LANGVERSION}",
            "-warn:0",
            "-out:UnityEngine.dll",
            *map(str, sources),
        ]
        limits = SandboxLimits(cpu_seconds=60, wall_seconds=120)
        run = run_compiler(argv, work, limits, {str(STUB_DIR): "unity_stubs"})
        built = work / "UnityEngine.dll"
        if run.returncode != 0 or not built.is_file():
            raise RuntimeError(f"the UnityEngine stubs did not compile:\n{run.output}")
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(f".UnityEngine.{os.getpid()}.dll")
        shutil.copyfile(built, partial)
        os.replace(partial, target)
    return target


def _default_cache() -> Path:
    root = os.environ.get("MODSMITH_CACHE")
    return (Path(root) if root else Path.home() / ".cache" / "modsmith") / "unity-stubs"


def _find_mcs() -> str:
    mcs = shutil.which("mcs")
    if not mcs:
        raise ModsmithError("mcs not found", hint="apt-get install mono-mcs")
    return mcs


def mcs_version() -> str:
    """`mcs --version` (cached): compiled stubs and cached verdicts depend on it."""
    return _mcs_version(_find_mcs())


@functools.cache
def _mcs_version(mcs: str) -> str:
    done = subprocess.run(
        [mcs, "--version"], capture_output=True, text=True, timeout=30, stdin=subprocess.DEVNULL
    )
    return done.stdout.strip()
