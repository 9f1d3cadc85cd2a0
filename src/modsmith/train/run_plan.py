"""The memory plan of one run config: what `modsmith train --plan` prints and every run logs first.

The base model's sizes come from its config alone (`AutoConfig`: nothing is loaded), the run's settings
from `SFTSettings`; the micro batch is the rows a forward pass really takes (`packing.rows_per_pass`:
one packed row a pass unless the attention is a varlen kernel), and the device's free memory comes from
CUDA. Without CUDA there is an estimate but no verdict: the run uses the CPU.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from modsmith.errors import ModsmithError
from modsmith.train.fast_paths import resolve_fast_paths
from modsmith.train.fit_plan import plan
from modsmith.train.memory_plan import TrainShape
from modsmith.train.packing import PACKED_ATTENTION_IMPLEMENTATIONS, rows_per_pass
from modsmith.train.sft_config import SFTSettings
from modsmith.train.sft_model import WHERE, is_local_model


@dataclass
class RunPlan:
    """The plan's text and whether the run may start (always, without CUDA)."""

    lines: list[str]
    fits: bool


def run_memory_plan(config: SFTSettings) -> RunPlan:
    """The memory plan of `config`'s run on this machine."""
    from transformers import AutoConfig

    if is_local_model(config.base) and not Path(config.base).expanduser().is_dir():
        raise ModsmithError(
            "no such base model folder", where=config.base, hint="give a model folder or a hub name"
        )
    try:
        model_config = AutoConfig.from_pretrained(config.base)
    except (OSError, ValueError) as exc:
        raise ModsmithError(f"cannot read the base model's config: {exc}", where=config.base) from None
    attention = resolve_fast_paths(config).attention
    packing = attention in PACKED_ATTENTION_IMPLEMENTATIONS if config.packing is None else config.packing
    rows, passes = rows_per_pass(attention, packing, config.per_device_batch, config.grad_accumulation)
    settings: dict[str, Any] = {
        "method": config.method,
        "lora_rank": config.lora_r,
        "max_length": config.max_length,
        "micro_batch": rows,
        "grad_accumulation": passes,
        "gradient_checkpointing": config.gradient_checkpointing,
    }
    if config.target_modules != "all-linear":
        settings["target_modules"] = tuple(config.target_modules)
    verdict = plan(TrainShape.from_model_config(model_config, **settings), free_gpu_bytes() or 0)
    lines = verdict.lines()
    if free_gpu_bytes() is None:  # the estimate only: there is no device to compare it with
        lines = [
            *lines[: 2 + len(verdict.estimate.PARTS)],
            "no CUDA device here: no verdict (the run uses the CPU)",
        ]
    lines[0] = f"{lines[0]} ({config.base})"
    return RunPlan(lines, free_gpu_bytes() is None or verdict.fits)


def refuse_what_will_not_fit(run_plan: RunPlan) -> None:
    """Stop a run its plan says will not fit, with the plan (and the changes that make it fit) attached."""
    if not run_plan.fits:
        raise ModsmithError(
            "the run will not fit the device's free memory",
            where=WHERE,
            hint="make the changes the plan suggests",
            details="\n".join(run_plan.lines),
        )


def free_gpu_bytes() -> int | None:
    """The CUDA device's free memory, or None without CUDA."""
    import torch

    if not torch.cuda.is_available():
        return None
    free, _total = torch.cuda.mem_get_info()
    return int(free)
