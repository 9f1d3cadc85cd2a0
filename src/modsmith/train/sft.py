"""`train_sft`: a LoRA / QLoRA fine-tune of a base model on a modsmith dataset, with TRL's `SFTTrainer`.

The run, in order:

1. a 4-bit base (`method="qlora"`, or a checkpoint whose config says it is quantized) without CUDA
   stops here, before anything is read or loaded;
2. the dataset: an examples JSONL is split by source file (`formats.split`, `valid_fraction`); a
   `dataset/` folder from `modsmith format` keeps its train/valid files (ShareGPT, OpenAI or Alpaca);
3. the tokenizer gets its chat template (`ensure_chat_template`: its own, else ChatML), the model's
   embeddings grow when the tokenizer did (the new rows are trained, `trainable_token_indices`);
4. every example is tokenized here by `tokenize_conversation` (loss on the assistant turns, or on
   everything) and cut at `max_length`; one left with no loss token is dropped and counted by reason;
5. `SFTTrainer` gets the pre-tokenized `input_ids`/`labels`: a dataset with a `labels` column is kept
   as it is (TRL builds labels only when there are none, so `assistant_only_loss` and
   `completion_only_loss` stay off: our labels already say which tokens count), its truncation is a
   no-op, and with `packing` it packs the rows with `bfd` and trains padding-free with position ids
   reset per example (see `packing.py` for why the loss stays that of the examples one by one);
6. training saves a checkpoint every `save_steps` into `output_dir/checkpoints` (with the run config
   as `train_config.json` there), keeps the best by held-out loss and may stop early; a run whose
   checkpoints folder holds checkpoints of the same config continues from the last complete one
   (`resume`), its `metrics.jsonl` cut back to that checkpoint's step first, so no step is logged twice;
7. after training: the held-out loss, then the adapter, the tokenizer with its template,
   `train_config.json` (the full `SFTRunConfig`) and `metrics.jsonl` (one line per log, with the
   progress figures: tokens/s, time left) in `output_dir`;
8. the run's report there: `loss_curve.png` (training and held-out loss by step, `loss_curve.py`) and
   the model card `README.md` (base, method, dataset and its checks, mix, template, settings, losses,
   how to load the adapter: `model_card.py`).

The run config is `train_config.json`, not `config.json`: in an adapter folder transformers reads a
`config.json` as the model's own.
"""

from __future__ import annotations

import json
import logging
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from modsmith.errors import ModsmithError
from modsmith.output_paths import folder_lock, refuse_output_over_inputs
from modsmith.records import write_text_atomic
from modsmith.train.chat_format import ensure_chat_template
from modsmith.train.loss_curve import write_loss_curve
from modsmith.train.model_card import write_model_card
from modsmith.train.packing import packing_supported
from modsmith.train.run_folder import (
    CHECKPOINTS_DIR,
    METRICS_FILE,
    MIX_REPORT_FILE,
    RUN_CONFIG_FILE,
    MetricsLog,
    checkpoint_step,
    prepare_checkpoints,
)
from modsmith.train.run_plan import RunPlan, refuse_what_will_not_fit, run_memory_plan
from modsmith.train.sft_config import SFTRunConfig
from modsmith.train.sft_data import load_mixed, loss_token_count, tokenize_examples
from modsmith.train.sft_model import WHERE, check_cuda_for_4bit, grow_embeddings, load_model, load_tokenizer
from modsmith.train.sft_trainer import build_trainer
from modsmith.train.train_extra import require_train_extra


@dataclass
class SFTRunResult:
    """What a run did: its steps, losses, the examples it used and dropped, and where it wrote."""

    steps: int
    train_loss_first: float | None
    train_loss_last: float | None
    eval_loss: float | None
    examples: dict[str, int]
    dropped: dict[str, int]
    loss_tokens: int
    template: str
    packing: bool
    paths: dict[str, str] = field(default_factory=dict)


def train_sft(config: SFTRunConfig, on_log: Callable[[dict[str, Any]], None] | None = None) -> SFTRunResult:
    """Fine-tune `config.base` with a LoRA adapter on `config.dataset`; `on_log` gets each metrics line.

    The fast paths are resolved first (an unavailable one asked for by name stops the run here), then the
    memory plan; both are logged on the `modsmith.train` logger, and a run the plan says will not fit
    stops there. Under `accelerate launch` (several processes) the main process
    holds the output folder and prepares it while the others wait (`distributed.main_process_prepares`),
    and only it passes metrics lines to `on_log`.
    """
    from modsmith.train.distributed import main_process_prepares
    from modsmith.train.fast_paths import launched_processes, resolve_fast_paths

    require_train_extra(WHERE)
    check_cuda_for_4bit(config)
    fast = resolve_fast_paths(config)
    memory_plan = run_memory_plan(config)  # the base's config only: nothing is loaded yet
    local_base = Path(config.base) if Path(config.base).exists() else None
    mixed = [Path(name) for name in config.mix_datasets]
    refuse_output_over_inputs([config.output_dir], [config.dataset, *mixed, local_base], folders=True)
    hint = "wait for it to finish, or give this run another output folder"
    if launched_processes() == 1:
        note_plan(memory_plan, fast.summary())
        with folder_lock(Path(config.output_dir), "a training run", "output folder", hint):
            return _train(config, on_log)
    with main_process_prepares(config, hint) as main:
        if main:
            note_plan(memory_plan, fast.summary())
        return _train(config, on_log if main else None)


