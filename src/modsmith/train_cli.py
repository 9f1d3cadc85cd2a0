"""`modsmith train DATASET_OR_RUN --base MODEL -o OUT`: a LoRA / QLoRA fine-tune, and `--plan`.

The options are `train.sft_config.SFTRunConfig`'s fields (help and defaults from the model).
Before anything loads, the memory plan (`train.run_plan`) is printed: the estimated peak GPU memory
by part for the base model's sizes and the run's settings, the device's free memory, the verdict
and, when it will not fit, the changes that make it fit. `--plan` stops there; a run the plan says
will not fit stops there too (`train_sft` refuses it, in a recipe's `train.sft` stage as well; what
it logs on `modsmith.train` is printed here). While it trains, one progress line per log
(step N/M, loss or held-out loss, tokens/s, time left) goes to stderr, under a progress bar on a
terminal; at the end, the paths of the adapter, the model card and the loss curve go to stdout.
torch, transformers and TRL are imported only when a run needs them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click
from pydantic import ValidationError

from modsmith.config_options import command_line_values, config_fields, config_option, option_error
from modsmith.console import console, printed_notes, stdout
from modsmith.errors import ModsmithError

RENAMED = {"output_dir": "output"}  # config field -> option name (also given as -o)


def _params() -> list[click.Parameter]:
    from modsmith.train.sft_config import SFTRunConfig

    params: list[click.Parameter] = [
        click.Argument(["dataset"], type=click.Path(path_type=Path), metavar="DATASET_OR_RUN")
    ]
    for field in config_fields(SFTRunConfig):
        if field.key == "dataset":
            continue
        option = config_option(field, field.key, RENAMED.get(field.key, field.option[2:]))
        if field.key == "output_dir":
            option.opts.insert(0, "-o")
        params.append(option)
    params.append(
        click.Option(
            ["--plan"],
            is_flag=True,
            help="Print the memory plan (estimated peak GPU memory, free memory, verdict) and stop.",
        )
    )
    return params


class TrainCommand(click.Command):
    """Options built when the command is used, so `modsmith --help` imports no training code."""

    def __init__(self) -> None:
        super().__init__(
            "train",
            callback=self._run,
            no_args_is_help=True,
            help="Fine-tune --base with a LoRA (or QLoRA) adapter on DATASET_OR_RUN: a modsmith examples "
            "JSONL, or the dataset/ folder of `modsmith format` or of a recipe run. The memory plan is "
            "printed first; --plan prints only that.",
        )
        self.built = False

    def get_params(self, ctx: click.Context) -> list[click.Parameter]:
        if not self.built:
            self.params, self.built = _params(), True
        return super().get_params(ctx)

    def _run(self, dataset: Path, plan: bool, **given: Any) -> None:
        from modsmith.train.sft_config import SFTRunConfig
        from modsmith.train.train_extra import require_train_extra

        require_train_extra("modsmith train")

        fields = {field.key: field for field in config_fields(SFTRunConfig)}
        labels = {(key,): f"option --{option}" for key, option in RENAMED.items()}
        try:
            config = SFTRunConfig(dataset=dataset, **command_line_values(fields, given))
        except ValidationError as exc:
            raise option_error(exc, labels) from None
        if not (config.dataset.is_file() or config.dataset.is_dir()):
            what = "not a regular file or folder" if config.dataset.exists() else "no such file or folder"
            raise ModsmithError(f"dataset: {what}", where=str(config.dataset))
        if plan:
            from modsmith.train.run_plan import run_memory_plan

            for line in run_memory_plan(config).lines:
                console.print(line, markup=False, highlight=False)
            return
        train(config)


def progress_line(line: dict[str, Any]) -> str:
    """One metrics line as a progress line: step N/M, loss or held-out loss, tokens/s, time left (m:ss)."""
    parts = [f"step {line['step']}/{line['max_steps']}" if line.get("max_steps") else f"step {line['step']}"]
    if "loss" in line:
        parts.append(f"loss {line['loss']:.4f}")
    if "eval_loss" in line:
        parts.append(f"held-out loss {line['eval_loss']:.4f}")
    if line.get("tokens_per_second") is not None:
        parts.append(f"{line['tokens_per_second']:,.0f} tokens/s")
    if line.get("seconds_left") is not None:
        minutes, seconds = divmod(round(line["seconds_left"]), 60)
        parts.append(f"{minutes}:{seconds:02d} left")
    return "  ".join(parts)


def train(config: Any) -> None:
    """Run the fine-tune with a progress line per log (and a bar on a terminal), then say where it wrote."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    from modsmith.train.sft import train_sft

    with Progress(
        TextColumn("training"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=console,
        transient=True,
        disable=not console.is_terminal,
    ) as bar:
        task = bar.add_task("training", total=None)

        def logged(line: dict[str, Any]) -> None:
            bar.update(task, completed=line["step"], total=line.get("max_steps"))
            console.print(progress_line(line), markup=False, highlight=False)

        with printed_notes():
            result = train_sft(config, on_log=logged)
    first = "-" if result.train_loss_first is None else f"{result.train_loss_first:.4f}"
    last = "-" if result.train_loss_last is None else f"{result.train_loss_last:.4f}"
    evaluated = "-" if result.eval_loss is None else f"{result.eval_loss:.4f}"
    console.print(
        f"{result.steps} steps, train loss {first} -> {last}, held-out loss {evaluated}; "
        f"examples {result.examples}, dropped {result.dropped or 'none'}",
        markup=False,
        highlight=False,
    )
    stdout.print(f"adapter: {config.output_dir}", markup=False, highlight=False)
    if "model_card" in result.paths:
        stdout.print(f"model card: {result.paths['model_card']}", markup=False, highlight=False)
    if "loss_curve" in result.paths:
        stdout.print(f"loss curve: {result.paths['loss_curve']}", markup=False, highlight=False)


train_command = TrainCommand()
