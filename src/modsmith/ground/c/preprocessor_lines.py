"""C preprocessor directives as the name check should see them: holding no name uses.

Nothing in `#include_next <stdio.h>`, `#import`, `#line`, `# 1 "file"`, `#pragma`, `#error` or
`#warning` text, `#ident`, `#assert`, `#undef` or `#embed` is a use of a name (`stdio.h` is no
member `h` of `stdio`). `blank_directives` finds every directive as the compiler does (at the start
of a line after blanks and comments, introduced by `#`, `%:` or `??=`, continued over line
splices and comments that span lines, never inside a comment or string) and blanks it, keeping
every newline and the length of the text so that positions and rows hold. Two kinds are kept in
a shape the name check reads: `#define` (it declares a macro) is only re-introduced by a plain
`#`, and a conditional (`#if`, `#ifdef`, `#elifndef`, `#else`, ...) becomes `#if 0`, `#elif 0`,
`#else` or `#endif`, so that tree-sitter still sees the branches it joins.
"""

from __future__ import annotations

import re

_BLANK = r"[ \t\f\v]"
#: A block comment, or one left open to the end; written so that it can match only one way
#: (a lazy `.*?` would be retried up to the end of the text at every line start).
_COMMENT = r"/\*[^*]*\*+(?:[^/*][^*]*\*+)*/|/\*(?:[^*]|\*(?!/))*\Z"
_LINE_COMMENT = r"//(?:[^\n\\]|\\.)*"
_LITERAL = r"\"(?:[^\"\\\n]|\\.)*\"?|'(?:[^'\\\n]|\\.)*'?"
_INTRODUCER = r"(?:#|%:|\?\?=)"
#: A directive from its line start to its end (splices and comments followed), or a comment or
#: literal stepped over so that nothing inside one is taken for a directive.
_SCAN = re.compile(
    rf"(?P<directive>^\ufeff?{_BLANK}*(?:(?:{_COMMENT}){_BLANK}*)*{_INTRODUCER}"
    rf"(?:[^\n\\/\"']|\\.|{_COMMENT}|{_LINE_COMMENT}|/|{_LITERAL})*)"
    rf"|{_COMMENT}|{_LINE_COMMENT}|{_LITERAL}",
    re.S | re.M,
)
_NAME = re.compile(
    rf"\ufeff?{_BLANK}*(?:(?:{_COMMENT}){_BLANK}*)*{_INTRODUCER}(?:{_BLANK}|{_COMMENT}|\\\r?\n)*(\w*)", re.S
)
_LONE_CR = re.compile(r"\r(?!\n)")
_CONDITIONALS = {
    "if": "if 0",
    "ifdef": "if 0",
    "ifndef": "if 0",
    "elif": "elif 0",
    "elifdef": "elif 0",
    "elifndef": "elif 0",
    "else": "else",
    "endif": "endif",
}


def blank_directives(text: str) -> str:
    """`text` with its directives blanked or reduced (see the module doc); same length and rows.

    A lone `\r` ends a line for the compiler, so it becomes `\n` (a directive may follow it).
    """
    if "#" not in text and "%:" not in text and "??=" not in text:
        return text
    if "\r" in text:
        text = _LONE_CR.sub("\n", text)
    return _SCAN.sub(_replace, text)


def _replace(match: re.Match[str]) -> str:
    text = match.group("directive")
    if text is None:
        return match.group()  # a comment or a literal: the screen blanks those itself
    spelled = _NAME.match(text)
    head, name = spelled.start(1), spelled.group(1)
    if "\n" in text[:head] or not (name == "define" or name in _CONDITIONALS):
        return _blank(text)  # also a kept directive whose name a splice or a comment breaks
    if name == "define":
        return " " * (head - 1) + "#" + text[head:]
    return _reduced(text, head, _CONDITIONALS[name])


def _reduced(text: str, head: int, keyword: str) -> str:
    """`#keyword` in place of the directive's name and operands, when they fit on its first line."""
    rest = text[head:]
    first_line = rest.find("\n")
    first_line = len(rest) if first_line == -1 else first_line
    if len(keyword) > first_line:
        return _blank(text)
    return " " * (head - 1) + "#" + keyword.ljust(first_line) + _blank(rest[first_line:])


def _blank(text: str) -> str:
    return "".join("\n" if ch == "\n" else " " for ch in text)
