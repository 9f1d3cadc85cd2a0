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
might declare in a way the screen does not follow.

For the suspects `clear_uses` then says how each occurrence is used when that is unambiguous
from the text (a call after an operator, `->member` with a known base, `Type* x` at the start
of a declaration, a name between operators); when any occurrence is not, or the snippet defines
structs or enums or `#define`s a suspect, `used_names` asks tree-sitter instead.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Container
from dataclasses import dataclass
from typing import Literal

from modsmith.ground.names.builtin_names import C_BUILTIN_NAMES, C_KEYWORDS
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
#: Words that can stand before a name at the start of a statement without declaring it.
_NOT_TYPES = frozenset("return else case goto sizeof do typedef default if while".split())
_SPECIFIERS = frozenset(
    "const static volatile register extern inline struct union enum unsigned signed".split()
)
_QUALIFIERS = frozenset({"const", "volatile", "restrict"})
_SPECIFIER_WORDS = rf"(?:(?:{'|'.join(sorted(_SPECIFIERS))})\s+)*"
#: `Type* name` after `;`, `{`, `}`, `(` or `,` (run on ";" + code): variables and parameters.
_DECLARATION = re.compile(
    rf"[;{{}}(,]\s*{_SPECIFIER_WORDS}([A-Za-z_]\w*)\b\s*(?:\*\s*)*(?:const\s+)?([A-Za-z_]\w*)\s*(?=[=;,)\[])"
)
#: `, name` / `*name` before `=;,)[`: later declarators (`Actor *a, *b;`) the regex above misses.
_LATER_DECLARATOR = re.compile(r"[,*]\s*([A-Za-z_]\w*)\s*(?=[=;,)\[])")

_TAGS = frozenset({"struct", "union", "enum"})
_AFTER_TYPE_WORDS = _SPECIFIERS | {"typedef"}  # words a type name can follow
_WORD_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")
_SPACE = frozenset(" \t\r\n")
#: a later declarator (`Actor *a, *b`), or a name declared with two types where the scope of a use
#: cannot be told: tree-sitter knows its type, the screen does not
_DOUBT = "?"
_BRACKET = re.compile(r"[(){}]")


def _blank(match: re.Match[str]) -> str:
    """Comments and `#if` lines become spaces, literals a `0` of the same length (an argument)."""
    text = match.group()
    if text[0] in "\"'":
        return "0" + " " * (len(text) - 1)
    if "\n" not in text:
        return " " * len(text)
    return "\n".join(" " * len(part) for part in text.split("\n"))


def word_starts(code: str, name: str) -> list[int]:
    """Start offsets of `name` as a whole word."""
    found = []
    size = len(name)
    start = code.find(name)
    while start != -1:
        end = start + size
        if (start == 0 or code[start - 1] not in _WORD_CHARS) and (
            end == len(code) or code[end] not in _WORD_CHARS
        ):
            found.append(start)
        start = code.find(name, end)
    return found


def _next_char(code: str, i: int) -> str:
    n = len(code)
    while i < n and code[i] in _SPACE:
        i += 1
    return code[i] if i < n else ""


def _word_before(code: str, i: int) -> tuple[str, int]:
    """The word ending at or before `i` (spaces skipped) and the index just before it."""
    while i >= 0 and code[i] in _SPACE:
        i -= 1
    end = i
    while i >= 0 and code[i] in _WORD_CHARS:
        i -= 1
    return code[i + 1 : end + 1], i


def _statement_declared(code: str, start: int, size: int) -> bool:
    """True when the name at `start` is declared by a declaration that starts a statement (right
    after `;`, `{`, `}` or at the beginning): `Type* name =`, `Type name;`, `static Type* Name(`.
    Parameters and later declarators (`Actor *a, *b`) are left to tree-sitter: `f(a * NAME)`
    and `f(x, *NAME)` look the same to a regex."""
    after = _next_char(code, start + size)
    if not after or after not in "=;[(":
        return False
    i = start - 1
    while True:
        while i >= 0 and (code[i] in _SPACE or code[i] == "*"):
            i -= 1
        word, i = _word_before(code, i)
        if word not in _QUALIFIERS:
            break
    if not word or word[0].isdigit() or word in _NOT_TYPES:
        return False
    while True:
        word, before = _word_before(code, i)
        if word and word in _SPECIFIERS:
            i = before
            continue
        break
    while i >= 0 and code[i] in _SPACE:
        i -= 1
    return i < 0 or code[i] in ";{}"


