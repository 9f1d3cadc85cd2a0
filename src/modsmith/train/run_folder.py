"""What a training run keeps in its output folder, and how a killed run continues.

`train_config.json` (the run's `SFTRunConfig`), `metrics.jsonl` (one line per trainer log with a
loss, and the progress figures: steps, tokens/s, time left) and `checkpoints/` (the trainer's
checkpoints, with the config that made them). A run finds the last complete checkpoint of the
same config and continues from it (`prepare_checkpoints`); checkpoints of another config are
refused, not continued or overwritten; `metrics.jsonl` is cut back to the checkpoint's step
first, so no step is logged twice (`MetricsLog.keep_until`).
"""

from __future__ import annotations

import json
import shutil
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from modsmith.errors import ModsmithError
from modsmith.records import write_text_atomic
from modsmith.train.sft_config import OUTPUT_ONLY_FIELDS, SFTRunConfig

RUN_CONFIG_FILE = "train_config.json"
METRICS_FILE = "metrics.jsonl"
#: The training mix (`mixing.MixReport.as_dict`), when the run mixes datasets or caps tasks or sources.
MIX_REPORT_FILE = "mix_report.json"
CHECKPOINTS_DIR = "checkpoints"
#: Written last into a checkpoint by the trainer: a checkpoint folder without it was cut off mid-save.
CHECKPOINT_STATE_FILE = "trainer_state.json"
#: What a line of `metrics.jsonl` keeps of a trainer log.
LOGGED_KEYS = ("loss", "eval_loss", "learning_rate", "grad_norm")


def prepare_checkpoints(config: SFTRunConfig) -> Path | None:
    """The checkpoint to resume from, if any; the checkpoints folder is left holding this run's config.

    Checkpoints of another run config are refused rather than continued or overwritten; with `resume` off
    the folder is emptied. A checkpoint cut off mid-save (no trainer state yet) is removed.
    """
    folder = Path(config.output_dir) / CHECKPOINTS_DIR
    saved_config = folder / RUN_CONFIG_FILE
    checkpoints = sorted(folder.glob("checkpoint-*"), key=checkpoint_step) if folder.is_dir() else []
    if checkpoints and not config.resume:
        shutil.rmtree(folder)
        checkpoints = []
    if checkpoints:
        _refuse_another_run(config, saved_config)
        for partial in [path for path in checkpoints if not (path / CHECKPOINT_STATE_FILE).is_file()]:
            shutil.rmtree(partial)
            checkpoints.remove(partial)
    folder.mkdir(parents=True, exist_ok=True)
    write_text_atomic(saved_config, config.model_dump_json(indent=2) + "\n")
    return checkpoints[-1] if checkpoints else None


def _refuse_another_run(config: SFTRunConfig, saved_config: Path) -> None:
    where = str(saved_config.parent)
    hint = "use another output_dir, or set resume off to start over"
    if not saved_config.is_file():
        raise ModsmithError(
            f"checkpoints without their {RUN_CONFIG_FILE}: not resumable", where=where, hint=hint
        )
    try:
        saved = SFTRunConfig.model_validate_json(saved_config.read_text(encoding="utf-8"))
    except ValueError as exc:
        raise ModsmithError(
            f"unreadable {RUN_CONFIG_FILE}: {first_line(exc)}", where=where, hint=hint
        ) from None
    ours, theirs = config.model_dump(), saved.model_dump()
    changed = sorted(name for name in ours if name not in OUTPUT_ONLY_FIELDS and ours[name] != theirs[name])
    if changed:
        raise ModsmithError(
            f"the checkpoints are of another run config (it differs in {', '.join(changed)}): not resumed",
            where=where,
            hint=hint,
        )


def checkpoint_step(path: Path) -> int:
    step = path.name.rpartition("-")[2]
    return int(step) if step.isdigit() else -1


class MetricsLog:
    """A `TrainerCallback`'s `on_log`: one JSON line per log with a loss, appended to `path`.

    Each line also carries what a progress line needs: `max_steps`, `seconds_left` (the mean wall time
    per step of this session times the steps left; null before the first step) and, on training lines,
    `tokens_per_second` (non-padding tokens the trainer saw since the previous log, over the wall time
    since then or since training began).
    """

    def __init__(self, path: Path, on_log: Callable[[dict[str, Any]], None] | None):
        self.path = path
        self.on_log_line = on_log
        self.lines: list[dict[str, Any]] = []
        self._clock = _Clock()

    def keep_until(self, step: int) -> None:
        """Resuming at `step`: keep the lines logged up to it, drop those of the steps to be trained again."""
        if self.path.is_file():
            lines = [json.loads(text) for text in self.path.read_text(encoding="utf-8").splitlines() if text]
            self.lines = [line for line in lines if line.get("step", 0) <= step]
        text = "".join(json.dumps(line) + "\n" for line in self.lines)
        write_text_atomic(self.path, text)

    def callback(self) -> Any:
        from transformers import TrainerCallback

        log = self

        class _Callback(TrainerCallback):
            def on_train_begin(self, args, state, control, **kwargs):
                log.start(state.global_step, state.num_input_tokens_seen)

            def on_log(self, args, state, control, logs=None, **kwargs):
                log.record(state.global_step, state.epoch, logs or {}, state.max_steps)

        return _Callback()

    def start(self, step: int, tokens_seen: int) -> None:
        """Training (re)starts at `step`, `tokens_seen` tokens in: the start of the progress figures."""
        self._clock = _Clock(step, tokens_seen)

    def record(
        self, step: int, epoch: float | None, logs: dict[str, Any], max_steps: int | None = None
    ) -> None:
        line: dict[str, Any] = {"step": step, "epoch": epoch}
        line.update({key: float(logs[key]) for key in LOGGED_KEYS if key in logs})
        if "loss" not in line and "eval_loss" not in line:
            return  # the end-of-training summary (runtime, mean loss) is not a point of the curve
        line.update(self._clock.progress(step, max_steps, logs.get("num_input_tokens_seen"), "loss" in line))
        self.lines.append(line)
        with self.path.open("a", encoding="utf-8") as handle:
            handle.write(json.dumps(line) + "\n")
        if self.on_log_line is not None:
            self.on_log_line(line)


class _Clock:
    """Wall time since training began and since the previous log: the rate and time-left of the progress."""

    def __init__(self, step: int = 0, tokens_seen: int = 0):
        self.began = self.previous = time.monotonic()
        self.first_step = step
        self.previous_tokens = tokens_seen

    def progress(self, step: int, max_steps: int | None, tokens_seen: int | None, training: bool) -> dict:
        now = time.monotonic()
        figures: dict[str, Any] = {}
        if max_steps is not None and max_steps > 0:
            figures["max_steps"] = max_steps
            steps_done, steps_left = step - self.first_step, max(max_steps - step, 0)
            if not steps_left:
                figures["seconds_left"] = 0.0
            elif steps_done > 0:
                figures["seconds_left"] = (now - self.began) / steps_done * steps_left
            else:
                figures["seconds_left"] = None  # no step timed yet
        if tokens_seen is not None:
            if training:
                seconds = max(now - self.previous, 1e-9)
                figures["tokens_per_second"] = (tokens_seen - self.previous_tokens) / seconds
            self.previous_tokens = tokens_seen
        self.previous = now
        return figures


def first_line(exc: BaseException) -> str:
    """The first line of an error's message (pydantic's run over many)."""
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
