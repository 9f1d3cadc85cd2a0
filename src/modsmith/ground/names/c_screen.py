"""The regex half of the C name check: a screen over a C block that finds what needs a closer look.

A tree-sitter parse costs ~0.1 ms for a 20-line block, which alone would cap the check below
5,000 examples/s, so a block is first screened with regular expressions over its text (comments,
string literals and `#if` lines blanked). It collects every identifier, member chain
(`this->actor.pos`, typed from the snippet's own declarations, casts and the index's fields and
globals) and call. A variable declared with two types (`EnRu1* thisx` in one function, `Actor*
thisx` in the others) is typed at each use from the declaration whose scope (brace block, or the
body after a parameter list) encloses it; where the braces do not pair up, its members are
doubtful. Names the index, the builtins or `extra_known` have are known (`seen`); the
rest, members that are no field or not a field of the struct their chain resolves to, and calls
with an argument count the index does not allow are *suspects*. The screen errs on the side of
suspecting: a lowercase name that might be a type, a member after a cast, anything the snippet
might declare in a way the screen does not follow. What it reads off the text alone is
`c_text_shapes`'s; what it asks of the index, `c_index_facts`'s.

For the suspects `clear_uses` then says how each occurrence is used when that is unambiguous
from the text (a call after an operator, `->member` with a known base, `Type* x` at the start
of a declaration, a name between operators); when any occurrence is not, or the snippet defines
structs or enums or `#define`s a suspect, `used_names` asks tree-sitter instead.
"""

from __future__ import annotations

import re
from collections.abc import Container
from dataclasses import dataclass
from typing import Literal

from modsmith.ground.names.builtin_names import C_BUILTIN_NAMES, C_KEYWORDS
from modsmith.ground.names.c_index_facts import ArityTable, CIndexFacts, global_type, member_step
from modsmith.ground.names.c_text_shapes import (
    NOT_TYPES,
    SPACE,
    SPECIFIERS,
    WORD_CHARS,
    Brackets,
    clear_kind,
    count_args,
    next_char,
    statement_declared,
    type_like,
    word_before,
    word_starts,
)
from modsmith.ground.names.symbol_index import SymbolIndex

Usage = Literal["call", "macro", "type", "member", "identifier"]

#: Identifiers that are not calls are checked only when they look like API names: `Actor`,
#: `MTXMODE_NEW`, `gSaveContext`, `sMtxPool`, `func_80A1B2C4`; not `play`, `thisx` or `globalCtx`.
API_SHAPE = re.compile(r"[A-Z]|[gsD][A-Z_]|\w+_[0-9A-Fa-f]{6,}$")
ALL_CAPS = re.compile(r"[A-Z][A-Z0-9_]*")


@dataclass(slots=True)
class NameUse:
    """One use of a name: how, where (0-based line in the span), and for calls the argument
    count, for members the struct their base expression has (None: unknown)."""

    name: str
    usage: Usage
    row: int
    args: int | None = None
    base_type: str | None = None


_BLANKED = re.compile(
    r"//[^\n]*|/\*.*?(?:\*/|\Z)|\"(?:\\.|[^\"\\\n])*\"?|'(?:\\.|[^'\\\n])*'?"
    r"|^[ \t]*#[ \t]*(?:if|ifdef|ifndef|elif|else|endif|include|pragma|error|warning|undef|line)\b"
    r"[^\n]*(?:\\\n[^\n]*)*",
    re.S | re.M,
)
_IDENT = re.compile(r"\b[A-Za-z_]\w*")
_MEMBER = re.compile(r"(?:->|\.)\s*([A-Za-z_]\w*)")
_SPECIFIER_WORDS = rf"(?:(?:{'|'.join(sorted(SPECIFIERS))})\s+)*"
#: `Type* name` after `;`, `{`, `}`, `(` or `,` (run on ";" + code): variables and parameters.
_DECLARATION = re.compile(
    rf"[;{{}}(,]\s*{_SPECIFIER_WORDS}([A-Za-z_]\w*)\b\s*(?:\*\s*)*(?:const\s+)?([A-Za-z_]\w*)\s*(?=[=;,)\[])"
)
#: `, name` / `*name` before `=;,)[`: later declarators (`Actor *a, *b;`) the regex above misses.
_LATER_DECLARATOR = re.compile(r"[,*]\s*([A-Za-z_]\w*)\s*(?=[=;,)\[])")

#: a later declarator (`Actor *a, *b`), or a name declared with two types where the scope of a use
#: cannot be told: tree-sitter knows its type, the screen does not
_DOUBT = "?"


def _blank(match: re.Match[str]) -> str:
    """Comments and `#if` lines become spaces, literals a `0` of the same length (an argument)."""
    text = match.group()
    if text[0] in "\"'":
        return "0" + " " * (len(text) - 1)
    if "\n" not in text:
        return " " * len(text)
    return "\n".join(" " * len(part) for part in text.split("\n"))


