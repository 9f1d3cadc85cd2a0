"""`merge_adapter`: a LoRA adapter folded into its base, saved as a plain Hugging Face model folder.

The base is the one given, else the `base` of the adapter's `train_config.json` (a modsmith run), else
`base_model_name_or_path` of its `adapter_config.json`. It loads in full precision (`dtype`), its
embeddings grown when training added tokens, then peft's `merge_and_unload` folds the adapter in. The
folder gets the weights (safetensors), the tokenizer saved with the adapter (so the chat template the
model was trained with travels on), the base's `tokenizer.model` when it has one (llama.cpp's GGUF
converter reads it), `merge_info.json` (base, adapter, dtype: `export gguf` finds the held-out prompts
through it) and a short README naming base and adapter.

A pre-quantized (4-bit) base cannot be merged without CUDA: that is refused before anything loads. The
output folder may not hold the adapter or the base, and is replaced whole or not at all.
"""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from modsmith.errors import ModsmithError
from modsmith.output_paths import refuse_output_over_inputs, replaced_folder
from modsmith.train.run_folder import RUN_CONFIG_FILE, first_line
from modsmith.train.sft_model import checkpoint_quantization, is_local_model

WHERE = "export.merge"
MERGE_INFO_FILE = "merge_info.json"
Dtype = Literal["auto", "float32", "bfloat16", "float16"]
#: The files a merge writes: an existing output folder holding anything else is refused.
MERGED_FILES = re.compile(
    r"config\.json|generation_config\.json|model(-\d+-of-\d+)?\.safetensors|model\.safetensors\.index\.json"
    r"|tokenizer(_config)?\.json|tokenizer\.model|special_tokens_map\.json|added_tokens\.json"
    r"|chat_template\.(jinja|json)|README\.md|merge_info\.json|\.lock"
)


@dataclass
class MergeResult:
    """Where the merged model went, and what it was made of."""

    out_dir: Path
    base: str
    adapter: Path
    dtype: str
    parameters: int


def adapter_base(adapter_dir: Path) -> str:
    """The base model an adapter was trained on: its run config's `base`, else its adapter config's; a
    local base folder that is gone is a ModsmithError naming the file that names it."""
    for name, key in ((RUN_CONFIG_FILE, "base"), ("adapter_config.json", "base_model_name_or_path")):
        path = adapter_dir / name
        if path.is_file():
            try:
                value = json.loads(path.read_text(encoding="utf-8")).get(key)
            except (OSError, ValueError, AttributeError):
                raise ModsmithError(f"cannot read {name}", where=str(path)) from None
            if value:
                return require_base(str(value), f"{path} ({key})")
    raise ModsmithError(
        "the adapter does not name its base model", where=str(adapter_dir), hint="give the base with --base"
    )


def require_base(base: str, where: str) -> str:
    """`base`, unless it is a local path (not a hub name) where nothing is: then a ModsmithError."""
    if is_local_model(base) and not Path(base).expanduser().exists():
        raise ModsmithError(
            f"the base model {base} is not there (moved or deleted?)",
            where=where,
            hint="give the base model's folder with --base",
        )
    return base


def merge_adapter(
    adapter_dir: Path, out_dir: Path, *, base: str | None = None, dtype: Dtype = "float32"
) -> MergeResult:
    """Merge the LoRA adapter in `adapter_dir` into its base; write the model folder `out_dir`."""
    adapter_dir, out_dir = Path(adapter_dir), Path(out_dir)
    if not (adapter_dir / "adapter_config.json").is_file():
        raise ModsmithError(
            "not an adapter folder (no adapter_config.json)",
            where=str(adapter_dir),
            hint="give the output folder of `modsmith train`",
        )
    base = require_base(base, "--base") if base else adapter_base(adapter_dir)
    local_base = Path(base) if Path(base).exists() else None
    refuse_output_over_inputs([out_dir], [adapter_dir, local_base], folders=True)
    _refuse_4bit_without_cuda(base)
    tokenizer = _adapter_tokenizer(adapter_dir, base)
    with replaced_folder(out_dir, owned=MERGED_FILES) as staging:  # a bad output is refused before loading
        merged = _merged_model(adapter_dir, base, dtype, tokenizer)
        merged.save_pretrained(staging)
        tokenizer.save_pretrained(staging)
        sentencepiece = _base_file(base, "tokenizer.model")
        if sentencepiece is not None and not (staging / "tokenizer.model").exists():
            shutil.copyfile(sentencepiece, staging / "tokenizer.model")
        info = {"base": base, "adapter": str(adapter_dir.resolve()), "dtype": dtype}
        (staging / MERGE_INFO_FILE).write_text(json.dumps(info, indent=2) + "\n", encoding="utf-8")
        (staging / "README.md").write_text(_readme(base, adapter_dir, dtype), encoding="utf-8")
    return MergeResult(out_dir, base, adapter_dir, dtype, sum(p.numel() for p in merged.parameters()))


