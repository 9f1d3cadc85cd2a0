"""The shipped recipes, end to end, against a loopback teacher and (when installed) llama.cpp."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from modsmith.teacher.loopback import LoopbackChatServer
from recipe_teacher import recipe_teacher

REPO = Path(__file__).resolve().parents[1]


def run_recipe_cli(recipe: str, base_url: str, tmp_path: Path) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "MODSMITH_TEACHER_URL": base_url,
        "MODSMITH_TEACHER_MODEL": "scripted",
        "MODSMITH_TEACHER_CACHE": str(tmp_path / "teacher.sqlite"),
        "MODSMITH_OUTPUT": str(tmp_path / "runs"),
    }
    return subprocess.run(
        [sys.executable, "-m", "modsmith.cli", "run", str(REPO / "recipes" / recipe)],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


def _dataset(tmp_path: Path, name: str, fmt: str) -> list[dict]:
    folder = tmp_path / "runs" / name / "dataset"
    return [
        json.loads(line)
        for split in ("train", "valid")
        for line in (folder / f"{split}.{fmt}.jsonl").read_text().splitlines()
    ]


def test_melee_guides_recipe(tmp_path):
    with LoopbackChatServer(recipe_teacher) as server:
        result = run_recipe_cli("melee-guides.yaml", server.base_url, tmp_path)
    assert result.returncode == 0, result.stderr
    rows = _dataset(tmp_path, "melee-guides", "sharegpt")
    assert len(rows) > 20
    answers = [row["conversations"][-1]["value"] for row in rows]
    assert not any("according to the guide" in a.lower() for a in answers), "the rewrite stage did not run"


@pytest.mark.skipif(shutil.which("mcs") is None, reason="needs mono-mcs")
def test_unity_ir_recipe(tmp_path):
    with LoopbackChatServer(recipe_teacher) as server:
        result = run_recipe_cli("unity-ir.yaml", server.base_url, tmp_path)
    assert result.returncode == 0, result.stderr
    rows = _dataset(tmp_path, "unity-ir", "sharegpt")
    requests = [
        line
        for line in (REPO / "examples/unity/behaviours.txt").read_text().splitlines()
        if line and not line.startswith("#")
    ]
    assert len(rows) == len(requests)
    first = rows[0]["conversations"]
    assert first[0]["from"] == "system" and first[1]["value"].startswith("BEHAVIOR SPECIFICATION:")
    assert "MonoBehaviour" in first[2]["value"]


def test_a_teacher_that_only_refuses_stops_the_run_with_reasons_and_replies(tmp_path):
    from modsmith.teacher.loopback import ScriptedReply

    with LoopbackChatServer(
        lambda body, seen: ScriptedReply(content="I'm sorry, I can't help with that.")
    ) as server:
        result = run_recipe_cli("melee-guides.yaml", server.base_url, tmp_path)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert lines[0].startswith("error: stage synth.guide_qa produced no records")
    assert any("guide.qa: no Q/A pairs in the reply" in line for line in lines[1:])
    assert sum(line.startswith("--- dropped reply") for line in lines) == 3
    assert "I'm sorry, I can't help with that." in result.stderr
    stats = json.loads((tmp_path / "runs/melee-guides/01-ingest.text/stats.json").read_text())
    assert stats["records_out"] > 0, "the finished stage before it is kept"


def test_teacher_usage_is_reported_in_stats(tmp_path):
    with LoopbackChatServer(recipe_teacher) as server:
        assert run_recipe_cli("melee-guides.yaml", server.base_url, tmp_path).returncode == 0
        sent = len(server.requests)
    usage = json.loads((tmp_path / "runs/melee-guides/02-synth.guide_qa/stats.json").read_text())["summary"][
        "teacher"
    ]
    assert usage["requests_sent"] == usage["answered"] > 0 and usage["cache_hits"] == 0
    assert usage["completion_tokens"] > 0
    assert sent >= usage["requests_sent"]


@pytest.mark.skipif(shutil.which("gcc") is None, reason="needs gcc")
def test_oot_romhack_recipe(tmp_path):
    with LoopbackChatServer(recipe_teacher) as server:
        result = run_recipe_cli("oot-romhack.yaml", server.base_url, tmp_path)
    assert result.returncode == 0, result.stderr
    rows = _dataset(tmp_path, "oot-romhack", "sharegpt")
    run_dir = tmp_path / "runs" / "oot-romhack"
    tasks = {
        json.loads(line)["task"] for line in (run_dir / "05-grounded" / "data.jsonl").read_text().splitlines()
    }
    assert {"code.explain", "code.implement", "code.macro", "code.conceptual", "code.debug"} <= tasks
    assert len(rows) > 30
    report = json.loads((run_dir / "05-grounded" / "report.json").read_text())
    assert report["checks"]["names"]["passed"] > 0 and report["checks"]["compile_c"]["passed"] > 0
