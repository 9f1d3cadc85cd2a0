"""What a C snippet may make the compiler read, decided before the compiler starts.

The compiler only ever sees the text modsmith writes for it: `clean_source` makes that text (NULs,
which gcc ignores, as spaces; CR LF and lone CR, the other line ends gcc knows, as LF; byte-order
marks at its start dropped, as gcc drops one; lone surrogates as U+FFFD, so that writing it as UTF-8
changes nothing). The rules lex that text as the compiler lexes it, in the `Dialect` the profile's
`-std` gives: line splices (also with spaces before the newline), trigraphs where the standard has
them, comments (C90's `//` rule included), header names, digraphs. Where the compiler's split depends
on tables this lexer does not keep (which non-ASCII characters, `$` and universal character names
may go into an identifier), it splits finer: identifiers are ASCII, every other such character is a
token of its own, so any name the compiler may see, the rules see too. Every form that names a file
is checked:

- `#include`, `#include_next`, `#import` and `__has_include(...)`/`__has_include_next(...)` must
  name a literal header that resolves, from every directory the compiler would search, to a path
  inside the include roots (symlinks followed, so a link in the repo pointing outside is refused):
  no absolute paths, no `..` out of the roots, no devices, pipes or sockets. A computed include
  (`#include MACRO`) is refused, and `__has_include` anywhere but in `defined`/`#ifdef` with a
  non-literal operand too (it would probe a path the check cannot see).
- `#embed`, `__has_embed`, `#line` and `# <number> "file"` line markers (which forge file names
  and shift the reported lines) are refused.
- `#pragma`/`_Pragma("...")`: `GCC dependency` and `GCC pch_preprocess` read a file and are refused,
  as are `GCC|clang diagnostic ignored|warning`, which would turn off the errors the check relies on.
  Other pragmas are harmless under `-fsyntax-only` (`push_macro`, `poison`, `message`, `optimize`,
  `system_header`, which is ignored in a main file). `_Pragma` must take a plain string literal;
  MSVC's `__pragma` is refused.
- Token pasting can spell `_Pragma` or `__has_include` from pieces a macro glues together; every
  such paste needs an identifier that is a proper prefix of one of those names (`_Pra`, `__has_`),
  so such identifiers are refused wherever they appear. A universal character name for a basic
  character (`\\u005f` is `_`) is refused too: C99 and later turn it into that character.
- Raw string literals (`R"(...)"`, gnu99 and later) keep splices and could hide lines from this
  lexer; they are refused.

Where the standard leaves the lexing open (trigraphs under C23, whose compilers differ; C23 digit
separators, `1'000`) a snippet is scanned both ways and must pass both. The scan streams: it keeps
a few tokens of the current line, never the token list, so its memory stays a small multiple of the
source whatever the source holds.
"""

from __future__ import annotations

import os
import re
import stat
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import NamedTuple

from pydantic import BaseModel

INCLUDE_DIRECTIVES = ("include", "include_next", "import")
HAS_INCLUDE = ("__has_include", "__has_include_next", "__has_include__", "__has_include_next__")
DANGEROUS_NAMES = ("_Pragma", "__pragma", *HAS_INCLUDE, "__has_embed")
_PIECES = {name[:i] for name in DANGEROUS_NAMES for i in range(1, len(name))} - set(DANGEROUS_NAMES)
_HEADER_OPERAND = {*HAS_INCLUDE, "__has_embed"}
_WATCHED = _PIECES | set(DANGEROUS_NAMES)
_STRING_PREFIXES = {"L", "u", "U", "u8"}
_RAW_PREFIXES = {"R", "LR", "uR", "UR", "u8R"}
_TRIGRAPHS = {"=": "#", "/": "\\", "'": "^", "(": "[", ")": "]", "!": "|", "<": "{", ">": "}", "-": "~"}
MAX_VIOLATIONS = 50  # kept per scan: one is enough to refuse, a few help the user
MAX_INCLUDES = 256  # includes kept: whether there are any, and the first few, is what matters
_HEAD = 5  # tokens of a line the directive checks look at
_TARGET = 200  # characters of a refused form shown

