"""`modsmith index` and `modsmith check` on files and datasets, and the ground.check stage."""

import json
import shutil
import sqlite3

import pytest

from modsmith.records import Example, Message, read_jsonl, write_jsonl

needs_gcc = pytest.mark.skipif(shutil.which("gcc") is None, reason="needs gcc")
needs_mcs = pytest.mark.skipif(shutil.which("mcs") is None, reason="needs mono-mcs")

GOOD_C = """void EnFoo_Update(Actor* thisx, PlayState* play) {
    Actor_SetScale(thisx, 0.01f);
    DebugDisplay_AddObject(0, 0, 0, 0, 0, 0, 1, 1, 1, NULL, 0, play->state.gfxCtx);
}"""
OLD_MATRIX = """void EnFoo_Draw(Actor* thisx, PlayState* play) {
    OPEN_DISPS(play->state.gfxCtx, "z_en_foo.c", 10);
    gSPMatrix(POLY_OPA_DISP++, Matrix_NewMtx(play->state.gfxCtx, "z_en_foo.c", 11), G_MTX_LOAD);
    CLOSE_DISPS(play->state.gfxCtx, "z_en_foo.c", 12);
}"""
NEVER_EXISTED = """void EnFoo_Draw(Actor* thisx, PlayState* play) {
    OPEN_DISPS(play->state.gfxCtx, "z_en_foo.c", 10);
    MATRIX_NEWMTX(POLY_OPA_DISP++, play->state.gfxCtx);
    CLOSE_DISPS(play->state.gfxCtx, "z_en_foo.c", 12);
}"""
BAD_MEMBER = """void EnFoo_Update(Actor* thisx, PlayState* play) {
    thisx->worldPos.y += 1.0f;
}"""
BAD_ARITY = """s32 EnFoo_Clamp(s32 x) {
    return CLAMP(x, 0);
}"""
BAD_CSHARP = """using UnityEngine;

public class Coin : MonoBehaviour
{
    void Update() { transform.Rotatee(Vector3.up); }
}"""


def _example(code: str, lang: str = "c") -> Example:
    answer = f"Here is the code:\n\n```{lang}\n{code}\n```\n"
    return Example.create(
        "code.implement",
        [Message(role="user", content="Write it."), Message(role="assistant", content=answer)],
    )


@pytest.fixture
def dataset(tmp_path):
    examples = [
        _example(GOOD_C),
        _example(OLD_MATRIX),
        _example(NEVER_EXISTED),
        _example(BAD_MEMBER),
        _example(BAD_ARITY),
        _example(BAD_CSHARP, "csharp"),
        Example.create(
            "guide.qa", [Message(role="user", content="Q?"), Message(role="assistant", content="A.")]
        ),
    ]
    path = tmp_path / "examples.jsonl"
    write_jsonl(path, examples)
    return path


@needs_gcc
@needs_mcs
def test_check_dataset_adds_checks_and_writes_reports(modsmith, decomp_repo, dataset, tmp_path):
    repo, commits = decomp_repo
    result = modsmith("check", str(dataset), "--repo", str(repo), "-o", str(tmp_path / "checked.jsonl"))
    assert result.returncode == 1, result.stderr  # some examples fail
    checked = list(read_jsonl(tmp_path / "checked.jsonl", Example))
    assert len(checked) == 7
    good, old, never, member, arity, csharp, prose = checked
    assert good.checks["names"].passed and good.checks["compile_c"].passed
    assert not old.checks["names"].passed
    invented = old.checks["names"].data["invented"][0]
    assert invented["name"] == "Matrix_NewMtx" and invented["renamed_to"] == "Matrix_Finalize"
    assert commits["new"].startswith(invented["renamed_in"].split()[0])
    assert old.checks["compile_c"].data["failure_class"] == "invented_name"
    never_invented = never.checks["names"].data["invented"][0]
    assert never_invented["name"] == "MATRIX_NEWMTX" and never_invented["renamed_to"] is None
    assert (
        not member.checks["compile_c"].passed
        and member.checks["compile_c"].data["failure_class"] == "invented_name"
    )
    assert (
        not arity.checks["names"].passed and arity.checks["names"].data["arity_errors"][0]["name"] == "CLAMP"
    )
    assert csharp.checks["compile_csharp"].data["failure_class"] == "invented_name"
    assert prose.checks == {}
    report = json.loads((tmp_path / "checked.report.json").read_text())
    assert report["checks"]["compile_c"] == {"passed": 1, "failed": 4, "pass_rate": 0.2}
    assert {i["name"] for i in report["invented"]} >= {"Matrix_NewMtx", "MATRIX_NEWMTX"}
    markdown = (tmp_path / "checked.report.md").read_text()
    assert "`Matrix_NewMtx`" in markdown and "to `Matrix_Finalize`" in markdown
    assert "does not prove" in markdown


@needs_gcc
def test_on_fail_drop_and_tag(modsmith, decomp_repo, dataset, tmp_path):
    repo, _ = decomp_repo
    out = tmp_path / "dropped.jsonl"
    modsmith("check", str(dataset), "--repo", str(repo), "-o", str(out), "--on-fail", "drop")
    kept = list(read_jsonl(out, Example))
    assert [e.checks.get("names").passed for e in kept if "names" in e.checks] == [True]
    rejected = [json.loads(line) for line in (tmp_path / "dropped.rejected.jsonl").read_text().splitlines()]
    assert len(rejected) == 5 and all(r["reason"].startswith("ground: ") for r in rejected)
    tagged = tmp_path / "tagged.jsonl"
    modsmith("check", str(dataset), "--repo", str(repo), "-o", str(tagged), "--on-fail", "tag")
    flags = [e.meta.get("grounding_failed") for e in read_jsonl(tagged, Example)]
    assert flags[0] is None and flags[1] == ["names", "compile_c"]


