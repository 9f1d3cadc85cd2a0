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
   `train_config.json` (the full `SFTRunConfig`) and `metrics.jsonl` (one line per log) in `output_dir`.

The run config is `train_config.json`, not `config.json`: in an adapter folder transformers reads a
`config.json` as the model's own.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from modsmith.errors import ModsmithError
from modsmith.example_formats import import_examples
from modsmith.formats.split import plan_split
from modsmith.output_paths import folder_lock, refuse_output_over_inputs
from modsmith.records import Example, read_jsonl, write_text_atomic
from modsmith.train.chat_format import IGNORE_INDEX, ensure_chat_template, tokenize_conversation
from modsmith.train.packing import packing_supported
from modsmith.train.run_folder import (
    CHECKPOINTS_DIR,
    METRICS_FILE,
    RUN_CONFIG_FILE,
    MetricsLog,
    checkpoint_step,
    first_line,
    prepare_checkpoints,
)
from modsmith.train.sft_config import SFTRunConfig

WHERE = "train.sft"
#: The formats of a dataset folder that keep the conversation, in the order they are looked for.
FOLDER_FORMATS = ("sharegpt", "openai", "alpaca")


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
    """Fine-tune `config.base` with a LoRA adapter on `config.dataset`; `on_log` gets each metrics line."""
    _check_cuda_for_4bit(config)
    local_base = Path(config.base) if Path(config.base).exists() else None
    refuse_output_over_inputs([config.output_dir], [config.dataset, local_base], folders=True)
    hint = "wait for it to finish, or give this run another output folder"
    with folder_lock(Path(config.output_dir), "a training run", "output folder", hint):
        return _train(config, on_log)


def _train(config: SFTRunConfig, on_log: Callable[[dict[str, Any]], None] | None) -> SFTRunResult:
    train_examples, valid_examples = load_split(config)
    resume_from = prepare_checkpoints(config)  # refuses checkpoints of another run before loading the model
    if not train_examples:
        raise ModsmithError(f"no training examples in {config.dataset}", where=WHERE)

    from transformers import set_seed

    set_seed(config.seed)
    tokenizer = _load_tokenizer(config.base)
    template = ensure_chat_template(tokenizer)
    model = _load_model(config)
    new_token_ids = _grow_embeddings(model, tokenizer)

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
    trainer = _build_trainer(config, model, tokenizer, train_rows, valid_rows, packing, new_token_ids, log)
    trainer.train(resume_from_checkpoint=str(resume_from) if resume_from else None)
    eval_loss = None
    if valid_rows:  # the last step's evaluation, or one more when the last step was not an evaluation step
        last = trainer.state.global_step
        evaluated = [line["eval_loss"] for line in log.lines if "eval_loss" in line and line["step"] == last]
        eval_loss = evaluated[-1] if evaluated else trainer.evaluate()["eval_loss"]
    trainer.save_model(str(output_dir))
    tokenizer.save_pretrained(str(output_dir))
    write_text_atomic(output_dir / RUN_CONFIG_FILE, config.model_dump_json(indent=2) + "\n")

    losses = [line["loss"] for line in log.lines if "loss" in line]
    return SFTRunResult(
        steps=trainer.state.global_step,
        train_loss_first=losses[0] if losses else None,
        train_loss_last=losses[-1] if losses else None,
        eval_loss=eval_loss,
        examples={"train": len(train_rows), "valid": len(valid_rows)},
        dropped=dict(dropped),
        loss_tokens=sum(_loss_token_count(row) for row in train_rows),
        template=template,
        packing=packing,
        paths={
            "output_dir": str(output_dir),
            "adapter": str(output_dir / "adapter_model.safetensors"),
            "config": str(output_dir / RUN_CONFIG_FILE),
            "metrics": str(metrics_path),
            "checkpoints": str(output_dir / CHECKPOINTS_DIR),
            **(
                {"best_checkpoint": trainer.state.best_model_checkpoint}
                if trainer.state.best_model_checkpoint
                else {}
            ),
        },
    )


