"""The settings of one LoRA / QLoRA fine-tune (`train_sft`), one pydantic model.

Each field's description is the help text of its `modsmith train` option. Unknown fields are refused,
so a misspelt setting in a recipe or a saved run config is an error naming it, never silently ignored.
Every seed story's settings (epochs, learning rate, warmup, batch, accumulation, max length, LoRA
rank/alpha/dropout, gradient checkpointing) are fields here.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

#: Fields that change where a run writes or whether it resumes, never what it trains: a checkpoint of a
#: run config that differs only in these is resumed.
OUTPUT_ONLY_FIELDS = frozenset({"output_dir", "resume"})


class SFTSettings(BaseModel):
    """How a base model is fine-tuned with a LoRA adapter: everything but the dataset and the output
    folder (the `train.sft` recipe stage trains on the examples that reach it, in its own folder)."""

    model_config = ConfigDict(extra="forbid")

    base: str = Field(
        description="The base model: a hub name or a local folder with its weights and tokenizer."
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
        description="Liger fused kernels (RMSNorm, RoPE, SwiGLU): default on "
        "when liger-kernel imports on a CUDA machine; on without CUDA or liger-kernel is an error.",
    )
    backend: Literal["auto", "transformers", "unsloth"] = Field(
        default="auto",
        description="Who loads and patches the model: auto uses Unsloth when `unsloth` imports on a CUDA "
        "machine, else transformers; unsloth without CUDA or the package is an error.",
    )
    valid_fraction: float = Field(
        default=0.15,
        ge=0,
        lt=1,
        description="For an examples JSONL: share held out for evaluation, split by source file "
        "(0: no evaluation). A dataset folder keeps its own split.",
    )
    dataset_weight: float = Field(
        default=1.0,
        ge=0,
        description="Weight of the main dataset in the training mix: each training example is drawn this "
        "many times on average (2: twice; 0.5: a seeded half; 0: none, its held-out split still counts).",
    )
    mix_datasets: dict[str, float] = Field(
        default_factory=dict,
        validate_default=True,
        description="More datasets to train on, PATH=WEIGHT: an examples JSONL or a dataset folder, split as "
        "the main one is, its training examples drawn WEIGHT times on average. Held-out splits are never "
        "mixed: each dataset's held-out examples count once.",
    )
    task_caps: dict[str, int] = Field(
        default_factory=dict,
        description="TASK=N: keep at most N training examples of the task (after the weights). A glob "
        "(code.*) caps all the tasks it matches together; an exact name wins over a glob. A dataset folder "
        "has its tasks only when `modsmith format --keep-meta` wrote it (else they read 'imported').",
    )
    task_shares: dict[str, float] = Field(
        default_factory=dict,
        description="TASK=FRACTION: make the task this fraction of the training split, by dropping examples "
        "(never drawing more), after the caps; the tasks not named share the rest (1 - the sum). Globs "
        "as in task_caps.",
    )
    source_caps: dict[str, int] = Field(
        default_factory=dict,
        description="SOURCE=N: keep at most N training examples of the source, after task_caps. An example's "
        "source is the folder name of its first provenance's source (the repository or guide it was read "
        "from, e.g. oot), or the path of its dataset when it has none. Globs as in task_caps.",
    )
    source_shares: dict[str, float] = Field(
        default_factory=dict,
        description="SOURCE=FRACTION: make the source this fraction of the training split, as task_shares "
        "does for tasks (give one of the two).",
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

    @field_validator("mix_datasets")
    @classmethod
    def _mix_weights(cls, value: dict[str, float], info: ValidationInfo) -> dict[str, float]:
        for path, weight in value.items():
            if weight < 0:
                raise ValueError(f"the weight of {path} is {weight:g}; give 0 or more")
        if not any(value.values()) and info.data.get("dataset_weight", 1.0) == 0:
            raise ValueError("every dataset has weight 0: nothing to train on")
        return value

    @field_validator("task_caps", "source_caps")
    @classmethod
    def _caps_counted(cls, value: dict[str, int]) -> dict[str, int]:
        for name, cap in value.items():
            if not name.strip():
                raise ValueError("name a task or source (or a glob) before =")
            if cap < 0:
                raise ValueError(f"the cap of {name} is {cap}; give 0 or more")
        return value

    @field_validator("task_shares", "source_shares")
    @classmethod
    def _shares_fit(cls, value: dict[str, float], info: ValidationInfo) -> dict[str, float]:
        for name, share in value.items():
            if not name.strip():
                raise ValueError("name a task or source (or a glob) before =")
            if not 0 <= share <= 1:
                raise ValueError(f"the share of {name} is {share:g}; give a fraction from 0 to 1")
        if sum(value.values()) > 1 + 1e-9:
            raise ValueError(f"the shares sum to {sum(value.values()):g}, over 1")
        if value and info.field_name == "source_shares" and info.data.get("task_shares"):
            raise ValueError("give task_shares or source_shares, not both: one would undo the other")
        return value

    @property
    def mixes(self) -> bool:
        """Whether the training split is more than the main dataset as it is (a weight, a cap, a share)."""
        return bool(
            self.mix_datasets
            or self.dataset_weight != 1
            or self.task_caps
            or self.task_shares
            or self.source_caps
            or self.source_shares
        )

    @property
    def checkpoint_steps(self) -> int:
        """How often a checkpoint is saved: `save_steps`, or every evaluation."""
        return self.save_steps or self.eval_steps

    @model_validator(mode="after")
    def _checkpoints_line_up(self) -> SFTSettings:
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


class SFTRunConfig(SFTSettings):
    """One supervised fine-tune of a base model with a LoRA adapter on a modsmith dataset."""

    dataset: Path = Field(
        description="A modsmith examples JSONL, or the dataset/ folder that `modsmith format` or a recipe "
        "writes (its train/valid split is kept)."
    )
    output_dir: Path = Field(
        description="Where the adapter, the tokenizer with its chat template, train_config.json, "
        "metrics.jsonl, the loss curve and the model card go."
    )

    @field_validator("dataset")
    @classmethod
    def _dataset_not_mixed_again(cls, value: Path, info: ValidationInfo) -> Path:
        if any(Path(path).resolve() == value.resolve() for path in info.data.get("mix_datasets") or {}):
            raise ValueError(f"{value} is also in mix_datasets; give its weight with dataset_weight")
        return value
