"""Every recipe in recipes/ runs end to end on the samples in examples/, its teacher a loopback server."""

import json
import os
import subprocess
import sys
from pathlib import Path

import yaml

from modsmith.teacher.loopback import LoopbackChatServer
from recipe_teacher import recipe_teacher

REPO = Path(__file__).resolve().parents[2]


def test_every_shipped_recipe_runs_end_to_end(tmp_path):
    recipes = sorted((REPO / "recipes").glob("*.yaml"))
    assert {"demo", "oot-romhack", "unity-ir", "melee-guides"} <= {path.stem for path in recipes}
    with LoopbackChatServer(recipe_teacher) as server:
        environment = {
            **os.environ,
            "MODSMITH_TEACHER_URL": server.base_url,
            "MODSMITH_TEACHER_MODEL": "scripted",
            "MODSMITH_TEACHER_CACHE": str(tmp_path / "teacher.sqlite"),
            "MODSMITH_OUTPUT": str(tmp_path / "runs"),
            "MODSMITH_EXAMPLES": str(REPO / "examples"),
        }
        for recipe in recipes:
            result = subprocess.run(
                [sys.executable, "-m", "modsmith.cli", "run", str(recipe)],
                cwd=REPO,  # the other recipes' paths are relative to the repository root
                env=environment,
                capture_output=True,
                text=True,
                timeout=600,
            )
            assert result.returncode == 0, (recipe.name, result.stderr)
            spec = yaml.safe_load(recipe.read_text(encoding="utf-8"))
            run_dir = tmp_path / "runs" / spec["name"]
            stats = [json.loads(path.read_text()) for path in sorted(run_dir.glob("*/stats.json"))]
            assert [s["stage"] for s in stats] == [stage["stage"] for stage in spec["stages"]], recipe.name
            assert all(s["records_out"] > 0 for s in stats), (recipe.name, stats)
            for fmt in spec["export"]["formats"]:  # every example of the last stage, in train or valid
                lines = [
                    len((run_dir / "dataset" / f"{split}.{fmt}.jsonl").read_text().splitlines())
                    for split in ("train", "valid")
                ]
                assert lines[0] > 0 and sum(lines) == stats[-1]["records_out"], (recipe.name, fmt, lines)
        assert server.requests, "no recipe asked the teacher"