_SPLICE = re.compile(r"\\[ \t\f\v]*\n")
_TRIGRAPH = re.compile(r"\?\?([=/'()!<>\-])")
_DIGIT_SEPARATOR = re.compile(r"[0-9]'[0-9A-Za-z_]")
_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_NUMBER = re.compile(r"\.?[0-9](?:[eEpP][+-]|[0-9A-Za-z_.])*")
_NUMBER_SEPARATED = re.compile(r"\.?[0-9](?:[eEpP][+-]|'[0-9A-Za-z_]|[0-9A-Za-z_.])*")
_UCN = re.compile(r"\\(?:u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8})")
_STRING = {'"': re.compile(r'"(?:[^"\\\n]|\\.)*"?'), "'": re.compile(r"'(?:[^'\\\n]|\\.)*'?")}
_HEADER = {'"': re.compile(r'"[^"\n]*"?'), "<": re.compile(r"<[^>\n]*>?")}
_SURROGATE = re.compile("[\ud800-\udfff]")
_CHUNK = 1 << 14

_ISO_C90 = {"c89", "c90", "iso9899:1990"}
_ISO_C94_TO_C17 = {
    "c99", "c9x", "c11", "c1x", "c17", "c18",
    "iso9899:1999", "iso9899:199x", "iso9899:2011", "iso9899:2017", "iso9899:2018",
}  # fmt: skip


class IncludeViolation(BaseModel):
    """One form that would let the snippet reach outside the include roots."""

    line: int
    form: str
    target: str = ""
    reason: str


@dataclass(frozen=True)
class IncludeRoots:
    """Where the compiler will look: `quote_dirs` first for `"..."` includes, then `include_dirs`."""

    repo: Path
    include_dirs: tuple[Path, ...]
    quote_dirs: tuple[Path, ...] = ()

    def label(self, path: Path) -> str:
        """How a search directory is named in messages (never a host path)."""
        if path == self.repo or self.repo in path.parents:
            return "<repo>/" + path.relative_to(self.repo).as_posix()
        if path in self.include_dirs:
            return "the generated headers"
        return "the snippet's directory"


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


@dataclass
class SnippetScan:
    """What the scan found: violations, and the snippet's own includes as (line, name)."""

    violations: list[IncludeViolation] = field(default_factory=list)
    includes: list[tuple[int, str]] = field(default_factory=list)
    leading_includes: list[str] = field(default_factory=list)

    def add(self, violation: IncludeViolation) -> None:
        if len(self.violations) < MAX_VIOLATIONS:
            self.violations.append(violation)


class Tok(NamedTuple):
    kind: str  # ident, number, string, header, punct, hash, nl, raw, other (one character), ucn
    text: str
    line: int


def clean_source(text: str) -> str:
    """The text the compiler gets (see the module doc); the rules check exactly this text."""
    text = text.lstrip("\ufeff")
    if not text.isascii():
        text = _SURROGATE.sub("\ufffd", text)
    return text.replace("\0", " ").replace("\r\n", "\n").replace("\r", "\n")


def scan_snippet(source: str, roots: IncludeRoots, dialect: Dialect | None = None) -> SnippetScan:
    """Check a cleaned snippet (see `clean_source`) against the rules in this module's doc."""
    dialect = dialect or Dialect()
    scan: SnippetScan | None = None
    seen: set[tuple[int, str, str]] = set()
    separators = [False, True] if _DIGIT_SEPARATOR.search(source) else [False]
    for view in _views(source, dialect):
        for separated in separators:
            found = SnippetScan()
            tokens = lex(
                view, digit_separators=separated, digraphs=dialect.digraphs, c90_comments=dialect.c90_comments
            )
            _scan_tokens(tokens, roots, found)
            if scan is None:  # the snippet's includes are those of the first way of reading it
                scan = SnippetScan(includes=found.includes, leading_includes=found.leading_includes)
            for violation in found.violations:
                key = (violation.line, violation.form, violation.reason)
                if key not in seen:
                    seen.add(key)
                    scan.add(violation)
    assert scan is not None
    scan.violations.sort(key=lambda v: v.line)
    return scan


def _views(source: str, dialect: Dialect) -> Iterator[str]:
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
        elif spelling == "(" and last in _HEADER_OPERAND:
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


