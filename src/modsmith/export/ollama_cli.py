"""`modsmith export ollama MODEL.gguf -o FOLDER`: an Ollama folder (Modelfile), and an LM Studio one."""

from __future__ import annotations

from pathlib import Path

import click

from modsmith.errors import ModsmithError


@click.command(
    "ollama",
    no_args_is_help=True,
    help="Write FOLDER with MODEL.gguf and a Modelfile for `ollama create NAME -f FOLDER/Modelfile`: the "
    "chat template (from the GGUF, or --tokenizer) translated to Ollama's Go template and verified to "
    "render the same prompts, its stop texts, and the sampling parameters. --lmstudio DIR also writes an "
    "LM Studio folder (the GGUF, its Jinja template, a README).",
)
@click.argument("gguf", type=click.Path(path_type=Path), metavar="MODEL.gguf")
@click.option("-o", "--output", type=click.Path(path_type=Path), help="The Ollama folder [MODEL-ollama].")
@click.option(
    "--tokenizer",
    type=click.Path(path_type=Path),
    help="Take the chat template from this tokenizer folder (an adapter or merged model), not the GGUF.",
)
@click.option(
    "--temperature",
    type=click.FloatRange(min=0),
    default=0.7,
    show_default=True,
    help="Sampling temperature.",
)
@click.option(
    "--repeat-penalty",
    type=click.FloatRange(min=0),
    default=1.1,
    show_default=True,
    help="Penalty on repeated tokens (1: none).",
)
@click.option(
    "--num-ctx", type=click.IntRange(min=1), default=4096, show_default=True, help="Context length."
)
@click.option("--system", help="A default system prompt (the Modelfile's SYSTEM).")
@click.option("--lmstudio", type=click.Path(path_type=Path), help="Also write an LM Studio folder here.")
@click.option("--link", is_flag=True, help="Link to MODEL.gguf instead of copying it.")
def ollama_command(
    gguf: Path,
    output: Path | None,
    tokenizer: Path | None,
    temperature: float,
    repeat_penalty: float,
    num_ctx: int,
    system: str | None,
    lmstudio: Path | None,
    link: bool,
) -> None:
    from modsmith.export.ollama import (
        OllamaSettings,
        make_folder,
        template_from_gguf,
        template_from_tokenizer,
        write_lmstudio_folder,
        write_ollama_folder,
    )

    if not gguf.is_file():
        raise ModsmithError("no such GGUF file", where=str(gguf), hint="make one with `modsmith export gguf`")
    if tokenizer is not None and not tokenizer.is_dir():
        raise ModsmithError("no such tokenizer folder", where=str(tokenizer))
    source = template_from_tokenizer(tokenizer) if tokenizer else template_from_gguf(gguf)
    folder = output or gguf.with_name(f"{gguf.stem}-ollama")
    if lmstudio is not None:
        make_folder(lmstudio, gguf)  # a bad second output is refused before the first is written
    settings = OllamaSettings(temperature, repeat_penalty, num_ctx, system)
    template = write_ollama_folder(gguf, folder, source, settings, link=link)
    for note in template.pieces.notes:
        click.echo(f"note: {note}", err=True)
    click.echo(f"stop texts: {', '.join(template.stops) or 'none'}", err=True)
    click.echo(f"Modelfile: {folder / 'Modelfile'} (ollama create NAME -f {folder / 'Modelfile'})")
    if lmstudio is not None:
        click.echo(f"LM Studio folder: {write_lmstudio_folder(gguf, lmstudio, source, link=link)}")
