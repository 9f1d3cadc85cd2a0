"""What a training run keeps in its output folder, and how a killed run continues.

`train_config.json` (the run's `SFTRunConfig`), `metrics.jsonl` (one line per trainer log with a
loss) and `checkpoints/` (the trainer's checkpoints, with the config that made them). A run finds
the last complete checkpoint of the same config and continues from it (`prepare_checkpoints`);
checkpoints of another config are refused, not continued or overwritten; `metrics.jsonl` is cut
back to the checkpoint's step first, so no step is logged twice (`MetricsLog.keep_until`).
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

from modsmith.errors import ModsmithError
from modsmith.records import write_text_atomic
from modsmith.train.sft_config import OUTPUT_ONLY_FIELDS, SFTRunConfig

RUN_CONFIG_FILE = "train_config.json"
METRICS_FILE = "metrics.jsonl"
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
    """A `TrainerCallback`'s `on_log`: one JSON line per log with a loss, appended to `path`."""

    def __init__(self, path: Path, on_log: Callable[[dict[str, Any]], None] | None):
        self.path = path
        self.on_log_line = on_log
        self.lines: list[dict[str, Any]] = []

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
            def on_log(self, args, state, control, logs=None, **kwargs):
                log.record(state.global_step, state.epoch, logs or {})

        return _Callback()

    def record(self, step: int, epoch: float | None, logs: dict[str, Any]) -> None:
        line: dict[str, Any] = {"step": step, "epoch": epoch}
        line.update({key: float(logs[key]) for key in LOGGED_KEYS if key in logs})
        if "loss" not in line and "eval_loss" not in line:
            return  # the end-of-training summary (runtime, mean loss) is not a point of the curve
        self.lines.append(line)
        with self.path.open("a", encoding="utf-8") as handle:
            handle.write(json.dumps(line) + "\n")
        if self.on_log_line is not None:
            self.on_log_line(line)


def first_line(exc: BaseException) -> str:
    """The first line of an error's message (pydantic's run over many)."""
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
