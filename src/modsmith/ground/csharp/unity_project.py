"""Unity projects: a script is checked the way Unity compiles it, together with its project's scripts.

Unity compiles a project's game scripts into one assembly; a script alone cannot be judged, it
uses its project's classes. So:

Which scripts those are is `unity_layout`'s business.

- `UnityProject.verdicts()` checks the whole project, one verdict per script. mcs stops at the
  first phase (parsing, then declarations, then method bodies) that has errors, so a script with no
  error in a failed run is not yet proven: the scripts that failed are set aside and the others
  compiled again, until a run passes. An error that names a type declared in a script already set
  aside is that script's fault: the user of it fails "through" it, with its class
  (`needs_package` through a script that imports TMPro, say; see `script_verdicts`). Verdicts are
  cached on disk per project content (scripts, references, compiler and this code).
- `UnityProject.check_source(source, rel)` checks one file in its project: the project's script at
  `rel` (and any script declaring a type the source declares too) is replaced by the source, and
  compiled with the scripts that passed, less the replaced ones. Those can be built once into a
  reference assembly cached by content hash (with `InternalsVisibleTo` for the checked source, since
  Unity scripts' classes are mostly internal) and the source compiled against it, or everything
  compiled together. Measured on a 566-script project (`benchmarks/bench_unity_project.py`): a new
  file against the cached library takes 0.18 s, together 0.77 s; a rewrite of a script needs a
  library without that script, which costs 1.2 s to build the first time (0.33 s after). So the
  library is used for new files and when it is cached; else all is compiled together. When the
  rest does not build without the replaced script, it is compiled together too, and an error the
  replacement causes in another script fails the source.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Literal

from modsmith.code.source_text import decode_source
from modsmith.errors import ModsmithError
from modsmith.ground.csharp import (
    compile_csharp,
    csharp_errors,
    csharp_syntax,
    script_verdicts,
    unity_layout,
    unity_packages,
)
from modsmith.ground.csharp.compile_csharp import (
    SOURCE_NAME,
    Compiled,
    CSharpResult,
    compile_units,
    csharp_references,
    refusal,
)
from modsmith.ground.csharp.csharp_syntax import scan_declared_names, scan_declared_types
from modsmith.ground.csharp.script_verdicts import (
    ScriptVerdict,
    breaking,
    dependency_of,
    failing_through,
    named_output,
    with_follow_ons,
)
from modsmith.ground.csharp.unity_layout import (
    ProjectScript,
    is_unity_project,
    manifest_packages,
    read_scripts,
    script_paths,
)
from modsmith.ground.sandbox import SandboxLimits, oversize

PROJECT_LIMITS = SandboxLimits(cpu_seconds=300, wall_seconds=600, memory_mb=4096, output_bytes=8_000_000)
SNIPPET_LIMITS = SandboxLimits(cpu_seconds=60, wall_seconds=120, memory_mb=2048)
SNIPPET_ASSEMBLY = "ModsmithSnippet"
FRIEND = f'[assembly: System.Runtime.CompilerServices.InternalsVisibleTo("{SNIPPET_ASSEMBLY}")]\n'
MAX_ROUNDS = 12
Strategy = Literal["auto", "library", "together"]


@dataclass
class UnityProject:
    """The scripts of one Unity project and what they are compiled against."""

    root: Path
    scripts: list[ProjectScript]
    editor_scripts: list[str]
    references: list[Path]
    packages: tuple[str, ...] = ()
    _verdicts: dict[str, ScriptVerdict] | None = field(default=None, repr=False)
    #: held while the whole project is checked or a library built: threads checking examples at once
    #: wait for the one doing it instead of doing it again
    _lock: threading.RLock = field(default_factory=threading.RLock, repr=False)

    @classmethod
    def open(cls, root: Path | str, unity_managed: Path | None = None) -> UnityProject:
        root = Path(root).resolve()
        if not is_unity_project(root):
            raise ModsmithError("not a Unity project (no Assets folder)", where=str(root))
        scripts, editor = read_scripts(root)
        return cls(root, scripts, editor, csharp_references(unity_managed), manifest_packages(root))

    def script(self, rel: str | None) -> ProjectScript | None:
        return next((s for s in self.scripts if s.rel == rel), None)

    def relative(self, path: Path) -> str | None:
        """`path` relative to the project root, when it lies inside the project."""
        resolved = Path(path).resolve()
        return resolved.relative_to(self.root).as_posix() if resolved.is_relative_to(self.root) else None

    @property
    def content_hash(self) -> str:
        digest = hashlib.sha256(_code_version().encode())
        for ref in self.references:
            stat = ref.stat()
            digest.update(f"{ref}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
        digest.update("\0".join(self.packages).encode() + b"\n")
        for script in self.scripts:
            digest.update(f"{script.rel}\0{len(script.text)}\0".encode() + script.text.encode() + b"\0")
        return digest.hexdigest()[:20]

    # --- the whole project ---------------------------------------------------------------------------

    def verdicts(self) -> dict[str, ScriptVerdict]:
        """Every script's verdict (see the module doc), from the cache when the project is unchanged."""
        with self._lock:
            if self._verdicts is None:
                cached = _cache_dir() / self.content_hash / "verdicts.json"
                if cached.is_file():
                    rows = json.loads(cached.read_text())
                    self._verdicts = {row["file"]: ScriptVerdict.model_validate(row) for row in rows}
                else:
                    self._verdicts = self._check_whole()
                    _write_atomic(cached, json.dumps([v.model_dump() for v in self._verdicts.values()]))
            return self._verdicts

    def _check_whole(self) -> dict[str, ScriptVerdict]:
        verdicts: dict[str, ScriptVerdict] = {}
        remaining = []
        for script in self.scripts:
            refused = refusal(script.text)
            if refused is not None:
                verdicts[script.rel] = ScriptVerdict(
                    file=script.rel, encoding=script.encoding, result=refused
                )
            else:
                remaining.append(script)
        failed_types: dict[str, str] = {}
        for _ in range(MAX_ROUNDS):
            if not remaining:
                break
            compiled = compile_units([s.text for s in remaining], self.references, PROJECT_LIMITS)
            broken = compiled.passed or compiled.general or compiled.run.timed_out or not any(compiled.errors)
            if broken:  # passed, or failed as a whole: every remaining script gets that verdict
                for i, script in enumerate(remaining):
                    result = compiled.result(i, script.text, project_packages=self.packages)
                    verdicts[script.rel] = self._verdict(script, result, scratch=compiled.names[i])
                remaining = []
                break
            failing = [i for i, errors in enumerate(compiled.errors) if errors]
            self._judge_round(compiled, [(i, remaining[i]) for i in failing], failed_types, verdicts)
            remaining = [s for i, s in enumerate(remaining) if i not in set(failing)]
        for script in remaining:
            unproven = CSharpResult(
                passed=False, failure_class="other", detail="not verified: too many rounds"
            )
            verdicts[script.rel] = self._verdict(script, unproven)
        return {s.rel: verdicts[s.rel] for s in self.scripts}

    def _verdict(
        self,
        script: ProjectScript,
        result: CSharpResult,
        through: str | None = None,
        scratch: str | None = None,
    ) -> ScriptVerdict:
        result.compiler_output = named_output(result.compiler_output, script.rel, scratch)
        return ScriptVerdict(file=script.rel, encoding=script.encoding, result=result, through=through)

    def _judge_round(
        self,
        compiled: Compiled,
        failing: list[tuple[int, ProjectScript]],
        failed_types: dict[str, str],
        verdicts: dict[str, ScriptVerdict],
    ) -> None:
        """Verdicts on the scripts that failed in one run; their types join `failed_types`.

        An error is put down to another failing script (this run's or an earlier one's) when it names
        or uses a type of it. A script with errors of its own is judged on those; one with none fails
        through a script already judged, or, when only this run's other followers explain it, on all
        its errors (so no two scripts fail through each other).
        """
        declared = {script.rel: scan_declared_names(script.text) for _, script in failing}
        round_types = dict(failed_types)
        for _, script in failing:
            for name in declared[script.rel]:
                round_types.setdefault(name, script.rel)
        followers = []
        for index, script in failing:
            errors, lines = compiled.errors[index], script.text.splitlines()
            others = {n: rel for n, rel in round_types.items() if rel != script.rel}
            explained = with_follow_ons([(e, dependency_of(e, others, lines)) for e in errors])
            own = [e for e, cause in explained if cause is None]
            if own:
                result = compiled.result(index, script.text, errors=own, project_packages=self.packages)
                verdicts[script.rel] = self._verdict(script, result, scratch=compiled.names[index])
            else:
                followers.append((index, script, explained))
        for index, script, explained in followers:
            cause = next(((e, c) for e, c in explained if c[1] in verdicts), None)
            if cause is None:
                result = compiled.result(index, script.text, project_packages=self.packages)
                verdicts[script.rel] = self._verdict(script, result, scratch=compiled.names[index])
                continue
            errors = [e for e, _ in explained]
            result = failing_through(errors, cause[1][0], verdicts[cause[1][1]], verdicts)
            verdicts[script.rel] = self._verdict(script, result, through=cause[1][1])
        for _, script in failing:
            for name in declared[script.rel]:
                failed_types.setdefault(name, script.rel)

    # --- one file in its project -----------------------------------------------------------------------

    def check_source(
        self,
        source: str,
        rel: str | None = None,
        strategy: Strategy = "auto",
        limits: SandboxLimits | None = None,
    ) -> ScriptVerdict:
        """The verdict on `source` standing in the project (in place of the script at `rel`, if any).

        `strategy` says how the rest of the project is brought in: `library` compiles the source
        against the rest built once into a cached reference assembly, `together` compiles everything
        as one; `auto` uses the library when it is cached or when the source replaces no script (a
        new file: the library of all passing scripts serves every such check), else compiles together
        (a library for one replaced script pays off only if that script is checked again).

        `limits` bound the source: its size, and its compile against the library (default
        `SNIPPET_LIMITS`); compiling it together with the project is the project's work
        (`PROJECT_LIMITS`).
        """
        name = rel or "<checked file>"
        refused = refusal(source)
        if refused is not None:
            return ScriptVerdict(file=name, result=refused)
        limits = limits or SNIPPET_LIMITS
        size = oversize(source, limits)
        if size is not None:
            detail = f"the code is {size} bytes, over the check's limit of {limits.max_source_bytes} bytes"
            return ScriptVerdict(
                file=name, result=CSharpResult(passed=False, failure_class="too_large", detail=detail)
            )
        verdicts = self.verdicts()
        original = self.script(rel)
        if original is not None and original.text == source:
            return verdicts[original.rel]
        declared = scan_declared_types(source)
        replaced = {s.rel for s in self.scripts if s.rel == rel or declared & scan_declared_types(s.text)}
        rest = [s for s in self.scripts if s.rel not in replaced]
        good = [s for s in rest if verdicts[s.rel].result.passed]
        failed_types = {
            name: s.rel
            for s in rest
            if not verdicts[s.rel].result.passed
            for name in scan_declared_names(s.text)
        }
        use_library = strategy == "library" or (
            strategy == "auto" and (not replaced or self._library_path(good)[0].is_file())
        )
        library = self._library(good) if use_library else None
        if library is not None:
            compiled = compile_units(
                [source],
                [*self.references, library],
                limits,
                [SOURCE_NAME],
                assembly=SNIPPET_ASSEMBLY,
            )
        else:
            compiled = compile_units([source, *(s.text for s in good)], self.references, PROJECT_LIMITS)
        errors, lines = compiled.errors[0], source.splitlines()
        explained = with_follow_ons([(e, dependency_of(e, failed_types, lines)) for e in errors])
        own = [e for e, cause in explained if cause is None]
        if errors and not own:
            type_name, dependency = next(cause for _, cause in explained if cause)
            result = failing_through(errors, type_name, verdicts[dependency], verdicts)
            return ScriptVerdict(file=name, result=result, through=dependency)
        result = compiled.result(0, source, limits.wall_seconds, own, self.packages)
        result.compiler_output = named_output(result.compiler_output, name, compiled.names[0])
        if result.passed and not compiled.passed and library is None:
            result = breaking(compiled, good)
        return ScriptVerdict(file=name, result=result)

    def _library_path(self, scripts: list[ProjectScript]) -> tuple[Path, Path]:
        """Where the library of `scripts` is cached, and the marker left when they do not build."""
        digest = hashlib.sha256(self.content_hash.encode())
        for script in scripts:
            digest.update(script.rel.encode() + b"\0")
        folder = _cache_dir() / "libraries" / digest.hexdigest()[:20]
        return folder / "Project.dll", folder / "failed"

    def _library(self, scripts: list[ProjectScript]) -> Path | None:
        """`scripts` built into a reference assembly (cached by content); None when they do not build."""
        library, failed = self._library_path(scripts)
        if library.is_file():
            return library
        with self._lock:
            if library.is_file():
                return library
            if failed.is_file() or not scripts:
                return None
            texts = [FRIEND, *(s.text for s in scripts)]
            compiled = compile_units(
                texts, self.references, PROJECT_LIMITS, output=library, assembly="Project"
            )
            if compiled.passed and library.is_file():
                return library
            _write_atomic(failed, compiled.run.output[:4000])
            return None