def _refuse_4bit_without_cuda(base: str) -> None:
    import torch

    quantization = checkpoint_quantization(base)
    if quantization is not None and not torch.cuda.is_available():
        raise ModsmithError(
            f"the base {base} is a pre-quantized checkpoint ({quantization}): merging into it needs a CUDA "
            "GPU, and none is available",
            where=WHERE,
            hint="merge into the unquantized base with --base (the adapter fits it), or run on a GPU",
        )


def _adapter_tokenizer(adapter_dir: Path, base: str) -> Any:
    """The tokenizer saved with the adapter (it carries the trained chat template), else the base's."""
    from transformers import AutoTokenizer

    source = str(adapter_dir) if (adapter_dir / "tokenizer_config.json").is_file() else base
    try:
        tokenizer = AutoTokenizer.from_pretrained(source)
    except (OSError, ValueError) as exc:
        raise ModsmithError(f"cannot load the tokenizer: {first_line(exc)}", where=source) from None
    if not getattr(tokenizer, "chat_template", None):
        raise ModsmithError(
            "the tokenizer has no chat template: an export without one formats prompts wrongly",
            where=source,
            hint="merge an adapter trained by `modsmith train`, which saves its template",
        )
    return tokenizer


def _merged_model(adapter_dir: Path, base: str, dtype: Dtype, tokenizer: Any) -> Any:
    import torch
    from peft import PeftModel
    from transformers import AutoModelForCausalLM

    options: dict[str, Any] = {"dtype": dtype if dtype == "auto" else getattr(torch, dtype)}
    try:
        model = AutoModelForCausalLM.from_pretrained(base, **options)
    except (OSError, ValueError, ImportError) as exc:
        raise ModsmithError(f"cannot load the base model {base}: {first_line(exc)}", where=WHERE) from None
    if getattr(model, "is_quantized", False) or getattr(model, "is_loaded_in_4bit", False):
        model = model.dequantize()
    if len(tokenizer) > model.get_input_embeddings().weight.shape[0]:  # training added tokens
        model.resize_token_embeddings(len(tokenizer))
    try:
        merged = PeftModel.from_pretrained(model, str(adapter_dir)).merge_and_unload()
    except (OSError, ValueError, RuntimeError, KeyError) as exc:
        raise ModsmithError(
            f"cannot apply the adapter to {base}: {first_line(exc)}",
            where=str(adapter_dir),
            hint="is --base the model the adapter was trained on?",
        ) from None
    for config in (merged.config, merged.generation_config):
        if config is not None:  # the end of a turn in the trained template stops generation
            config.eos_token_id = tokenizer.eos_token_id
            config.pad_token_id = tokenizer.pad_token_id
    return merged


def _base_file(base: str, name: str) -> Path | None:
    """`name` in the base's folder or hub cache, or None (a tokenizer without it needs none)."""
    local = Path(base) / name
    if local.is_file():
        return local
    try:
        from transformers.utils import cached_file

        found = cached_file(base, name, _raise_exceptions_for_missing_entries=False, local_files_only=True)
    except (OSError, ValueError):
        return None
    return Path(found) if found else None


def _readme(base: str, adapter_dir: Path, dtype: str) -> str:
    return (
        "# Merged model\n\n"
        f"- base: `{base}`\n"
        f"- adapter: `{adapter_dir.resolve()}` (LoRA, folded in with peft `merge_and_unload`)\n"
        f"- dtype: {dtype}\n\n"
        "The tokenizer and its chat template are the ones saved with the adapter. Load it with "
        "`AutoModelForCausalLM.from_pretrained` and `AutoTokenizer.from_pretrained` on this folder, or "
        "convert it with `modsmith export gguf`.\n"
    )
