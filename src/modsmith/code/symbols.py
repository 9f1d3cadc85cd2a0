"""What the C and C# extractors share: the Symbol they produce and how doc comments are found.

A doc comment is the block of comments right above a symbol (no blank line between), or, for
enum constants, fields and macros, a comment on the same line after it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from tree_sitter import Node

#: Decomp headers mark struct offsets and enum values with comments like `/* 0x04 */`; not docs.
_OFFSET_MARKER = re.compile(r"(?:0x[0-9a-fA-F]+|\d+)(?:\s*-\s*(?:0x[0-9a-fA-F]+|\d+))?")
_PUNCTUATION = {",", ";"}
_BLOCK_LINE_PREFIX = re.compile(r"^[ \t]*\*?[ \t]*|[ \t]+$", re.MULTILINE)
_LINE_COMMENT_PREFIX = re.compile(r"^[ \t]*//+!?[ \t]*|[ \t]+$", re.MULTILINE)


@dataclass(slots=True)
class Symbol:
    """One extracted symbol: where it is in the file's bytes and what is known about it."""

    name: str
    kind: str
    start_byte: int
    end_byte: int
    first_line: int
    last_line: int
    signature: str | None = None
    doc: str | None = None
    params: list[str] | None = None
    container: str | None = None
    storage: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def node_text(node: Node, source: bytes) -> str:
    return source[node.start_byte : node.end_byte].decode("utf-8", errors="replace")


def last_row(node: Node) -> int:
    """0-based row of the node's last character (preprocessor nodes end at column 0 of the next row)."""
    end = node.end_point
    if end.column == 0 and end.row > node.start_point.row:
        return end.row - 1
    return end.row


def iter_with_docs(children: list[Node], source: bytes) -> Iterator[tuple[int, Node, str | None]]:
    """Yield (index, child, leading doc) for each non-comment child; see `trailing_comment`."""
    block: list[Node] = []
    prev: Node | None = None
    for index, node in enumerate(children):
        if node.type == "comment":
            start = node.start_point.row
            if prev is not None and not block and start == last_row(prev):
                continue  # trailing comment of the previous node
            if block and start > last_row(block[-1]) + 1:
                block = []
            block.append(node)
            continue
        leading = None
        if block:
            if node.start_point.row <= last_row(block[-1]) + 1:
                leading = comment_block_text(block, source)
            block = []
        prev = node
        yield index, node, leading


def trailing_comment(children: list[Node], index: int, source: bytes) -> str | None:
    """The comment after `children[index]` on the line where it ends (`A = 1, // note`)."""
    row = last_row(children[index])
    for i in range(index + 1, len(children)):
        node = children[i]
        if node.type == "comment":
            return comment_block_text([node], source) if node.start_point.row == row else None
        if node.type not in _PUNCTUATION or node.start_point.row != row:
            return None
    return None


def comment_block_text(comments: list[Node], source: bytes) -> str | None:
    """Cleaned text of consecutive comments; None when empty or only an offset marker."""
    lines: list[str] = []
    for comment in comments:
        lines.extend(clean_comment(node_text(comment, source)))
    while lines and not lines[0]:
        lines.pop(0)
    while lines and not lines[-1]:
        lines.pop()
    text = "\n".join(lines)
    if not text or _OFFSET_MARKER.fullmatch(text):
        return None
    return text


def clean_comment(text: str) -> list[str]:
    """Lines of one comment without `/* */`, leading `*`, `//` or `///`."""
    if text.startswith("/*"):
        body = text[2:-2] if text.endswith("*/") and len(text) >= 4 else text[2:]
        return _BLOCK_LINE_PREFIX.sub("", body.lstrip("*!").rstrip("*")).strip(" \t").splitlines()
    return _LINE_COMMENT_PREFIX.sub("", text).strip(" \t").splitlines()
