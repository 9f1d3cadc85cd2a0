"""Cleaning guides into sections: HTML and BBCode (`html_cleaning`), Markdown and plain text
(`text_cleaning`), on the sample guides in examples/guides and small texts."""

from __future__ import annotations

from pathlib import Path

from modsmith.ingest.chunking import (
    Section,
)
from modsmith.ingest.html_cleaning import html_to_sections, strip_bbcode
from modsmith.ingest.text_cleaning import parse_markdown, parse_plain_text

GUIDES = Path(__file__).resolve().parents[2] / "examples" / "guides"


def all_text(sections: list[Section]) -> str:
    return "\n".join([" / ".join(s.headings) + "\n" + "\n".join(s.paragraphs) for s in sections])


# ---------------------------------------------------------------- HTML and BBCode


def test_forum_page_keeps_guide_and_drops_page_furniture():
    title, sections = html_to_sections((GUIDES / "forum-thread.html").read_text(encoding="utf-8"))
    text = all_text(sections)
    assert title == "Edge guarding as Fox: a starter guide"
    for gone in [
        "trackVisitor", "page-view-counter", "font-family",  # script and style
        "Forum index", "Members", "Home > Characters",  # nav, breadcrumbs
        "friendliest place",  # site header
        "Top posters", "Ultra Controller", "We use cookies",  # sidebar, ad, cookie banner
        "Write your reply", "Copyright 2024",  # form, footer
        "Fox main since the first tournament",  # <div class="signature">
        "two time runner-up",  # signature after a "--" line
        "Is the shine spike worth learning", "Yes, it is the reason",  # nested [quote] chain
        "shinebox wrote",  # <blockquote>
        "Posted by",  # post metadata
        "[b]", "[/b]", "[i]", "[color", "[url", "[img]", "backair-diagram", "example.com", "[quote",
        "--", "imaginary forum engine",  # signature delimiter, HTML comment
    ]:  # fmt: skip
        assert gone not in text, gone
    for kept in [
        "know how to short hop and shine, and want to stop",
        "drop down with a down-air or a back-air",
        "see the recovery notes if this part scares you.",
        "Agreed. I would add that against floaty characters the back-air is usually the",
        "Thanks, the ledge part finally made this click for me.",
        "- Stand near the edge and wait for the up special to start.\n- Drop to the ledge",
    ]:
        assert kept in text, kept
    paths = [s.headings for s in sections]
    guide = "Edge guarding as Fox: a starter guide"
    assert [guide, "Where is the opponent?"] in paths
    assert [guide, "The shine spike", "Timing the jump back"] in paths
    assert [guide, "Hitting them from below"] in paths
    assert all(s.lines is None for s in sections)


def test_strip_bbcode():
    text = "[quote=a][quote=b]inner[/quote]outer[/quote]reply [b]bold [i]both[/i][/b]"
    assert strip_bbcode(text) == "reply bold both"
    assert strip_bbcode("see [url=https://x.org/a]the notes[/url] and [url]https://y.org[/url]") == (
        "see the notes and https://y.org"
    )
    assert strip_bbcode("pic: [img]https://x.org/a.png[/img] done") == "pic:  done"
    assert strip_bbcode("[LIST][*]one\n[*]two[/LIST]") == "\n- one\n\n- two"
    code = "for (i = 0; i < n; i++) a[i] = b[i];"
    assert strip_bbcode(code) == code  # an unpaired [i] is not BBCode
    multi = "keep\n[quote]\nold\ntext\n[/quote]\nafter"
    assert strip_bbcode(multi, keep_lines=True).splitlines() == ["keep", "", "", "", "", "after"]


def test_signature_only_ends_its_own_post():
    html = (
        "<div class='post'><p>Useful tip about shine spikes here.<br>-- <br>my sig line</p>"
        "<p>more sig</p></div><div class='post'>Second post survives.<br>-- Falco forever</div>"
        "<p>I think -- honestly -- this stays.</p>"
        "<table><tr><td>shine</td><td>--</td><td>frame 1</td></tr></table><pre>a\n--\nb</pre>"
    )
    _, sections = html_to_sections(html)
    text = all_text(sections)
    assert "Useful tip about shine spikes here." in text
    assert "Second post survives." in text
    assert "I think -- honestly -- this stays." in text
    assert "shine | -- | frame 1" in text and "a\n--\nb" in text
    for gone in ["my sig line", "more sig", "Falco forever"]:
        assert gone not in text


