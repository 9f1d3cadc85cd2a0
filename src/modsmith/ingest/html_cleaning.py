"""Turning a web page or forum post into clean sections: the guide text without the page around it.

Removed: scripts, styles, navigation, headers and footers, sidebars, forms, ads and cookie banners
(by tag, by ARIA role, and by class/id words such as `sidebar`, `breadcrumb`, `signature`,
`post-meta`);
quote chains (`<blockquote>`, `[quote]...[/quote]`, nested); BBCode markup (its text is kept,
images dropped); signatures after a `--` line at the end of a post. Kept: headings, as the
heading path of each section, paragraphs, lists as `- ` lines, tables as `a | b` lines, `<pre>` as is.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Iterable

from bs4 import BeautifulSoup, Comment, Declaration, Doctype, NavigableString, ProcessingInstruction, Tag

from modsmith.ingest.chunking import Section, SectionBuilder

# ---------------------------------------------------------------- BBCode

_DROPPED = ("img", "youtube", "video", "media", "attach", "attachment")
_TEXT_TAGS = (
    "b", "i", "u", "s", "strike", "color", "colour", "size", "font", "center", "left", "right",
    "justify", "url", "email", "spoiler", "code", "list", "sub", "sup", "indent", "highlight", "h",
    "noparse", "pre",
)  # fmt: skip
# A parameter (`=...`) stops at a bracket, so no tag can make the scan read on to the end of the text.
_NAMES = "|".join(sorted(("quote", *_DROPPED, *_TEXT_TAGS), key=len, reverse=True))
_TAG = re.compile(rf"\[(?:/({_NAMES})|({_NAMES})(?:=[^\]\[]*)?)\]", re.IGNORECASE)
_LIST_ITEM = re.compile(r"\[\*\][ \t]*")
Span = tuple[int, int]


def strip_bbcode(text: str, item_prefix: str = "\n- ", keep_lines: bool = False) -> str:
    """Remove BBCode: quote chains and images with their content; other tags keep their text.

    Tags are only removed in matching pairs (`[b]..[/b]`), so code such as `a[i] = b[i]` is left
    alone; a closing tag pairs with the nearest open tag of its name. Quote tags left unpaired
    are removed, their text kept. `[*]` list items become `item_prefix` (`"<br>- "` inside HTML;
    `- ` with `keep_lines`). With `keep_lines`, removed content becomes as many line breaks as it
    spanned, so line numbers hold. One pass over the tags for each step: time is linear in the text.
    """
    tags = [(m.start(), m.end(), bool(m[1]), (m[1] or m[2]).lower()) for m in _TAG.finditer(text)]
    quotes = [tag for tag in tags if tag[3] == "quote"]
    pairs = _pairs(quotes)
    paired = {tag for pair in pairs for tag in pair}
    unpaired = [(tag[0], tag[1]) for tag in quotes if tag not in paired]  # never inside a pair
    cut = sorted(_outermost([(opening[0], closing[1]) for opening, closing in pairs]) + unpaired)
    text, tags = _remove(text, tags, cut, keep_lines)

    cut = _first_closed(tag for tag in tags if tag[3] in _DROPPED)
    text, tags = _remove(text, tags, cut, keep_lines)

    pairs = _pairs(tag for tag in tags if tag[3] in _TEXT_TAGS)
    text, _ = _remove(text, [], sorted((t[0], t[1]) for pair in pairs for t in pair), keep_lines)
    return _LIST_ITEM.sub("- " if keep_lines else item_prefix, text)


BBTag = tuple[int, int, bool, str]  # start, end, closing, lower-case name


def _pairs(tags: Iterable[BBTag]) -> list[tuple[BBTag, BBTag]]:
    """(opening, closing) pairs: each closing tag takes the nearest open tag of its name."""
    open_tags: dict[str, list[BBTag]] = {}
    pairs = []
    for tag in tags:
        stack = open_tags.setdefault(tag[3], [])
        if not tag[2]:
            stack.append(tag)
        elif stack:
            pairs.append((stack.pop(), tag))
    return pairs


def _outermost(spans: list[Span]) -> list[Span]:
    """The spans not inside another (spans from nested pairs never cross)."""
    kept: list[Span] = []
    for start, end in sorted(spans):
        if not kept or start >= kept[-1][1]:
            kept.append((start, end))
    return kept


def _first_closed(tags: Iterable[BBTag]) -> list[Span]:
    """Spans from an open tag to the first closing tag of its name after it, left to right, going on
    after each span: what the regex `[img].*?[/img]` matches, without rescanning the text."""
    tags = list(tags)
    closings: dict[str, deque[int]] = {}  # name -> indexes of its closing tags, in order
    for index, tag in enumerate(tags):
        if tag[2]:
            closings.setdefault(tag[3], deque()).append(index)
    spans: list[Span] = []
    for index, (start, _, closing, name) in enumerate(tags):
        later = closings.get(name)
        while later and later[0] < index:
            later.popleft()
        if not closing and later and not (spans and start < spans[-1][1]):
            spans.append((start, tags[later[0]][1]))
    return spans


def _remove(text: str, tags: list[BBTag], spans: list[Span], keep_lines: bool) -> tuple[str, list[BBTag]]:
    """`text` without `spans` (sorted, not overlapping), and the `tags` outside them, moved along."""
    if not spans:
        return text, tags
    parts: list[str] = []
    kept: list[BBTag] = []
    position = removed = 0
    index = 0
    for start, end in spans:
        parts.append(text[position:start])
        while index < len(tags) and tags[index][0] < start:
            if tags[index][0] >= position:
                tag = tags[index]
                kept.append((tag[0] - removed, tag[1] - removed, tag[2], tag[3]))
            index += 1
        gone = "\n" * text.count("\n", start, end) if keep_lines else ""
        parts.append(gone)
        removed += end - start - len(gone)
        position = end
    parts.append(text[position:])
    for tag in tags[index:]:
        if tag[0] >= position:
            kept.append((tag[0] - removed, tag[1] - removed, tag[2], tag[3]))
    return "".join(parts), kept


# ---------------------------------------------------------------- page furniture

_NOISE_TAGS = (
    "script", "style", "noscript", "template", "nav", "footer", "aside", "form", "iframe",
    "svg", "canvas", "object", "embed", "button", "select", "input", "textarea", "blockquote",
)  # fmt: skip
_NOISE_ROLES = {"navigation", "banner", "contentinfo", "complementary", "search", "menu", "menubar"}
_NOISE_WORDS = {
    "nav", "navbar", "navigation", "topnav", "subnav", "sidenav", "sidebar", "menu", "menubar",
    "breadcrumb", "breadcrumbs", "signature", "sig", "footer", "ad", "ads", "advert", "adverts",
    "advertisement", "sponsor", "sponsored", "cookie", "cookies", "consent", "gdpr", "share",
    "social", "quote", "quotes", "quotebox", "bbquote", "popup", "meta", "postmeta", "byline",
    "postinfo", "postprofile", "userinfo", "timestamp",
}  # fmt: skip
_STATE_PREFIXES = ("has-", "no-", "with-", "is-", "show-")
_NOT_TEXT = (Comment, Declaration, Doctype, ProcessingInstruction)
_NEVER_REMOVED = {"html", "body", "main", "article"}
_WORD_SPLIT = re.compile(r"[^a-z0-9]+")


def is_page_furniture(tag: Tag) -> bool:
    """Whether an element is navigation, sidebar, signature, ads, quotes or the like, not content."""
    if tag.name in _NEVER_REMOVED:
        return False
    if tag.name in _NOISE_TAGS:
        return True
    if tag.name == "header" and tag.find_parent(["article", "main"]) is None:
        return True  # a site header; an article's own header keeps its title
    if str(tag.get("role", "")).lower() in _NOISE_ROLES:
        return True
    if tag.has_attr("hidden") or "display:none" in str(tag.get("style", "")).replace(" ", "").lower():
        return True
    names = [*tag.get("class", []), str(tag.get("id") or "")]
    for name in names:
        name = name.lower()
        if name.startswith(_STATE_PREFIXES):
            continue  # "has-sidebar" describes the element, it is not the sidebar
        if any(word in _NOISE_WORDS for word in _WORD_SPLIT.split(name)):
            return tag.find(["h1", "main", "article"]) is None
    return False


def remove_page_furniture(soup: BeautifulSoup) -> None:
    """Delete comments and every element `is_page_furniture` flags, in place."""
    for node in soup.find_all(string=lambda s: isinstance(s, _NOT_TEXT)):
        node.extract()
    for tag in soup.find_all(True):
        if not tag.decomposed and is_page_furniture(tag):
            tag.decompose()


_POST_CONTAINERS = ("div", "article", "section", "td", "li")


def remove_signatures(soup: BeautifulSoup) -> None:
    """Delete everything after a `--` signature line, up to the end of the post that holds it."""
    for node in list(soup.find_all(string=True)):
        if node.parent is None or not _is_signature_delimiter(node):
            continue
        container = node.find_parent(_POST_CONTAINERS)
        current: Tag | NavigableString = node
        while current is not None and current is not container:
            parent = current.parent
            for sibling in list(current.next_siblings):
                sibling.extract()
            if container is None:
                break
            current = parent
        node.extract()


def _is_signature_delimiter(node: NavigableString) -> bool:
    text = node.strip()
    if node.find_parent(["pre", "code"]) is not None:
        return False
    cell = node.find_parent(["td", "th"])
    if cell is not None and cell.get_text().strip() == text:
        return False  # a "--" table cell means "none", as in frame data tables
    if text == "--":
        return True
    if not text.startswith("-- "):
        return False
    previous = node.previous_sibling
    while isinstance(previous, NavigableString) and not previous.strip():
        previous = previous.previous_sibling
    return previous is None or (isinstance(previous, Tag) and previous.name == "br")


# ---------------------------------------------------------------- page to sections

_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
_BLOCKS = {
    "address", "article", "body", "center", "dd", "details", "dialog", "div", "dl", "dt", "fieldset",
    "figcaption", "figure", "header", "hr", "html", "li", "main", "p", "section", "summary", "tbody",
    "thead", "tfoot", "tr", "td", "th",
}  # fmt: skip
_SPACES = re.compile(r"\s+")


def html_to_sections(html: str) -> tuple[str | None, list[Section]]:
    """Clean a page and return its title (first `<h1>`, else `<title>`) and its sections."""
    soup = BeautifulSoup(strip_bbcode(html, item_prefix="<br>- "), "html.parser")
    page_title = _collapse(soup.title.get_text()) if soup.title else ""
    for head in soup.find_all(["head", "title"]):
        head.decompose()
    remove_page_furniture(soup)
    remove_signatures(soup)
    first_h1 = soup.find("h1")
    title = _collapse(first_h1.get_text(" ")) if first_h1 else ""
    walker = _Walker()
    walker.walk(soup)
    walker.flush()
    return (title or page_title or None), walker.builder.finish()


class _Walker:
    """Walks the cleaned tree in reading order, gathering inline text into paragraphs."""

    def __init__(self) -> None:
        self.builder = SectionBuilder(_track_lines=False)
        self.buffer: list[str] = []

    def walk(self, node: Tag) -> None:
        for child in node.children:
            if isinstance(child, NavigableString):
                self.buffer.append(_SPACES.sub(" ", str(child)))
            elif child.name in _HEADINGS:
                self.flush()
                text = _collapse(child.get_text(" "))
                if text:
                    self.builder.heading(int(child.name[1]), text)
            elif child.name == "br":
                self.buffer.append("\n")
            elif child.name == "pre":
                self.flush()
                self.builder.paragraph(child.get_text().strip("\n").rstrip())
            elif child.name in ("ul", "ol"):
                self.flush()
                self.builder.paragraph("\n".join(_list_lines(child, 0)))
            elif child.name == "table":
                self.flush()
                self.builder.paragraph("\n".join(_table_lines(child)))
            elif child.name in _BLOCKS:
                self.flush()
                self.walk(child)
                self.flush()
            else:
                self.walk(child)

    def flush(self) -> None:
        lines = [line.strip() for line in "".join(self.buffer).split("\n")]
        self.buffer.clear()
        paragraph: list[str] = []
        for line in [*lines, ""]:
            if line:
                paragraph.append(line)
            elif paragraph:
                self.builder.paragraph("\n".join(paragraph))
                paragraph = []


def _list_lines(list_tag: Tag, depth: int) -> list[str]:
    lines: list[str] = []
    for item in list_tag.find_all("li", recursive=False):
        own_text: list[str] = []
        nested: list[str] = []
        for child in item.children:
            if isinstance(child, Tag) and child.name in ("ul", "ol"):
                nested.extend(_list_lines(child, depth + 1))
            else:
                own_text.append(child.get_text(" ") if isinstance(child, Tag) else str(child))
        text = _collapse(" ".join(own_text))
        if text:
            lines.append(f"{'  ' * depth}- {text}")
        lines.extend(nested)
    return lines


def _table_lines(table: Tag) -> list[str]:
    lines = []
    for row in table.find_all("tr"):
        cells = [_collapse(cell.get_text(" ")) for cell in row.find_all(["td", "th"])]
        if any(cells):
            lines.append(" | ".join(cells))
    return lines


def _collapse(text: str) -> str:
    return _SPACES.sub(" ", text).strip()