class CScreen:
    """The regex pass over one C block (comments and literals blanked); see the module doc."""

    def __init__(
        self,
        code: str,
        index: SymbolIndex,
        extra: Container[str],
        arities: ArityTable,
        steps: dict[tuple[str | None, str], tuple[bool, str | None]],
    ):
        self.code = code
        self.steps = steps  # (type, member) -> (allowed, member type), shared per index
        self.index = index
        self.suspects: dict[str, set[str]] = {}  # name -> {"name", "member", "arity"}
        self._vars: dict[str, list[tuple[str, int]]] | None = None  # name -> (type, offset) of each
        self._later: set[str] | None = None
        self._brackets: Brackets | None = None
        #: name -> (scope start, scope end, offset, type) of each declaration, for names of two types
        self._scopes: dict[str, list[tuple[int, int, int, str]]] = {}
        self.member_bases: dict[int, tuple[str | None, bool]] = {}  # member offset -> (base type, doubtful)
        self._starts: dict[str, list[int]] = {}
        idents = set(_IDENT.findall(code))
        unknown = idents.difference(index.all_names(), C_BUILTIN_NAMES)
        if unknown:
            unknown = {n for n in unknown if not n.startswith("__builtin_") and n not in extra}
        known = idents.difference(unknown)
        self.seen = sorted(known.difference(C_KEYWORDS))
        members = list(_MEMBER.finditer(code))
        self.members = {m.group(1) for m in members}
        for name in unknown:
            self._unknown_name(name)
        if members:
            self._members(members, extra)
        for name in known.intersection(arities.names):
            allowed = arities.allowed[name]
            for start in word_starts(code, name):
                paren = start + len(name)
                while paren < len(code) and code[paren] in SPACE:
                    paren += 1
                if paren < len(code) and code[paren] == "(" and count_args(code, paren + 1) not in allowed:
                    self._suspect(name, "arity")

    def _suspect(self, name: str, reason: str) -> None:
        self.suspects.setdefault(name, set()).add(reason)

    def _word_starts(self, name: str) -> list[int]:
        found = self._starts.get(name)
        if found is None:
            found = self._starts[name] = word_starts(self.code, name)
        return found

    def _unknown_name(self, name: str) -> None:
        if name in self.members:
            self._suspect(name, "name")
            return
        shaped = API_SHAPE.match(name)
        if not shaped and self._variable_type(name) is not None:
            return  # a local or a parameter of the snippet
        code, size = self.code, len(name)
        starts = self._word_starts(name)
        if not starts:
            return  # only inside numbers (`1.0f`, `0x80`)
        if shaped or any(next_char(code, s + size) == "(" for s in starts):
            # declared at the start of a statement (`Type* name =`, `void Name(...) {`): the snippet's own.
            # `f(a * NAME)` might declare NAME too, but is far likelier a product: not trusted here.
            if not any(statement_declared(code, s, size) for s in starts):
                self._suspect(name, "name")
        elif any(type_like(code, s, size) for s in starts):
            self._suspect(name, "name")

    def _variable_type(self, name: str, at: int | None = None) -> str | None:
        """The type a variable or parameter of the snippet is declared with, None when none. One
        type: that one. Two or more: the one of the innermost declaration whose scope holds
        offset `at`, as tree-sitter's resolver has it; `_DOUBT` when no `at` is given or its
        scope cannot be told (braces that do not pair up), and for a later declarator."""
        if self._vars is None:
            self._vars = {}
            for match in _DECLARATION.finditer(";" + self.code):
                if match.group(1) not in NOT_TYPES:
                    self._vars.setdefault(match.group(2), []).append((match.group(1), match.start(2) - 1))
        found = self._vars.get(name)
        if found is None:
            if self._later is None:
                self._later = set(_LATER_DECLARATOR.findall(self.code))
            return _DOUBT if name in self._later else None
        first = found[0][0]
        if all(type_name == first for type_name, _ in found):
            return first
        return _DOUBT if at is None else self._scoped_type(name, found, at)

    def _scoped_type(self, name: str, found: list[tuple[str, int]], at: int) -> str:
        """The type of the innermost declaration of `name` visible at `at`, else `_DOUBT`."""
        scopes = self._scopes.get(name)
        if scopes is None:
            if self._brackets is None:
                self._brackets = Brackets(self.code)
            brackets = self._brackets
            scopes = self._scopes[name] = (
                [(*brackets.scope_of(offset), offset, type_name) for type_name, offset in found]
                if brackets.paired
                else []
            )
        visible = [s for s in scopes if s[0] <= at < s[1] and s[2] <= at]
        return max(visible, key=lambda s: (s[0], s[2]))[3] if visible else _DOUBT

    def _members(self, members: list[re.Match[str]], extra: Container[str]) -> None:
        index = self.index
        for name in self.members:
            if not index.has_field(name) and name not in extra:
                self._suspect(name, "member")
        steps, code = self.steps, self.code
        bases: dict[str, tuple[str | None, bool]] = {}
        chain_end, chain_type, chain_doubtful = -1, None, False
        for match in members:
            member = match.group(1)
            start = match.start()
            if start == chain_end:  # continues the previous link: `a->b.c`
                type_name, doubtful = chain_type, chain_doubtful
            elif code[start - 1] in WORD_CHARS:  # `name->`: the common case, one lookup per name
                base = word_before(code, start - 1)[0]
                found = bases.get(base)
                if found is None:
                    found = self._named_base_type(base, start)
                    if self._variable_type(base) != _DOUBT:  # one type wherever it is used
                        bases[base] = found
                type_name, doubtful = found
            else:
                type_name, doubtful = self._base_type(start - 1, chain_end, chain_type, chain_doubtful)
            self.member_bases[match.start(1)] = (type_name, doubtful)
            if doubtful:
                self._suspect(member, "member")
                next_type = None
            else:
                step = steps.get((type_name, member))
                if step is None:
                    step = steps[(type_name, member)] = member_step(index, type_name, member)
                if not step[0]:
                    self._suspect(member, "member")
                next_type = step[1]
            chain_end, chain_type, chain_doubtful = match.end(), next_type, doubtful

    def clear_uses(self) -> list[NameUse] | None:
        """The uses of the suspects when every occurrence is unambiguous without a parse (a call
        after an operator, `->member` with a known base, `Type* x` at a declaration start, a
        name between operators); None when any is not, or the snippet defines structs or enums
        or `#define`s a suspect: then tree-sitter decides."""
        code = self.code
        if _AGGREGATE_BODY.search(code):
            return None
        defines = [m.span() for m in _DEFINE_LINE.finditer(code)] if "#" in code else []
        uses: list[NameUse] = []
        for name in sorted(self.suspects):
            reasons = self.suspects[name]
            size = len(name)
            for start in self._word_starts(name):
                if any(a <= start < b for a, b in defines):
                    return None
                kind = clear_kind(code, start, size)
                if kind is None:
                    return None
                row = code.count("\n", 0, start)
                if kind == "member":
                    base_type, doubtful = self.member_bases.get(start, (None, True))
                    if doubtful:
                        return None
                    if reasons & {"member", "name"}:
                        uses.append(NameUse(name, "member", row, base_type=base_type))
                elif kind == "call":
                    if reasons & {"arity", "name"}:
                        usage: Usage = "macro" if ALL_CAPS.fullmatch(name) else "call"
                        uses.append(
                            NameUse(name, usage, row, count_args(code, code.index("(", start + size) + 1))
                        )
                elif "name" in reasons and (kind == "type" or API_SHAPE.match(name)):
                    usage = (
                        "type" if kind == "type" else "macro" if ALL_CAPS.fullmatch(name) else "identifier"
                    )
                    uses.append(NameUse(name, usage, row))
        uses.sort(key=lambda u: u.row)
        return uses

    def _base_type(
        self, i: int, chain_end: int, chain_type: str | None, chain_doubtful: bool
    ) -> tuple[str | None, bool]:
        """(type, doubtful) of the expression that ends at `i`, before a `->` or `.`."""
        code = self.code
        while i >= 0 and code[i] in SPACE:
            i -= 1
        while i >= 0 and code[i] == "]":  # subscripts: `a[i].b` has the element type of `a`
            depth = 0
            while i >= 0:
                depth += code[i] == "]"
                depth -= code[i] == "["
                i -= 1
                if depth == 0:
                    break
            while i >= 0 and code[i] in SPACE:
                i -= 1
        if i + 1 == chain_end:
            return chain_type, chain_doubtful
        if i >= 0 and code[i] == ")":
            return None, True  # a cast or call result: only tree-sitter can tell
        base, _ = word_before(code, i)
        if not base:
            return None, False  # a designator (`{ .pos = ... }`)
        return self._named_base_type(base, i)

    def _named_base_type(self, base: str, at: int) -> tuple[str | None, bool]:
        """(type, doubtful) of the variable `base` used at offset `at`."""
        if base[0] in "0123456789":
            return None, False
        declared = self._variable_type(base, at)
        if declared == _DOUBT:
            return None, True
        return declared or global_type(self.index, base), False


_AGGREGATE_BODY = re.compile(r"\b(?:struct|union|enum)\b[^;{}()]*\{")
_DEFINE_LINE = re.compile(r"^[ \t]*#[ \t]*define\b[^\n]*(?:\\\n[^\n]*)*", re.M)


def screen_c_block(text: str, facts: CIndexFacts, extra: Container[str] = frozenset()) -> CScreen:
    """Screen one C block (see the module doc) with what the index says of C names (`facts`)."""
    code = _BLANKED.sub(_blank, text)
    return CScreen(code, facts.index, extra, facts.arities, facts.steps)