def test_html_headings_lists_and_tables():
    html = (
        "<body class='has-sidebar'><h1>Guide</h1><p>intro text</p><h2>Inputs</h2>"
        "<ol><li>jump<ul><li>lightly</li></ul></li><li>dodge</li></ol>"
        "<table><tr><th>move</th><th>frames</th></tr><tr><td>shine</td><td>1</td></tr></table>"
        "<pre>  line one\n    line two</pre><h4>Deep</h4><p>a\n   b</p></body>"
    )
    title, sections = html_to_sections(html)
    assert title == "Guide"
    assert sections[0].headings == ["Guide"] and sections[0].paragraphs == ["intro text"]
    assert sections[1].headings == ["Guide", "Inputs"]
    assert sections[1].paragraphs == [
        "- jump\n  - lightly\n- dodge",
        "move | frames\nshine | 1",
        "  line one\n    line two",
    ]
    assert sections[2].headings == ["Guide", "Inputs", "Deep"] and sections[2].paragraphs == ["a b"]


# ---------------------------------------------------------------- Markdown and plain text


def test_markdown_heading_paths_and_lines():
    text = (
        "---\ntitle: not a heading\n---\n"
        "Preamble line.\n\n"
        "Main title\n==========\n\nIntro.\n\n"
        "## Short hop ##\n\nHop text\nsecond line.\n\n"
        "```\n# not a heading\n\ncode after blank\n```\n\n"
        "### Timing\n\nTiming text.\n\n"
        "Setext two\n----------\n\nBody.\n\n"
        "***\n\n#hashtag is text\n"
    )
    title, sections = parse_markdown(text)
    assert title == "Main title"
    assert [s.headings for s in sections] == [
        [],
        ["Main title"],
        ["Main title", "Short hop"],
        ["Main title", "Short hop", "Timing"],
        ["Main title", "Setext two"],
    ]
    assert sections[0].paragraphs == ["Preamble line."]
    assert sections[0].lines == [(4, 4)]
    assert sections[2].paragraphs == [
        "Hop text\nsecond line.",
        "```\n# not a heading\n\ncode after blank\n```",
    ]
    assert sections[2].lines == [(13, 14), (16, 20)]
    assert sections[4].paragraphs == ["Body.", "#hashtag is text"]
    assert "title: not a heading" not in all_text(sections)


def test_markdown_sample_guide():
    title, sections = parse_markdown((GUIDES / "fox-basics.md").read_text(encoding="utf-8"))
    assert title == "Fox basics"
    paths = [s.headings for s in sections]
    assert ["Fox basics", "Shine"] in paths
    assert ["Fox basics", "Edge guarding", "Shine spike"] in paths
    assert len(paths) >= 10
    assert "author: modsmith examples" not in all_text(sections)


def test_plain_text_setext_and_caps_headings():
    title, sections = parse_plain_text((GUIDES / "marth-notes.txt").read_text(encoding="utf-8"))
    assert title == "Marth notes"
    assert [s.headings for s in sections] == [
        ["Marth notes"],
        ["Marth notes", "THE SWORD TIP"],
        ["Marth notes", "NEUTRAL GAME"],
        ["Marth notes", "NEUTRAL GAME", "Grab range"],
        ["Marth notes", "NEUTRAL GAME", "Against walls of shield"],
        ["Marth notes", "CHAIN GRAB ON FOX"],
        ["Marth notes", "EDGE GUARDING"],
        ["Marth notes", "RECOVERY"],
        ["Marth notes", "THINGS TO DRILL"],
    ]
    text = all_text(sections)
    assert "Corrections welcome" not in text  # the "--" signature
    assert sections[-1].paragraphs == [
        "- tipper forward smash from a dash\n- short hop forward air, facing both ways\n"
        "- dash grab against a shielding dummy\n- forward throw, dash, regrab on a Fox dummy"
    ]
    assert sections[1].lines == [(12, 14), (16, 17)]


def test_plain_text_caps_lines_and_separators_inside_paragraphs_are_not_headings():
    text = (
        "COMBOS\n\nDTHROW > UPAIR\n\nUse these:\nSH FAIR\nthen fast fall.\n\nOK\n\n"
        "A paragraph that ends\nwith a short line\n----------------\nand goes on after a separator.\n"
    )
    title, sections = parse_plain_text(text)
    assert title == "COMBOS"  # opens the text and its style is used once
    assert [s.headings for s in sections] == [["COMBOS"]]
    assert sections[0].paragraphs == [
        "DTHROW > UPAIR",
        "Use these:\nSH FAIR\nthen fast fall.",
        "OK",
        "A paragraph that ends\nwith a short line",
        "and goes on after a separator.",
    ]


def test_plain_text_levels_follow_first_use_and_overlines():
    text = (
        "=====\nTitle\n=====\n\nintro\n\nPart one\n~~~~~~~~\n\nbody one\n\n"
        "Part two\n~~~~~~~~\n\nbody two\n\nDETAILS\n\nmore\n\nPart three\n~~~~~~\n\nend\n"
    )
    title, sections = parse_plain_text(text)
    assert title == "Title"
    assert [s.headings for s in sections] == [
        ["Title"],
        ["Title", "Part one"],
        ["Title", "Part two"],
        ["Title", "Part two", "DETAILS"],
        ["Title", "Part three"],
    ]
