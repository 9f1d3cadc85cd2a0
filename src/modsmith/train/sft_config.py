"""The settings of one LoRA / QLoRA fine-tune (`train_sft`), one pydantic model.

Each field's description is the help text of its `modsmith train` option. Unknown fields are refused,
so a misspelt setting in a recipe or a saved run config is an error naming it, never silently ignored.
Every seed story's settings (epochs, learning rate, warmup, batch, accumulation, max length, LoRA
rank/alpha/dropout, gradient checkpointing) are fields here.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

#: Fields that change where a run writes or whether it resumes, never what it trains: a checkpoint of a
#: run config that differs only in these is resumed.
OUTPUT_ONLY_FIELDS = frozenset({"output_dir", "resume"})


class SFTRunConfig(BaseModel):
    """One supervised fine-tune of a base model with a LoRA adapter on a modsmith dataset."""

    model_config = ConfigDict(extra="forbid")

    dataset: Path = Field(
        description="A modsmith examples JSONL, or the dataset/ folder that `modsmith format` or a recipe "
        "writes (its train/valid split is kept)."
    )
    base: str = Field(
        description="The base model: a hub name or a local folder with its weights and tokenizer."
    )
    output_dir: Path = Field(
        description="Where the adapter, the tokenizer with its chat template, train_config.json and "
        "metrics.jsonl go."
    )
    method: Literal["lora", "qlora"] = Field(
        default="lora",
        description="lora: adapter on the base in full precision; qlora: base loaded in 4-bit NF4 "
        "(bitsandbytes, double quant, bf16 compute), CUDA only.",
    )
    lora_r: int = Field(default=16, ge=1, description="LoRA rank.")
    lora_alpha: float = Field(default=32, gt=0, description="LoRA alpha (the update is scaled by alpha/r).")
    lora_dropout: float = Field(default=0.05, ge=0, lt=1, description="Dropout on the LoRA input.")
    target_modules: str | list[str] = Field(
        default="all-linear",
        description="Modules that get adapters: 'all-linear' (every linear layer but the output head) or "
        "module names, a list or comma-separated: q_proj,v_proj.",
    )
    use_dora: bool = Field(default=False, description="Weight-decomposed LoRA (DoRA).")
    use_rslora: bool = Field(default=False, description="Rank-stabilised LoRA: scale by alpha/sqrt(r).")
    epochs: float = Field(default=1.0, gt=0, description="Passes over the training split.")
    max_steps: int | None = Field(
        default=None, ge=1, description="Stop after this many optimizer steps (overrides epochs)."
    )
    learning_rate: float = Field(default=2e-4, gt=0, description="Peak learning rate.")
    warmup_ratio: float = Field(
        default=0.03, ge=0, lt=1, description="Share of the steps spent warming the learning rate up."
    )
    per_device_batch: int = Field(default=4, ge=1, description="Rows per device per forward pass.")
    grad_accumulation: int = Field(default=4, ge=1, description="Forward passes per optimizer step.")
    max_length: int = Field(
        default=2048, ge=8, description="Tokens per example (longer ones are cut) and per packed row."
    )
    gradient_checkpointing: bool = Field(
        default=True, description="Recompute activations in the backward pass: less memory, about 30% slower."
    )
    train_on: Literal["assistant", "all"] = Field(
        default="assistant",
        description="assistant: loss only on the assistant turns (with their end-of-turn token); "
        "all: every token.",
    )
    packing: bool | None = Field(
        default=None,
        description="Pack examples into full rows (TRL bfd, padding-free, attention kept per example); "
        "default: on when the model's attention supports it.",
    )
    attention: Literal["auto", "sdpa", "flash_attention_2", "eager"] = Field(
        default="auto",
        description="The attention implementation: auto picks flash_attention_2 when the flash-attn package "
        "imports on CUDA, else sdpa; naming one that is not available is an error.",
    )
    liger: bool | None = Field(
        default=None,
        description="Liger fused kernels (RMSNorm, RoPE, SwiGLU, fused linear cross-entropy): default on "
        "when liger-kernel imports on a CUDA machine; on without CUDA or liger-kernel is an error.",
    )
    backend: Literal["auto", "transformers", "unsloth"] = Field(
        default="auto",
        description="Who loads and patches the model: auto uses Unsloth when `unsloth` imports on a CUDA "
        "machine, else transformers; unsloth without CUDA or the package is an error.",
    )
    valid_fraction: float = Field(
        default=0.1,
        ge=0,
        lt=1,
        description="For an examples JSONL: share held out for evaluation, split by source file "
        "(0: no evaluation). A dataset folder keeps its own split.",
    )
    seed: int = Field(
        default=0, description="Seed of the adapter's initialisation, the shuffling and the split."
    )
    data_seed: int | None = Field(
        default=None, description="Seed of the order the training rows are drawn in (default: seed)."
    )
    eval_steps: int = Field(default=50, ge=1, description="Evaluate the held-out loss every this many steps.")
    logging_steps: int = Field(default=10, ge=1, description="Log the training loss every this many steps.")
    save_steps: int | None = Field(
        default=None,
        ge=1,
        description="Save a checkpoint to output_dir/checkpoints every this many steps "
        "(default: eval_steps); with keep_best, a multiple of eval_steps.",
    )
    save_total_limit: int = Field(
        default=2, ge=1, description="Checkpoints kept (the best one by held-out loss is kept on top)."
    )
    keep_best: bool = Field(
        default=True,
        description="Keep the checkpoint with the lowest held-out loss and end the run with its adapter "
        "(when there is a held-out split).",
    )
    early_stopping_patience: int | None = Field(
        default=None,
        ge=1,
        description="Stop after this many evaluations in a row without a lower held-out loss "
        "(needs keep_best).",
    )
    resume: bool = Field(
        default=True,
        description="Continue from the last checkpoint in output_dir/checkpoints when it is of the same run "
        "config; off: start over and drop those checkpoints.",
    )

    @field_validator("target_modules")
    @classmethod
    def _modules_named(cls, value: str | list[str]) -> str | list[str]:
        if isinstance(value, str) and value.strip() != "all-linear":
            value = value.split(",")  # `--target-modules q_proj,v_proj`
        names = [value] if isinstance(value, str) else [name.strip() for name in value]
        if not names or any(not name for name in names):
            raise ValueError("name at least one module, or 'all-linear'")
        return value.strip() if isinstance(value, str) else names

    @property
    def checkpoint_steps(self) -> int:
        """How often a checkpoint is saved: `save_steps`, or every evaluation."""
        return self.save_steps or self.eval_steps

    @model_validator(mode="after")
    def _checkpoints_line_up(self) -> SFTRunConfig:
        if self.keep_best and self.checkpoint_steps % self.eval_steps:
            raise ValueError(
                f"save_steps {self.save_steps} is no multiple of eval_steps {self.eval_steps}: keep_best "
                "compares the held-out loss of the saved checkpoints; make them line up or turn keep_best off"
            )
        if self.early_stopping_patience is not None and not self.keep_best:
            raise ValueError("early_stopping_patience needs keep_best, which tracks the best held-out loss")
        return self

    @field_validator("base")
    @classmethod
    def _base_named(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("name a hub model or a local folder")
        return value