@needs_gcc
def test_check_files_json_and_exit_codes(modsmith, decomp_repo, tmp_path):
    repo, _ = decomp_repo
    good, bad = tmp_path / "good.c", tmp_path / "bad.c"
    good.write_text('#include "global.h"\n' + GOOD_C + "\n")
    bad.write_text('#include "global.h"\n' + OLD_MATRIX + "\n")
    result = modsmith("check", str(good), str(bad), "--repo", str(repo), "--json")
    assert result.returncode == 1
    first, second = (json.loads(line) for line in result.stdout.splitlines())
    for verdict in (first, second):
        assert {"passed", "failure_class", "invented", "known", "compiler_output"} <= set(verdict)
    assert first["passed"] and any(
        k["name"] == "DebugDisplay_AddObject" and k["file"] == "include/debug_display.h"
        for k in first["known"]
    )
    assert not second["passed"] and second["invented"][0]["name"] == "Matrix_NewMtx"
    assert str(repo) not in second["compiler_output"] and "/tmp/" not in second["compiler_output"]
    assert modsmith("check", str(good), "--repo", str(repo)).returncode == 0
    human = modsmith("check", str(bad), "--repo", str(repo)).stdout
    assert "renamed to Matrix_Finalize" in human


@needs_mcs
def test_csharp_file_with_no_options_uses_the_stubs(modsmith, tmp_path):
    coin = tmp_path / "Coin.cs"
    coin.write_text(BAD_CSHARP)
    result = modsmith("check", str(coin), "--json")
    verdict = json.loads(result.stdout)
    assert result.returncode == 1 and verdict["failure_class"] == "invented_name"
    assert verdict["invented"][0]["name"] == "Rotatee"


@needs_mcs
def test_a_csharp_file_with_a_key_file_attribute_is_refused_with_a_reason(modsmith, tmp_path):
    script = tmp_path / "Signed.cs"
    script.write_text('using System.Reflection;\n[assembly: AssemblyKeyFile("/etc/passwd")]\n' + BAD_CSHARP)
    result = modsmith("check", str(script), "--json")
    verdict = json.loads(result.stdout)
    assert result.returncode == 1 and verdict["failure_class"] == "forbidden_include"
    assert "line 2: AssemblyKeyFile" in verdict["detail"] and "root:" not in result.stdout


def test_usage_errors_exit_2(modsmith, tmp_path):
    lone = tmp_path / "x.c"
    lone.write_text("int x;\n")
    assert modsmith("check", str(lone)).returncode == 2
    assert modsmith("check", str(tmp_path / "missing.cs")).returncode == 2
    result = modsmith("check", str(lone), "--repo", str(tmp_path), "--profile", "no-such-profile")
    assert result.returncode == 2 and "unknown compile profile" in result.stderr


def test_index_command_builds_then_reuses(modsmith, decomp_repo, tmp_path):
    repo, commits = decomp_repo
    target = tmp_path / "oot.sqlite"
    first = modsmith("index", str(repo), "-o", str(target))
    assert first.returncode == 0, first.stderr
    assert "indexed" in first.stderr and str(target) in first.stdout
    with sqlite3.connect(target) as db:
        kinds = dict(db.execute("SELECT kind, count(*) FROM symbols GROUP BY kind").fetchall())
    assert kinds["function"] >= 8 and kinds["macro"] >= 10 and kinds["field"] >= 10
    again = modsmith("index", str(repo), "-o", str(target))
    assert "0 indexed" in again.stderr.replace("\n", " ")


@needs_gcc
def test_ground_check_as_a_recipe_stage(decomp_repo, dataset, tmp_path):
    from modsmith.run import run_recipe

    repo, _ = decomp_repo
    recipe = tmp_path / "r.yaml"
    recipe.write_text(
        f"name: g\noutput: {tmp_path / 'runs'}\nstages:\n"
        f"  - stage: ingest.examples\n    with: {{paths: [{dataset}]}}\n"
        f"  - stage: ground.check\n    with: {{repo: {repo}, on_fail: drop}}\n"
    )
    result = run_recipe(recipe)
    ground = result.stages[1]
    assert ground.records_out == 2  # the good C example and the prose one
    assert ground.reasons == {"ground: names failed": 4, "ground: compile_csharp failed": 1}
    report = (result.run_dir / "02-ground.check" / "report.md").read_text()
    assert "Matrix_NewMtx" in report


def test_a_file_too_large_to_check_is_a_verdict_before_it_is_read(modsmith, tmp_path):
    huge = tmp_path / "huge.c"
    huge.write_text("int x;\n" + "/* padding */\n" * 200_000)
    result = modsmith("check", str(huge), "--repo", str(tmp_path), "--profile", "oot-gc-eu-mq-dbg", "--json")
    assert result.returncode == 1, result.stderr
    verdict = json.loads(result.stdout)
    assert verdict["failure_class"] == "too_large" and "at most 1,048,576" in verdict["detail"]
