"""Checkpoints and resume: a run killed with SIGKILL mid-training and started again ends where one
uninterrupted run ends (same optimizer steps, same losses), and `metrics.jsonl` logs every step once."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytest.importorskip("torch")
pytest.importorskip("transformers")
pytest.importorskip("trl")
pytest.importorskip("peft")
from pydantic import ValidationError  # noqa: E402
from train_samples import tiny_run_settings

from modsmith.errors import ModsmithError  # noqa: E402
from modsmith.train.sft import train_sft  # noqa: E402
from modsmith.train.sft_config import SFTRunConfig  # noqa: E402

STEPS = 24
SAVE_EVERY = 4

#: Trains with the config given as JSON; each log waits a little, so the run can be caught mid-way.
RUN_SCRIPT = """
import sys, time
from modsmith.train.sft import train_sft
from modsmith.train.sft_config import SFTRunConfig

config = SFTRunConfig.model_validate_json(open(sys.argv[1]).read())
delay = float(sys.argv[2])
train_sft(config, on_log=lambda line: time.sleep(delay))
"""


def run_config(tiny_base: Path, examples_file: Path, output_dir: Path, **overrides) -> SFTRunConfig:
    settings = {"max_steps": STEPS, "warmup_ratio": 0.1, "per_device_batch": 2, "eval_steps": SAVE_EVERY}
    settings |= {"save_steps": SAVE_EVERY, "seed": 3, **overrides}
    return SFTRunConfig(**tiny_run_settings(tiny_base, examples_file, output_dir, **settings))


def start_run(config: SFTRunConfig, tmp_path: Path, delay: float) -> subprocess.Popen:
    script = tmp_path / "run_sft.py"
    script.write_text(RUN_SCRIPT)
    config_file = tmp_path / f"{config.output_dir.name}.json"
    config_file.write_text(config.model_dump_json())
    return subprocess.Popen(
        [sys.executable, str(script), str(config_file), str(delay)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONHASHSEED": "0"},
    )


def wait_past_a_checkpoint(process: subprocess.Popen, output_dir: Path, timeout: float = 120.0) -> int:
    """Wait until a checkpoint is complete and a later step is logged; the checkpoint's step."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        complete = [
            int(path.name.split("-")[1])
            for path in (output_dir / "checkpoints").glob("checkpoint-*")
            if (path / "trainer_state.json").is_file()
        ]
        if complete and max(logged_steps(output_dir)) > max(complete):
            return max(complete)
        if process.poll() is not None:
            raise AssertionError(
                f"the run ended before its first checkpoint: {process.stderr.read().decode()}"
            )
        time.sleep(0.05)
    raise AssertionError("no checkpoint within the timeout")


def logged_steps(output_dir: Path) -> list[int]:
    """The steps of the complete lines of a running job's `metrics.jsonl` (its last may be half written)."""
    text = (output_dir / "metrics.jsonl").read_text()
    return [json.loads(line)["step"] for line in text[: text.rfind("\n") + 1].splitlines()]


def metrics(output_dir: Path) -> list[dict]:
    return [json.loads(line) for line in (output_dir / "metrics.jsonl").read_text().splitlines()]


def test_a_run_killed_mid_training_resumes_and_ends_as_an_uninterrupted_run(
    tiny_base, examples_file, tmp_path
):
    killed = run_config(tiny_base, examples_file, tmp_path / "killed")
    process = start_run(killed, tmp_path, delay=0.3)
    checkpoint_step = wait_past_a_checkpoint(process, killed.output_dir)
    process.send_signal(signal.SIGKILL)
    process.wait()
    steps_before_kill = max(line["step"] for line in metrics(killed.output_dir))
    assert checkpoint_step < steps_before_kill < STEPS  # killed mid-training, past a checkpoint
    assert not (killed.output_dir / "adapter_model.safetensors").exists()

    logged_after_resume: list[dict] = []
    resumed = train_sft(killed, on_log=logged_after_resume.append)
    assert min(line["step"] for line in logged_after_resume) == checkpoint_step + 1  # it did resume
    uninterrupted = train_sft(run_config(tiny_base, examples_file, tmp_path / "uninterrupted"))

    assert resumed.steps == uninterrupted.steps == STEPS
    resumed_lines, uninterrupted_lines = metrics(killed.output_dir), metrics(tmp_path / "uninterrupted")
    assert [(line["step"], sorted(line)) for line in resumed_lines] == [
        (line["step"], sorted(line)) for line in uninterrupted_lines
    ]  # every step logged once: the lines past the checkpoint were dropped before the resumed run appended
    for ours, theirs in zip(resumed_lines, uninterrupted_lines, strict=True):
        for key in ("loss", "eval_loss"):
            if key in theirs:
                assert ours[key] == pytest.approx(theirs[key], abs=1e-4), (ours, theirs)
    assert resumed.train_loss_last == pytest.approx(uninterrupted.train_loss_last, abs=1e-4)
    assert resumed.eval_loss == pytest.approx(uninterrupted.eval_loss, abs=1e-4)
    assert resumed.train_loss_first == pytest.approx(uninterrupted.train_loss_first, abs=1e-4)
    kept = sorted((killed.output_dir / "checkpoints").glob("checkpoint-*"))
    assert 1 <= len(kept) <= 3  # save_total_limit 2, plus the best by held-out loss


