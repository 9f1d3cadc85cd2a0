"""Grounding one code base: the name check and the compile checks, applied to code spans.

`Grounding` holds what the checks need (the symbol index, the git rename history, the compile
pool, the Unity references) and turns the code in an example or a file into `Check`s:
`names` (every API name exists at the user's commit), `compile_c` and `compile_csharp`.

With a C profile the index is the profile's (`symbol_index`: the headers as its preprocessor
sees them, cached per repo and profile), and where a C block was compiled the name check takes
the compiler's verdict on it (`compiler_verdicts`): a name the compiler accepts is never
reported invented, and one reported says whether the compiler rejects it too or never read it.

When the repo is a Unity project, C# blocks are compiled in it, as Unity compiles them: together
with the project's game scripts (`unity_project`), so a block may use the project's classes.
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from modsmith.errors import ModsmithError
from modsmith.ground.c.c_check_pool import CCheckPool
from modsmith.ground.c.c_diagnostics import CCompileResult, assets_extracted
from modsmith.ground.c.profiles import CompileProfile, load_profile
from modsmith.ground.check_config import GroundCheckConfig
from modsmith.ground.code_spans import CodeSpan
from modsmith.ground.csharp.compile_csharp import CSharpResult, csharp_check
from modsmith.ground.csharp.unity_project import UnityProject, is_unity_project, open_project
from modsmith.ground.names.builtin_names import unity_stub_names
from modsmith.ground.names.compiler_verdicts import (
    BlockVerdict,
    block_verdict,
    csharp_block_verdict,
    reached_lines,
    skipped_branches,
)
from modsmith.ground.names.invented import check_names
from modsmith.ground.names.rename_history import RenameHistory
from modsmith.ground.names.repo_index import AssetNames, asset_hooks, open_index
from modsmith.ground.names.symbol_index import SymbolIndex
from modsmith.ground.sandbox import SandboxLimits
from modsmith.records import Check, Provenance

OUTPUT_LINES = 30
MAX_COMPANION_FILES = 300
TYPE_DECLARATION = re.compile(r"\b(?:class|struct|interface|enum)\s+[A-Za-z_]\w*")
FRAGMENT_USINGS = [
    "using System;",
    "using System.Collections;",
    "using System.Collections.Generic;",
    "using UnityEngine;",
]


def merge_csharp_sources(texts: list[str]) -> str:
    """Several C# files as one compilation unit: their leading `using` lines first, then the bodies."""
    usings: dict[str, None] = {}
    bodies = []
    for text in texts:
        lines = text.splitlines()
        start = 0
        while start < len(lines) and (
            not lines[start].strip() or lines[start].strip().startswith(("using ", "//"))
        ):
            if lines[start].strip().startswith("using ") and "(" not in lines[start]:
                usings[lines[start].strip()] = None
            start += 1
        bodies.append("\n".join(lines[start:]))
    return "\n".join(usings) + "\n\n" + "\n\n".join(bodies) + "\n"


@dataclass
class SourcePlace:
    """Where an example's function lives in the repo: its file around the function's lines."""

    file_name: str
    before: str
    after: str
    symbol: str | None = None
    path: str = ""

    @property
    def is_c(self) -> bool:
        return self.file_name.endswith((".c", ".h"))

    def substitute(self, code: str) -> str:
        return f"{self.before}{code}\n{self.after}"

    def fits(self, code: str) -> bool:
        """Whether a block is a definition of the function that stands here."""
        return ("{" in code or "=>" in code) and (self.symbol is None or f"{self.symbol}(" in code)


def source_place(
    repo: Path | None, provenance: Provenance | None, symbol: str | None = None
) -> SourcePlace | None:
    """The place of a function example in `repo`, when its provenance is a C file of that repo."""
    if repo is None or provenance is None or provenance.lines is None or not provenance.path:
        return None
    if (
        not provenance.path.endswith((".c", ".cs"))
        or Path(provenance.source).resolve() != Path(repo).resolve()
    ):
        return None
    path = Path(repo) / provenance.path
    if not path.is_file():
        return None
    lines = path.read_text(encoding="utf-8", errors="replace").splitlines(keepends=True)
    first, last = provenance.lines
    before, after = "".join(lines[: first - 1]), "".join(lines[last:])
    return SourcePlace(provenance.path, before, after, symbol, path.resolve().as_posix())


