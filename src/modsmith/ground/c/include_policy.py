"""What a C snippet may make the compiler read, decided before the compiler starts.

The compiler only ever sees the text modsmith writes for it: `clean_source` makes that text (NULs,
which gcc ignores, as spaces; CR LF and lone CR, the other line ends gcc knows, as LF; byte-order
marks at its start dropped, as gcc drops one; lone surrogates as U+FFFD, so that writing it as UTF-8
changes nothing). The rules lex that text as the compiler lexes it, in the `Dialect` the profile's
`-std` gives (`c_lexing`), splitting finer where the compiler's split depends on tables the lexer
does not keep, so any name the compiler may see, the rules see too. Every form that names a file
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
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path

from pydantic import BaseModel

from modsmith.ground.c.c_lexing import (
    HAS_INCLUDE,
    HEADER_OPERAND,
    INCLUDE_DIRECTIVES,
    Dialect,
    Tok,
    lex,
    views,
)

DANGEROUS_NAMES = ("_Pragma", "__pragma", *HAS_INCLUDE, "__has_embed")
_PIECES = {name[:i] for name in DANGEROUS_NAMES for i in range(1, len(name))} - set(DANGEROUS_NAMES)
_WATCHED = _PIECES | set(DANGEROUS_NAMES)
MAX_VIOLATIONS = 50  # kept per scan: one is enough to refuse, a few help the user
MAX_INCLUDES = 256  # includes kept: whether there are any, and the first few, is what matters
_HEAD = 5  # tokens of a line the directive checks look at
_TARGET = 200  # characters of a refused form shown

_DIGIT_SEPARATOR = re.compile(r"[0-9]'[0-9A-Za-z_]")
_SURROGATE = re.compile("[\ud800-\udfff]")


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


@dataclass
class SnippetScan:
    """What the scan found: violations, and the snippet's own includes as (line, name)."""

    violations: list[IncludeViolation] = field(default_factory=list)
    includes: list[tuple[int, str]] = field(default_factory=list)
    leading_includes: list[str] = field(default_factory=list)

    def add(self, violation: IncludeViolation) -> None:
        if len(self.violations) < MAX_VIOLATIONS:
            self.violations.append(violation)


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
    for view in views(source, dialect):
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
        elif word in HEADER_OPERAND:
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
