"""`modsmith export`: ship a tuned model.

- `export merge ADAPTER -o OUT`: the adapter folded into its base, a Hugging Face model folder;
- `export gguf MODEL -o OUT`: GGUF files (f16, q8_0, q4_k_m) of a merged model with llama.cpp's converter,
  each checked for its chat template and against the Hugging Face model (the parity check: a failing f16
  file is kept, reported, and the command exits 2), and with `--lora` the GGUF LoRA adapter.

torch, transformers and llama.cpp are imported only when a command runs.
"""

from __future__ import annotations

from pathlib import Path

import click

from modsmith.console import console, stdout
from modsmith.errors import ModsmithError
from modsmith.export.ollama_cli import ollama_command


@click.group("export", help="Ship a tuned model: merged weights, GGUF files checked against the model.")
def export_group() -> None:
    pass


@export_group.command("merge")
@click.argument("adapter", type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    required=True,
    help="The merged model folder (new, empty or an earlier merge's).",
)
@click.option("--base", default=None, help="The base model [default: the one the adapter was trained on].")
@click.option(
    "--dtype",
    type=click.Choice(["float32", "bfloat16", "float16", "auto"]),
    default="float32",
    show_default=True,
    help="Precision of the merged weights (auto: the base's).",
)
def merge(adapter: Path, output: Path, base: str | None, dtype: str) -> None:
    """Fold the LoRA ADAPTER (a `modsmith train` output folder) into its base; save a Hugging Face model
    folder with the tokenizer and the chat template the adapter was trained with."""
    from modsmith.export.merge import merge_adapter

    result = merge_adapter(adapter, output, base=base, dtype=dtype)  # type: ignore[arg-type]
    console.print(
        f"merged {result.adapter} into {result.base} ({result.parameters:,} parameters, {result.dtype})",
        markup=False,
        highlight=False,
    )
    stdout.print(str(result.out_dir), markup=False, highlight=False)


@export_group.command("gguf")
@click.argument("model", type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    required=True,
    help="Folder for the GGUF files, named NAME-TYPE.gguf (and NAME-lora-f16.gguf).",
)
@click.option(
    "--type",
    "types",
    type=click.Choice(["f16", "q8_0", "q4_k_m"]),
    multiple=True,
    default=("f16",),
    show_default=True,
    help="GGUF type, repeatable (q4_k_m through llama.cpp's quantizer).",
)
@click.option("--name", default=None, help="File name stem [default: the model folder's name].")
@click.option(
    "--lora", type=click.Path(path_type=Path), default=None, help="Also convert this LoRA adapter folder."
)
@click.option(
    "--base",
    type=click.Path(path_type=Path),
    default=None,
    help="The LoRA adapter's base folder [default: the one it was trained on].",
)
@click.option(
    "--parity-prompts", type=int, default=8, show_default=True, help="Prompts for the parity check (0: skip)."
)
@click.option(
    "--prompts",
    type=click.Path(path_type=Path),
    default=None,
    help="Examples JSONL or dataset folder of the parity prompts [default: the run's held-out split].",
)
@click.option(
    "--threshold", type=float, default=0.99, show_default=True, help="Least f16 top-1 agreement that passes."
)
@click.option(
    "--tie-tolerance",
    type=click.FloatRange(min=0),
    default=0.02,
    show_default=True,
    help="A GGUF top token within this share of the logits' spread below the model's agrees (0: exact).",
)
def gguf(
    model: Path,
    output: Path,
    types: tuple[str, ...],
    name: str | None,
    lora: Path | None,
    base: Path | None,
    parity_prompts: int,
    prompts: Path | None,
    threshold: float,
    tie_tolerance: float,
) -> None:
    """Convert the merged MODEL folder to GGUF with llama.cpp's converter, then check each file: its chat
    template, and its next-token logits against MODEL's (f16 fails below --threshold top-1 agreement)."""
    from modsmith.export.gguf import export_gguf

    def show(report) -> None:
        for line in report.lines():
            console.print(line, markup=False, highlight=False, soft_wrap=True)

    result = export_gguf(
        model,
        output,
        types,
        name=name,
        lora_adapter=lora,
        lora_base=base,
        parity_prompts=parity_prompts,
        prompts_file=prompts,
        threshold=threshold,
        tie_tolerance=tie_tolerance,
        on_report=show,
    )
    for path in [*result.files.values(), *([result.lora] if result.lora else [])]:
        stdout.print(str(path), markup=False, highlight=False)
    if result.failed:
        names = ", ".join(report.gguf.name for report in result.failed)
        raise ModsmithError(
            f"the parity check failed for {names} (the file is kept)",
            where=str(result.failed[0].gguf),
            hint="see the parity report above: a tokenizer mismatch or low f16 agreement is a broken export",
        )


export_group.add_command(ollama_command, "ollama")
