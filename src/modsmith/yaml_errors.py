"""Reading a YAML file into a pydantic model, with every error naming the file and line."""

from __future__ import annotations

from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from modsmith.errors import ModsmithError

M = TypeVar("M", bound=BaseModel)


def read_yaml(path: str | Path, what: str = "file") -> tuple[Any, yaml.Node | None]:
    """The data of a YAML file and its node tree (for line numbers); `what` names the file in errors."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ModsmithError(f"{what} not found", where=str(path)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ModsmithError(f"cannot read {what}: {exc}", where=str(path)) from None
    try:
        return yaml.safe_load(text), yaml.compose(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark else str(path)
        raise ModsmithError(f"not valid YAML: {getattr(exc, 'problem', exc)}", where=where) from None


def validate_yaml(path: str | Path, model: type[M], what: str = "file") -> M:
    """Load a YAML mapping from `path` as `model`; unknown keys and wrong types name their line."""
    data, root = read_yaml(path, what)
    if not isinstance(data, dict):
        raise ModsmithError(f"a {what} is a YAML mapping of keys to values", where=f"{path}:1")
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise validation_error(exc, Path(path), root) from None


def validation_error(
    exc: ValidationError, path: Path, root: yaml.Node | None, prefix: tuple = ()
) -> ModsmithError:
    """The first problem of a pydantic error as a ModsmithError at its YAML line.

    `prefix` is where the validated model sits in the YAML document (e.g. `("stages", 0, "with")`).
    """
    first = exc.errors()[0]
    loc = prefix + tuple(first["loc"])
    field = ".".join(str(p) for p in loc)
    message = first["msg"]
    if first["type"] == "extra_forbidden":
        message = "unknown key"
    elif first["type"] == "missing":
        message = "missing required key"
    return ModsmithError(f"{field}: {message}", where=f"{path}:{line_of(root, loc)}")


def line_of(node: yaml.Node | None, loc: tuple) -> int:
    """The 1-based line of the deepest YAML node along `loc` that exists."""
    line = node.start_mark.line + 1 if node is not None else 1
    for key in loc:
        if isinstance(node, yaml.MappingNode):
            match = next(((k, v) for k, v in node.value if k.value == key), None)
            if match is None:
                break
            key_node, node = match
            line = key_node.start_mark.line + 1
        elif isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
            node = node.value[key]
            line = node.start_mark.line + 1
        else:
            break
    return line