def test_checkpoints_of_another_run_config_are_refused_and_resume_off_starts_over(
    tiny_base, examples_file, tmp_path
):
    output_dir = tmp_path / "run"
    train_sft(run_config(tiny_base, examples_file, output_dir, max_steps=4))
    assert (output_dir / "checkpoints" / "checkpoint-4" / "trainer_state.json").is_file()

    with pytest.raises(ModsmithError, match="another run config.*learning_rate"):
        train_sft(run_config(tiny_base, examples_file, output_dir, max_steps=4, learning_rate=1e-3))

    result = train_sft(
        run_config(tiny_base, examples_file, output_dir, max_steps=4, learning_rate=1e-3, resume=False)
    )
    assert result.steps == 4
    assert [line["step"] for line in metrics(output_dir) if "loss" in line] == [1, 2, 3, 4]
    saved = json.loads((output_dir / "checkpoints" / "train_config.json").read_text())
    assert saved["learning_rate"] == 1e-3


def test_a_finished_run_started_again_trains_no_more_and_logs_no_step_twice(
    tiny_base, examples_file, tmp_path
):
    output_dir = tmp_path / "run"
    config = run_config(tiny_base, examples_file, output_dir, max_steps=4)
    train_sft(config)
    first = metrics(output_dir)
    result = train_sft(config)
    assert result.steps == 4
    steps = [line["step"] for line in metrics(output_dir) if "loss" in line]
    assert steps == [1, 2, 3, 4]
    assert [line for line in metrics(output_dir) if "loss" in line] == [
        line for line in first if "loss" in line
    ]


def test_early_stopping_stops_when_the_held_out_loss_stops_falling(tiny_base, examples_file, tmp_path):
    config = run_config(
        tiny_base, examples_file, tmp_path / "run", learning_rate=0.5, max_steps=40, early_stopping_patience=1
    )
    result = train_sft(config)
    eval_losses = [line["eval_loss"] for line in metrics(config.output_dir) if "eval_loss" in line]
    assert result.steps < 40
    best = Path(result.paths["best_checkpoint"])  # the adapter the run ends with
    best_step = json.loads((best / "trainer_state.json").read_text())["best_global_step"]
    assert best.name == f"checkpoint-{best_step}" and best.is_dir()
    assert eval_losses[-1] >= min(eval_losses[:-1])  # it stopped on an evaluation that did not improve


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"eval_steps": 4, "save_steps": 6}, "no multiple of eval_steps"),
        ({"keep_best": False, "early_stopping_patience": 2}, "early_stopping_patience needs keep_best"),
    ],
)
def test_checkpoint_settings_that_do_not_line_up_are_refused(tmp_path, overrides, message):
    with pytest.raises(ValidationError, match=message):
        SFTRunConfig(dataset=tmp_path / "d.jsonl", base="base", output_dir=tmp_path / "out", **overrides)
    SFTRunConfig(
        dataset=tmp_path / "d.jsonl", base="base", output_dir=tmp_path / "out", keep_best=False, save_steps=6
    )


def test_a_second_run_in_the_same_output_folder_is_refused_while_the_first_runs(
    tiny_base, examples_file, tmp_path
):
    from modsmith.output_paths import folder_lock

    output_dir = tmp_path / "busy"
    with folder_lock(output_dir, "a training run", "output folder", "wait"):  # as a first run holds it
        with pytest.raises(ModsmithError, match="a training run is in progress in this output folder"):
            train_sft(run_config(tiny_base, examples_file, output_dir, max_steps=2))
    assert not (output_dir / "checkpoints").exists()
