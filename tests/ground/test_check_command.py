"""`modsmith check`'s pieces without the command line: the config its options make, which paths it
accepts, and the typed verdict whose `model_dump` is the `--json` line."""

from __future__ import annotations

import pytest

from modsmith.errors import ModsmithError
from modsmith.ground.check_command import (
    DatasetCheck,
    FilesChecked,
    check_command,
    check_config,
    check_file,
    script_verdict,
)
from modsmith.ground.check_config import GroundCheckConfig
from modsmith.ground.csharp.compile_csharp import CSharpResult
from modsmith.ground.csharp.csharp_errors import UnknownApi
from modsmith.ground.csharp.script_verdicts import ScriptVerdict
from modsmith.ground.grounding import Grounding

#: the keys of a `--json` line, in order: a C or lone C# file, and a script of a Unity project
FILE_KEYS = [
    "file", "passed", "failure_class", "detail", "checked_in", "invented", "arity_errors", "known",
    "commit", "compiler_output", "checks",
]  # fmt: skip
SCRIPT_KEYS = [
    "file", "passed", "failure_class", "detail", "through", "checked_in", "packages", "encoding",
    "invented", "arity_errors", "known", "commit", "compiler_output", "checks",
]  # fmt: skip


def test_options_not_given_keep_the_stage_configs_defaults(tmp_path):
    defaults = GroundCheckConfig()
    config = check_config(repo=tmp_path)
    assert config.repo == str(tmp_path)
    assert config.profile == defaults.profile and config.profile  # the one default, defined once
    assert (config.on_fail, config.rename_history, config.max_source_bytes) == (
        defaults.on_fail,
        defaults.rename_history,
        defaults.max_source_bytes,
    )
    given = check_config(
        repo=tmp_path, profile="p.yaml", on_fail="drop", rename_history=False, max_source_bytes=4096
    )
    assert (given.profile, given.on_fail, given.rename_history, given.max_source_bytes) == (
        "p.yaml",
        "drop",
        False,
        4096,
    )


def test_without_a_repo_there_is_no_profile(tmp_path):
    assert check_config().profile is None
    assert check_config(profile="oot-ntsc-1.2", index=tmp_path / "i.sqlite").profile is None


def test_which_paths_the_command_accepts(tmp_path):
    with pytest.raises(ModsmithError, match="nothing to check"):
        check_command([], check_config())
    with pytest.raises(ModsmithError, match="one examples JSONL"):
        check_command([tmp_path / "a.jsonl", tmp_path / "b.c"], check_config())
    with pytest.raises(ModsmithError, match="checked against a code base") as raised:
        check_command([tmp_path / "b.c"], check_config())
    assert str(tmp_path / "b.c") in raised.value.one_line()
    data = tmp_path / "examples.jsonl"
    dataset = check_command([data], check_config(repo=tmp_path, on_fail="tag"))
    assert isinstance(dataset, DatasetCheck)
    assert dataset.output == tmp_path / "examples.checked.jsonl" and dataset.config.on_fail == "tag"
    elsewhere = check_command([data], check_config(), tmp_path / "out.jsonl")
    assert isinstance(elsewhere, DatasetCheck) and elsewhere.output == tmp_path / "out.jsonl"


def test_a_file_verdict_dumps_the_keys_of_a_json_line(tmp_path):
    source = tmp_path / "big.cs"
    source.write_text("// " + "x" * 2000 + "\n")
    grounding = Grounding.open(GroundCheckConfig(profile=None, max_source_bytes=1024))
    try:
        verdict = check_file(source, grounding)
    finally:
        grounding.close()
    assert not verdict.passed and verdict.failure_class == "too_large"
    dumped = verdict.model_dump()
    assert list(dumped) == FILE_KEYS
    assert dumped["checks"]["size"] == {
        "passed": False,
        "detail": verdict.detail,
        "data": {"failure_class": "too_large"},
    }
    checked = FilesChecked([verdict])
    assert checked.exit_code == 1 and checked.shown(verdict)


def test_a_scripts_verdict_also_dumps_its_project_keys():
    result = CSharpResult(
        passed=False,
        failure_class="invented_name",
        detail="line 3: CS1061 ...",
        unknown_api=[UnknownApi(name="Rotatee", on="UnityEngine.Transform", code="CS1061", line=3)],
    )
    verdict = script_verdict(ScriptVerdict(file="Assets/Scripts/Spin.cs", result=result), "Spin.cs")
    dumped = verdict.model_dump()
    assert list(dumped) == SCRIPT_KEYS
    assert (dumped["file"], dumped["through"], dumped["packages"], dumped["encoding"]) == (
        "Spin.cs",
        None,
        [],
        "utf-8",
    )
    assert dumped["invented"] == [
        {"name": "Rotatee", "usage": "member of UnityEngine.Transform", "line": 3, "suggestions": []}
    ]
    assert dumped["checks"]["compile_csharp"]["data"]["against"] == "project"
    project = FilesChecked([verdict, verdict.model_copy(update={"passed": True})], summary="2 scripts")
    assert [project.shown(v) for v in project.verdicts] == [True, False]  # a project shows its failures
