"""Small, realistic breakages of a real C function, for `code.debug` examples.

Each mutation returns the broken function text and what was done, or None when it does not apply.
All choices are drawn from a generator seeded by the function, so a rerun breaks the same thing.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from tree_sitter import Node, Parser

from modsmith.code.languages import c_language

TYPE_SWAPS = {
    "s8": "Vec3f*",
    "u8": "Vec3f*",
    "s16": "Vec3f*",
    "u16": "Vec3f*",
    "s32": "Vec3f*",
    "u32": "Vec3f*",
    "f32": "Vec3f*",
    "int": "void*",
    "float": "void*",
    "Vec3f": "s32",
    "Actor*": "s32",
}


@dataclass
class Mutation:
    kind: str
    description: str
    text: str


@cache
def _parser() -> Parser:
    return Parser(c_language())


def _nodes(node: Node, kind: str) -> list[Node]:
    found = [node] if node.type == kind else []
    for child in node.children:
        found.extend(_nodes(child, kind))
    return found


def rename_call(code: str, rng: random.Random) -> Mutation | None:
    """Call a function by a name that looks right but is not (a near-miss of a real call)."""
    tree = _parser().parse(code.encode())
    calls = [n.child_by_field_name("function") for n in _nodes(tree.root_node, "call_expression")]
    names = sorted(
        {
            n.text.decode()
            for n in calls
            if n is not None and n.type == "identifier" and "_" in n.text.decode()
        }
    )
    if not names:
        return None
    name = rng.choice(names)
    head, _, tail = name.rpartition("_")
    wrong = rng.choice(
        [
            f"{name}Ex",
            f"{head}_{tail}s",
            f"{head}_Get{tail}" if not tail.startswith("Get") else f"{head}_{tail[3:]}",
        ]
    )
    return Mutation(
        "rename", f"calls `{wrong}` instead of `{name}`", re.sub(rf"\b{re.escape(name)}\b", wrong, code)
    )


def drop_declaration(code: str, rng: random.Random) -> Mutation | None:
    """Remove a local variable's declaration, so its uses are undeclared."""
    tree = _parser().parse(code.encode())
    body = next((n.child_by_field_name("body") for n in _nodes(tree.root_node, "function_definition")), None)
    declarations = [n for n in (body.children if body is not None else []) if n.type == "declaration"]
    if not declarations:
        return None
    victim = rng.choice(declarations)
    lines = code.splitlines(keepends=True)
    row = victim.start_point.row
    if victim.end_point.row != row:
        return None
    kept = "".join(lines[:row] + lines[row + 1 :])
    return Mutation("drop_line", f"the line `{lines[row].strip()}` is missing", kept)


def change_type(code: str, rng: random.Random) -> Mutation | None:
    """Give a local variable or parameter a type its uses do not fit."""
    tree = _parser().parse(code.encode())
    candidates = []
    for kind in ("declaration", "parameter_declaration"):
        for node in _nodes(tree.root_node, kind):
            type_node = node.child_by_field_name("type")
            if type_node is None:
                continue
            declared = type_node.text.decode()
            pointer = node.child_by_field_name("declarator")
            full = declared + ("*" if pointer is not None and pointer.type == "pointer_declarator" else "")
            if full in TYPE_SWAPS:
                candidates.append((type_node, full))
    if not candidates:
        return None
    node, full = rng.choice(candidates)
    replacement = TYPE_SWAPS[full].rstrip("*") if full.endswith("*") else TYPE_SWAPS[full]
    start, end = node.start_byte, node.end_byte
    raw = code.encode()
    broken = (raw[:start] + replacement.encode() + raw[end:]).decode()
    return Mutation("change_type", f"`{node.text.decode()}` was changed to `{replacement}`", broken)


MUTATIONS: dict[str, Callable[[str, random.Random], Mutation | None]] = {
    "rename": rename_call,
    "drop_line": drop_declaration,
    "change_type": change_type,
}
