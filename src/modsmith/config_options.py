"""Command-line options made from a pydantic config: one option per field, nested models dotted.

Each field of a config model is an option (`max_tokens` → `--max-tokens`; a nested model's fields
are dotted, `--teacher.base-url`), its help the field's description, its default the field's
default. Options are collected as the user wrote them (strings, repeated options for lists,
`KEY=VALUE` for mappings, `null` for none) and the model validates them, so a bad value is
pydantic's error. `modsmith stage NAME` and `modsmith train` are built on it, as TRL's
`HfArgumentParser` derives a command line from its dataclasses.
"""

from __future__ import annotations

import json
import types
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Literal, Union, get_args, get_origin

import click
import yaml
from click.core import ParameterSource
from pydantic import BaseModel, ValidationError
from pydantic.fields import FieldInfo

from modsmith.errors import ModsmithError


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


def config_option(field: ConfigField, name: str, option: str) -> click.Option:
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
        metavar="KEY=VALUE" if is_dict else metavar_of(field.item if field.repeated else field.kind),
        help=" ".join(note for note in notes if note),
    )


def metavar_of(kind: Any) -> str:
    label = type_label(kind)
    return f"[{label}]" if get_origin(kind) is Literal else label.upper()


def place_value(config: dict[str, Any], path: tuple[str, ...], value: Any) -> None:
    """Put `value` at the dotted `path` of the nested `config` dict."""
    for part in path[:-1]:
        config = config.setdefault(part, {})
    config[path[-1]] = value


def command_line_values(
    fields: dict[str, ConfigField], given: dict[str, Any], into: dict[str, Any] | None = None
) -> dict[str, Any]:
    """The nested config dict (`into`, else a new one) with the options the user gave on the command
    line (`fields`: click parameter name -> its field); options left at their default are left out,
    so the model's own defaults apply."""
    ctx = click.get_current_context()
    config: dict[str, Any] = {} if into is None else into
    for name, value in given.items():
        if name in fields and ctx.get_parameter_source(name) is ParameterSource.COMMANDLINE:
            place_value(config, fields[name].path, fields[name].value(value))
    return config


def option_error(exc: ValidationError, labels: dict[tuple[str, ...], str]) -> ModsmithError:
    """The model's first validation error as one line naming the option (`labels`: field path ->
    how the user names it, e.g. "option --output"; others are named by their dotted path)."""
    error = exc.errors()[0]
    loc = tuple(str(part) for part in error["loc"])
    label = next((labels[loc[:n]] for n in range(len(loc), 0, -1) if loc[:n] in labels), None)
    label = label or f"option --{'.'.join(loc).replace('_', '-')}"
    given = "" if error["type"] == "missing" else f" (given {error['input']!r})"
    return ModsmithError(f"{label}: {error['msg']}{given}")
