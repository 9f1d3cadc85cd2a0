"""`modsmith train DATASET_OR_RUN --base MODEL -o OUT`: a LoRA / QLoRA fine-tune, and `--plan`.

The options are `train.sft_config.SFTRunConfig`'s fields (help and defaults from the model).
Before anything loads, the memory plan (`train.memory_plan`, `train.fit_plan`) is printed: the
estimated peak GPU memory by part for the base model's sizes and the run's settings, the device's
free memory, the verdict and, when it will not fit, the changes that make it fit. `--plan` stops
there; a run the plan says will not fit stops there too. torch, transformers and TRL are imported
only when a run needs them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click
from pydantic import ValidationError

from modsmith.config_options import command_line_values, config_fields, config_option, option_error
from modsmith.console import console, stdout
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

        fields = {field.key: field for field in config_fields(SFTRunConfig)}
        labels = {(key,): f"option --{option}" for key, option in RENAMED.items()}
        try:
            config = SFTRunConfig(dataset=dataset, **command_line_values(fields, given))
        except ValidationError as exc:
            raise option_error(exc, labels) from None
        if not config.dataset.exists():
            raise ModsmithError("no such dataset file or folder", where=str(config.dataset))
        fits = print_plan(config)
        if plan:
            return
        if not fits:
            raise ModsmithError("the run will not fit the device's free memory", hint="see the plan above")
        train(config)


def print_plan(config: Any) -> bool:
    """Print the memory plan of `config`'s run; whether it fits (True when no GPU can be asked)."""
    from transformers import AutoConfig

    from modsmith.train.fit_plan import plan
    from modsmith.train.memory_plan import TrainShape

    looks_local = config.base.startswith(("/", ".", "~")) or Path(config.base).exists()
    if looks_local and not Path(config.base).expanduser().is_dir():
        hint = "give a model folder or a hub name"
        raise ModsmithError("no such base model folder", where=config.base, hint=hint)
    try:
        model_config = AutoConfig.from_pretrained(config.base)
    except (OSError, ValueError) as exc:
        raise ModsmithError(f"cannot read the base model's config: {exc}", where=config.base) from None
    targets = config.target_modules
    settings: dict[str, Any] = {
        "method": config.method,
        "lora_rank": config.lora_r,
        "max_length": config.max_length,
        "micro_batch": config.per_device_batch,
        "grad_accumulation": config.grad_accumulation,
        "gradient_checkpointing": config.gradient_checkpointing,
    }
    if targets != "all-linear":
        settings["target_modules"] = tuple(targets.split(",") if isinstance(targets, str) else targets)
    shape = TrainShape.from_model_config(model_config, **settings)
    free = _free_gpu_bytes()
    verdict = plan(shape, free if free is not None else 0)
    lines = verdict.lines()
    if free is None:  # the estimate only: there is no device to compare it with
        lines = [
            *lines[: 2 + len(verdict.estimate.PARTS)],
            "no CUDA device here: no verdict (the run uses the CPU)",
        ]
    lines[0] = f"{lines[0]} ({config.base})"
    for line in lines:
        console.print(line, markup=False, highlight=False)
    return free is None or verdict.fits


def _free_gpu_bytes() -> int | None:
    import torch

    if not torch.cuda.is_available():
        return None
    free, _total = torch.cuda.mem_get_info()
    return int(free)


def train(config: Any) -> None:
    from modsmith.train.sft import train_sft

    def logged(line: dict[str, Any]) -> None:
        shown = ", ".join(
            f"{key} {value:.4g}" if isinstance(value, float) else f"{key} {value}"
            for key, value in line.items()
        )
        console.print(shown, markup=False, highlight=False)

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
    stdout.print(f"adapter: {config.output_dir}")


train_command = TrainCommand()