@dataclass
class Grounding:
    """The checks for one code base (what `config` names), ready to run on many examples or files."""

    config: GroundCheckConfig
    index: SymbolIndex | None = None
    history: RenameHistory | None = None
    pool: CCheckPool | None = None
    _unity_names: frozenset[str] = field(default_factory=frozenset)
    _project: UnityProject | None = field(default=None, repr=False)
    _project_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @classmethod
    def open(
        cls,
        config: GroundCheckConfig,
        *,
        extra_include_dirs: tuple[Path, ...] = (),
        asset_symbols: AssetNames | None = None,
    ) -> Grounding:
        """The checks `config` asks for, each that has what it needs. Not user settings, for tests and
        benchmarks: `extra_include_dirs` are folders of generated headers (asset declarations written
        without a ROM) searched after the profile's include roots; `asset_symbols(repo)` gives the
        names a decomp's asset tools generate (`asset_xml.read_asset_xml`), indexed at their XML file
        and line. Without them, a repo with asset XML in git gets both from that XML."""
        grounding = cls(config)
        repo = grounding.repo.resolve() if grounding.repo is not None else None
        if repo is not None and not repo.is_dir():
            raise ModsmithError("no such directory", where=str(config.repo))
        profile = load_profile(config.profile) if repo is not None and config.profile else None
        extra_dirs = tuple(extra_include_dirs)
        if asset_symbols is None and repo is not None and profile is not None:
            extra_dirs, asset_symbols = asset_hooks(repo, profile, extra_dirs)
        if "names" in config.checks:
            index = Path(config.index) if config.index else None
            grounding.index = open_index(repo, index, profile, extra_dirs, asset_symbols)
            if grounding.index is not None and repo is not None and config.rename_history:
                grounding.history = RenameHistory(repo, grounding.index)
        if "compile" in config.checks and profile is not None:
            generated = profile.with_generated_headers(extra_dirs)
            grounding.pool = CCheckPool(repo, generated, workers=config.workers, limits=grounding.limits)
        grounding._unity_names = unity_stub_names()
        return grounding

    @property
    def repo(self) -> Path | None:
        return Path(self.config.repo) if self.config.repo else None

    @property
    def unity_managed(self) -> Path | None:
        return Path(self.config.unity_managed) if self.config.unity_managed else None

    @cached_property
    def limits(self) -> SandboxLimits:
        """The compilers' sandbox limits (size of the checked code, time, memory)."""
        return SandboxLimits(max_source_bytes=self.config.max_source_bytes)

    def check_spans(
        self,
        spans: list[CodeSpan],
        c_results: Iterator | None = None,
        file_name: str | None = None,
        given: frozenset[str] = frozenset(),
        place: SourcePlace | None = None,
    ) -> dict[str, Check]:
        """All checks of one example's (or file's) spans; `c_results` gives its C blocks' results.

        `file_name` is where a checked file lives in the repo, so its own `"..."` includes resolve.
        `given` are names the prompt itself showed (a function's parameters): never invented.
        `place` is where a C# method example lives in the repo, to compile it in its own class.
        """
        checks: dict[str, Check] = {}
        blocks = [s for s in spans if s.kind == "block"]
        c_blocks = [s for s in blocks if s.lang == "c"]
        compiled: Check | None = None
        verdicts: dict[int, BlockVerdict] = {}
        if c_blocks and self.pool is not None:
            if c_results is not None:
                results = list(c_results)
            elif file_name is not None:
                results = [self.pool.check(s.text, file_name=file_name) for s in c_blocks]
            else:
                results = list(self.pool.check_many(s.text for s in c_blocks))
            compiled = _combined(results, "C", _compiled_against(self.pool.repo, self.pool.profile))
            positions = [i for i, s in enumerate(spans) if s.kind == "block" and s.lang == "c"]
            for position, block, result in zip(positions, c_blocks, results, strict=True):
                substituted = (
                    c_results is not None and place is not None and place.is_c and place.fits(block.text)
                )
                verdicts[position] = self._verdict(
                    block.text, result, file_name, place if substituted else None
                )
        cs_blocks = [s for s in blocks if s.lang == "csharp"]
        cs_results = (
            [self._check_csharp(s.text, place) for s in cs_blocks]
            if cs_blocks and "compile" in self.config.checks
            else []
        )
        cs_positions = [i for i, s in enumerate(spans) if s.kind == "block" and s.lang == "csharp"]
        for position, result in zip(cs_positions, cs_results, strict=False):
            verdict = csharp_block_verdict(result)
            if verdict is not None:
                verdicts[position] = verdict
        if self.index is not None and spans:
            report = check_names(
                spans, self.index, self.history, extra_known=self._unity_names | given, verdicts=verdicts
            )
            checks["names"] = Check(passed=report.passed, detail=report.summary(), data=report.to_dict())
        if compiled is not None:
            checks["compile_c"] = compiled
        if cs_results:
            results = cs_results
            against = "unity" if self.config.unity_managed else "stubs"
            if self.unity_project is not None:
                against = f"project, {against}"
            checks["compile_csharp"] = _combined(results, "C#", against)
        return checks

    def check_many(
        self,
        span_lists: list[list[CodeSpan]],
        places: list[SourcePlace | None] | None = None,
        given: list[frozenset[str]] | None = None,
    ) -> list[dict[str, Check]]:
        """Checks of many examples at once.

        An example whose one C block stands for a function of a repo file (`places[i]`) is compiled
        in that file, in place of the original; the other C blocks go through the pool together.
        """
        places = places or [None] * len(span_lists)
        c_blocks = [[s for s in spans if s.kind == "block" and s.lang == "c"] for spans in span_lists]
        with ThreadPoolExecutor(max_workers=self.config.workers or os.cpu_count() or 2) as threads:
            pending = []  # per example, per C block: a future (in place) or None (pooled)
            pooled_texts = []
            for place, blocks in zip(places, c_blocks, strict=True):
                row = []
                for block in blocks:
                    if self.pool is not None and place is not None and place.is_c and place.fits(block.text):
                        row.append(
                            threads.submit(self.pool.check, place.substitute(block.text), place.file_name)
                        )
                    else:
                        row.append(None)
                        pooled_texts.append(block.text)
                pending.append(row)
            pooled = (
                iter(list(self.pool.check_many(pooled_texts))) if self.pool and pooled_texts else iter(())
            )
            jobs = []
            given = given or [frozenset()] * len(span_lists)
            for spans, row, names, place in zip(span_lists, pending, given, places, strict=True):
                mine = [future.result() if future else next(pooled) for future in row] if self.pool else []
                jobs.append(threads.submit(self.check_spans, spans, iter(mine), None, names, place))
            return [job.result() for job in jobs]

    def _verdict(
        self, code: str, result: CCompileResult, file_name: str | None, place: SourcePlace | None
    ) -> BlockVerdict:
        """The compiler's verdict on one C block; which `#if` branches it skipped is asked of the
        preprocessor only when a name needs it."""
        assert self.pool is not None
        compiled_as = place.file_name if place is not None else file_name or "snippet.c"
        source = place.substitute(code) if place is not None else code
        offset = place.before.count("\n") if place is not None else 0
        repo, profile = self.pool.repo, self.pool.profile
        found: list = []

        def skipped(line: int) -> str | None:
            if not found:
                found.append(skipped_branches(source, reached_lines(source, repo, profile, compiled_as)))
            return found[0](line)

        return block_verdict(result, compiled_as, offset, code.count("\n") + 1, skipped)

    @property
    def unity_project(self) -> UnityProject | None:
        """The repo as a Unity project, read and checked whole on first use; None when it is none."""
        if self._project is None and self.repo is not None and is_unity_project(self.repo):
            with self._project_lock:
                if self._project is None:
                    project = open_project(self.repo, self.unity_managed)
                    project.verdicts()  # once, before the threads checking examples use it
                    self._project = project
        return self._project

    def _check_csharp(self, code: str, place: SourcePlace | None) -> CSharpResult:
        """One C# block compiled: in the repo's Unity project (a method from one of its scripts in
        that script, any other block as a new file of it), else alone against Unity."""
        project = self.unity_project
        if project is None:
            source = self._csharp_source(code, place)
            return csharp_check(source, unity_managed=self.unity_managed, limits=self.limits)
        if place is not None and not place.is_c and place.fits(code):
            source, rel = place.substitute(code), project.relative(Path(place.path))
        else:
            source, rel = self._csharp_source(code, None), None
        return project.check_source(source, rel, limits=self.limits).result

    @cached_property
    def repo_scripts(self) -> dict[str, str]:
        """The repo's C# files (resolved path -> text), read once; a method is compiled among them."""
        if self.repo is None:
            return {}
        scripts = sorted(self.repo.resolve().rglob("*.cs"))[:MAX_COMPANION_FILES]
        return {p.as_posix(): p.read_text(encoding="utf-8", errors="replace") for p in scripts}

    def _csharp_source(self, code: str, place: SourcePlace | None) -> str:
        """A C# block as a compilable unit: in its own file among the repo's other scripts when it is
        a method from the repo; wrapped in a MonoBehaviour when it is a bare member; else as written."""
        if place is not None and not place.is_c and place.fits(code) and self.repo is not None:
            others = [text for path, text in self.repo_scripts.items() if path != place.path]
            return merge_csharp_sources([place.substitute(code), *others])
        if TYPE_DECLARATION.search(code):
            return code
        usings = [line for line in code.splitlines() if line.strip().startswith("using ")]
        body = "\n".join(line for line in code.splitlines() if not line.strip().startswith("using "))
        head = "\n".join(dict.fromkeys([*FRAGMENT_USINGS, *usings]))
        return f"{head}\n\npublic class ModsmithFragment : MonoBehaviour\n{{\n{body}\n}}\n"

    def close(self) -> None:
        if self.history is not None:
            self.history.close()
        if self.index is not None:
            self.index.close()


