"""Reading a YAML file into a pydantic model, with every error naming the file and line."""

from __future__ import annotations

from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from modsmith.errors import ModsmithError

M = TypeVar("M", bound=BaseModel)


#: Most nodes that aliases (`*name`) may add to a document once expanded: a recipe shares a teacher
#: block or two, a "billion laughs" document shares a list of lists a billion times.
ALIAS_EXPANSION_BUDGET = 10_000


class _Refused(yaml.YAMLError):
    """A document refused while composing: what is wrong, and the 0-based line where."""

    def __init__(self, message: str, line: int):
        super().__init__(message)
        self.message, self.line = message, line


class CheckedLoader(yaml.SafeLoader):
    """A safe loader that refuses duplicate keys and aliases that would expand past a budget.

    Both checks run while the node tree is composed, before any Python object is built: the size
    an alias would expand to is the node count of its anchor's tree, counted once per node and
    remembered, so checking a bomb costs as little as reading it.
    """

    def __init__(self, stream: str, alias_budget: int = ALIAS_EXPANSION_BUDGET):
        super().__init__(stream)
        self.alias_budget = alias_budget
        self._expanded = 0
        self._sizes: dict[int, int] = {}

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            node = self.anchors.get(event.anchor)
            if node is not None:
                self._expanded += self._size(node, event.start_mark.line)
                if self._expanded > self.alias_budget:
                    raise _Refused(
                        f"aliases expand to more than {self.alias_budget:,} YAML nodes "
                        f"(at *{event.anchor}); write the values out or share less",
                        event.start_mark.line,
                    )
        return super().compose_node(parent, index)

    def compose_mapping_node(self, anchor: str | None) -> yaml.MappingNode:
        node = super().compose_mapping_node(anchor)
        seen: dict[tuple[str, str], yaml.Node] = {}
        for key, _ in node.value:
            if not isinstance(key, yaml.ScalarNode) or key.tag == "tag:yaml.org,2002:merge":
                continue
            first = seen.setdefault((key.tag, key.value), key)
            if first is not key:
                raise _Refused(
                    f"duplicate key {key.value!r} (first at line {first.start_mark.line + 1})",
                    key.start_mark.line,
                )
        return node

    def _size(self, node: yaml.Node, line: int) -> int:
        """Nodes in `node`'s tree with every alias expanded; a node still being composed is recursive."""
        known = self._sizes.get(id(node))
        if known is not None:
            return known
        if node.end_mark is None:
            raise _Refused("recursive alias: a node cannot contain itself", line)
        if isinstance(node, yaml.ScalarNode):
            size = 1
        elif isinstance(node, yaml.SequenceNode):
            size = 1 + sum(self._size(item, line) for item in node.value)
        else:
            size = 1 + sum(self._size(k, line) + self._size(v, line) for k, v in node.value)
        self._sizes[id(node)] = size
        return size


def read_yaml(path: str | Path, what: str = "file") -> tuple[Any, yaml.Node | None]:
    """The data of a YAML file and its node tree (for line numbers); `what` names the file in errors.

    Duplicate keys and aliases that would expand past `ALIAS_EXPANSION_BUDGET` nodes are errors.
    """
    path = Path(path)
    if path.exists() and not path.is_file():  # a folder, or a FIFO that would block the read
        raise ModsmithError(f"{what} is not a regular file", where=str(path))
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ModsmithError(f"{what} not found", where=str(path)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ModsmithError(f"cannot read {what}: {exc}", where=str(path)) from None
    loader = CheckedLoader(text)
    try:
        root = loader.get_single_node()
        return (loader.construct_document(root) if root is not None else None), root
    except _Refused as exc:
        raise ModsmithError(exc.message, where=f"{path}:{exc.line + 1}") from None
    except RecursionError:
        raise ModsmithError("YAML nested too deeply", where=f"{path}:{loader.line + 1}") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark else str(path)
        raise ModsmithError(f"not valid YAML: {getattr(exc, 'problem', exc)}", where=where) from None
    finally:
        loader.dispose()


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
