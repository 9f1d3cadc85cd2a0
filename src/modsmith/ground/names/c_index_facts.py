"""What the symbol index says of C names, kept per index for the screen (`c_screen`): the argument
counts each callable allows, whether a member may follow a type (and the type it has), the types
of globals and of fields.
"""

from __future__ import annotations

from modsmith.ground.names.symbol_index import SymbolIndex


def member_step(index: SymbolIndex, type_name: str | None, member: str) -> tuple[bool, str | None]:
    """Whether `member` may follow an expression of `type_name`, and the type it has."""
    fields = index.fields_of(type_name) if type_name else None
    if fields:
        return member in fields, index.member_type(type_name, member)  # type: ignore[arg-type]
    return True, unique_field_type(index, member)


class ArityTable:
    """The argument counts the index allows, for callables whose every declaration (function,
    prototype, macro) has a fixed arity; names with a variadic, `f()` or object-like declaration
    are left out. Read once per index."""

    def __init__(self, index: SymbolIndex):
        counts: dict[str, set[int]] = {}
        macros: set[str] = set()
        open_ended: set[str] = set()
        for name, kind, arity in index.callables():
            if arity is None or arity < 0:
                open_ended.add(name)
            else:
                counts.setdefault(name, set()).add(arity)
                if kind == "macro":
                    macros.add(name)
        self.allowed: dict[str, frozenset[int]] = {}
        for name, allowed in counts.items():
            if name not in open_ended:
                if name in macros and 1 in allowed:
                    allowed.add(0)  # `FOO()` passes one empty argument
                self.allowed[name] = frozenset(allowed)
        self.names = frozenset(self.allowed)

    def get(self, name: str) -> frozenset[int] | None:
        return self.allowed.get(name)


def global_type(index: SymbolIndex, name: str) -> str | None:
    return next((e.type for e in index.entries(name) if e.kind == "global" and e.type), None)


def unique_field_type(index: SymbolIndex, member: str) -> str | None:
    """The type of `member` when every struct that has it agrees on one."""
    types = {e.type for e in index.entries(member) if e.kind == "field"}
    return types.pop() if len(types) == 1 else None


class CIndexFacts:
    """The index's C facts the screen keeps: its arity table and the member steps worked out so far."""

    def __init__(self, index: SymbolIndex):
        self.index = index
        self.arities = ArityTable(index)
        self.steps: dict[tuple[str | None, str], tuple[bool, str | None]] = {}