def _scan_tokens(tokens: Iterable[Tok], roots: IncludeRoots, scan: SnippetScan) -> None:
    leading = True
    line = _LineScan(roots, scan)
    for tok in tokens:
        if tok.kind == "nl":
            leading = line.close(leading)
            line = _LineScan(roots, scan)
        else:
            line.add(tok)
    line.close(leading)


class _LineScan:
    """The checks of one logical line, fed a token at a time. It keeps the line's first tokens
    (for the directive checks) and a window of six (a name check looks two back and three ahead)."""

    def __init__(self, roots: IncludeRoots, scan: SnippetScan):
        self.roots, self.scan = roots, scan
        self.head: list[Tok] = []
        self.window: deque[Tok] = deque(maxlen=6)
        self.count = 0
        self.rest: list[str] = []  # texts of the tokens from the third on, up to _TARGET characters
        self.rest_size = 0
        self.found: list[IncludeViolation] = []  # the names' violations, added after the directive's

    def add(self, tok: Tok) -> None:
        if self.count < _HEAD:
            self.head.append(tok)
        if self.count >= 2 and self.rest_size < _TARGET:
            self.rest.append(tok.text)
            self.rest_size += len(tok.text) + 1
        self.window.append(tok)
        self.count += 1
        if self.count > 3:
            self._check_name(self.count - 4)

    def close(self, leading: bool) -> bool:
        """Finish the line; returns whether the snippet still starts with includes only."""
        if not self.count:
            return leading
        for j in range(max(0, self.count - 3), self.count):
            self._check_name(j)
        if self.head[0].kind == "hash":
            leading = self._check_directive(leading)
        else:
            leading = False
        for violation in self.found:
            self.scan.add(violation)
        return leading

    def _tok(self, j: int) -> Tok | None:
        first = self.count - len(self.window)
        return self.window[j - first] if first <= j < self.count else None

    def _check_directive(self, leading: bool) -> bool:
        head, scan = self.head, self.scan
        if len(head) < 2:
            return leading
        directive = head[1]
        name, at = directive.text, directive.line
        rest = " ".join(self.rest)[:_TARGET]
        if directive.kind == "number" or name == "line":
            scan.add(
                IncludeViolation(
                    line=at,
                    form="#line",
                    target=rest,
                    reason="#line and line markers forge file names and lines",
                )
            )
        elif name == "embed":
            scan.add(
                IncludeViolation(line=at, form="#embed", target=rest, reason="#embed reads a file as data")
            )
        elif name == "pragma":
            reason = pragma_problem(head[2:])
            if reason:
                scan.add(IncludeViolation(line=at, form="#pragma", target=rest, reason=reason))
        elif name in INCLUDE_DIRECTIVES and directive.kind == "ident":
            operand = head[2] if len(head) > 2 else None
            if operand is None:
                return False
            closed = len(operand.text) > 1 and operand.text[-1] == {'"': '"', "<": ">"}.get(operand.text[0])
            if operand.kind != "header" or not closed:
                scan.add(
                    IncludeViolation(
                        line=at,
                        form=f"#{name}",
                        target=rest,
                        reason='computed or malformed include: only <file> or "file" is checked',
                    )
                )
                return False
            target = operand.text[1:-1]
            if len(scan.includes) < MAX_INCLUDES:
                scan.includes.append((at, target))
            reason = include_problem(target, operand.text[0] == '"', self.roots)
            if reason:
                scan.add(IncludeViolation(line=at, form=f"#{name}", target=target, reason=reason))
            if leading and name == "include" and self.count == 3:
                if len(scan.leading_includes) < MAX_INCLUDES:
                    scan.leading_includes.append(target)
                return True
        return False

    def _check_name(self, j: int) -> None:
        """`__has_include`, `_Pragma`, pieces of them and basic-character UCNs at token `j`."""
        tok = self._tok(j)
        if tok is None or len(self.found) >= MAX_VIOLATIONS:
            return
        if tok.kind not in ("raw", "ucn") and (tok.kind != "ident" or tok.text not in _WATCHED):
            return
        after = [t for t in (self._tok(j + 1), self._tok(j + 2), self._tok(j + 3)) if t is not None]
        shown = " ".join(t.text for t in after)[:_TARGET]
        found = self.found.append
        if tok.kind == "raw":
            reason = "raw string literals are not checked (they keep line splices)"
            found(IncludeViolation(line=tok.line, form="raw string", target=tok.text, reason=reason))
        elif tok.kind == "ucn" and int(tok.text[2:], 16) < 0xA0:
            reason = "a universal character name for a basic character spells names the check cannot see"
            found(IncludeViolation(line=tok.line, form="universal character", target=tok.text, reason=reason))
        if tok.kind != "ident":
            return
        word = tok.text
        if word in _PIECES:
            reason = "token pasting could make `_Pragma` or `__has_include` from this"
            found(IncludeViolation(line=tok.line, form="identifier", target=word, reason=reason))
        elif word in _HEADER_OPERAND:
            if self._named_only(j):
                return
            operand = after[1] if len(after) == 3 and after[0].text == "(" else None
            if word == "__has_embed":
                reason = "__has_embed probes a file as data"
            elif operand is None or operand.kind != "header" or after[2].text != ")":
                reason = 'computed __has_include: only a literal <file> or "file" is checked'
            else:
                reason = include_problem(operand.text[1:-1], operand.text[0] == '"', self.roots)
            if reason:
                target = operand.text if operand is not None else shown
                found(IncludeViolation(line=tok.line, form=word, target=target, reason=reason))
        elif word == "__pragma":
            reason = "__pragma is a pragma the check does not read"
            found(IncludeViolation(line=tok.line, form=word, target=shown, reason=reason))
        elif word == "_Pragma":
            literal = after[1] if len(after) == 3 and after[0].text == "(" else None
            if literal is None or literal.kind != "string" or after[2].text != ")":
                reason = "_Pragma must take a plain string literal"
            else:
                reason = pragma_problem(islice(lex(_destringize(literal.text)), 4))
            if reason:
                found(IncludeViolation(line=tok.line, form="_Pragma", target=shown, reason=reason))

    def _named_only(self, j: int) -> bool:
        """`__has_include` only named (`defined(__has_include)`, `#ifdef __has_include`), not called."""
        head = self.head
        in_ifdef = head[0].kind == "hash" and len(head) > 1 and head[1].text in ("ifdef", "ifndef", "undef")
        if in_ifdef and j == 2:
            return True
        before = [t.text for t in (self._tok(j - 2), self._tok(j - 1)) if t is not None]
        return before[-1:] == ["defined"] or before == ["defined", "("]