def _type_like(code: str, start: int, size: int) -> bool:
    """`name x`, `name* x` at a declaration start, `(name)` / `(name*)`, or `struct name`."""
    word, _ = _word_before(code, start - 1)
    if word in _TAGS:
        return True
    j = start + size
    n = len(code)
    while j < n and (code[j] in _SPACE or code[j] == "*"):
        j += 1
    nxt = code[j] if j < n else ""
    k = start - 1
    while k >= 0 and code[k] in _SPACE:
        k -= 1
    prev = code[k] if k >= 0 else ";"
    if prev == "(" and nxt == ")":  # a cast, unless the parentheses are a call's: `f(name)`
        k -= 1
        while k >= 0 and code[k] in _SPACE:
            k -= 1
        return k < 0 or (code[k] not in _WORD_CHARS and code[k] not in ")]")
    return (nxt in _WORD_CHARS and not nxt.isdigit()) and (prev in ";{}(," or word in _AFTER_TYPE_WORDS)


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
        self._brackets: _Brackets | None = None
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
                while paren < len(code) and code[paren] in _SPACE:
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
        if shaped or any(_next_char(code, s + size) == "(" for s in starts):
            # declared at the start of a statement (`Type* name =`, `void Name(...) {`): the snippet's own.
            # `f(a * NAME)` might declare NAME too, but is far likelier a product: not trusted here.
            if not any(_statement_declared(code, s, size) for s in starts):
                self._suspect(name, "name")
        elif any(_type_like(code, s, size) for s in starts):
            self._suspect(name, "name")

    def _variable_type(self, name: str, at: int | None = None) -> str | None:
        """The type a variable or parameter of the snippet is declared with, None when none. One
        type: that one. Two or more: the one of the innermost declaration whose scope holds
        offset `at`, as tree-sitter's resolver has it; `_DOUBT` when no `at` is given or its
        scope cannot be told (braces that do not pair up), and for a later declarator."""
        if self._vars is None:
            self._vars = {}
            for match in _DECLARATION.finditer(";" + self.code):
                if match.group(1) not in _NOT_TYPES:
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
                self._brackets = _Brackets(self.code)
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
            elif code[start - 1] in _WORD_CHARS:  # `name->`: the common case, one lookup per name
                base = _word_before(code, start - 1)[0]
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
                    step = steps[(type_name, member)] = _member_step(index, type_name, member)
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
                kind = _clear_kind(code, start, size)
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
        while i >= 0 and code[i] in _SPACE:
            i -= 1
        while i >= 0 and code[i] == "]":  # subscripts: `a[i].b` has the element type of `a`
            depth = 0
            while i >= 0:
                depth += code[i] == "]"
                depth -= code[i] == "["
                i -= 1
                if depth == 0:
                    break
            while i >= 0 and code[i] in _SPACE:
                i -= 1
        if i + 1 == chain_end:
            return chain_type, chain_doubtful
        if i >= 0 and code[i] == ")":
            return None, True  # a cast or call result: only tree-sitter can tell
        base, _ = _word_before(code, i)
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


