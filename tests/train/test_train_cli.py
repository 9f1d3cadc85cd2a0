"""`modsmith train`: the memory plan first (`--plan` alone), a run on a tiny local model with its progress
lines, clear errors.

Runs the real command in a subprocess (exit codes and the one-line error policy included); the run goes
through click's CliRunner on the real `modsmith` app.
"""

from __future__ import annotations

import json
import re
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


def test_a_run_prints_its_progress_and_where_the_adapter_card_and_curve_are(
    tiny_base, examples_file, tmp_path
):
    from typer.testing import CliRunner

    from modsmith.cli import app

    out = tmp_path / "adapter"
    args = [
        "train", examples_file, "--base", tiny_base, "-o", out, "--max-steps", 4, "--eval-steps", 2,
        "--logging-steps", 1, "--lora-r", 4, "--max-length", 64, "--per-device-batch", 2,
        "--grad-accumulation", 1,
    ]  # fmt: skip
    done = CliRunner().invoke(app, list(map(str, args)))
    assert done.exit_code == 0, done.stderr
    progress = [line for line in done.stderr.splitlines() if line.startswith("step ")]
    assert [line.split()[1] for line in progress if "  loss " in line] == ["1/4", "2/4", "3/4", "4/4"]
    for line in progress:
        assert re.fullmatch(
            r"step \d/4  (loss|held-out loss) \d+\.\d{4}(  [\d,]+ tokens/s)?  \d+:\d\d left", line
        ), line
    assert sum("tokens/s" in line for line in progress) == 4  # the training lines, not the held-out ones
    assert any(line.startswith("step 2/4  held-out loss") for line in progress)
    assert "4 steps, train loss" in done.stderr and "held-out loss" in done.stderr
    assert f"adapter: {out}" in done.stdout
    assert f"model card: {out / 'README.md'}" in done.stdout and (out / "README.md").is_file()
    assert f"loss curve: {out / 'loss_curve.png'}" in done.stdout and (out / "loss_curve.png").is_file()
    assert (out / "adapter_config.json").is_file() and (out / "train_config.json").is_file()
    run_config = json.loads((out / "train_config.json").read_text())
    assert run_config["lora_r"] == 4 and run_config["max_steps"] == 4
    logged = [json.loads(line) for line in (out / "metrics.jsonl").read_text().splitlines()]
    assert [line["step"] for line in logged if "loss" in line] == [1, 2, 3, 4]


def test_a_progress_line_shows_minutes_and_seconds_left():
    from modsmith.train_cli import progress_line

    line = {
        "step": 3,
        "max_steps": 300,
        "loss": 2.31049,
        "tokens_per_second": 12345.6,
        "seconds_left": 3725.4,
    }
    assert progress_line(line) == "step 3/300  loss 2.3105  12,346 tokens/s  62:05 left"
    assert progress_line({"step": 0, "max_steps": 9, "eval_loss": 1.5, "seconds_left": None}) == (
        "step 0/9  held-out loss 1.5000"
    )


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
    assert missing.returncode == 2 and f"{tmp_path / 'nope.jsonl'}: dataset: no such file" in missing.stderr
    no_base = modsmith(examples_file, "--base", tmp_path / "no-model", "-o", tmp_path / "out", "--plan")
    assert no_base.returncode == 2 and "no such base model folder" in no_base.stderr
    assert "Traceback" not in missing.stderr + no_base.stderr
