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
import json
import textwrap
import types
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, Union, get_args, get_origin

import click
import typer
import yaml
from click.core import ParameterSource
from pydantic import BaseModel, ValidationError
from pydantic.fields import FieldInfo

from modsmith.console import run_stage_on_files
from modsmith.errors import ModsmithError
from modsmith.run import StageResult, build_named_stage, stage_registry


@dataclass(frozen=True)
class ConfigField:
    """One field of a stage config, or of a model nested in it (`path` ("teacher", "model"))."""

    path: tuple[str, ...]
    info: FieldInfo

    @property
    def key(self) -> str:
        return ".".join(self.path)

    @property
    def option(self) -> str:
        return "--" + ".".join(part.replace("_", "-") for part in self.path)

    @property
    def nullable(self) -> bool:
        return type(None) in get_args(self.info.annotation)

    @property
    def kind(self) -> type:
        """The field's type without `| None`."""
        args = [a for a in get_args(self.info.annotation) if a is not type(None)]
        union = get_origin(self.info.annotation) in (Union, types.UnionType)
        return args[0] if union and len(args) == 1 else self.info.annotation

    @property
    def model(self) -> type[BaseModel] | None:
        kind = self.kind
        return kind if isinstance(kind, type) and issubclass(kind, BaseModel) else None

    def default_text(self) -> str | None:
        """The default as a recipe would write it (JSON), or None when the field is required."""
        if self.info.is_required():
            return None
        return json.dumps(self.info.get_default(call_default_factory=True), ensure_ascii=False, default=str)

    @property
    def repeated(self) -> bool:
        """A list or mapping, given by repeating its option."""
        return get_origin(self.kind) in (list, tuple, set, frozenset, dict)

    @property
    def item(self) -> Any:
        """The type of one item of a list (of one value of a mapping)."""
        return get_args(self.kind)[-1]

    def value(self, given: Any) -> Any:
        """The config value of what the user gave for this field's option (pydantic converts it)."""
        if get_origin(self.kind) is dict:
            return dict(self._pair(item) for item in given)
        if self.repeated:
            return list(given)
        return None if self.nullable and given == "null" else given

    def _pair(self, item: str) -> tuple[str, Any]:
        key, sep, text = item.partition("=")
        if not sep:
            raise ModsmithError(f"option {self.option}: give KEY=VALUE, not {item!r}")
        return key, yaml.safe_load(text) if self.item is Any else text


def config_fields(model: type[BaseModel], prefix: tuple[str, ...] = ()) -> Iterator[ConfigField]:
    """Every field of `model`, a nested model's own fields right after it."""
    for name, info in model.model_fields.items():
        field = ConfigField((*prefix, name), info)
        yield field
        if field.model is not None:
            yield from config_fields(field.model, field.path)


def type_label(annotation: Any) -> str:
    """A type as a user reads it: `int`, `list[str]`, `paragraphs|gaussian`, `str | None`."""
    origin, args = get_origin(annotation), get_args(annotation)
    if annotation is type(None):
        return "null"
    if origin is Literal:
        return "|".join(str(arg) for arg in args)
    if origin in (Union, types.UnionType):
        return " | ".join(type_label(arg) for arg in args)
    if origin is not None:
        return f"{origin.__name__}[{', '.join(type_label(arg) for arg in args)}]"
    return "any" if annotation is Any else getattr(annotation, "__name__", str(annotation))


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


def _option(field: ConfigField, name: str, option: str) -> click.Option:
    """The click option of `field`: every value a string (or a flag), its help from the field."""
    is_dict = get_origin(field.kind) is dict
    default = field.default_text()
    notes = [
        field.info.description or "",
        "(KEY=VALUE, repeatable)" if is_dict else "(repeatable)" if field.repeated else "",
        "(null: none)" if field.nullable and default not in (None, "null") else "",
        "[required]" if default is None else "" if default == "null" else f"[default: {default}]",
    ]
    flag = field.kind is bool
    return click.Option(
        [f"--{option}/--no-{option}" if flag else f"--{option}", name],
        multiple=field.repeated,
        default=None,
        is_flag=flag,
        metavar="KEY=VALUE" if is_dict else _metavar(field.item if field.repeated else field.kind),
        help=" ".join(note for note in notes if note),
    )


def _metavar(kind: Any) -> str:
    label = type_label(kind)
    return f"[{label}]" if get_origin(kind) is Literal else label.upper()


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
            params.append(_option(fields[key], name, option))
            self.fields[name] = fields[key]
            self.labels[fields[key].path] = f"option --{option}"
        return params

    def _run(self, output: Path, inputs: Sequence[Path] = (), **values: Any) -> StageResult:
        ctx = click.get_current_context()
        cls = stage_registry()[self.stage]
        config: dict[str, Any] = {}
        for field in config_fields(cls.Config):  # so a missing field of a model is named
            if field.model is not None and field.info.is_required():
                _place(config, field.path, {})
        for name, given in values.items():
            if ctx.get_parameter_source(name) is ParameterSource.COMMANDLINE:
                field = self.fields[name]
                _place(config, field.path, field.value(given))
        try:
            stage = build_named_stage(self.stage, config)
        except ValidationError as exc:
            raise self._option_error(exc) from None
        return run_stage_on_files(stage, list(inputs), output)

    def _option_error(self, exc: ValidationError) -> ModsmithError:
        error = exc.errors()[0]
        loc = tuple(str(part) for part in error["loc"])
        label = next((self.labels[loc[:n]] for n in range(len(loc), 0, -1) if loc[:n] in self.labels), None)
        label = label or f"option --{'.'.join(loc)}"
        given = "" if error["type"] == "missing" else f" (given {error['input']!r})"
        return ModsmithError(f"{label}: {error['msg']}{given}")


def _place(config: dict[str, Any], path: tuple[str, ...], value: Any) -> None:
    for part in path[:-1]:
        config = config.setdefault(part, {})
    config[path[-1]] = value


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
