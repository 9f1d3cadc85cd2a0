"""Every recipe in recipes/ runs end to end on the samples in examples/, its teacher a loopback server."""

import json
import os
import subprocess
import sys
from pathlib import Path

import yaml

from modsmith.teacher.loopback import LoopbackChatServer
from modsmith.train.tiny_base import build_tiny_base
from recipe_teacher import recipe_teacher

REPO = Path(__file__).resolve().parents[2]


def test_every_shipped_recipe_runs_end_to_end_with_its_training_stage(tmp_path):
    """Each recipe, its training stage switched on (MODSMITH_TRAIN) with LoRA on a tiny random base in place
    of the GPU-sized one it names: the recipe's own training settings, on the tiny model."""
    recipes = sorted((REPO / "recipes").glob("*.yaml"))
    assert {"demo", "oot-romhack", "unity-ir", "melee-guides"} <= {path.stem for path in recipes}
    base = build_tiny_base(
        tmp_path / "tiny-base", [path.read_text() for path in (REPO / "examples").rglob("*.md")]
    )
    with LoopbackChatServer(recipe_teacher) as server:
        environment = {
            **os.environ,
            "MODSMITH_TEACHER_URL": server.base_url,
            "MODSMITH_TEACHER_MODEL": "scripted",
            "MODSMITH_TEACHER_CACHE": str(tmp_path / "teacher.sqlite"),
            "MODSMITH_OUTPUT": str(tmp_path / "runs"),
            "MODSMITH_EXAMPLES": str(REPO / "examples"),
            "MODSMITH_DEMO_BASE": str(base),
            "MODSMITH_TRAIN": "true",
            "MODSMITH_BASE": str(base),
            "MODSMITH_TRAIN_METHOD": "lora",
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
            trained = stats[-1]
            assert trained["stage"] == "train.sft", recipe.name
            assert trained["summary"]["steps"] > 0 and trained["summary"]["examples"]["train"] > 0, (
                recipe.name
            )
            model = Path(trained["summary"]["adapter"])
            assert (model / "adapter_model.safetensors").is_file() and (model / "README.md").is_file()
            # it held out what the export holds out: the exported valid split is never trained on
            valid = (run_dir / "dataset" / f"valid.{spec['export']['formats'][0]}.jsonl").read_text()
            assert trained["summary"]["examples"]["valid"] == len(valid.splitlines()), recipe.name
        assert server.requests, "no recipe asked the teacher"
