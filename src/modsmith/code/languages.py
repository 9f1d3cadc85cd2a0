"""Which language a source file is written in, and the tree-sitter grammars and parsers for C and C#."""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from typing import Literal

import tree_sitter_c
import tree_sitter_c_sharp
from tree_sitter import Language, Node, Parser

CodeLanguage = Literal["c", "csharp"]

LANGUAGE_BY_SUFFIX: dict[str, CodeLanguage] = {".c": "c", ".h": "c", ".cs": "csharp"}


@cache
def c_language() -> Language:
    """The tree-sitter C grammar."""
    return Language(tree_sitter_c.language())


@cache
def csharp_language() -> Language:
    """The tree-sitter C# grammar."""
    return Language(tree_sitter_c_sharp.language())


@cache
def code_parser(lang: CodeLanguage) -> Parser:
    """The shared tree-sitter parser for a language."""
    return Parser(c_language() if lang == "c" else csharp_language())


def language_of(path: str) -> CodeLanguage | None:
    """The language a file is written in, from its extension."""
    dot = path.rfind(".")
    return LANGUAGE_BY_SUFFIX.get(path[dot:].lower()) if dot != -1 else None


def in_text_order(nodes: Iterable[Node]) -> list[Node]:
    """Captured nodes by position: `QueryCursor.captures` lists them in an order that changes from
    one process to the next."""
    return sorted(nodes, key=lambda node: (node.start_byte, -node.end_byte))