def load_split(config: SFTRunConfig) -> tuple[list[Example], list[Example]]:
    """The training and held-out examples of `config.dataset` (a folder's own split, or a grouped split)."""
    path = Path(config.dataset)
    if path.is_dir():
        for fmt in FOLDER_FORMATS:
            train_file, valid_file = path / f"train.{fmt}.jsonl", path / f"valid.{fmt}.jsonl"
            if train_file.is_file():
                valid = list(import_examples(valid_file, fmt)) if valid_file.is_file() else []
                return list(import_examples(train_file, fmt)), valid
        names = ", ".join(f"train.{fmt}.jsonl" for fmt in FOLDER_FORMATS)
        raise ModsmithError(
            f"the dataset folder has none of {names}",
            where=str(path),
            hint="export it with `modsmith format` in the sharegpt, openai or alpaca format",
        )
    if not path.is_file():
        raise ModsmithError("no such dataset file or folder", where=str(path))
    examples = list(read_jsonl(path, Example))
    plan = plan_split(examples, config.valid_fraction, config.seed)
    train = [example for example in examples if plan.side(example) == "train"]
    valid = [example for example in examples if plan.side(example) == "valid"]
    return train, valid


def tokenize_examples(
    examples: list[Example], tokenizer: Any, config: SFTRunConfig, dropped: Counter[str]
) -> list[dict[str, list[int]]]:
    """`input_ids` and `labels` of each example; one that cannot carry loss is counted in `dropped`."""
    rows = []
    for example in examples:
        try:
            encoded = tokenize_conversation(
                example.messages, tokenizer, train_on=config.train_on, max_length=config.max_length
            )
        except ModsmithError as exc:
            dropped[exc.message] += 1
            continue
        row = {"input_ids": encoded["input_ids"], "labels": encoded["labels"]}
        if _loss_token_count(row) == 0:
            dropped[f"no token to train on within max_length {config.max_length}"] += 1
            continue
        rows.append(row)
    return rows


def _loss_token_count(row: dict[str, list[int]]) -> int:
    # The first label is never a target: the loss shifts labels one to the left.
    return sum(1 for label in row["labels"][1:] if label != IGNORE_INDEX)


def _check_cuda_for_4bit(config: SFTRunConfig) -> None:
    import torch

    if torch.cuda.is_available():
        return
    if config.method == "qlora":
        raise ModsmithError(
            "method qlora loads the base in 4-bit with bitsandbytes, which needs a CUDA GPU, "
            "and none is available",
            where=WHERE,
            hint="use method lora on this machine",
        )
    quantization = _checkpoint_quantization(config.base)
    if quantization is not None:
        raise ModsmithError(
            f"the base {config.base} is a pre-quantized checkpoint ({quantization}), which needs a CUDA GPU, "
            "and none is available",
            where=WHERE,
            hint="use the unquantized base with method lora",
        )


def _checkpoint_quantization(base: str) -> str | None:
    """The quantization method a local checkpoint's config.json names (hub names are checked when loaded)."""
    config_file = Path(base) / "config.json"
    if not config_file.is_file():
        return None
    try:
        quantization = json.loads(config_file.read_text(encoding="utf-8")).get("quantization_config")
    except (OSError, ValueError, AttributeError):
        return None
    if not isinstance(quantization, dict):
        return None
    return str(quantization.get("quant_method", "quantized"))


def _load_tokenizer(base: str) -> Any:
    from transformers import AutoTokenizer

    try:
        return AutoTokenizer.from_pretrained(base)
    except (OSError, ValueError) as exc:
        raise ModsmithError(f"cannot load the tokenizer of {base}: {first_line(exc)}", where=WHERE) from None


