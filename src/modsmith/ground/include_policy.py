"""What a C snippet may make the compiler read, decided before the compiler starts.

The snippet is lexed as the C preprocessor lexes it (line splices, also with spaces before the
newline; comments, which may join lines inside a directive; header names; digraphs) and every
form that names a file is checked:

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
  `system_header`, which is ignored in a main file). `_Pragma` must take a plain string literal.
- Token pasting can spell `_Pragma` or `__has_include` from pieces a macro glues together; every
  such paste needs an identifier that is a proper prefix of one of those names (`_Pra`, `__has_`),
  so such identifiers are refused wherever they appear.
- Raw string literals (`R"(...)"`, gnu99 and later) keep splices and could hide lines from this
  lexer; they are refused.

Trigraphs (`??=`) and C23 digit separators (`1'000`) change lexing only under some standards, so a
snippet that has either is scanned both ways and must pass both.
"""

from __future__ import annotations

import bisect
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from pydantic import BaseModel

INCLUDE_DIRECTIVES = ("include", "include_next", "import")
HAS_INCLUDE = ("__has_include", "__has_include_next")
DANGEROUS_NAMES = ("_Pragma", "__has_include", "__has_include_next", "__has_embed")
_PIECES = {name[:i] for name in DANGEROUS_NAMES for i in range(1, len(name))} - set(DANGEROUS_NAMES)
_STRING_PREFIXES = {"L", "u", "U", "u8"}
_RAW_PREFIXES = {"R", "LR", "uR", "UR", "u8R"}
_TRIGRAPHS = {"=": "#", "/": "\\", "'": "^", "(": "[", ")": "]", "!": "|", "<": "{", ">": "}", "-": "~"}

_SPLICE = re.compile(r"\\[ \t\f\v]*\n")
_TRIGRAPH = re.compile(r"\?\?([=/'()!<>\-])")
_DIGIT_SEPARATOR = re.compile(r"[0-9]'[0-9A-Za-z_]")
_IDENT = re.compile(
    r"(?:[A-Za-z_$]|[^\x00-\x7f]|\\[uU][0-9A-Fa-f]{4})(?:[\w$]|[^\x00-\x7f]|\\[uU][0-9A-Fa-f]{4})*"
)
_NUMBER = re.compile(r"\.?[0-9](?:[eEpP][+-]|[\w.$])*")
_NUMBER_SEPARATED = re.compile(r"\.?[0-9](?:[eEpP][+-]|'[0-9A-Za-z_]|[\w.$])*")
_STRING = {'"': re.compile(r'"(?:[^"\\\n]|\\.)*"?'), "'": re.compile(r"'(?:[^'\\\n]|\\.)*'?")}
_HEADER = {'"': re.compile(r'"[^"\n]*"?'), "<": re.compile(r"<[^>\n]*>?")}


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
        return "the snippet's directory"


@dataclass
class SnippetScan:
    """What the scan found: violations, and the snippet's own includes as (line, name)."""

    violations: list[IncludeViolation] = field(default_factory=list)
    includes: list[tuple[int, str]] = field(default_factory=list)
    leading_includes: list[str] = field(default_factory=list)


class Tok(NamedTuple):
    kind: str  # ident, number, string, header, punct, hash, nl, raw
    text: str
    line: int


def clean_source(text: str) -> str:
    """The text the compiler gets: NUL bytes (which gcc ignores) as spaces, CR LF and lone CR as LF."""
    return text.replace("\0", " ").replace("\r\n", "\n").replace("\r", "\n")


def scan_snippet(source: str, roots: IncludeRoots) -> SnippetScan:
    """Check a cleaned snippet (see `clean_source`) against the rules in this module's doc."""
    views = [source]
    if "??" in source:
        views.append(_TRIGRAPH.sub(lambda m: _TRIGRAPHS[m.group(1)], source))
    separators = [False, True] if _DIGIT_SEPARATOR.search(source) else [False]
    scan = SnippetScan()
    seen: set[tuple[int, str, str]] = set()
    for index, view in enumerate(views):
        for separated in separators:
            tokens = lex(view, digit_separators=separated)
            found = _scan_tokens(tokens, roots)
            if index == 0 and not separated:
                scan.includes, scan.leading_includes = found.includes, found.leading_includes
            for violation in found.violations:
                key = (violation.line, violation.form, violation.reason)
                if key not in seen:
                    seen.add(key)
                    scan.violations.append(violation)
    scan.violations.sort(key=lambda v: v.line)
    return scan


