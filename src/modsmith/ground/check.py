"""The `ground.check` stage, and checking single files.

For each example, the code in its assistant turns is checked against the user's code base: every
API name must exist at the user's commit (`names`), C blocks must compile with the profile
(`compile_c`), C# blocks against Unity (`compile_csharp`). Results go into `Example.checks`; a
failing example is kept, tagged or dropped as the config says.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator
from itertools import islice
from pathlib import Path
from typing import Any, Literal

from pydantic import Field

from modsmith.ground.c_fragments import check_in_includer
from modsmith.ground.code_spans import code_spans, file_spans
from modsmith.ground.csharp.unity_project import check_file_in_project, is_unity_project, open_project
from modsmith.ground.grounding import Grounding, GroundingSetup, SourcePlace, source_place
from modsmith.ground.report import GroundingReport
from modsmith.ground.sandbox import SandboxLimits
from modsmith.records import Check, Example, Record
from modsmith.stage import Rejects, Stage, StageConfig

WINDOW = 64
IDENTIFIER = re.compile(r"\b[A-Za-z_]\w*\b")


class GroundCheckConfig(StageConfig):
    repo: str | None = Field(
        default=None, description="Your checkout of the code base (C decomp or Unity project) at your commit."
    )
    index: str | None = Field(
        default=None, description="A symbol index from `modsmith index`; default: one of `repo`, cached."
    )
    profile: str | None = Field(
        default="oot-gc-eu-mq-dbg",
        description="C compile profile: oot-gc-eu-mq-dbg, oot-ntsc-1.2, hackeroot-ntsc-1.2 or a YAML path; "
        "null skips the C compile check.",
    )
    unity_managed: str | None = Field(
        default=None, description="Unity's Editor/Data/Managed folder; else C# is checked against the stubs."
    )
    checks: list[Literal["names", "compile"]] = Field(
        default_factory=lambda: ["names", "compile"], description="Which checks to run."
    )
    languages: list[Literal["c", "csharp"]] = Field(
        default_factory=lambda: ["c", "csharp"],
        description="Code checked: C and/or C# blocks (e.g. one stage per repo when a dataset mixes both).",
    )
    roles: list[Literal["user", "assistant"]] = Field(
        default_factory=lambda: ["assistant"], description="Turns whose code is checked."
    )
    on_fail: Literal["keep", "tag", "drop"] = Field(
        default="keep",
        description="keep: results in checks only; tag: also meta.grounding_failed lists the failed checks; "
        "drop: failing examples go to rejected.jsonl with the reason.",
    )
    rename_history: bool = Field(default=True, description="Look up renames in the repo's git history.")
    workers: int | None = Field(default=None, ge=1, description="Parallel compiler runs (default: CPUs).")
    max_source_bytes: int = Field(
        default=SandboxLimits().max_source_bytes,
        ge=1024,  # SandboxLimits' own minimum
        description="Largest code a check accepts, in UTF-8 bytes: a larger block fails as `too_large` "
        "without being read (nor compiled).",
    )


def setup_from(config: GroundCheckConfig) -> GroundingSetup:
    return GroundingSetup(
        repo=Path(config.repo) if config.repo else None,
        index=Path(config.index) if config.index else None,
        profile=config.profile,
        unity_managed=Path(config.unity_managed) if config.unity_managed else None,
        workers=config.workers,
        rename_history=config.rename_history,
        checks=tuple(config.checks),
        limits=SandboxLimits(max_source_bytes=config.max_source_bytes),
    )


class GroundCheck(Stage):
    """Examples in, examples with grounding checks out (failing ones kept, tagged or dropped)."""

    name = "ground.check"
    Config = GroundCheckConfig

    def __init__(self, config: Any = None, **kwargs: Any):
        super().__init__(config, **kwargs)
        self.report = GroundingReport()

    def process(self, records: Iterable[Record], rejects: Rejects) -> Iterator[Record]:
        config: GroundCheckConfig = self.config
        grounding = Grounding.open(setup_from(config))
        self.report = GroundingReport()
        iterator = iter(records)
        try:
            while window := list(islice(iterator, WINDOW)):
                examples = [r for r in window if isinstance(r, Example)]
                spans = [
                    [s for s in code_spans(e, roles=tuple(config.roles)) if s.lang in config.languages]
                    for e in examples
                ]
                places = [self._place(grounding, e) for e in examples]
                given = [self._given_names(e) for e in examples]
                results = iter(grounding.check_many(spans, places, given))
                for record in window:
                    if not isinstance(record, Example):
                        yield record
                        continue
                    checks = next(results)
                    record.checks.update(checks)
                    self.report.add(record.id, checks)
                    failed = [name for name, check in checks.items() if not check.passed]
                    if failed and config.on_fail == "drop":
                        first = checks[failed[0]]
                        rejects.add(record, f"ground: {failed[0]} failed", first.detail)
                        continue
                    if failed and config.on_fail == "tag":
                        record.meta["grounding_failed"] = failed
                    yield record
        finally:
            grounding.close()

    def _given_names(self, example: Example) -> frozenset[str]:
        """Identifiers in the code of the turns that are not checked (the prompt's own code)."""
        other = tuple(role for role in ("user", "assistant") if role not in self.config.roles)
        spans = code_spans(example, roles=other) if other else []
        return frozenset(name for span in spans for name in IDENTIFIER.findall(span.text))

    def outside_paths(self) -> list[Path]:
        """Its config's inputs (repo, index, profile YAML, Unity's folder) and the folders of its
        profile's `generated_dirs` in the repo: headers the build writes there (`make setup`'s
        `extracted/<version>`) are ignored by git, so the repo's state does not show them."""
        from modsmith.errors import ModsmithError
        from modsmith.ground.c.profiles import load_profile

        paths = super().outside_paths()
        config: GroundCheckConfig = self.config
        if not config.repo or not config.profile:
            return paths
        try:
            profile = load_profile(config.profile)
        except ModsmithError:
            return paths  # the stage itself reports it
        repo = Path(config.repo).expanduser()
        generated = [repo / d for d in profile.generated_dirs if not any(ch in d for ch in "*?[")]
        return [*paths, *(folder for folder in generated if folder.is_dir())]

    @staticmethod
    def _place(grounding: Grounding, example: Example) -> SourcePlace | None:
        """An example about one function of the repo (`meta.symbol` and its provenance) is compiled in
        that function's own file, with its includes, statics and macros."""
        if not example.meta.get("symbol") or not example.provenance:
            return None
        return source_place(grounding.setup.repo, example.provenance[0], example.meta.get("symbol"))

    def summary(self) -> dict[str, Any]:
        data = self.report.to_dict()
        return {"examples": data["examples"], "checks": data["checks"]}

    def reports(self) -> dict[str, str]:
        return {"report.md": self.report.to_markdown(), "report.json": self.report.to_json()}


def _too_large(path: Path, limit: int) -> dict[str, Any] | None:
    """The verdict on a file larger than the checks accept (`limit` bytes), before anything reads it."""
    try:
        size = path.stat().st_size
    except OSError:
        return None  # reading it reports the error
    if size <= limit:
        return None
    detail = f"the file is {size:,} bytes; the checks accept at most {limit:,}"
    return {
        "file": str(path),
        "passed": False,
        "failure_class": "too_large",
        "detail": detail,
        "checked_in": None,
        "invented": [],
        "arity_errors": [],
        "known": [],
        "commit": None,
        "compiler_output": "",
        "checks": {"size": {"passed": False, "detail": detail, "data": {"failure_class": "too_large"}}},
    }


def check_file(path: Path, grounding: Grounding) -> dict[str, Any]:
    """A verdict on one .c/.h/.cs file: passed, failure class and one line why (`detail`), invented
    and known names, compiler output. A `.cs` file of (or beside) a Unity project is compiled with the
    project's scripts."""
    repo = grounding.setup.repo
    too_large = _too_large(path, grounding.setup.limits.max_source_bytes)
    if too_large is not None:
        return too_large
    if path.suffix == ".cs" and repo is not None and is_unity_project(repo):
        project = open_project(repo, grounding.setup.unity_managed)
        return check_file_in_project(path, project, grounding.setup.limits).as_file_verdict(str(path))
    name = path.name if path.suffix in (".c", ".h") else None
    in_repo = bool(name) and repo is not None and path.resolve().is_relative_to(Path(repo).resolve())
    if in_repo:
        name = path.resolve().relative_to(Path(repo).resolve()).as_posix()
    spans = file_spans(path)
    # a `.c` file another one includes (an actor's `.inc.c` data) is compiled inside that file
    fragment = (
        check_in_includer(path, spans, grounding, name if in_repo else None) if path.suffix == ".c" else None
    )
    if fragment is not None and fragment.checks is not None:
        checks = fragment.checks
    else:
        checks = grounding.check_spans(spans, file_name=name)
    names = checks.get("names")
    compiled = checks.get("compile_c") or checks.get("compile_csharp")
    failed: list[tuple[str, Check]] = [(n, c) for n, c in checks.items() if not c.passed]
    failure_class, detail = None, ""
    if failed:  # the compiler's class first: it names the first real problem (wrong arguments ...)
        name, check = min(failed, key=lambda item: item[0] == "names")
        failure_class = check.data.get("failure_class") or _names_class(check)
        detail = check.detail
    blocks = compiled.data.get("blocks", []) if compiled else []
    invented = names.data.get("invented", []) if names else []
    if not invented:  # without an index, the compiler's unknown names are the invented ones
        invented = [
            {"name": u["name"], "usage": f"member of {u['on']}" if u["on"] else "name", "suggestions": []}
            for block in blocks
            for u in block.get("unknown", [])
        ]
    if fragment is not None:
        detail = f"{detail}; {fragment.note}" if detail else fragment.note
    return {
        "file": str(path),
        "passed": not failed and bool(checks),
        "failure_class": failure_class if checks else "nothing_checked",
        "detail": detail,
        "checked_in": fragment.includer if fragment is not None else None,
        "invented": invented,
        "arity_errors": names.data.get("arity_errors", []) if names else [],
        "known": names.data.get("known", []) if names else [],
        "commit": names.data.get("commit") if names else None,
        "compiler_output": blocks[0]["compiler_output"] if blocks else "",
        "checks": {n: c.model_dump() for n, c in checks.items()},
    }


def _names_class(check: Check) -> str:
    """The class of a failed names check: an invented name, else only argument counts."""
    return (
        "invented_name"
        if check.data.get("invented") or not check.data.get("arity_errors")
        else "wrong_arguments"
    )


def check_unity_project(repo: Path, unity_managed: Path | None = None) -> tuple[list[dict[str, Any]], str]:
    """Every game script of a Unity project compiled as Unity compiles it: a verdict per script, and
    a one-line summary (how many compile, failures by class, editor-only scripts left out)."""
    project = open_project(repo, unity_managed)
    verdicts = [v.as_file_verdict() for v in project.verdicts().values()]
    failed = Counter(v["failure_class"] for v in verdicts if not v["passed"])
    summary = f"{len(verdicts)} scripts: {len(verdicts) - sum(failed.values())} compile"
    if failed:
        classes = ", ".join(f"{n} {c}" for c, n in failed.most_common())
        summary += f", {sum(failed.values())} fail ({classes})"
    if project.editor_scripts:
        summary += f"; {len(project.editor_scripts)} editor-only scripts not checked"
    return verdicts, summary