_OPEN: dict[tuple[Path, Path | None], tuple[tuple, UnityProject]] = {}


def open_project(root: Path | str, unity_managed: Path | None = None) -> UnityProject:
    """The project at `root`, read again only when one of its scripts changed (path, size or time)."""
    root = Path(root).resolve()
    managed = Path(unity_managed).resolve() if unity_managed else None
    stamp = tuple((rel, p.stat().st_size, p.stat().st_mtime_ns) for p, rel in script_paths(root))
    known = _OPEN.get((root, managed))
    if known is not None and known[0] == stamp:
        return known[1]
    project = UnityProject.open(root, managed)
    _OPEN[(root, managed)] = (stamp, project)
    return project


def check_file_in_project(
    path: Path, project: UnityProject, limits: SandboxLimits | None = None
) -> ScriptVerdict:
    """The verdict on a `.cs` file in its project: a script of it, or a file standing beside it;
    `limits` as `UnityProject.check_source` takes them."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise ModsmithError(f"cannot read the file: {exc.strerror}", where=str(path)) from None
    text, encoding = decode_source(data)
    verdict = project.check_source(text, project.relative(path), limits=limits)
    return verdict.model_copy(update={"encoding": encoding})


def _cache_dir() -> Path:
    root = os.environ.get("MODSMITH_CACHE")
    return (Path(root) if root else Path.home() / ".cache" / "modsmith") / "unity-projects"


def _write_atomic(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{os.getpid()}")
    partial.write_text(text)
    os.replace(partial, path)


@cache
def _code_version() -> str:
    """The checking code and the compiler: a change to either makes cached verdicts stale."""
    digest = hashlib.sha256(compile_csharp.mcs_version().encode())
    for module in (
        compile_csharp,
        csharp_errors,
        csharp_syntax,
        script_verdicts,
        unity_layout,
        unity_packages,
    ):
        digest.update(Path(module.__file__).read_bytes())
    digest.update(Path(__file__).read_bytes())
    return digest.hexdigest()