def _combined(results: list[Any], language: str, against: str) -> Check:
    """One Check for all blocks of one example: passed when every block compiles."""
    failed = [r for r in results if not r.passed]
    blocks = [
        {
            "passed": r.passed,
            "failure_class": r.failure_class,
            "detail": getattr(r, "detail", ""),
            "compiler_output": "\n".join(r.compiler_output.splitlines()[:OUTPUT_LINES]),
            "unknown": _unknown_names(r),
        }
        for r in results
    ]
    if not failed:
        return Check(
            passed=True,
            detail=f"{len(results)} {language} block(s) compile ({against})",
            data={"blocks": blocks, "against": against},
        )
    first = failed[0]
    detail = (
        f"{first.failure_class}: {getattr(first, 'detail', '') or first.compiler_output.splitlines()[0:1]}"
    )
    return Check(
        passed=False,
        detail=detail,
        data={"blocks": blocks, "against": against, "failure_class": first.failure_class},
    )


def _compiled_against(repo: Path, profile: CompileProfile) -> str:
    if profile.generated_include_dirs and not assets_extracted(repo, profile):
        return f"{profile.name}; asset declarations generated from the asset XML in git, no ROM"
    return profile.name


def _unknown_names(result: Any) -> list[dict[str, str | None]]:
    """Names the compiler called unknown: C identifiers, or C# API members with their type."""
    if hasattr(result, "unknown_api"):
        return [{"name": u.name, "on": u.on} for u in result.unknown_api]
    return [{"name": name, "on": None} for name in result.names]
