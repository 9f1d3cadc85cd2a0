"""What a C# source may ask of mcs before it is compiled.

mcs honours three assembly attributes that reach outside the scratch directory: `AssemblyKeyFile`
opens and reads a path (a FIFO blocks it until the wall timeout, `/dev/zero` crashes mono with its
stack in the output, any other file is probed), `AssemblyKeyName` reads, and creates, a key pair in
the user's `~/.config/.mono/keypairs`, and `AssemblyDelaySign` changes what is done with either.
Rather than parse attributes (aliases, `@` names, `\\u0046`-escaped letters, comments between tokens,
concatenated or constant arguments all reach the same attribute), a source that *mentions* one of
these names anywhere is refused: the text is searched after decoding unicode escapes (repeatedly),
NFKC normalisation, dropping format characters (U+200B and the like) and case folding. Generated
Unity code has no use for strong-name signing, so the price is nil.

Two directives name files and are taken out, their line kept empty so every position holds:
`#line` (which would rename the source in mcs's messages and move or hide its errors) and
`#pragma checksum`. mcs ends a line at `\\n`, `\\r\\n`, `\\r`, U+2028 and U+2029 and reads unicode
escapes in directive names (`#l\\u0069ne`); `normalise_line_ends` first turns every line end into
`\\n`, which changes nothing for mcs and lets tree-sitter count lines as mcs does.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

#: Attributes that make mcs open a path or a key container (with or without `Attribute`).
KEY_ATTRIBUTES = ("AssemblyKeyFile", "AssemblyKeyName", "AssemblyDelaySign")

_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_LINE_END = re.compile(r"\r\n?|[\u2028\u2029]")
#: A line whose first non-blank character is `#` (U+0085 also ends a line for C#, not for mcs).
_DIRECTIVE = re.compile(r"(?:^|(?<=\x85))[^\S\n\x85]*#[^\n\x85]*", re.M)
_DIRECTIVE_NAME = re.compile(r"#[^\S\n]*(\w*)[^\S\n]*(\w*)")


@dataclass(frozen=True)
class ForbiddenAttribute:
    """A key attribute a source mentions: which, and on which (1-based) line."""

    name: str
    line: int

    @property
    def detail(self) -> str:
        return (
            f"line {self.line}: {self.name} is refused before compiling "
            "(strong-name signing attributes make mcs open host files or key containers)"
        )


def normalise_line_ends(source: str) -> str:
    """Every line end mcs knows (`\\r\\n`, `\\r`, U+2028, U+2029) as `\\n`."""
    return _LINE_END.sub("\n", source) if not source.isascii() or "\r" in source else source


def decode_escapes(text: str) -> str:
    """`\\uXXXX` and `\\UXXXXXXXX` decoded, again and again until none is left (invalid ones stay)."""
    while "\\" in text:
        decoded = _ESCAPE.sub(_escaped_char, text)
        if decoded == text:
            break
        text = decoded
    return text


def _escaped_char(match: re.Match[str]) -> str:
    code = int(match.group(1) or match.group(2), 16)
    return chr(code) if code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else match.group()


def _folded(text: str) -> str:
    """The text as searched: escapes decoded, NFKC, format characters dropped, case folded."""
    text = decode_escapes(text)
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text)
        dropped = {ord(ch): None for ch in set(text) if unicodedata.category(ch) == "Cf"}
        text = text.translate(dropped)
    return text.casefold()


_FOLDED_NAMES = [(name, name.casefold()) for name in KEY_ATTRIBUTES]


def forbidden_attribute(source: str) -> ForbiddenAttribute | None:
    """The first key attribute `source` mentions (see the module doc), or None."""
    folded = _folded(source)
    if not any(key in folded for _, key in _FOLDED_NAMES):
        return None
    # Identifiers never span lines, so the line of the first mention is found line by line.
    for number, line in enumerate(normalise_line_ends(source).split("\n"), start=1):
        folded_line = _folded(line)
        for name, key in _FOLDED_NAMES:
            if key in folded_line:
                return ForbiddenAttribute(name, number)
    name = next(name for name, key in _FOLDED_NAMES if key in folded)  # an escaped line end joined it
    return ForbiddenAttribute(name, 1)


def strip_file_directives(source: str) -> str:
    """`source` (line ends normalised) without `#line` and `#pragma checksum` lines, however spelt."""
    if "#" not in source:
        return source
    return _DIRECTIVE.sub(_strip_directive, source)


def _strip_directive(match: re.Match[str]) -> str:
    text = match.group()
    spelled = _DIRECTIVE_NAME.search(decode_escapes(text))
    if spelled is None:
        return text
    name, argument = spelled.group(1).lower(), spelled.group(2).lower()
    if name.startswith("line") or (name == "pragma" and argument.startswith("checksum")):
        return ""
    return text
