"""C as the compiler lexes it, for the include rules (`include_policy`): preprocessing tokens with
their original lines, in the `Dialect` a profile's `-std` gives (line splices, also with spaces
before the newline; trigraphs where the standard has them; comments, C90's `//` rule included;
header names; digraphs). Where the compiler's split depends on tables this lexer does not keep
(which non-ASCII characters, `$` and universal character names may go into an identifier), it
splits finer: identifiers are ASCII, every other such character is a token of its own. The lexer
streams: it yields one token at a time.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import NamedTuple

INCLUDE_DIRECTIVES = ("include", "include_next", "import")
HAS_INCLUDE = ("__has_include", "__has_include_next", "__has_include__", "__has_include_next__")
#: the names whose operand in parentheses is a header name
HEADER_OPERAND = {*HAS_INCLUDE, "__has_embed"}
_STRING_PREFIXES = {"L", "u", "U", "u8"}
_RAW_PREFIXES = {"R", "LR", "uR", "UR", "u8R"}
_TRIGRAPHS = {"=": "#", "/": "\\", "'": "^", "(": "[", ")": "]", "!": "|", "<": "{", ">": "}", "-": "~"}
_SPLICE = re.compile(r"\\[ \t\f\v]*\n")
_TRIGRAPH = re.compile(r"\?\?([=/'()!<>\-])")
_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_NUMBER = re.compile(r"\.?[0-9](?:[eEpP][+-]|[0-9A-Za-z_.])*")
_NUMBER_SEPARATED = re.compile(r"\.?[0-9](?:[eEpP][+-]|'[0-9A-Za-z_]|[0-9A-Za-z_.])*")
_UCN = re.compile(r"\\(?:u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8})")
_STRING = {'"': re.compile(r'"(?:[^"\\\n]|\\.)*"?'), "'": re.compile(r"'(?:[^'\\\n]|\\.)*'?")}
_HEADER = {'"': re.compile(r'"[^"\n]*"?'), "<": re.compile(r"<[^>\n]*>?")}
_CHUNK = 1 << 14

_ISO_C90 = {"c89", "c90", "iso9899:1990"}
_ISO_C94_TO_C17 = {
    "c99", "c9x", "c11", "c1x", "c17", "c18",
    "iso9899:1999", "iso9899:199x", "iso9899:2011", "iso9899:2017", "iso9899:2018",
}  # fmt: skip


@dataclass(frozen=True)
class Dialect:
    """How the compiler lexes under one `-std`: trigraphs (None: compilers differ, so both ways),
    digraphs (`%:` for `#`), and C90's `//`, which gcc reads as a comment (with an error) except
    in a directive or right before `*`."""

    trigraphs: bool | None = None
    digraphs: bool = True
    c90_comments: bool = False

    @classmethod
    def of(cls, std: str) -> Dialect:
        """gcc's (and clang's) lexing for `-std=<std>`."""
        if std.startswith("gnu"):
            return cls(trigraphs=False)
        if std in _ISO_C90:
            return cls(trigraphs=True, digraphs=False, c90_comments=True)
        if std == "iso9899:199409":
            return cls(trigraphs=True, c90_comments=True)
        if std in _ISO_C94_TO_C17:
            return cls(trigraphs=True)
        return cls()


class Tok(NamedTuple):
    kind: str  # ident, number, string, header, punct, hash, nl, raw, other (one character), ucn
    text: str
    line: int


def views(source: str, dialect: Dialect) -> Iterator[str]:
    """The text as the compiler may read it: as written, with trigraphs replaced, or both."""
    if dialect.trigraphs is not True or "??" not in source:
        yield source
    if dialect.trigraphs is not False and "??" in source:
        yield "".join(
            _TRIGRAPH.sub(lambda m: _TRIGRAPHS[m[1]], chunk) if "??" in chunk else chunk
            for chunk in _chunks(source)
        )


def lex(
    text: str, *, digit_separators: bool = False, digraphs: bool = True, c90_comments: bool = False
) -> Iterator[Tok]:
    """Preprocessing tokens of a cleaned `text` with their original lines, one at a time; comments
    dropped, an `nl` token at each line end."""
    spliced = "".join(_SPLICE.sub("", chunk) for chunk in _chunks(text)) if "\\" in text else text
    lines = _LineCounter(text)
    number = _NUMBER_SEPARATED if digit_separators else _NUMBER
    i, n = 0, len(spliced)
    bol, header_next = True, False
    directive: str | None = None  # None: not a directive line; "": `#` seen, its name not yet
    last = ""
    while i < n:
        c = spliced[i]
        if c == "\n":
            yield Tok("nl", "\n", lines.at(i))
            lines.newlines += 1
            bol, header_next, directive, last = True, False, None, ""
            i += 1
            continue
        if c in " \t\f\v":
            i += 1
            continue
        if c == "/" and spliced.startswith("/*", i):
            end = spliced.find("*/", i + 2)
            end = n if end < 0 else end + 2
            lines.newlines += spliced.count("\n", i, end)
            i = end
            continue
        if (
            c == "/"
            and spliced.startswith("//", i)
            and not (c90_comments and (directive is not None or spliced.startswith("*", i + 2)))
        ):
            end = spliced.find("\n", i)
            i = n if end < 0 else end
            continue
        line = lines.at(i)
        if header_next and c in _HEADER:
            m = _HEADER[c].match(spliced, i)
            yield Tok("header", m.group(), line)
            i, bol, header_next, last = m.end(), False, False, m.group()
            continue
        header_next = False
        kind, end = _token_at(spliced, i, number, digraphs)
        spelling = spliced[i:end]
        if kind == "hash" and not bol:
            kind = "punct"
        elif kind == "ident" and spliced[end : end + 1] in _STRING:
            if spliced[end] == '"' and spelling in _RAW_PREFIXES:
                yield Tok("raw", spelling + '"', line)
                return  # from here on this lexer and the compiler may disagree: the scan refuses it
            if spelling in _STRING_PREFIXES:
                kind, end = "string", _STRING[spliced[end]].match(spliced, end).end()
                spelling = spliced[i:end]
        yield Tok(kind, spelling, line)
        if kind == "hash":
            directive = ""
        elif directive == "":
            directive = spelling
            header_next = kind == "ident" and spelling in (*INCLUDE_DIRECTIVES, "embed")
        elif spelling == "(" and last in HEADER_OPERAND:
            header_next = True
        bol, last, i = False, spelling, end


def _token_at(text: str, i: int, number: re.Pattern[str], digraphs: bool) -> tuple[str, int]:
    """The kind and end of the token at `i` (not a comment, header name or prefixed string)."""
    c = text[i]
    if c == "#" or (digraphs and c == "%" and text.startswith("%:", i)):
        width = 1 if c == "#" else 2
        pair = "#" if width == 1 else "%:"
        if text.startswith(pair, i + width):
            return "punct", i + 2 * width  # `##`
        return "hash", i + width
    m = _IDENT.match(text, i) or number.match(text, i)
    if m:
        return ("ident" if not c.isdigit() and c != "." else "number"), m.end()
    if c in _STRING:
        return "string", _STRING[c].match(text, i).end()
    if c == "\\":
        m = _UCN.match(text, i)
        return ("ucn", m.end()) if m else ("other", i + 1)
    if c == "$" or c > "\x7f":
        return "other", i + 1
    return "punct", i + 1


class _LineCounter:
    """The original line of a position in the spliced text; positions must come in order, and the
    lexer counts the newlines it passes into `newlines`."""

    def __init__(self, text: str):
        self._splices = _splice_points(text)
        self._next = next(self._splices, None)
        self._passed = 0
        self.newlines = 0

    def at(self, pos: int) -> int:
        while self._next is not None and self._next <= pos:
            self._passed += 1
            self._next = next(self._splices, None)
        return 1 + self.newlines + self._passed


def _splice_points(text: str) -> Iterator[int]:
    """Where, in the text without splices, each splice of `text` was taken out."""
    removed = 0
    for m in _SPLICE.finditer(text):
        yield m.start() - removed
        removed += m.end() - m.start()


def _chunks(text: str) -> Iterator[str]:
    """`text` in pieces of about `_CHUNK` characters, none cut inside a splice or a trigraph (a
    piece never ends in `?`, a backslash or a blank), so each can be rewritten alone."""
    start, n = 0, len(text)
    while start < n:
        end = min(start + _CHUNK, n)
        while end < n and text[end - 1] in "?\\ \t\f\v":
            end += 1
        yield text[start:end]
        start = end
