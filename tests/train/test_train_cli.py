"""`modsmith train`: the memory plan first (`--plan` alone), a run on a tiny local model, clear errors.

Runs the real command in a subprocess (exit codes and the one-line error policy included).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("torch")
pytest.importorskip("trl")
pytest.importorskip("peft")


def modsmith(*args: str | Path) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "modsmith.cli", "train", *map(str, args)]
    return subprocess.run(command, capture_output=True, text=True, timeout=600)


def test_plan_prints_the_estimate_and_trains_nothing(tiny_base, examples_file, tmp_path):
    out = tmp_path / "adapter"
    done = modsmith(examples_file, "--base", tiny_base, "-o", out, "--plan", "--max-length", 64)
    assert done.returncode == 0, done.stderr
    assert "estimated peak GPU memory" in done.stderr
    for part in ("weights", "lora", "optimizer", "activations", "logits"):
        assert part in done.stderr
    assert "max length 64" in done.stderr
    assert "no CUDA device here" in done.stderr
    assert not out.exists()


def test_a_run_writes_the_adapter_and_reports_the_losses(tiny_base, examples_file, tmp_path):
    out = tmp_path / "adapter"
    done = modsmith(
        examples_file, "--base", tiny_base, "-o", out, "--max-steps", 4, "--eval-steps", 2,
        "--logging-steps", 1, "--lora-r", 4, "--max-length", 64, "--per-device-batch", 2,
        "--grad-accumulation", 1,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert f"adapter: {out}" in done.stdout
    assert "4 steps, train loss" in done.stderr and "held-out loss" in done.stderr
    assert (out / "adapter_config.json").is_file() and (out / "train_config.json").is_file()
    run_config = json.loads((out / "train_config.json").read_text())
    assert run_config["lora_r"] == 4 and run_config["max_steps"] == 4
    logged = [json.loads(line) for line in (out / "metrics.jsonl").read_text().splitlines()]
    assert [line["step"] for line in logged if "loss" in line] == [1, 2, 3, 4]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--lora-r", "0"], "option --lora-r: Input should be greater than or equal to 1 (given '0')"),
        (["--method", "qlora"], "CUDA"),
        (["--epochs", "many"], "option --epochs"),
    ],
)
def test_bad_options_are_one_line_errors(tiny_base, examples_file, tmp_path, args, message):
    done = modsmith(examples_file, "--base", tiny_base, "-o", tmp_path / "out", *args)
    assert done.returncode == 2, done.stderr
    assert message in done.stderr
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "out").exists()


def test_a_missing_dataset_or_base_folder_is_named(tiny_base, examples_file, tmp_path):
    missing = modsmith(tmp_path / "nope.jsonl", "--base", tiny_base, "-o", tmp_path / "out", "--plan")
    assert missing.returncode == 2 and f"{tmp_path / 'nope.jsonl'}: no such dataset" in missing.stderr
    no_base = modsmith(examples_file, "--base", tmp_path / "no-model", "-o", tmp_path / "out", "--plan")
    assert no_base.returncode == 2 and "no such base model folder" in no_base.stderr
    assert "Traceback" not in missing.stderr + no_base.stderr
