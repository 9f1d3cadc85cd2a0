"""`modsmith check`: what a command line asks to check, the verdict on each file, and the exit code.

`check_command` decides from the paths given: no path and a Unity project as the repo checks every
game script of that project (`check_unity_project`); one examples JSONL is a dataset for the
`ground.check` stage (a `DatasetCheck`: the caller runs it, since running stages is above
`ground`); else each `.c`/`.h`/`.cs` file gets a `FileVerdict` (`check_file`). A C file is checked
against a code base, so it needs a repo or an index. The exit code is 0 when everything passed,
1 when a check failed (2, a usage or input error, is a `ModsmithError`).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field, SerializerFunctionWrapHandler, model_serializer

from modsmith.errors import ModsmithError
from modsmith.ground.c_fragments import check_in_includer
from modsmith.ground.check_config import GroundCheckConfig
from modsmith.ground.code_spans import file_spans
from modsmith.ground.csharp.script_verdicts import ScriptVerdict
from modsmith.ground.csharp.unity_project import check_file_in_project, is_unity_project, open_project
from modsmith.ground.failure_classes import FailureClass
from modsmith.ground.grounding import Grounding
from modsmith.ground.report import GroundingReport
from modsmith.records import Check

#: keys of a verdict on a script compiled in its Unity project only
UNITY_KEYS = ("through", "packages", "encoding")


class FileVerdict(BaseModel):
    """The verdict on one file: passed, failure class and one line why (`detail`), invented and
    known names, compiler output, and every check's result. `--json` prints `model_dump()`."""

    file: str
    passed: bool
    failure_class: FailureClass | Literal["nothing_checked"] | None = None
    detail: str = ""
    #: a script of a Unity project: the failing script it fails through
    through: str | None = None
    #: a `.c` fragment: the file it was compiled in (see `c_fragments`)
    checked_in: str | None = None
    #: a script of a Unity project: the packages it needs, and the encoding it was read in
    packages: list[str] | None = None
    encoding: str | None = None
    invented: list[dict[str, Any]] = Field(default_factory=list)
    arity_errors: list[dict[str, Any]] = Field(default_factory=list)
    known: list[dict[str, Any]] = Field(default_factory=list)
    commit: str | None = None
    compiler_output: str = ""
    checks: dict[str, Check] = Field(default_factory=dict)

    @model_serializer(mode="wrap")
    def _unity_keys_for_scripts_only(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        data = handler(self)
        if self.encoding is None:  # not a script compiled in its Unity project
            for key in UNITY_KEYS:
                data.pop(key, None)
        return data


@dataclass
class DatasetCheck:
    """An examples JSONL for the `ground.check` stage with `config`, its output `output`."""

    data: Path
    output: Path
    config: GroundCheckConfig


@dataclass
class FilesChecked:
    """The verdicts on files; for a whole Unity project also its one-line `summary`, and only the
    failing scripts are shown in words."""

    verdicts: list[FileVerdict]
    summary: str | None = None

    def shown(self, verdict: FileVerdict) -> bool:
        return self.summary is None or not verdict.passed

    @property
    def exit_code(self) -> int:
        return 0 if all(v.passed for v in self.verdicts) else 1


def check_config(
    *,
    repo: Path | None = None,
    index: Path | None = None,
    profile: str | None = None,
    unity_managed: Path | None = None,
    on_fail: str | None = None,
    rename_history: bool | None = None,
    max_source_bytes: int | None = None,
) -> GroundCheckConfig:
    """The config for the command's options: an option not given (None) keeps the config's default;
    a profile applies only with a repo (without one there is nothing to compile against)."""
    given = {"on_fail": on_fail, "rename_history": rename_history, "max_source_bytes": max_source_bytes}
    options: dict[str, Any] = {k: v for k, v in given.items() if v is not None}
    if profile is not None or repo is None:
        options["profile"] = profile if repo else None
    return GroundCheckConfig(
        repo=str(repo) if repo else None,
        index=str(index) if index else None,
        unity_managed=str(unity_managed) if unity_managed else None,
        **options,
    )


def check_command(
    paths: list[Path], config: GroundCheckConfig, output: Path | None = None
) -> DatasetCheck | FilesChecked:
    """What `modsmith check PATHS` does with `config` (see the module doc); `output` is where a
    dataset's checked examples go (default: NAME.checked.jsonl beside it)."""
    repo = Path(config.repo) if config.repo else None
    if not paths and repo is not None and is_unity_project(repo):
        return FilesChecked(*check_unity_project(repo, _path(config.unity_managed)))
    if not paths:
        raise ModsmithError(
            "nothing to check", hint="give files or an examples JSONL, or --repo with a Unity project"
        )
    datasets = [p for p in paths if p.suffix == ".jsonl"]
    if datasets:
        if len(paths) != 1:
            raise ModsmithError("give one examples JSONL file, or source files, not both")
        data = datasets[0]
        return DatasetCheck(data, output or data.with_name(data.stem + ".checked.jsonl"), config)
    if any(p.suffix in (".c", ".h") for p in paths) and repo is None and config.index is None:
        raise ModsmithError(
            "a C file is checked against a code base",
            where=str(paths[0]),
            hint="give --repo (your decomp checkout) and --profile",
        )
    grounding = Grounding.open(config)
    try:
        return FilesChecked([check_file(path, grounding) for path in paths])
    finally:
        grounding.close()


def dataset_exit_code(report: GroundingReport) -> int:
    """0 when every check of every example passed, else 1."""
    return 0 if sum(report.failed.values()) == 0 else 1


def check_file(path: Path, grounding: Grounding) -> FileVerdict:
    """A verdict on one .c/.h/.cs file. A `.cs` file of (or beside) a Unity project is compiled with
    the project's scripts; a `.c` file another one includes is compiled inside that file."""
    repo = grounding.repo
    too_large = _too_large(path, grounding.limits.max_source_bytes)
    if too_large is not None:
        return too_large
    if path.suffix == ".cs" and repo is not None and is_unity_project(repo):
        project = open_project(repo, grounding.unity_managed)
        return script_verdict(check_file_in_project(path, project, grounding.limits), str(path))
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
    return FileVerdict(
        file=str(path),
        passed=not failed and bool(checks),
        failure_class=failure_class if checks else "nothing_checked",
        detail=detail,
        checked_in=fragment.includer if fragment is not None else None,
        invented=invented,
        arity_errors=names.data.get("arity_errors", []) if names else [],
        known=names.data.get("known", []) if names else [],
        commit=names.data.get("commit") if names else None,
        compiler_output=blocks[0]["compiler_output"] if blocks else "",
        checks=checks,
    )


def _too_large(path: Path, limit: int) -> FileVerdict | None:
    """The verdict on a file larger than the checks accept (`limit` bytes), before anything reads it."""
    try:
        size = path.stat().st_size
    except OSError:
        return None  # reading it reports the error
    if size <= limit:
        return None
    detail = f"the file is {size:,} bytes; the checks accept at most {limit:,}"
    size_check = Check(passed=False, detail=detail, data={"failure_class": "too_large"})
    return FileVerdict(
        file=str(path), passed=False, failure_class="too_large", detail=detail, checks={"size": size_check}
    )


def _names_class(check: Check) -> str:
    """The class of a failed names check: an invented name, else only argument counts."""
    return (
        "invented_name"
        if check.data.get("invented") or not check.data.get("arity_errors")
        else "wrong_arguments"
    )


def script_verdict(verdict: ScriptVerdict, shown: str | None = None) -> FileVerdict:
    """A Unity script's verdict as a file's (shown as `shown`, default its path in the project)."""
    result = verdict.result
    invented = [
        {"name": u.name, "usage": f"member of {u.on}" if u.on else "name", "line": u.line, "suggestions": []}
        for u in result.unknown_api
    ]
    check = Check(
        passed=result.passed,
        detail=result.detail or ("compiles in its project" if result.passed else ""),
        data={"failure_class": result.failure_class, "against": "project", "result": result.model_dump()},
    )
    return FileVerdict(
        file=shown or verdict.file,
        passed=result.passed,
        failure_class=result.failure_class,
        detail=result.detail,
        through=verdict.through,
        packages=result.packages,
        encoding=verdict.encoding,
        invented=invented,
        compiler_output=result.compiler_output,
        checks={"compile_csharp": check},
    )


def check_unity_project(repo: Path, unity_managed: Path | None = None) -> tuple[list[FileVerdict], str]:
    """Every game script of a Unity project compiled as Unity compiles it: a verdict per script, and
    a one-line summary (how many compile, failures by class, editor-only scripts left out)."""
    project = open_project(repo, unity_managed)
    verdicts = [script_verdict(v) for v in project.verdicts().values()]
    failed = Counter(v.failure_class for v in verdicts if not v.passed)
    summary = f"{len(verdicts)} scripts: {len(verdicts) - sum(failed.values())} compile"
    if failed:
        classes = ", ".join(f"{n} {c}" for c, n in failed.most_common())
        summary += f", {sum(failed.values())} fail ({classes})"
    if project.editor_scripts:
        summary += f"; {len(project.editor_scripts)} editor-only scripts not checked"
    return verdicts, summary


def verdict_lines(verdict: FileVerdict) -> list[str]:
    """The verdict in words: PASS or FAIL and why, each invented name and wrong argument count with
    the reason under it, where the known names are, and the compiler's first lines on a failure."""
    status = "PASS" if verdict.passed else f"FAIL ({verdict.failure_class})"
    lines = [f"{verdict.file}: {status}"]
    if not verdict.passed and verdict.detail:
        lines.append(f"  {verdict.detail}")
    elif verdict.checked_in:
        lines.append(f"  checked inside {verdict.checked_in}")
    for item in verdict.invented:
        extra = f"; renamed to {item['renamed_to']} in {item['renamed_in']}" if item.get("renamed_to") else ""
        maybe = f"; did you mean {', '.join(item['suggestions'])}?" if item.get("suggestions") else ""
        line = f" (line {item['line']})" if item.get("line") else ""
        lines.append(f"  invented {item['usage']} {item['name']}{line}{extra}{maybe}")
        lines += _why(item)
    for item in verdict.arity_errors:
        lines.append(
            f"  {item['name']}: {item['given']} arguments, expects {item['expected']} "
            f"({item['file']}:{item['line']})"
        )
        lines += _why(item)
    known = [k for k in verdict.known if k.get("file")]
    if known:
        shown = ", ".join(f"{k['name']} ({k['file']}:{k['line']})" for k in known[:8])
        more = f" and {len(known) - 8} more" if len(known) > 8 else ""
        lines.append(f"  exists at {verdict.commit or 'HEAD'}: {shown}{more}")
    if verdict.compiler_output and not verdict.passed:
        lines.append("  compiler:")
        lines += [f"    {line}" for line in verdict.compiler_output.splitlines()[:12]]
    return lines


def _why(item: dict[str, Any]) -> list[str]:
    """The reason under a reported name: its `detail` (which quotes the compiler where one checked
    the code), else the compiler's word alone."""
    why = item.get("detail") or (f"the compiler: {item['compiler']}" if item.get("compiler") else "")
    return [f"    {why}"] if why else []


def _path(value: str | None) -> Path | None:
    return Path(value) if value else None
