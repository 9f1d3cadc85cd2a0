"""The shipped teacher recipes against a real llama.cpp server running a tiny random model.

Whatever the tiny model says, the pipeline must record it or reject it with a reason: the run ends
with a dataset (exit 0) or with the drop-reason table and sample replies (exit 2), never a crash.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("recipe", ["melee-guides.yaml", "unity-ir.yaml", "oot-romhack.yaml"])
def test_recipe_records_or_rejects_every_reply(llama_cpp_server, tmp_path, recipe):
    env = {
        **os.environ,
        "MODSMITH_TEACHER_URL": llama_cpp_server,
        "MODSMITH_TEACHER_MODEL": "tiny",
        "MODSMITH_TEACHER_CACHE": str(tmp_path / "teacher.sqlite"),
        "MODSMITH_OUTPUT": str(tmp_path / "runs"),
    }
    result = subprocess.run(
        [sys.executable, "-m", "modsmith.cli", "run", str(REPO / "recipes" / recipe)],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode in (0, 2), result.stderr
    rejected = [
        json.loads(line)
        for path in (tmp_path / "runs").rglob("rejected.jsonl")
        for line in path.read_text().splitlines()
    ]
    replies = [r for r in rejected if r["record"].get("reply") is not None]
    if result.returncode == 2:
        first = result.stderr.strip().splitlines()[0]
        assert first.startswith("error: stage synth.") and (
            "produced no records" in first or "dropped" in first
        )
        assert "reason" in result.stderr
        assert "--- dropped reply 1" in result.stderr or "--- dropped record 1" in result.stderr
        assert replies or "teacher: request refused" in result.stderr, "dropped replies go to rejected.jsonl"
    else:
        assert list((tmp_path / "runs").rglob("dataset/README.md"))
