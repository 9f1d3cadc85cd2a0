"""The TRL `SFTTrainer` of a run: its `SFTConfig` from the run config, the LoRA adapter, the callbacks.

`SFTTrainer` gets pre-tokenized `input_ids`/`labels`: a dataset with a `labels` column is kept as it is
(TRL builds labels only when there are none, so `assistant_only_loss` and `completion_only_loss` stay
off: our labels already say which tokens count), its truncation is a no-op, and with `packing` it packs
the rows with `bfd` and trains padding-free with position ids reset per example (see `packing.py` for
why the loss stays that of the examples one by one).

The fast paths (`fast_paths.resolve_fast_paths`): Liger through the trainer's own switch,
`use_liger_kernel` (transformers applies Liger's layer kernels to the base model when training starts;
TRL keeps Liger's fused linear cross-entropy off, as its own chunked LM head computes the loss); with
the Unsloth backend the adapter is Unsloth's `FastLanguageModel.get_peft_model` (with its gradient
checkpointing) instead of TRL's `peft_config`.

Under `accelerate launch` every process builds the trainer; only the main one writes `metrics.jsonl` and
passes the lines on (the others keep them in memory, where the run reads its losses).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from modsmith.train.fast_paths import resolve_fast_paths
from modsmith.train.packing import rows_per_pass

#: The layers an Unsloth adapter gets for target_modules "all-linear" (Unsloth's documented default).
UNSLOTH_ALL_LINEAR = ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"]


def build_trainer(config, model, tokenizer, train_rows, valid_rows, packing, new_token_ids, log) -> Any:
    import torch
    from datasets import Dataset
    from peft import LoraConfig
    from transformers import EarlyStoppingCallback, PrinterCallback
    from trl import SFTConfig, SFTTrainer

    fast = resolve_fast_paths(config)
    unsloth = fast.backend == "unsloth"
    on_cuda = torch.cuda.is_available()
    bf16 = on_cuda and torch.cuda.is_bf16_supported()
    evaluate = bool(valid_rows)
    keep_best = evaluate and config.keep_best
    attention = getattr(model.config, "_attn_implementation", None)
    rows, accumulation = rows_per_pass(attention, packing, config.per_device_batch, config.grad_accumulation)
    args = SFTConfig(
        output_dir=str(Path(config.output_dir) / "checkpoints"),
        num_train_epochs=config.epochs,
        max_steps=config.max_steps or -1,
        learning_rate=config.learning_rate,
        warmup_steps=config.warmup_ratio,  # below 1: a share of the steps
        per_device_train_batch_size=rows,
        per_device_eval_batch_size=rows,
        gradient_accumulation_steps=accumulation,
        activation_checkpointing=config.gradient_checkpointing and not unsloth,  # Unsloth's own, below
        max_length=config.max_length,
        packing=packing,
        packing_strategy="bfd",
        assistant_only_loss=False,  # the labels already carry the mask
        completion_only_loss=False,
        eval_strategy="steps" if evaluate else "no",
        eval_steps=config.eval_steps,
        logging_steps=config.logging_steps,
        logging_first_step=True,  # a short run still shows where its loss started
        include_num_input_tokens_seen="non_padding",  # logged: the progress line's tokens/s
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
        use_liger_kernel=fast.liger,
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
    if unsloth:
        model, lora = unsloth_adapter(config, model, new_token_ids), None
    if args.process_index != 0:  # one writer of metrics.jsonl and of the console under `accelerate launch`
        log.path, log.on_log_line = Path(os.devnull), None
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


def unsloth_adapter(config, model, new_token_ids) -> Any:
    """The LoRA adapter of an Unsloth-loaded base, by `FastLanguageModel.get_peft_model`.

    New tokens (a ChatML template added to the tokenizer) train the whole embedding and output layers:
    Unsloth takes them as `modules_to_save`, not as `trainable_token_indices`.
    """
    from unsloth import FastLanguageModel

    targets = config.target_modules
    return FastLanguageModel.get_peft_model(
        model,
        r=config.lora_r,
        target_modules=UNSLOTH_ALL_LINEAR if targets == "all-linear" else targets,
        lora_alpha=config.lora_alpha,
        lora_dropout=config.lora_dropout,
        bias="none",
        use_gradient_checkpointing="unsloth" if config.gradient_checkpointing else False,
        random_state=config.seed,
        use_rslora=config.use_rslora,
        modules_to_save=["embed_tokens", "lm_head"] if new_token_ids else None,
    )