def pragma_problem(tokens: Iterable[Tok]) -> str | None:
    """Why a pragma (its tokens after `pragma`) is refused, or None."""
    words = []
    for tok in tokens:
        if tok.kind == "ucn":
            return "a universal character name in a pragma spells words the check cannot see"
        if tok.kind != "ident" or len(words) == 3:
            break
        words.append(tok.text)
    if words[:1] == ["GCC"] and words[1:2] in (["dependency"], ["pch_preprocess"]):
        return f"#pragma GCC {words[1]} reads a file"
    if (
        words[:1] in (["GCC"], ["clang"])
        and words[1:2] == ["diagnostic"]
        and words[2:3] in (["ignored"], ["warning"])
    ):
        return "turning diagnostics off or into warnings would hide the errors the check relies on"
    return None


def include_problem(name: str, quoted: bool, roots: IncludeRoots) -> str | None:
    """Why including `name` is refused, or None; follows the compiler's search order."""
    if not name:
        return None
    if name.startswith("/"):
        return "absolute path"
    allowed = roots.quote_dirs + roots.include_dirs
    for base in (roots.quote_dirs if quoted else ()) + roots.include_dirs:
        real = Path(os.path.realpath(os.path.join(base, name)))
        if not any(real == root or root in real.parents for root in allowed):
            return f"resolves outside the include roots (searched from {roots.label(base)})"
        try:
            mode = os.stat(real).st_mode
        except OSError:
            continue  # not there: the compiler looks in the next directory
        if stat.S_ISREG(mode):
            return None
        if not stat.S_ISDIR(mode):
            return "not a regular file (device, pipe or socket)"
    return None


def _destringize(literal: str) -> str:
    body = literal[literal.index('"') + 1 :]
    body = body[:-1] if body.endswith('"') else body
    return body.replace('\\"', '"').replace("\\\\", "\\")
