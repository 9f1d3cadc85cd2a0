"""The text of C macros: a `#define`'s logical line, name, parameters and trailing comment, read
whatever tree-sitter made of it; how a macro body uses its parameters (pasted or stringified, passed
to a call, or plain), and a function-like macro's arity.
"""

from __future__ import annotations

import re


def macro_arity(params: list[str] | None) -> int | None:
    """Parameter count of a function-like macro (-1 with `...` or `args...`); None when object-like."""
    if params is None:
        return None
    if any(p.endswith("...") for p in params):
        return -1
    return len(params)


_SPLICE = re.compile(r"\\\r?\n")
_COMMENTS = re.compile(r"/\*.*?(?:\*/|\Z)|//[^\n]*|\"(?:\\.|[^\"\\\n])*\"|'(?:\\.|[^'\\\n])*'", re.S)
_DEFINE_HEAD = re.compile(r"[ \t]*(?:#|%:)[ \t]*define[ \t]+([A-Za-z_]\w*)(\([^)]*\))?")


def _spaces(match: re.Match[str]) -> str:
    """A comment becomes spaces of its length; a string or character literal stays."""
    text = match.group()
    return text if text[0] in "\"'" else " " * len(text)


_MACRO_TOKEN = re.compile(r"\"(?:\\.|[^\"\\])*\"|'(?:\\.|[^'\\])*'|##|#|\d[\w.]*|[A-Za-z_]\w*|\S")


def pasted_params(params: list[str], body: str) -> list[int]:
    """Positions (0-based) of the parameters a macro body only pastes (`x##_Foo`, `A_##x`) or
    stringifies (`#x`), never uses as they are: the arguments passed there are spelling, not
    names to look up (`ASSERT(cond)` both tests `cond` and prints `#cond`: its argument is code).
    `, ##__VA_ARGS__` is GNU's comma swallow, not a paste; `...` is the parameter `__VA_ARGS__`."""
    uses = macro_param_uses(params, body)
    return sorted(i for i, found in uses.items() if found and all(use == "paste" for use in found))


MacroParamUse = str | tuple[str, int]


def macro_param_uses(params: list[str], body: str) -> dict[int, list[MacroParamUse]]:
    """How a macro body uses each parameter (by position): "paste" (pasted or stringified),
    `(callee, argument position)` (passed whole to a call, `F(a, x)`), or "plain"."""
    names = {("__VA_ARGS__" if p == "..." else p.removesuffix("...")): i for i, p in enumerate(params)}
    tokens = _MACRO_TOKEN.findall(_COMMENTS.sub(_spaces, body))
    uses: dict[int, list[MacroParamUse]] = {i: [] for i in range(len(params))}
    frames: list[list] = []  # [callee or None, argument position] of each open parenthesis
    for i, token in enumerate(tokens):
        before = tokens[i - 1] if i > 0 else ""
        after = tokens[i + 1] if i + 1 < len(tokens) else ""
        if token == "(":
            callee = before if before and (before[0].isalpha() or before[0] == "_") else None
            frames.append([callee, 0])
        elif token == ")":
            if frames:
                frames.pop()
        elif token == "," and frames:
            frames[-1][1] += 1
        elif token in names:
            position = names[token]
            variadic = token == "__VA_ARGS__" or params[position].endswith("...")
            swallow = variadic and before == "##" and i > 1 and tokens[i - 2] == ","
            if (before == "##" and not swallow) or after == "##" or before == "#":
                uses[position].append("paste")
            elif frames and frames[-1][0] and before in ("(", ",") and after in (")", ","):
                uses[position].append((frames[-1][0], frames[-1][1]))
            else:
                uses[position].append("plain")
    return uses


def logical_line_end(source: bytes, start: int) -> int:
    """Offset of the end of the (backslash-continued) line starting at `start`, before `\r\n`."""
    while True:
        newline = source.find(b"\n", start)
        if newline == -1:
            return len(source.rstrip())
        end = newline - 1 if source[newline - 1 : newline] == b"\r" else newline
        if source[end - 1 : end] != b"\\":
            return end
        start = newline + 1


def split_trailing_comment(value: str) -> tuple[str, str | None]:
    """Split `3 // note` into ("3", "note"); comments inside string literals are left alone."""
    if "/" not in value:
        return value.strip(), None
    quote = None
    i = 0
    while i < len(value):
        ch = value[i]
        if quote:
            if ch == "\\":
                i += 1
            elif ch == quote:
                quote = None
        elif ch in "\"'":
            quote = ch
        elif value.startswith("//", i):
            return value[:i].strip(), value[i + 2 :].strip(" /") or None
        elif value.startswith("/*", i):
            end = value.find("*/", i + 2)
            if end == -1 or not value[end + 2 :].strip():
                inner = value[i + 2 : end if end != -1 else None].strip(" *")
                return value[:i].strip(), inner or None
            i = end + 1
        i += 1
    return value.strip(), None


def define_line(source: bytes, start: int) -> tuple[str, int]:
    """The `#define` whose logical line starts at byte `start`: its text without line splices, and
    the byte where it ends."""
    end = logical_line_end(source, start)
    return _SPLICE.sub("", source[start:end].decode("utf-8", errors="replace")), end


def define_head(text: str) -> re.Match[str] | None:
    """The name (group 1) and `(parameters)` (group 2) of a `#define` line, read with its comments
    blanked (a comment may hold anything)."""
    return _DEFINE_HEAD.match(_COMMENTS.sub(_spaces, text))