def lex(text: str, *, digit_separators: bool = False) -> list[Tok]:
    """Preprocessing tokens of `text` with their original lines; comments dropped, lines kept."""
    spliced, line_of = _splice(text)
    number = _NUMBER_SEPARATED if digit_separators else _NUMBER
    tokens: list[Tok] = []
    i, n = 0, len(spliced)
    bol, header_next, directive = True, False, None
    while i < n:
        c = spliced[i]
        if c == "\n":
            tokens.append(Tok("nl", "\n", line_of(i)))
            bol, header_next, directive = True, False, None
            i += 1
            continue
        if c in " \t\f\v":
            i += 1
            continue
        if spliced.startswith("/*", i):
            end = spliced.find("*/", i + 2)
            i = n if end < 0 else end + 2
            continue
        if spliced.startswith("//", i):
            end = spliced.find("\n", i)
            i = n if end < 0 else end
            continue
        line = line_of(i)
        if header_next and c in _HEADER:
            m = _HEADER[c].match(spliced, i)
            tokens.append(Tok("header", m.group(), line))
            i, bol, header_next = m.end(), False, False
            continue
        header_next = False
        if c == "#" or spliced.startswith("%:", i):
            width = 1 if c == "#" else 2
            if spliced.startswith("#", i + width) if width == 1 else spliced.startswith("%:", i + width):
                tokens.append(Tok("punct", "##", line))
                i += 2 * width
            else:
                tokens.append(Tok("hash" if bol else "punct", "#", line))
                directive = "" if bol else directive
                i += width
            bol = False
            continue
        bol = False
        m = _IDENT.match(spliced, i)
        if m:
            word, end = m.group(), m.end()
            quote = spliced[end : end + 1]
            if quote == '"' and word in _RAW_PREFIXES:
                tokens.append(Tok("raw", word + '"', line))
                break  # from here on this lexer and the compiler may disagree: the scan refuses it
            if quote in _STRING and word in _STRING_PREFIXES:
                s = _STRING[quote].match(spliced, end)
                tokens.append(Tok("string", word + s.group(), line))
                i = s.end()
                continue
            tokens.append(Tok("ident", word, line))
            if directive == "":
                directive = word
                header_next = word in INCLUDE_DIRECTIVES or word == "embed"
            i = end
            continue
        m = number.match(spliced, i)
        if m:
            tokens.append(Tok("number", m.group(), line))
            directive = "#" if directive == "" else directive
            i = m.end()
            continue
        if c in _STRING:
            s = _STRING[c].match(spliced, i)
            tokens.append(Tok("string", s.group(), line))
            i = s.end()
            continue
        tokens.append(Tok("punct", c, line))
        if c == "(" and len(tokens) > 1 and tokens[-2].kind == "ident" and tokens[-2].text in HAS_INCLUDE:
            header_next = True
        i += 1
    return tokens


def _splice(text: str):
    """`text` without line splices, and a function from a position in it to the original line."""
    pieces: list[str] = []
    removed: list[int] = []  # positions in the spliced text where a splice was taken out
    start = length = 0
    for m in _SPLICE.finditer(text):
        pieces.append(text[start : m.start()])
        length += m.start() - start
        removed.append(length)
        start = m.end()
    pieces.append(text[start:])
    spliced = "".join(pieces)
    newlines = [m.start() for m in re.finditer("\n", spliced)]

    def line_of(pos: int) -> int:
        return 1 + bisect.bisect_left(newlines, pos) + bisect.bisect_right(removed, pos)

    return spliced, line_of


def _scan_tokens(tokens: list[Tok], roots: IncludeRoots) -> SnippetScan:
    scan = SnippetScan()
    leading = True
    for line_tokens in _lines(tokens):
        first = line_tokens[0]
        if first.kind == "hash":
            directive = line_tokens[1] if len(line_tokens) > 1 else None
            leading = _check_directive(line_tokens, directive, roots, scan, leading)
        else:
            leading = False
        _check_names(line_tokens, roots, scan)
    return scan


def _lines(tokens: list[Tok]):
    line: list[Tok] = []
    for tok in tokens:
        if tok.kind == "nl":
            if line:
                yield line
            line = []
        else:
            line.append(tok)
    if line:
        yield line


