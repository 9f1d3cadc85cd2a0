"""Macro arguments that are spelling, not names: those a macro pastes (`##`) or stringifies (`#`).

`VT_FGCOL(GREEN)` passes `GREEN` to a macro that makes `VT_COLOR_GREEN` of it, and
`gDPSetCombineLERP(..., PRIMITIVE, TEXEL0, ...)` pastes each source after `G_CCMUX_`: `GREEN` and
`PRIMITIVE` are declared nowhere, and need not be. `pasting_macros` works out, for every
function-like macro, which argument positions are only ever pasted or stringified, following one
macro passing its parameter on to another (`VT_FGCOL(color)` → `VT_COLOR(FOREGROUND, color)` →
`VT_COLOR_##color`); an argument also used as code (`ASSERT(cond)` tests `cond` and prints
`#cond`) is code, and checked. `blank_pasted_arguments` then blanks those arguments in a piece of code, so
that the name check never looks them up; every other argument is still checked.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterable, Mapping

from modsmith.code.c_macros import MacroParamUse, macro_param_uses

#: a variadic parameter that is pasted covers every argument from its position on (up to this many)
VARIADIC_SPAN = 64
_MAX_ROUNDS = 16
_IDENT = re.compile(r"[A-Za-z_]\w*")
_SNIPPET_DEFINE = re.compile(
    r"^[ \t]*#[ \t]*define[ \t]+([A-Za-z_]\w*)(\([^)\n]*\))?((?:[^\n\\]|\\.|\\\n)*)", re.M
)
_SKIP = re.compile(r"\"(?:\\.|[^\"\\\n])*\"|'(?:\\.|[^'\\\n])*'|//[^\n]*|/\*.*?(?:\*/|\Z)", re.S)


def pasting_macros(
    rows: Iterable[tuple[str, str | None, str | None, str | None]],
) -> dict[str, frozenset[int]]:
    """Spelling argument positions per macro, from rows `(name, params JSON, body, pasted JSON)`
    of function-like macros (a name defined several times: what any definition makes spelling)."""
    macros: dict[str, list[tuple[list[str], str]]] = {}
    for name, params_json, body, _pasted in rows:
        params = json.loads(params_json) if params_json else []
        macros.setdefault(name, []).append((params, body or ""))
    return _closed(macros, {})


def with_snippet_macros(
    text: str, known: Mapping[str, frozenset[int]]
) -> tuple[Mapping[str, frozenset[int]], dict[str, str]]:
    """`known` plus the pasting macros a piece of code defines itself, and the object-like macros
    it defines, each with the first name of its body (an alias `#define rScale regs[9]`: `regs`)."""
    if "define" not in text:
        return known, {}
    macros: dict[str, list[tuple[list[str], str]]] = {}
    objects: dict[str, str] = {}
    for match in _SNIPPET_DEFINE.finditer(text):
        name, params_text, body = match.group(1), match.group(2), match.group(3).replace("\\\n", " ")
        if params_text is None:
            first = _IDENT.search(body)
            objects[name] = first.group() if first else ""
            continue
        inner = params_text[1:-1]
        params = [p.strip() for p in inner.split(",")] if inner.strip() else []
        macros.setdefault(name, []).append((params, body))
    if not macros:
        return known, objects
    return _closed(macros, known), objects


def define_bodies(text: str) -> list[str]:
    """The replacement lists of the `#define`s in a piece of code, splices joined."""
    if "define" not in text:
        return []
    return [" ".join(m.group(3).replace("\\\n", " ").split()) for m in _SNIPPET_DEFINE.finditer(text)]


def _spread(params: list[str], positions: Iterable[int]) -> set[int]:
    """Positions, with a variadic parameter standing for every argument from it on."""
    spread: set[int] = set()
    for position in positions:
        if params and position == len(params) - 1 and params[-1].endswith("..."):
            spread.update(range(position, position + VARIADIC_SPAN))
        else:
            spread.add(position)
    return spread


def _closed(
    macros: Mapping[str, list[tuple[list[str], str]]], known: Mapping[str, frozenset[int]]
) -> dict[str, frozenset[int]]:
    """The spelling positions of `macros` (and `known`, kept): a parameter is spelling when every
    use of it in the body is pasted or stringified, or passed whole to another macro's spelling
    position; followed until nothing changes."""
    found: dict[str, set[int]] = {name: set(positions) for name, positions in known.items()}
    pending: list[tuple[str, list[str], int, list[MacroParamUse]]] = []
    for name, definitions in macros.items():
        for params, body in definitions:
            for position, uses in macro_param_uses(params, body).items():
                if uses and "plain" not in uses:
                    pending.append((name, params, position, uses))
    for _ in range(_MAX_ROUNDS):
        changed = False
        for name, params, position, uses in pending:
            mine = found.setdefault(name, set())
            if position in mine:
                continue
            if all(use == "paste" or use[1] in found.get(use[0], ()) for use in uses):
                mine.update(_spread(params, [position]))
                changed = True
        if not changed:
            break
    return {name: frozenset(positions) for name, positions in found.items() if positions}


def _arguments(code: str, start: int) -> list[tuple[int, int, str]] | None:
    """(start, end, text) of each top-level argument of the call whose `(` ends at `start`; None
    when the parentheses do not close."""
    arguments = []
    depth = 0
    begin = start
    i = start
    n = len(code)
    while i < n:
        ch = code[i]
        if ch in "\"'/":
            skipped = _SKIP.match(code, i)
            if skipped is not None and skipped.end() > i:
                i = skipped.end()
                continue
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            if depth == 0:
                arguments.append((begin, i, code[begin:i]))
                return arguments
            depth -= 1
        elif ch == "," and depth == 0:
            arguments.append((begin, i, code[begin:i]))
            begin = i + 1
        i += 1
    return None


def blank_pasted_arguments(code: str, pasting: Mapping[str, frozenset[int]]) -> str:
    """`code` with every argument that a macro pastes or stringifies replaced by `0` and blanks
    (same length and lines), so that it holds no name; the other arguments are left alone."""
    if not pasting or "(" not in code:
        return code
    present = pasting.keys() & set(_IDENT.findall(code))
    if not present:
        return code
    calls = sorted((m for name in present for m in _call_of(name).finditer(code)), key=lambda m: m.start())
    pieces: list[str] = []
    done = 0
    for match in calls:
        positions = pasting.get(match.group(1))
        if not positions or match.start() < done:
            continue
        arguments = _arguments(code, match.end())
        if arguments is None:
            continue
        for position, (begin, end, text) in enumerate(arguments):
            if position in positions and text.strip() and begin >= done:
                pieces.append(code[done:begin])
                pieces.append(_blanked(text))
                done = end
    if not pieces:
        return code
    pieces.append(code[done:])
    return "".join(pieces)


@functools.lru_cache(maxsize=4096)
def _call_of(name: str) -> re.Pattern[str]:
    return re.compile(rf"\b({re.escape(name)})\s*\(")


def _blanked(text: str) -> str:
    lead = len(text) - len(text.lstrip())
    body = "".join("\n" if ch == "\n" else " " for ch in text)
    return body[:lead] + "0" + body[lead + 1 :]
