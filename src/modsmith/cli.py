"""The `modsmith` command: parses arguments, calls a stage or a run, prints. No logic lives here."""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import Annotated

import click
import typer
from pydantic import ValidationError

from modsmith.bench_cli import bench_group
from modsmith.chat_cli import chat_command, serve_command
from modsmith.check_cli import check, index
from modsmith.console import (
    console,
    print_export,
    print_run,
    print_shipped,
    print_user_error,
    printed_notes,
)
from modsmith.console import progress as _progress
from modsmith.errors import ModsmithError
from modsmith.eval_cli import eval_command
from modsmith.example_formats import FROM_FORMAT
from modsmith.export_cli import export_group
from modsmith.formats import FORMATS, export_dataset
from modsmith.recipe import ExportSpec
from modsmith.run import run_recipe
from modsmith.stage_cli import (
    StageCommand,
    add_click_command,
    describe_stages,
    stage_group,
)
from modsmith.train_cli import train_command

app = typer.Typer(
    help="modsmith: checked instruction datasets from a modding community's code and guides.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

# The friendly commands: `modsmith stage` with a positional argument and a few renamed options.
ingest_code = StageCommand(
    "code",
    "ingest.code",
    "Extract functions, prototypes, types, enums, macros (C) and classes and members (C#) from REPO, "
    "the root of a C or C# code base (a git checkout or any folder).",
    inputs=None,
    argument=("root", "REPO"),
    options={"include": "include", "exclude": "exclude", "lang": "languages"},
)
ingest_text = StageCommand(
    "text",
    "ingest.text",
    "Clean guides (HTML, Markdown, text) in PATHS, files or folders, keep headings, and chunk them.",
    inputs=None,
    argument=("paths", "PATHS"),
    options={"chunker": "chunker", "max-tokens": "max_tokens", "tokenizer": "tokenizer", "seed": "seed"},
)
ingest = click.Group(
    "ingest", [ingest_code, ingest_text], help="Read code repos or guides into documents (JSON Lines)."
)
build = StageCommand(
    "build",
    "synth.tasks",
    "Build training examples from DOCUMENTS (JSONL from `modsmith ingest`) with the deterministic task "
    "builders (no model).",
    inputs="DOCUMENTS...",
    options={"task": "tasks"},
)


_commands = (build, ingest, stage_group, train_command, bench_group, eval_command, export_group)
for _command in (*_commands, chat_command, serve_command):
    add_click_command(app, _command)
app.command()(index)
app.command()(check)

EXPORT = ExportSpec()  # `format`'s defaults are a recipe's `export:` defaults


Format = Enum("Format", {name: name for name in FORMATS}, type=str)
SourceFormat = Enum("SourceFormat", {n: n for n in ("modsmith", "auto", *FROM_FORMAT)}, type=str)


@app.command("format")
def format_(
    examples: Annotated[
        Path, typer.Argument(help="Examples JSONL, or a dataset in another format (--from).")
    ],
    output: Annotated[Path, typer.Option("-o", "--output", help="Folder for the dataset files and card.")],
    to: Annotated[list[Format], typer.Option(help="Output format (repeatable).")] = [
        Format(name) for name in EXPORT.formats
    ],
    from_: Annotated[
        SourceFormat, typer.Option("--from", help="Format of the input.")
    ] = SourceFormat.modsmith,
    valid_fraction: Annotated[
        float, typer.Option(help="Share held out, grouped by source file.")
    ] = EXPORT.valid_fraction,
    seed: Annotated[int, typer.Option(help="Seed of the split.")] = EXPORT.seed,
    tokenizer: Annotated[
        str | None, typer.Option(help="Local tokenizer dir with a chat template (text).")
    ] = EXPORT.tokenizer,
    keep_meta: Annotated[bool, typer.Option(help="Also write id, task and provenance.")] = EXPORT.keep_meta,
) -> None:
    """Split examples by source file and write Alpaca / ShareGPT / OpenAI / chat-template text + a card.

    The output folder is replaced whole when the new dataset is complete (or left as it was).
    """
    spec = ExportSpec(
        formats=[f.value for f in to],
        valid_fraction=valid_fraction,
        seed=seed,
        tokenizer=tokenizer,
        keep_meta=keep_meta,
    )
    summary = export_dataset(examples, output, **spec.model_dump(), source_format=from_.value)
    if summary["imported"]:
        console.print(f"imported {summary['examples']} examples from {examples} into {summary['imported']}")
    print_export(summary, output)


@app.command()
def run(recipe: Annotated[Path, typer.Argument(help="Recipe YAML (see recipes/).")]) -> None:
    """Run a recipe: each stage into runs/NAME/NN-stage/, unchanged stages skipped, then export."""
    with _progress() as on_stage, printed_notes():
        result = run_recipe(recipe, on_stage)
    print_run(result)


@app.command()
def stages() -> None:
    """List the stages a recipe can use: module and config fields (type, default, help)."""
    for line in describe_stages():
        typer.echo(line)


@app.command()
def demo(
    output: Annotated[
        Path | None, typer.Option(help="Folder for the demo run (default: recipes/demo.yaml's, runs).")
    ] = None,
) -> None:
    """Offline end-to-end run of recipes/demo.yaml on the sample code base and guides in examples/: the
    dataset, a LoRA on a tiny random model, its evaluation report, and its GGUF checked for parity."""
    from modsmith.demo import evaluate_and_ship, run_demo

    with _progress() as on_stage, printed_notes():
        result = run_demo(output, on_stage)
    print_run(result)
    console.print("evaluating the adapter against its base, merging it, exporting a GGUF ...")
    shipped = evaluate_and_ship(result)
    if shipped is not None:
        print_shipped(shipped)


def main() -> None:
    try:
        app()
    except (ValidationError, ModsmithError) as exc:
        sys.exit(print_user_error(exc))


if __name__ == "__main__":
    main()