class _Brackets:
    """The `(`/`)` and `{`/`}` pairs of a block, to tell the scope a declaration is visible in;
    `paired` is False when they do not pair up (a fragment, or braces an `#if` splits)."""

    def __init__(self, code: str):
        self.code = code
        self.at = [m.start() for m in _BRACKET.finditer(code)]
        self.partner: dict[int, int] = {}  # index in `at` of each bracket -> index of its pair
        self.paired = True
        stack: list[int] = []
        for k, offset in enumerate(self.at):
            ch = code[offset]
            if ch in "({":
                stack.append(k)
            elif stack and code[self.at[stack[-1]]] == ("(" if ch == ")" else "{"):
                opener = stack.pop()
                self.partner[opener], self.partner[k] = k, opener
            else:
                self.paired = False
                return
        self.paired = not stack

    def scope_of(self, offset: int) -> tuple[int, int]:
        """The span a name declared at `offset` is visible in: its brace block; for a parameter
        (or a `for`/`if` header), the brace block right after its parentheses, else only those
        parentheses (a prototype); the whole block at top level."""
        k = bisect_left(self.at, offset) - 1
        while k >= 0 and self.code[self.at[k]] in ")}":
            k = self.partner[k] - 1  # skip a closed pair before the name
        if k < 0:
            return 0, len(self.code)
        close = self.partner[k]
        if self.code[self.at[k]] == "(":
            body = close + 1
            if (
                body < len(self.at)
                and self.code[self.at[body]] == "{"
                and not self.code[self.at[close] + 1 : self.at[body]].strip()
            ):
                k, close = body, self.partner[body]
        return self.at[k], self.at[close] + 1


def _clear_kind(code: str, start: int, size: int) -> str | None:
    """member | call | type | identifier when the occurrence at `start` is unambiguous, else None."""
    i = start - 1
    while i >= 0 and code[i] in _SPACE:
        i -= 1
    prev = code[i] if i >= 0 else ";"
    if prev == "." or (prev == ">" and i > 0 and code[i - 1] == "-"):
        return "member"
    word = _word_before(code, i)[0] if prev in _WORD_CHARS else ""
    after = _next_char(code, start + size)
    if after == "(":
        return "call" if prev in _BEFORE_CALL or word in _KEYWORDS_BEFORE_CALL else None
    if prev in ";{}(," and _type_like(code, start, size):
        return "type"
    if prev in _BEFORE_VALUE and after in _AFTER_VALUE and not (prev == "(" and after == ")"):
        return "identifier"
    return None


_BEFORE_CALL = frozenset("=(,;{}!&|+-/%<>?:[~^")
_KEYWORDS_BEFORE_CALL = frozenset({"return", "case", "else", "do"})
_BEFORE_VALUE = frozenset("=(,[!&|+-/%<>?:~^")
_AFTER_VALUE = frozenset(",;)]=+-*/%<>&|?:^")
_AGGREGATE_BODY = re.compile(r"\b(?:struct|union|enum)\b[^;{}()]*\{")
_DEFINE_LINE = re.compile(r"^[ \t]*#[ \t]*define\b[^\n]*(?:\\\n[^\n]*)*", re.M)


def _member_step(index: SymbolIndex, type_name: str | None, member: str) -> tuple[bool, str | None]:
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


def count_args(code: str, start: int) -> int:
    """Top-level arguments of the call whose `(` ends at `start` (0 for `()`)."""
    end = code.find(")", start)
    if end != -1:
        inner = code[start:end]
        if "(" not in inner and "[" not in inner and "{" not in inner:
            return inner.count(",") + 1 if inner.strip() else 0
    depth, count, blank = 0, 1, True
    for i in range(start, len(code)):
        ch = code[i]
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            if depth == 0:
                return 0 if blank and count == 1 else count
            depth -= 1
        elif ch == "," and depth == 0:
            count += 1
        if blank and not ch.isspace():
            blank = False
    return count


def global_type(index: SymbolIndex, name: str) -> str | None:
    return next((e.type for e in index.entries(name) if e.kind == "global" and e.type), None)


def unique_field_type(index: SymbolIndex, member: str) -> str | None:
    """The type of `member` when every struct that has it agrees on one."""
    types = {e.type for e in index.entries(member) if e.kind == "field"}
    return types.pop() if len(types) == 1 else None


class CChecker:
    """What the C screen keeps per index: its arity table and the member steps it worked out."""

    def __init__(self, index: SymbolIndex):
        self.index = index
        self.arities = ArityTable(index)
        self.steps: dict[tuple[str | None, str], tuple[bool, str | None]] = {}


def screen_c_block(text: str, checker: CChecker, extra: Container[str] = frozenset()) -> CScreen:
    """Screen one C block (see the module doc)."""
    code = _BLANKED.sub(_blank, text)
    return CScreen(code, checker.index, extra, checker.arities, checker.steps)
