"""The model card of a run: `README.md` next to the adapter, Hugging Face style.

YAML front matter (`base_model`, `library_name: peft`, tags), then what the run knows and nothing
else: the base model, the method (LoRA or QLoRA, rank, alpha, targets, DoRA, rsLoRA), the dataset
(its path, the training and held-out examples read and used, examples per task, the examples dropped
by reason), the pass/fail count of each check the training examples carry (a dataset folder exported
without `keep_meta` carries none, and the card says so), the mix report when the run mixed datasets,
the chat template saved with the tokenizer, the training settings, the losses and steps, the loss
curve, and how to load the adapter with PEFT.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from modsmith.records import Example, write_text_atomic
from modsmith.train.loss_curve import LossCurve, points
from modsmith.train.sft_config import SFTRunConfig
from modsmith.train.sft_model import checkpoint_quantization

if TYPE_CHECKING:
    from modsmith.train.sft import SFTRunResult

MODEL_CARD_FILE = "README.md"

TEMPLATE_SOURCES = {
    "own": "the base tokenizer's own chat template",
    "chatml default": "modsmith's ChatML default (the base tokenizer had no chat template): each turn is "
    "`<|im_start|>ROLE` and a newline, its text, then `<|im_end|>`; the eos token is `<|im_end|>`",
}


def write_model_card(
    config: SFTRunConfig,
    result: SFTRunResult,
    train_examples: Sequence[Example],
    valid_examples: Sequence[Example],
    metrics: Sequence[dict[str, Any]],
    loss_curve: LossCurve,
    mix_lines: list[str] | None = None,
) -> Path:
    """Write `config.output_dir/README.md` for a finished run; returns its path."""
    sections = [
        _front_matter(config),
        f"# {Path(config.output_dir).name}",
        f"A {_method_name(config)} adapter for `{config.base}`, fine-tuned by modsmith (TRL `SFTTrainer` "
        f"and PEFT) on `{config.dataset}`.",
        *_method(config),
        *_dataset(config, result, train_examples, valid_examples),
        *_checks(train_examples),
        *_mix(mix_lines),
        *_chat_template(config, result),
        *_settings(config, result),
        *_results(result, metrics, loss_curve),
        *_usage(config),
    ]
    path = Path(config.output_dir) / MODEL_CARD_FILE
    write_text_atomic(path, "\n\n".join(sections).rstrip("\n") + "\n")
    return path


def _front_matter(config: SFTRunConfig) -> str:
    tags = ["modsmith", "sft", "trl", "peft", config.method]
    tags += [tag for tag, used in (("dora", config.use_dora), ("rslora", config.use_rslora)) if used]
    meta = {
        "base_model": config.base,
        "library_name": "peft",
        "pipeline_tag": "text-generation",
        "tags": tags,
    }
    return "---\n" + yaml.safe_dump(meta, sort_keys=False, allow_unicode=True) + "---"


def _method_name(config: SFTRunConfig) -> str:
    return "QLoRA" if config.method == "qlora" else "LoRA"


def _table(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(cell).replace("|", "\\|") for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def _yes(flag: bool) -> str:
    return "yes" if flag else "no"


def _method(config: SFTRunConfig) -> list[str]:
    targets = config.target_modules
    scale = config.lora_alpha / (math.sqrt(config.lora_r) if config.use_rslora else config.lora_r)
    rows = [
        ["method", _method_name(config)],
        ["rank (r)", config.lora_r],
        ["alpha", f"{config.lora_alpha:g}"],
        ["update scale", f"{scale:.4g} (alpha / {'sqrt(r)' if config.use_rslora else 'r'})"],
        ["dropout", f"{config.lora_dropout:g}"],
        ["target modules", targets if isinstance(targets, str) else ", ".join(targets)],
        ["DoRA", _yes(config.use_dora)],
        ["rsLoRA", _yes(config.use_rslora)],
    ]
    if config.method == "qlora":
        rows.append(["base weights", "4-bit NF4 (bitsandbytes), double quantization, bf16 compute"])
    elif quantization := checkpoint_quantization(config.base):
        rows.append(["base weights", f"pre-quantized checkpoint ({quantization}), loaded as it is"])
    return ["## Base model and method", f"Base model: `{config.base}`.", _table(["setting", "value"], rows)]


def _dataset(
    config: SFTRunConfig,
    result: SFTRunResult,
    train_examples: Sequence[Example],
    valid_examples: Sequence[Example],
) -> list[str]:
    path = Path(config.dataset)
    if path.is_dir():
        split = "a dataset folder; its own train/valid split is kept"
    else:
        split = (
            f"an examples JSONL, held out by source file (valid_fraction {config.valid_fraction:g}, "
            f"seed {config.seed})"
        )
    counts = [
        ["training", len(train_examples), result.examples.get("train", 0)],
        ["held-out", len(valid_examples), result.examples.get("valid", 0)],
    ]
    tasks: dict[str, Counter[str]] = defaultdict(Counter)
    for side, examples in (("train", train_examples), ("valid", valid_examples)):
        for example in examples:
            tasks[example.task][side] += 1
    task_rows = [[task, c["train"], c["valid"]] for task, c in sorted(tasks.items())]
    lines = [
        "## Dataset",
        f"`{config.dataset}`: {split}.",
        _table(["split", "examples read", "examples trained or evaluated on"], counts),
        "Examples per task (as read):",
        _table(["task", "training", "held-out"], task_rows),
    ]
    if result.dropped:
        rows = sorted(result.dropped.items(), key=lambda item: (-item[1], item[0]))
        lines += ["Examples dropped (training and held-out):", _table(["reason", "examples"], rows)]
    else:
        lines.append("No example was dropped.")
    return lines


def _checks(train_examples: Sequence[Example]) -> list[str]:
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    carrying = 0
    for example in train_examples:
        carrying += bool(example.checks)
        for name, check in example.checks.items():
            counts[name]["passed" if check.passed else "failed"] += 1
    if not counts:
        return [
            "## Dataset checks",
            "No check results in this dataset: its training examples carry none (a dataset folder "
            "exported without keep_meta, or examples that were never checked).",
        ]
    rows = [[name, c["passed"], c["failed"]] for name, c in sorted(counts.items())]
    return [
        "## Dataset checks",
        f"Results carried by {carrying} of the {len(train_examples)} training examples:",
        _table(["check", "passed", "failed"], rows),
    ]


def _mix(mix_lines: list[str] | None) -> list[str]:
    if not mix_lines:
        return []
    return ["## Dataset mix", "```text\n" + "\n".join(mix_lines) + "\n```"]


def _chat_template(config: SFTRunConfig, result: SFTRunResult) -> list[str]:
    source = TEMPLATE_SOURCES.get(result.template, result.template)
    loss = (
        "the assistant turns only (each with its end-of-turn token)"
        if config.train_on == "assistant"
        else "every token"
    )
    return [
        "## Chat template",
        f"The template is {source}. It is saved with the tokenizer in this folder, so that evaluation, "
        f"GGUF export and serving format conversations as training did. The loss was on {loss}.",
    ]


def _settings(config: SFTRunConfig, result: SFTRunResult) -> list[str]:
    rows = [
        ["epochs", f"{config.epochs:g}"],
        ["max steps", config.max_steps if config.max_steps is not None else "- (from epochs)"],
        ["learning rate", f"{config.learning_rate:g}"],
        ["warmup ratio", f"{config.warmup_ratio:g}"],
        ["batch per device", config.per_device_batch],
        ["gradient accumulation", config.grad_accumulation],
        ["max length (tokens)", config.max_length],
        ["packing", _yes(result.packing)],
        ["gradient checkpointing", _yes(config.gradient_checkpointing)],
        ["evaluation every", f"{config.eval_steps} steps"],
        ["seed", config.seed],
    ]
    return [
        "## Training settings",
        _table(["setting", "value"], rows),
        "The full run config is `train_config.json` in this folder.",
    ]


def _loss(value: float | None) -> str:
    return "-" if value is None else f"{value:.4f}"


def _results(result: SFTRunResult, metrics: Sequence[dict[str, Any]], curve: LossCurve) -> list[str]:
    rows = [
        ["optimizer steps", result.steps],
        [
            "training loss, first and last logged",
            f"{_loss(result.train_loss_first)} -> {_loss(result.train_loss_last)}",
        ],
        ["held-out loss at the end", _loss(result.eval_loss)],
    ]
    eval_steps, eval_losses = points(metrics, "eval_loss")
    if eval_losses:
        lowest = min(range(len(eval_losses)), key=eval_losses.__getitem__)
        rows.append(["lowest held-out loss", f"{eval_losses[lowest]:.4f} (step {eval_steps[lowest]})"])
    best = result.paths.get("best_checkpoint")
    if best:
        rows.append(["adapter", f"the best checkpoint by held-out loss ({Path(best).name})"])
    lines = ["## Results", _table(["figure", "value"], rows)]
    if curve.path is not None:
        lines.append(f"![training and held-out loss by step]({curve.path.name})")
    else:
        lines.append(f"No loss curve: {curve.why_not}.")
    return lines + ["Every logged step is in `metrics.jsonl`."]


def _usage(config: SFTRunConfig) -> list[str]:
    quantized = ""
    if config.method == "qlora":
        quantized = (
            "The base was trained in 4-bit: to load it the same way, pass `quantization_config="
            "BitsAndBytesConfig(load_in_4bit=True, bnb_4bit_quant_type='nf4', "
            "bnb_4bit_use_double_quant=True, bnb_4bit_compute_dtype=torch.bfloat16)` to `from_pretrained`."
        )
    code = "\n".join(
        [
            "```python",
            "from peft import AutoPeftModelForCausalLM",
            "from transformers import AutoTokenizer",
            "",
            f"adapter = {str(config.output_dir)!r}",
            "model = AutoPeftModelForCausalLM.from_pretrained(adapter)  # loads the base, then the adapter",
            "tokenizer = AutoTokenizer.from_pretrained(adapter)  # with the chat template of training",
            'messages = [{"role": "user", "content": "What does this function do?"}]',
            "inputs = tokenizer.apply_chat_template(",
            '    messages, add_generation_prompt=True, return_tensors="pt", return_dict=True',
            ")",
            "output = model.generate(**inputs, max_new_tokens=64)",
            'print(tokenizer.decode(output[0][inputs["input_ids"].shape[1]:], skip_special_tokens=True))',
            "```",
        ]
    )
    return ["## Use", "Load the adapter with PEFT:", code, *([quantized] if quantized else [])]
