"""What the code stages share: the neighbours of a code document (the header that declares it and
the types it uses), and the defaults of their prompts."""

from __future__ import annotations

import re
from collections.abc import Iterable

from modsmith.records import Document

#: The system prompt of code examples, and what the code base is called in prompts, by default.
CODE_SYSTEM = (
    "You are an expert on this game's decompiled source code. Answer precisely and only use functions, "
    "macros and types that exist in the code base."
)
CODE_PROJECT = "this decompiled game"
TYPE_KINDS = {"struct", "union", "typedef", "enum"}
_IDENTIFIER = re.compile(r"\b[A-Za-z_]\w*\b")


class CodeNeighbours:
    """Looks up, for a function, its prototype and the definitions of the types it mentions."""

    def __init__(self, documents: Iterable[Document]):
        self.prototypes: dict[str, Document] = {}
        self.types: dict[str, Document] = {}
        for doc in documents:
            kind, symbol = doc.meta.get("symbol_kind"), doc.meta.get("symbol")
            if kind == "prototype" and (doc.provenance.path or "").endswith(".h"):
                self.prototypes.setdefault(symbol, doc)
            elif kind in TYPE_KINDS:
                self.types.setdefault(symbol, doc)
                if doc.meta.get("typedef"):
                    self.types.setdefault(doc.meta["typedef"], doc)

    def context(self, doc: Document, max_lines: int = 60) -> str:
        """The prototype (with its header's name) and the types the function uses, within `max_lines`."""
        parts: list[str] = []
        prototype = self.prototypes.get(doc.meta.get("symbol"))
        if prototype is not None:
            parts.append(f"// declared in {prototype.provenance.path}\n{prototype.text.strip().rstrip(';')};")
        seen: set[str] = set()
        for name in _IDENTIFIER.findall(doc.text):
            type_doc = self.types.get(name)
            if type_doc is not None and type_doc.id not in seen:
                seen.add(type_doc.id)
                parts.append(f"// {type_doc.provenance.path}\n{type_doc.text.strip()}")
        return "\n\n".join(within_lines(parts, max_lines))


def within_lines(parts: Iterable[str], max_lines: int) -> list[str]:
    """The leading parts whose lines add up to at most `max_lines`."""
    kept, used = [], 0
    for part in parts:
        lines = part.count("\n") + 1
        if used + lines > max_lines:
            break
        kept.append(part)
        used += lines
    return kept
