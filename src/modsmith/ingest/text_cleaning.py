"""Markdown and plain-text guides into sections (heading path + paragraphs); HTML is
`html_cleaning`'s. Markdown: `#` and setext headings, fenced code kept whole, front matter dropped.
Plain text: underlined or short ALL-CAPS headings, BBCode and a trailing signature removed."""

from __future__ import annotations

import re
import textwrap
from collections.abc import Iterator
from typing import Any

from modsmith.ingest.chunking import Section, SectionBuilder
from modsmith.ingest.html_cleaning import html_to_sections, strip_bbcode

Guide = tuple[str | None, list[Section]]  # (title, sections)

# ---------------------------------------------------------------- Markdown

_ATX = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
_SETEXT_MD = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_RULE = re.compile(r"^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_LIST_MARKER = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s")


def _front_matter_end(lines: list[str]) -> int:
    """Index of the first line after YAML (`---`) or TOML (`+++`) front matter; 0 when there is none."""
    if not lines or lines[0].strip() not in ("---", "+++"):
        return 0
    closers = ("---", "...") if lines[0].strip() == "---" else ("+++",)
    for index in range(1, len(lines)):
        if lines[index].strip() in closers:
            return index + 1
    return 0


def parse_markdown(text: str) -> Guide:
    """Markdown to sections: `#` and setext headings, fenced code kept whole, front matter dropped."""
    lines = text.splitlines()
    builder = SectionBuilder()
    title: str | None = None
    paragraph: list[str] = []
    start = 0
    fence: str | None = None

    def flush(end: int) -> None:
        body = "\n".join(paragraph).strip("\n")
        if body and not (body.startswith("<!--") and body.endswith("-->")):
            builder.paragraph(body, (start + 1, end))
        paragraph.clear()

    def heading(level: int, text: str) -> None:
        nonlocal title
        if text:
            builder.heading(level, text)
            if level == 1 and title is None:
                title = text

    for index in range(_front_matter_end(lines), len(lines)):
        line = lines[index].rstrip()
        if fence is not None:
            paragraph.append(line)
            if line.strip().startswith(fence) and set(line.strip()) == {fence[0]}:
                flush(index + 1)
                fence = None
            continue
        opening = _FENCE.match(line)
        atx = _ATX.match(line)
        if opening:
            flush(index)
            fence, start = opening.group(1), index
            paragraph.append(line)
        elif not line.strip():
            flush(index)
        elif atx:
            flush(index)
            heading(len(atx.group(1)), (atx.group(2) or "").strip())
        elif paragraph and _SETEXT_MD.match(line) and not _LIST_MARKER.match(paragraph[0]):
            text_lines = " ".join(part.strip() for part in paragraph)
            paragraph.clear()
            heading(1 if line.strip()[0] == "=" else 2, text_lines)
        elif _RULE.match(line):
            flush(index)
        else:
            if not paragraph:
                start = index
            paragraph.append(line)
    flush(len(lines))
    return title, builder.finish()


# ---------------------------------------------------------------- plain text

_UNDERLINE = re.compile(r"^\s*([=\-~*#_+^])\1{2,}\s*$")
_CAPS_PUNCTUATION = set(" '&:,./()[]#-!?")


def is_caps_heading(line: str) -> bool:
    """A short line in capitals (`NEUTRAL GAME`, `3. EDGE GUARDING:`), as plain-text guides head sections."""
    text = line.strip()
    letters = sum(c.isalpha() for c in text)
    return (
        letters >= 3
        and len(text) <= 60
        and len(text.split()) <= 8
        and all(c.isupper() or c.isdigit() or c in _CAPS_PUNCTUATION for c in text)
    )


def strip_trailing_signature(lines: list[str]) -> list[str]:
    """Drop a signature: a `--` line followed by at most four lines of text at the end of the file."""
    for index in range(len(lines) - 1, max(-1, len(lines) - 12), -1):
        if lines[index].rstrip() == "--":
            if sum(1 for line in lines[index + 1 :] if line.strip()) <= 4:
                return lines[:index]
            break
    return lines


def parse_plain_text(text: str) -> Guide:
    """Plain text to sections, BBCode and a trailing `--` signature removed.

    Headings: a line opening its block and underlined (maybe overlined too) with `===`, `---`, `~~~`
    and the like, or a short ALL-CAPS line standing alone between blank lines. As in
    reStructuredText, heading levels follow the order in which each style first appears. The title
    is the first heading when the text opens with it and its style is not used again.
    """
    lines = strip_trailing_signature(strip_bbcode(text, keep_lines=True).splitlines())
    items: list[tuple[str, Any, Any]] = []  # ("heading", style, text) or ("paragraph", text, span)
    block: list[tuple[int, str]] = []
    for number, line in enumerate([*lines, ""], 1):
        if line.strip():
            block.append((number, line.rstrip()))
        elif block:
            items.extend(_plain_block(block))
            block = []

    styles: list[str] = []
    for kind, style, _ in items:
        if kind == "heading" and style not in styles:
            styles.append(style)
    title = None
    if items and items[0][0] == "heading":
        uses = sum(1 for kind, style, _ in items if kind == "heading" and style == items[0][1])
        title = items[0][2] if uses == 1 else None

    builder = SectionBuilder()
    for kind, a, b in items:
        if kind == "heading":
            builder.heading(styles.index(a) + 1, b)
        else:
            builder.paragraph(a, b)
    return title, builder.finish()


def _plain_block(block: list[tuple[int, str]]) -> Iterator[tuple[str, Any, Any]]:
    """Split one blank-line-separated block into headings and paragraphs."""
    if len(block) == 1 and is_caps_heading(block[0][1]):
        yield "heading", "CAPS", block[0][1].strip().rstrip(":").strip()
        return
    pending: list[tuple[int, str]] = []
    index = 0
    while index < len(block):
        number, line = block[index]
        underline = _UNDERLINE.match(block[index + 1][1]) if index + 1 < len(block) else None
        if underline and not pending and not _UNDERLINE.match(line) and len(line.strip()) <= 80:
            overlined = index > 0 and bool(_UNDERLINE.match(block[index - 1][1]))
            style = ("over" if overlined else "") + underline.group(1)
            yield "heading", style, line.strip()
            index += 2
        elif _UNDERLINE.match(line):
            yield from _plain_paragraph(pending)  # a separator line, or the overline of a heading
            pending = []
            index += 1
        else:
            pending.append((number, line))
            index += 1
    yield from _plain_paragraph(pending)


def _plain_paragraph(lines: list[tuple[int, str]]) -> Iterator[tuple[str, Any, Any]]:
    if lines:
        body = textwrap.dedent("\n".join(line for _, line in lines)).strip("\n")
        yield "paragraph", body, (lines[0][0], lines[-1][0])


def parse_guide(text: str, lang: str) -> Guide:
    """Clean one decoded file of language "markdown", "html" or "text" into (title, sections)."""
    if lang == "html":
        return html_to_sections(text)
    if lang == "markdown":
        return parse_markdown(text)
    return parse_plain_text(text)