def _check_directive(
    line: list[Tok], directive: Tok | None, roots: IncludeRoots, scan: SnippetScan, leading: bool
) -> bool:
    """Checks one directive line; returns whether the snippet still starts with includes only."""
    if directive is None:
        return leading
    add = scan.violations.append
    name, at = directive.text, directive.line
    if directive.kind == "number" or name == "line":
        add(
            IncludeViolation(
                line=at,
                form="#line",
                target=" ".join(t.text for t in line[1:])[:200],
                reason="#line and line markers forge file names and lines",
            )
        )
    elif name == "embed":
        add(
            IncludeViolation(
                line=at, form="#embed", target=_rest(line, 2), reason="#embed reads a file as data"
            )
        )
    elif name == "pragma":
        reason = pragma_problem(line[2:])
        if reason:
            add(IncludeViolation(line=at, form="#pragma", target=_rest(line, 2), reason=reason))
    elif name in INCLUDE_DIRECTIVES:
        operand = line[2] if len(line) > 2 else None
        if operand is None:
            return False
        closed = len(operand.text) > 1 and operand.text[-1] == {'"': '"', "<": ">"}.get(operand.text[0])
        if operand.kind != "header" or not closed:
            add(
                IncludeViolation(
                    line=at,
                    form=f"#{name}",
                    target=_rest(line, 2),
                    reason='computed or malformed include: only <file> or "file" is checked',
                )
            )
            return False
        target = operand.text[1:-1]
        scan.includes.append((at, target))
        reason = include_problem(target, operand.text[0] == '"', roots)
        if reason:
            add(IncludeViolation(line=at, form=f"#{name}", target=target, reason=reason))
        if leading and name == "include" and len(line) == 3:
            scan.leading_includes.append(target)
            return True
    return False


def _check_names(line: list[Tok], roots: IncludeRoots, scan: SnippetScan) -> None:
    """`__has_include`, `_Pragma` and pieces of them anywhere on the line."""
    in_ifdef = line[0].kind == "hash" and len(line) > 1 and line[1].text in ("ifdef", "ifndef", "undef")
    for j, tok in enumerate(line):
        if tok.kind == "raw":
            scan.violations.append(
                IncludeViolation(
                    line=tok.line,
                    form="raw string",
                    target=tok.text,
                    reason="raw string literals are not checked (they keep line splices)",
                )
            )
            continue
        if tok.kind != "ident":
            continue
        word = tok.text
        if word in _PIECES:
            scan.violations.append(
                IncludeViolation(
                    line=tok.line,
                    form="identifier",
                    target=word,
                    reason="token pasting could make `_Pragma` or `__has_include` from this",
                )
            )
        elif word in ("__has_include", "__has_include_next", "__has_embed"):
            if _named_only(line, j, in_ifdef):
                continue
            operand = line[j + 2] if j + 3 < len(line) and line[j + 1].text == "(" else None
            if word == "__has_embed":
                reason = "__has_embed probes a file as data"
            elif operand is None or operand.kind != "header" or line[j + 3].text != ")":
                reason = 'computed __has_include: only a literal <file> or "file" is checked'
            else:
                reason = include_problem(operand.text[1:-1], operand.text[0] == '"', roots)
            if reason:
                target = operand.text if operand is not None else _rest(line, j + 1)
                scan.violations.append(
                    IncludeViolation(line=tok.line, form=word, target=target, reason=reason)
                )
        elif word == "_Pragma":
            literal = line[j + 2] if j + 3 < len(line) and line[j + 1].text == "(" else None
            if literal is None or literal.kind != "string" or line[j + 3].text != ")":
                reason = "_Pragma must take a plain string literal"
            else:
                reason = pragma_problem(lex(_destringize(literal.text)))
            if reason:
                scan.violations.append(
                    IncludeViolation(line=tok.line, form="_Pragma", target=_rest(line, j + 1), reason=reason)
                )


def _named_only(line: list[Tok], j: int, in_ifdef: bool) -> bool:
    """`__has_include` only named (`defined(__has_include)`, `#ifdef __has_include`), not called."""
    if in_ifdef and j == 2:
        return True
    before = [t.text for t in line[max(0, j - 2) : j]]
    return before[-1:] == ["defined"] or before == ["defined", "("]


def pragma_problem(tokens: list[Tok]) -> str | None:
    """Why a pragma (its tokens after `pragma`) is refused, or None."""
    words = []
    for tok in tokens:
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


def _rest(line: list[Tok], start: int) -> str:
    return " ".join(t.text for t in line[start:])[:200]
