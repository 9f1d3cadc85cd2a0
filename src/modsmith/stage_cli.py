"""`modsmith stage NAME`: any registered stage on plain files, its options derived from its Config.

Each field of a stage's pydantic `Config` is an option (`max_tokens` → `--max-tokens`; a nested
model's fields are dotted, `--teacher.base-url`), its help the field's description, its default the
field's default. Options are collected as the user wrote them and the Config validates them, so a
bad value is pydantic's error, given as one line naming the option. The friendly commands
(`ingest code`, `build`, ...) are the same command with a positional argument and fewer, or
renamed, options. `describe_stages` lists every stage and field for `modsmith stages`.
"""

from __future__ import annotations

import difflib
import textwrap
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import click
import typer
from pydantic import ValidationError

from modsmith.config_options import (
    ConfigField,
    command_line_values,
    config_fields,
    config_option,
    option_error,
    place_value,
    type_label,
)
from modsmith.console import run_stage_on_files
from modsmith.errors import ModsmithError
from modsmith.run import StageResult, build_named_stage, stage_registry


def describe_stages() -> Iterator[str]:
    """`modsmith stages`: each stage's name, module and doc, then its fields (nested ones indented)."""
    for name, cls in sorted(stage_registry().items()):
        yield f"{name} ({cls.__module__}): {(cls.__doc__ or '').strip()}"
        for field in config_fields(cls.Config):
            default = field.default_text()
            text = (
                f"{field.key} ({type_label(field.info.annotation)}, "
                f"{'required' if default is None else 'default ' + default}): {field.info.description or ''}"
            )
            indent = "    " * len(field.path)
            yield textwrap.fill(text, width=100, initial_indent=indent, subsequent_indent=indent + "    ")
        yield ""


class StageCommand(click.Command):
    """One registered stage on plain files.

    `inputs` names the record files it reads (`[INPUT]...`: none or several, read in order; None:
    it reads none); `argument` makes one config field the positional argument instead, by the
    name shown (("root", "REPO")); `options` maps option names to the fields offered (default:
    every field, under its own name).
    """

    def __init__(
        self,
        name: str,
        stage: str,
        help: str | None = None,
        inputs: str | None = "[INPUT]...",
        argument: tuple[str, str] | None = None,
        options: Mapping[str, str] | None = None,
    ):
        super().__init__(name, help=help, callback=self._run, no_args_is_help=True)
        self.stage, self.inputs, self.argument, self.chosen = stage, inputs, argument, options
        self.fields: dict[str, ConfigField] = {}  # click parameter name -> field
        self.labels: dict[tuple[str, ...], str] = {}  # field path -> how the user names it
        self.built = False

    def get_params(self, ctx: click.Context) -> list[click.Parameter]:
        if not self.built:  # the stage's module is imported only when the command is used
            self.params, self.built = self._params(), True
        return super().get_params(ctx)

    def _params(self) -> list[click.Parameter]:
        fields = {field.key: field for field in config_fields(stage_registry()[self.stage].Config)}
        params: list[click.Parameter] = []
        if self.argument is not None:
            key, shown = self.argument
            many = fields[key].repeated
            params.append(click.Argument(["f_argument"], nargs=-1 if many else 1, required=True))
            params[-1].metavar = shown + ("..." if many else "")
            self.fields["f_argument"] = fields[key]
            self.labels[fields[key].path] = f"argument {shown}"
        if self.inputs is not None:
            optional = self.inputs.startswith("[")
            params.append(
                click.Argument(["inputs"], nargs=-1, required=not optional, type=click.Path(path_type=Path))
            )
            params[-1].metavar = self.inputs
        params.append(
            click.Option(
                ["-o", "--output"],
                type=click.Path(path_type=Path),
                required=True,
                help="JSONL file to write; dropped records go to STEM.rejected.jsonl beside it.",
            )
        )
        chosen = self.chosen or {f.option[2:]: f.key for f in fields.values() if f.model is None}
        for number, (option, key) in enumerate(chosen.items()):
            if self.argument and key == self.argument[0]:
                continue
            name = f"f{number}"
            params.append(config_option(fields[key], name, option))
            self.fields[name] = fields[key]
            self.labels[fields[key].path] = f"option --{option}"
        return params

    def _run(self, output: Path, inputs: Sequence[Path] = (), **values: Any) -> StageResult:
        cls = stage_registry()[self.stage]
        config: dict[str, Any] = {}
        for field in config_fields(cls.Config):  # so a missing field of a model is named
            if field.model is not None and field.info.is_required():
                place_value(config, field.path, {})
        command_line_values(self.fields, values, into=config)
        try:
            stage = build_named_stage(self.stage, config)
        except ValidationError as exc:
            raise option_error(exc, self.labels) from None
        return run_stage_on_files(stage, list(inputs), output)


class StageGroup(click.Group):
    """`modsmith stage`: a command for every registered stage, made when it is asked for."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(stage_registry())

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        cls = stage_registry().get(cmd_name)
        return StageCommand(cmd_name, cmd_name, help=(cls.__doc__ or "").strip()) if cls else None

    def resolve_command(self, ctx: click.Context, args: list[str]):
        name = args[0]
        if not name.startswith("-") and name not in stage_registry():
            close = difflib.get_close_matches(name, sorted(stage_registry()), n=3)
            hint = f"did you mean {', '.join(close)}?" if close else "see `modsmith stages`"
            raise ModsmithError(f"unknown stage {name!r}", hint=hint)
        return super().resolve_command(ctx, args)


stage_group = StageGroup(
    "stage",
    help="Run one stage on plain files, with options made from its config. It reads INPUT... "
    "(JSON Lines, in order) and writes -o OUT; `modsmith stage NAME --help` lists its options.",
    no_args_is_help=True,
)


def add_click_command(app: typer.Typer, command: click.Command) -> None:
    """Make `command` a command of the Typer `app`, which passes it every argument (Typer has a
    click of its own, so a click command is called, not added)."""

    def forward(ctx: typer.Context) -> None:
        command.main(ctx.args, prog_name=ctx.command_path)

    settings = {"allow_extra_args": True, "ignore_unknown_options": True, "help_option_names": []}
    app.command(command.name, help=command.help, context_settings=settings, add_help_option=False)(forward)
