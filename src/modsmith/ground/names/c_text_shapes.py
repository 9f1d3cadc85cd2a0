"""C read from its text alone, without a parse, for the regex screen (`c_screen`): whole words, the
word before an offset, whether an occurrence of a name is declared at a statement start, looks like
a type or is a clear use (a call, a member, an identifier between operators), the scopes that
brackets make, and the argument count of a call.
"""

from __future__ import annotations

import re
from bisect import bisect_left

#: Words that can stand before a name at the start of a statement without declaring it.
NOT_TYPES = frozenset("return else case goto sizeof do typedef default if while".split())
SPECIFIERS = frozenset(
    "const static volatile register extern inline struct union enum unsigned signed".split()
)
_QUALIFIERS = frozenset({"const", "volatile", "restrict"})
_TAGS = frozenset({"struct", "union", "enum"})
_AFTER_TYPE_WORDS = SPECIFIERS | {"typedef"}  # words a type name can follow
WORD_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")
SPACE = frozenset(" \t\r\n")
_BRACKET = re.compile(r"[(){}]")


def word_starts(code: str, name: str) -> list[int]:
    """Start offsets of `name` as a whole word."""
    found = []
    size = len(name)
    start = code.find(name)
    while start != -1:
        end = start + size
        if (start == 0 or code[start - 1] not in WORD_CHARS) and (
            end == len(code) or code[end] not in WORD_CHARS
        ):
            found.append(start)
        start = code.find(name, end)
    return found


def next_char(code: str, i: int) -> str:
    n = len(code)
    while i < n and code[i] in SPACE:
        i += 1
    return code[i] if i < n else ""


def word_before(code: str, i: int) -> tuple[str, int]:
    """The word ending at or before `i` (spaces skipped) and the index just before it."""
    while i >= 0 and code[i] in SPACE:
        i -= 1
    end = i
    while i >= 0 and code[i] in WORD_CHARS:
        i -= 1
    return code[i + 1 : end + 1], i


def statement_declared(code: str, start: int, size: int) -> bool:
    """True when the name at `start` is declared by a declaration that starts a statement (right
    after `;`, `{`, `}` or at the beginning): `Type* name =`, `Type name;`, `static Type* Name(`.
    Parameters and later declarators (`Actor *a, *b`) are left to tree-sitter: `f(a * NAME)`
    and `f(x, *NAME)` look the same to a regex."""
    after = next_char(code, start + size)
    if not after or after not in "=;[(":
        return False
    i = start - 1
    while True:
        while i >= 0 and (code[i] in SPACE or code[i] == "*"):
            i -= 1
        word, i = word_before(code, i)
        if word not in _QUALIFIERS:
            break
    if not word or word[0].isdigit() or word in NOT_TYPES:
        return False
    while True:
        word, before = word_before(code, i)
        if word and word in SPECIFIERS:
            i = before
            continue
        break
    while i >= 0 and code[i] in SPACE:
        i -= 1
    return i < 0 or code[i] in ";{}"


def type_like(code: str, start: int, size: int) -> bool:
    """`name x`, `name* x` at a declaration start, `(name)` / `(name*)`, or `struct name`."""
    word, _ = word_before(code, start - 1)
    if word in _TAGS:
        return True
    j = start + size
    n = len(code)
    while j < n and (code[j] in SPACE or code[j] == "*"):
        j += 1
    nxt = code[j] if j < n else ""
    k = start - 1
    while k >= 0 and code[k] in SPACE:
        k -= 1
    prev = code[k] if k >= 0 else ";"
    if prev == "(" and nxt == ")":  # a cast, unless the parentheses are a call's: `f(name)`
        k -= 1
        while k >= 0 and code[k] in SPACE:
            k -= 1
        return k < 0 or (code[k] not in WORD_CHARS and code[k] not in ")]")
    return (nxt in WORD_CHARS and not nxt.isdigit()) and (prev in ";{}(," or word in _AFTER_TYPE_WORDS)


class Brackets:
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


def clear_kind(code: str, start: int, size: int) -> str | None:
    """member | call | type | identifier when the occurrence at `start` is unambiguous, else None."""
    i = start - 1
    while i >= 0 and code[i] in SPACE:
        i -= 1
    prev = code[i] if i >= 0 else ";"
    if prev == "." or (prev == ">" and i > 0 and code[i - 1] == "-"):
        return "member"
    word = word_before(code, i)[0] if prev in WORD_CHARS else ""
    after = next_char(code, start + size)
    if after == "(":
        return "call" if prev in _BEFORE_CALL or word in _KEYWORDS_BEFORE_CALL else None
    if prev in ";{}(," and type_like(code, start, size):
        return "type"
    if prev in _BEFORE_VALUE and after in _AFTER_VALUE and not (prev == "(" and after == ")"):
        return "identifier"
    return None


_BEFORE_CALL = frozenset("=(,;{}!&|+-/%<>?:[~^")
_KEYWORDS_BEFORE_CALL = frozenset({"return", "case", "else", "do"})
_BEFORE_VALUE = frozenset("=(,[!&|+-/%<>?:~^")
_AFTER_VALUE = frozenset(",;)]=+-*/%<>&|?:^")


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
