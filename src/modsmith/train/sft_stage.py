"""`train.sft`, the recipe stage: a LoRA / QLoRA fine-tune on the examples that reach it.

The records pass through unchanged (a later stage or the export still sees them). Once they are
written, `finish` trains with `train_sft` on their examples, held out as the recipe's export holds
them out (same `valid_fraction` and `seed`, so the model never trains on the exported valid split),
into `model/` in the stage's folder unless `output_dir` says otherwise. A run killed while training
leaves no stats.json, so the next run of the recipe comes back here and `train_sft` resumes from the
last checkpoint. `modsmith train` is the same training on a dataset file or folder.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import Field

from modsmith.records import Document, Example, JsonlWriter, read_records
from modsmith.stage import Stage, StageConfig
from modsmith.train.sft_config import SFTSettings

#: The adapter's folder inside the stage's folder when the recipe names no `output_dir`.
MODEL_DIR = "model"


class SFTStageConfig(StageConfig, SFTSettings):
    """`SFTSettings` (the run's settings, as `modsmith train` takes them) and where the adapter goes."""

    output_dir: Path | None = Field(
        default=None,
        description="Where the adapter, tokenizer with its chat template, train_config.json, metrics.jsonl, "
        "loss curve and model card go (default: model/ in the stage's folder of the run).",
    )


class TrainSFT(Stage):
    """Fine-tune a base model with a LoRA (or QLoRA) adapter on the examples that reach this stage; they
    pass on unchanged. Off by default in the shipped recipes that need a GPU-sized model."""

    name = "train.sft"
    Config = SFTStageConfig
    handles = ()
    passes_through = (Document, Example)

    def process(self, records, rejects):
        for record in records:
            yield from self.unhandled(record, rejects)

    def outside_paths(self) -> list[Path]:
        """The mixed-in datasets and a local base folder (a hub name has none): a change trains again."""
        base = Path(self.config.base).expanduser()
        return [*super().outside_paths(), *([base] if base.exists() else [])]

    def hold_out_like(self, valid_fraction: float, seed: int) -> str | None:
        given = self.config.model_fields_set
        mine = (self.config.valid_fraction, self.config.seed)
        if not given & {"valid_fraction", "seed"} or mine == (valid_fraction, seed):
            self.config = self.config.model_copy(update={"valid_fraction": valid_fraction, "seed": seed})
            return None
        return (
            f"train.sft holds out valid_fraction {mine[0]} with seed {mine[1]}, the export {valid_fraction} "
            f"with seed {seed}: the model would train on examples the exported valid split keeps for "
            "evaluation; give both the same, or leave them out of train.sft to follow the export"
        )

    def finish(self, data_path: Path, work_dir: Path) -> dict[str, Any]:
        from modsmith.train.sft import train_sft
        from modsmith.train.sft_config import SFTRunConfig

        examples_path = work_dir / "examples.jsonl"
        with JsonlWriter(examples_path) as examples:
            for record in read_records(data_path):
                if isinstance(record, Example):
                    examples.write(record)
        settings = self.config.model_dump(exclude={"output_dir"})
        output_dir = self.config.output_dir or work_dir / MODEL_DIR
        result = train_sft(SFTRunConfig(dataset=examples_path, output_dir=output_dir, **settings))
        return {
            "steps": result.steps,
            "train_loss_first": result.train_loss_first,
            "train_loss_last": result.train_loss_last,
            "eval_loss": result.eval_loss,
            "examples": result.examples,
            "dropped_examples": result.dropped,
            "adapter": str(output_dir),
        }