def _load_model(config: SFTRunConfig) -> Any:
    import torch
    from transformers import AutoModelForCausalLM

    options: dict[str, Any] = {}
    if torch.cuda.is_available():
        options["dtype"] = torch.bfloat16 if torch.cuda.is_bf16_supported() else torch.float16
    else:
        options["dtype"] = torch.float32
    if config.method == "qlora":
        from transformers import BitsAndBytesConfig

        options["quantization_config"] = BitsAndBytesConfig(
            load_in_4bit=True,
            bnb_4bit_quant_type="nf4",
            bnb_4bit_use_double_quant=True,
            bnb_4bit_compute_dtype=torch.bfloat16,
        )
    try:
        model = AutoModelForCausalLM.from_pretrained(config.base, **options)
    except ImportError as exc:
        raise ModsmithError(
            f"loading {config.base} needs a missing package: {first_line(exc)}", where=WHERE
        ) from None
    except (OSError, ValueError) as exc:
        raise ModsmithError(f"cannot load the model {config.base}: {first_line(exc)}", where=WHERE) from None
    if getattr(model, "is_loaded_in_4bit", False) or config.method == "qlora":
        from peft import prepare_model_for_kbit_training

        model = prepare_model_for_kbit_training(
            model, use_gradient_checkpointing=config.gradient_checkpointing
        )
    return model


def _grow_embeddings(model: Any, tokenizer: Any) -> list[int]:
    """Resize the embeddings to the tokenizer when it gained tokens; the ids of the new rows."""
    before = model.get_input_embeddings().weight.shape[0]
    if len(tokenizer) <= before:
        return []
    model.resize_token_embeddings(len(tokenizer))
    return list(range(before, len(tokenizer)))


def _build_trainer(config, model, tokenizer, train_rows, valid_rows, packing, new_token_ids, log) -> Any:
    import torch
    from datasets import Dataset
    from peft import LoraConfig
    from transformers import EarlyStoppingCallback, PrinterCallback
    from trl import SFTConfig, SFTTrainer

    on_cuda = torch.cuda.is_available()
    bf16 = on_cuda and torch.cuda.is_bf16_supported()
    evaluate = bool(valid_rows)
    keep_best = evaluate and config.keep_best
    args = SFTConfig(
        output_dir=str(Path(config.output_dir) / "checkpoints"),
        num_train_epochs=config.epochs,
        max_steps=config.max_steps or -1,
        learning_rate=config.learning_rate,
        warmup_steps=config.warmup_ratio,  # below 1: a share of the steps
        per_device_train_batch_size=config.per_device_batch,
        per_device_eval_batch_size=config.per_device_batch,
        gradient_accumulation_steps=config.grad_accumulation,
        activation_checkpointing=config.gradient_checkpointing,
        max_length=config.max_length,
        packing=packing,
        packing_strategy="bfd",
        assistant_only_loss=False,  # the labels already carry the mask
        completion_only_loss=False,
        eval_strategy="steps" if evaluate else "no",
        eval_steps=config.eval_steps,
        logging_steps=config.logging_steps,
        save_strategy="steps",
        save_steps=config.checkpoint_steps,
        save_total_limit=config.save_total_limit,
        load_best_model_at_end=keep_best,
        metric_for_best_model="eval_loss" if keep_best else None,
        greater_is_better=False if keep_best else None,
        report_to="none",
        seed=config.seed,
        data_seed=config.seed if config.data_seed is None else config.data_seed,
        bf16=bf16,
        fp16=on_cuda and not bf16,
        use_cpu=not on_cuda,
        disable_tqdm=True,
    )
    lora = LoraConfig(
        r=config.lora_r,
        lora_alpha=config.lora_alpha,
        lora_dropout=config.lora_dropout,
        target_modules=config.target_modules,
        use_dora=config.use_dora,
        use_rslora=config.use_rslora,
        task_type="CAUSAL_LM",
        trainable_token_indices=new_token_ids or None,
    )
    trainer = SFTTrainer(
        model=model,
        args=args,
        train_dataset=Dataset.from_list(train_rows),
        eval_dataset=Dataset.from_list(valid_rows) if evaluate else None,
        processing_class=tokenizer,
        peft_config=lora,
        callbacks=[log.callback()],
    )
    if keep_best and config.early_stopping_patience is not None:
        trainer.add_callback(EarlyStoppingCallback(early_stopping_patience=config.early_stopping_patience))
    trainer.remove_callback(PrinterCallback)  # the logs go to metrics.jsonl and `on_log`, not to stdout
    return trainer
