"""Loading the base of a run: its tokenizer, the model (in 4-bit for QLoRA) and embeddings grown to fit.

A 4-bit base (`method="qlora"`, or a checkpoint whose config says it is quantized) without CUDA is
refused by `check_cuda_for_4bit` before anything is read or loaded. The model loads with the attention
implementation `fast_paths.resolve_fast_paths` picks, or through `unsloth.FastLanguageModel` when the
backend is Unsloth (CUDA only; it gets its LoRA adapter in `sft_trainer`).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from modsmith.errors import ModsmithError
from modsmith.train.fast_paths import resolve_fast_paths
from modsmith.train.run_folder import first_line
from modsmith.train.sft_config import SFTRunConfig

WHERE = "train.sft"


def is_local_model(name: str) -> bool:
    """Whether a model name is a path on this machine rather than a hub name (`org/model`): it exists,
    starts like a path, or has more than one slash or a backslash."""
    return (
        name.startswith(("/", ".", "~"))
        or name.count("/") > 1
        or "\\" in name
        or Path(name).expanduser().exists()
    )


def check_cuda_for_4bit(config: SFTRunConfig) -> None:
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
    quantization = checkpoint_quantization(config.base)
    if quantization is not None:
        raise ModsmithError(
            f"the base {config.base} is a pre-quantized checkpoint ({quantization}), which needs a CUDA GPU, "
            "and none is available",
            where=WHERE,
            hint="use the unquantized base with method lora",
        )


def checkpoint_quantization(base: str) -> str | None:
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


def load_tokenizer(base: str) -> Any:
    from transformers import AutoTokenizer

    try:
        return AutoTokenizer.from_pretrained(base)
    except (OSError, ValueError) as exc:
        raise ModsmithError(f"cannot load the tokenizer of {base}: {first_line(exc)}", where=WHERE) from None


def load_model(config: SFTRunConfig) -> Any:
    import torch
    from transformers import AutoModelForCausalLM

    fast = resolve_fast_paths(config)
    if fast.backend == "unsloth":
        return load_unsloth_model(config)
    options: dict[str, Any] = {"attn_implementation": fast.attention}
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


def load_unsloth_model(config: SFTRunConfig) -> Any:
    """The base loaded by Unsloth's `FastLanguageModel` (its patched layers; 4-bit for QLoRA), CUDA only.

    Unsloth's own tokenizer is not used: the run's tokenizer (`load_tokenizer`) carries its chat template.
    """
    from unsloth import FastLanguageModel

    try:
        model, _ = FastLanguageModel.from_pretrained(
            model_name=config.base,
            max_seq_length=config.max_length,
            dtype=None,  # Unsloth picks bf16 where the GPU has it, else fp16
            load_in_4bit=config.method == "qlora",
        )
    except (OSError, ValueError) as exc:
        raise ModsmithError(
            f"Unsloth cannot load the model {config.base}: {first_line(exc)}",
            where=WHERE,
            hint="use backend transformers",
        ) from None
    return model


def grow_embeddings(model: Any, tokenizer: Any) -> list[int]:
    """Resize the embeddings to the tokenizer when it gained tokens; the ids of the new rows."""
    before = model.get_input_embeddings().weight.shape[0]
    if len(tokenizer) <= before:
        return []
    model.resize_token_embeddings(len(tokenizer))
    return list(range(before, len(tokenizer)))
