"""Finding the code in an Example: fenced blocks and identifier-like inline spans of chosen turns.

Fences are CommonMark's (``` or ~~~, at most three spaces of indent, closed by a fence of the same
character at least as long; an unclosed fence runs to the end of the message). The info string
picks the language: c/h/cpp/... is C, csharp/cs/C# is C#, anything else (python, bash, diff) is
not checked; an unlabelled block gets a cheap guess from C and C# hints. Inline spans in prose
are kept only when they look like a name a model could have invented: a call (`Foo()`), a member
access (`a->b`, `Type::member`), or an identifier with an underscore or CamelCase
(`MATRIX_NEWMTX`, `PlayState`) - plain words in backticks are left alone.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from modsmith.code.source_text import decode_source
from modsmith.errors import ModsmithError
from modsmith.records import Example

SpanLang = Literal["c", "csharp"]

_FENCE_LINE = re.compile(r"^[ ]{0,3}(`{3,}|~{3,})([^\n]*)$", re.M)
_C_INFO = {"c", "h", "cpp", "c++", "cc", "cxx", "hpp", "hh", "hxx", "objc"}
_CSHARP_INFO = {"csharp", "cs", "c#", "c-sharp", "unity"}
_C_HINTS = re.compile(
    r"^[ \t]*#[ \t]*(?:include|define|ifn?def|if|endif)\b|->|\b[su](?:8|16|32|64)\b|\bf(?:32|64)\b"
    r"|\btypedef\b|\bstruct[ \t]+\w|\bPlayState\b|\bGfx\b|\bNULL\b|\bunsigned\b|\bstatic[ \t]+\w+\*",
    re.M,
)
_CSHARP_HINTS = re.compile(
    r"\busing[ \t]+(?:UnityEngine|System)\b"
    r"|\bpublic[ \t]+(?:class|void|float|int|bool|string|override|static)\b"
    r"|\bprivate[ \t]+\w|\bvoid[ \t]+(?:Start|Update|Awake|FixedUpdate|LateUpdate|OnEnable|OnDisable)[ \t]*\("
    r"|\bMonoBehaviour\b|\bnew[ \t]+Vector[234]\b|\[SerializeField\]|\bGetComponent<|\bforeach[ \t]*\("
    r"|\bnamespace[ \t]+\w|\bvar[ \t]+\w+[ \t]*=|\bstring[ \t]+\w|\bIEnumerator\b|\bDebug\.Log\b",
)
_CODE_LIKE = re.compile(r"[;{}][ \t]*$", re.M)
_INLINE = re.compile(r"(?<!`)(`{1,2})(?!`)([^\n`]+?)(?<!`)\1(?!`)")
_INLINE_CALL = re.compile(r"[A-Za-z_]\w*[ \t]*\(.*\)")
_INLINE_ACCESS = re.compile(r"[A-Za-z_]\w*(?:(?:->|\.|::)[A-Za-z_]\w*)+(?:[ \t]*\(.*\))?")
_INLINE_NAME = re.compile(r"[A-Za-z_]\w*")
_CAMEL = re.compile(r"[a-z0-9][A-Z]|[A-Z]{2,}[a-z]")
_FILE_SUFFIXES = {
    "c", "h", "cs", "cpp", "hpp", "s", "o", "a", "so", "dll", "exe", "json", "jsonl", "yaml", "yml", "txt",
    "md", "py", "sh", "mk", "ld", "bin", "png", "zip", "z64", "n64", "gba", "lua", "xml", "asset", "prefab",
    "unity", "meta", "csproj", "sln", "toml", "ini", "cfg", "log", "inc",
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class CodeSpan:
    """A piece of code in one message: its text, language (None: not C or C#), fenced block or
    inline span, the message's index in `example.messages`, and where the text starts in the
    message (character offset and 1-based line)."""

    text: str
    lang: SpanLang | None
    kind: Literal["block", "inline"]
    message_index: int
    start_offset: int
    start_line: int = 1


def code_spans(
    example: Example, roles: Iterable[str] = ("assistant",), default_lang: SpanLang | None = "c"
) -> list[CodeSpan]:
    """Fenced blocks and identifier-like inline spans of the messages whose role is in `roles`.

    `default_lang` is used for unlabelled blocks that look like code but give no hint, and for
    inline spans of messages that have no C or C# block.
    """
    wanted = set(roles)
    spans: list[CodeSpan] = []
    for index, message in enumerate(example.messages):
        if message.role in wanted:
            spans.extend(spans_in_text(message.content, index, default_lang))
            if message.input:  # a user turn's separate input block (Alpaca's `input`)
                spans.extend(spans_in_text(message.input, index, default_lang))
    return spans


def spans_in_text(text: str, message_index: int = 0, default_lang: SpanLang | None = "c") -> list[CodeSpan]:
    """The code spans of one Markdown text (a message, a model's answer)."""
    blocks: list[CodeSpan] = []
    prose: list[tuple[int, str]] = []  # (offset, text) of the parts outside fences
    fence: tuple[str, int, str, int] | None = None  # char, length, info, body offset
    prose_start = 0
    for match in _FENCE_LINE.finditer(text) if ("```" in text or "~~~" in text) else ():
        marks, rest = match.group(1), match.group(2)
        if fence is None:
            if marks[0] == "`" and "`" in rest:
                continue  # not a fence: a backtick fence's info string has no backticks
            prose.append((prose_start, text[prose_start : match.start()]))
            fence = (marks[0], len(marks), rest, match.end() + 1)
        elif marks[0] == fence[0] and len(marks) >= fence[1] and not rest.strip():
            body_start = fence[3]
            body = text[body_start : match.start()] if match.start() > body_start else ""
            blocks.append(_block(text, body, fence[2], message_index, body_start, default_lang))
            fence = None
            prose_start = match.end() + 1
    if fence is not None:  # unclosed: the block runs to the end
        body_start = min(fence[3], len(text))
        blocks.append(_block(text, text[body_start:], fence[2], message_index, body_start, default_lang))
    else:
        prose.append((prose_start, text[prose_start:]))
    inline_lang = _dominant(blocks) or default_lang
    inline = [
        span
        for start, part in prose
        if "`" in part
        for span in _inline_spans(text, part, start, message_index, inline_lang)
    ]
    return sorted(blocks + inline, key=lambda s: s.start_offset)


def file_spans(path: str | Path) -> list[CodeSpan]:
    """A source file as one block: `.c`/`.h` is C, `.cs` is C#."""
    path = Path(path)
    suffix = path.suffix.lower()
    lang: SpanLang | None = "c" if suffix in (".c", ".h") else "csharp" if suffix == ".cs" else None
    if lang is None:
        raise ModsmithError("not a C or C# file", where=str(path), hint="name it .c, .h or .cs")
    try:
        text, _encoding = decode_source(path.read_bytes())
    except OSError as exc:
        raise ModsmithError(f"cannot read the file: {exc.strerror}", where=str(path)) from None
    return [CodeSpan(text, lang, "block", 0, 0, 1)]


def guess_language(code: str, default: SpanLang | None = "c") -> SpanLang | None:
    """C or C# from cheap textual hints; `default` when it looks like code but gives no hint."""
    c_score = len(_C_HINTS.findall(code))
    cs_score = len(_CSHARP_HINTS.findall(code))
    if cs_score > c_score:
        return "csharp"
    if c_score:
        return "c"
    return default if _CODE_LIKE.search(code) else None


def _block(
    text: str, body: str, info: str, message_index: int, start: int, default_lang: SpanLang | None
) -> CodeSpan:
    word = info.strip().split(maxsplit=1)[0].lower().lstrip(".{").rstrip("}") if info.strip() else ""
    if word in _C_INFO:
        lang: SpanLang | None = "c"
    elif word in _CSHARP_INFO:
        lang = "csharp"
    elif not word:
        lang = guess_language(body, default_lang)
    else:
        lang = None
    return CodeSpan(body, lang, "block", message_index, start, text.count("\n", 0, start) + 1)


def _dominant(blocks: list[CodeSpan]) -> SpanLang | None:
    counts = Counter(b.lang for b in blocks if b.lang is not None)
    return counts.most_common(1)[0][0] if counts else None


def _inline_spans(
    text: str, part: str, start: int, message_index: int, lang: SpanLang | None
) -> list[CodeSpan]:
    spans = []
    for match in _INLINE.finditer(part):
        code = match.group(2).strip()
        if not looks_like_api_use(code):
            continue
        offset = start + match.start(2) + (len(match.group(2)) - len(match.group(2).lstrip()))
        spans.append(CodeSpan(code, lang, "inline", message_index, offset, text.count("\n", 0, offset) + 1))
    return spans


def looks_like_api_use(code: str) -> bool:
    """True for `Foo()`, `a->b`, `Type::member`, `MATRIX_NEWMTX`, `PlayState`; False for plain words."""
    code = code.rstrip(";").strip()
    if _INLINE_CALL.fullmatch(code):
        return True
    if _INLINE_ACCESS.fullmatch(code):
        if "->" in code or "::" in code or "(" in code:
            return True
        return code.rsplit(".", 1)[1].lower() not in _FILE_SUFFIXES
    if _INLINE_NAME.fullmatch(code):
        return "_" in code.strip("_") or bool(_CAMEL.search(code)) or code.startswith("__")
    return False