def note_plan(memory_plan: RunPlan, fast_paths: str) -> None:
    """The first lines of a run (on the `modsmith.train` logger): its memory plan and fast paths; a run
    the plan says will not fit stops here, before anything is read or loaded."""
    refuse_what_will_not_fit(memory_plan)  # the error carries the plan and its suggestions
    logging.getLogger("modsmith.train").info("\n".join(memory_plan.lines))
    logging.getLogger("modsmith.train").info(fast_paths)


def _train(config: SFTRunConfig, on_log: Callable[[dict[str, Any]], None] | None) -> SFTRunResult:
    """The run itself (see the module's docstring)."""
    split = load_mixed(config)
    train_examples, valid_examples = split.train, split.valid
    mix_lines = split.report.lines() if config.mixes else None
    if mix_lines:
        logging.getLogger("modsmith.train").info("\n".join(["the training mix:", *mix_lines]))
    resume_from = prepare_checkpoints(config)  # refuses checkpoints of another run before loading the model
    if not train_examples:
        raise ModsmithError(f"no training examples in {config.dataset}", where=WHERE)

    from transformers import set_seed

    set_seed(config.seed)
    tokenizer = load_tokenizer(config.base)
    template = ensure_chat_template(tokenizer)
    model = load_model(config)
    new_token_ids = grow_embeddings(model, tokenizer)

    dropped: Counter[str] = Counter()
    train_rows = tokenize_examples(train_examples, tokenizer, config, dropped)
    valid_rows = tokenize_examples(valid_examples, tokenizer, config, dropped)
    if not train_rows:
        raise ModsmithError(
            f"none of the {len(train_examples)} training examples has a token to train on",
            where=WHERE,
            hint=f"dropped: {dict(dropped)}; raise max_length or use train_on='all'",
        )
    packing = packing_supported(model) if config.packing is None else config.packing
    if packing and not packing_supported(model):
        implementation = getattr(model.config, "_attn_implementation", None)
        raise ModsmithError(
            f"packing needs an attention that keeps packed examples apart; {implementation} does not",
            where=WHERE,
            hint="turn packing off, or load the model with sdpa, eager or flash attention",
        )

    output_dir = Path(config.output_dir)
    output_dir.mkdir(parents=True, exist_ok=True)
    metrics_path = output_dir / METRICS_FILE
    log = MetricsLog(metrics_path, on_log)
    if resume_from is None:
        metrics_path.unlink(missing_ok=True)
    else:
        log.keep_until(checkpoint_step(resume_from))
    trainer = build_trainer(config, model, tokenizer, train_rows, valid_rows, packing, new_token_ids, log)
    trainer.train(resume_from_checkpoint=str(resume_from) if resume_from else None)
    eval_loss = None
    if valid_rows:  # the last step's evaluation, or one more when the last step was not an evaluation step
        last = trainer.state.global_step
        evaluated = [line["eval_loss"] for line in log.lines if "eval_loss" in line and line["step"] == last]
        eval_loss = evaluated[-1] if evaluated else trainer.evaluate()["eval_loss"]
    trainer.save_model(str(output_dir))
    tokenizer.save_pretrained(str(output_dir))
    write_text_atomic(output_dir / RUN_CONFIG_FILE, config.model_dump_json(indent=2) + "\n")
    if mix_lines:
        write_text_atomic(output_dir / MIX_REPORT_FILE, json.dumps(split.report.as_dict(), indent=2) + "\n")

    losses = [line["loss"] for line in log.lines if "loss" in line]
    result = SFTRunResult(
        steps=trainer.state.global_step,
        train_loss_first=losses[0] if losses else None,
        train_loss_last=losses[-1] if losses else None,
        eval_loss=eval_loss,
        examples={"train": len(train_rows), "valid": len(valid_rows)},
        dropped=dict(dropped),
        loss_tokens=sum(loss_token_count(row) for row in train_rows),
        template=template,
        packing=packing,
        paths={
            "output_dir": str(output_dir),
            "adapter": str(output_dir / "adapter_model.safetensors"),
            "config": str(output_dir / RUN_CONFIG_FILE),
            "metrics": str(metrics_path),
            "checkpoints": str(output_dir / CHECKPOINTS_DIR),
            **({"mix_report": str(output_dir / MIX_REPORT_FILE)} if mix_lines else {}),
            **(
                {"best_checkpoint": trainer.state.best_model_checkpoint}
                if trainer.state.best_model_checkpoint
                else {}
            ),
        },
    )
    if trainer.is_world_process_zero():  # one writer of the report under `accelerate launch`
        curve = write_loss_curve(log.lines, output_dir)
        card = write_model_card(config, result, train_examples, valid_examples, log.lines, curve, mix_lines)
        result.paths["model_card"] = str(card)
        if curve.path is not None:
            result.paths["loss_curve"] = str(curve.path)
    return result
