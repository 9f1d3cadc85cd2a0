"""ingest.text: reading, cleaning, chunking and the stage, on the sample guides in examples/guides."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from modsmith.errors import ModsmithError
from modsmith.ingest.chunking import (
    Section,
    approximate_token_count,
    chunk_by_count,
    chunk_by_paragraphs,
    chunk_into_n,
    make_token_counter,
    sample_chunk_count,
    split_to_fit,
)
from modsmith.ingest.html_cleaning import html_to_sections, strip_bbcode
from modsmith.ingest.text import IngestText, decode_text, parse_markdown, parse_plain_text
from modsmith.records import Document, Provenance
from modsmith.stage import Rejects

GUIDES = Path(__file__).resolve().parents[2] / "examples" / "guides"


def all_text(sections: list[Section]) -> str:
    return "\n".join([" / ".join(s.headings) + "\n" + "\n".join(s.paragraphs) for s in sections])


def run_stage(**config) -> tuple[list[Document], Rejects, IngestText]:
    stage = IngestText(**config)
    rejects = Rejects()
    return list(stage.process([], rejects)), rejects, stage


def squash(text: str) -> str:
    return "".join(text.split())


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


# ---------------------------------------------------------------- paragraph chunker


def check_paragraph_chunks(sections, chunks, budget, count):
    """Every chunk is within budget, stays in one section, and is whole paragraphs unless one is oversized."""
    position = 0
    for section in sections:
        mine = []
        while position < len(chunks) and chunks[position].headings == section.headings:
            mine.append(chunks[position])
            position += 1
        assert mine, section.headings
        assert squash("".join(c.text for c in mine)) == squash("".join(section.paragraphs))
        paragraphs = section.paragraphs
        index = 0
        rest = ""  # what is left of an oversized paragraph being split, whitespace removed
        for chunk in mine:
            assert count(chunk.text) <= budget
            if rest:
                assert rest.startswith(squash(chunk.text))
                rest = rest[len(squash(chunk.text)) :]
                index += not rest
                continue
            joined = ("\n\n".join(paragraphs[index:j]) for j in range(index + 1, len(paragraphs) + 1))
            whole = next((j for j, text in enumerate(joined, index + 1) if text == chunk.text), None)
            if whole is not None:
                index = whole
                continue
            # the first piece of one oversized paragraph
            assert count(paragraphs[index]) > budget
            rest = squash(paragraphs[index])
            assert rest.startswith(squash(chunk.text)) and len(squash(chunk.text)) < len(rest)
            rest = rest[len(squash(chunk.text)) :]
        assert index == len(paragraphs) and not rest
    assert position == len(chunks)


@pytest.mark.parametrize("budget", [6, 15, 40, 90, 250, 100_000])
def test_paragraph_chunker_respects_budget_and_boundaries(budget):
    _, sections = parse_markdown((GUIDES / "fox-basics.md").read_text(encoding="utf-8"))
    chunks = chunk_by_paragraphs(sections, budget, approximate_token_count)
    check_paragraph_chunks(sections, chunks, budget, approximate_token_count)
    if budget == 100_000:
        assert len(chunks) == len(sections)  # paragraphs are packed, not one per chunk


def test_paragraph_chunker_packs_and_carries_lines():
    sections = [Section(["A"], ["one two", "three four", "five six"], 1, [(1, 1), (3, 3), (5, 6)])]
    chunks = chunk_by_paragraphs(sections, 5, approximate_token_count)
    assert [(c.text, c.lines) for c in chunks] == [("one two\n\nthree four", (1, 3)), ("five six", (5, 6))]


def test_oversized_paragraph_is_split_by_sentences_then_words_then_characters():
    sentences = " ".join(f"Sentence number {i} talks about the shine." for i in range(30))
    pieces = split_to_fit(sentences, 20, approximate_token_count)
    assert len(pieces) > 1
    assert all(approximate_token_count(p) <= 20 for p in pieces)
    assert all(p.endswith("shine.") for p in pieces)  # cut at sentence ends
    assert " ".join(pieces) == sentences

    long_sentence = " ".join(["wavedash"] * 50)
    pieces = split_to_fit(long_sentence, 7, approximate_token_count)
    assert [len(p.split()) for p in pieces] == [7] * 7 + [1]

    by_chars = split_to_fit("x" * 25, 10, len)
    assert by_chars == ["x" * 10, "x" * 10, "x" * 5]

    sections = [Section(["S"], ["short one", sentences, "short two"], 2)]
    chunks = chunk_by_paragraphs(sections, 20, approximate_token_count)
    assert chunks[0].text == "short one" and chunks[-1].text == "short two"
    check_paragraph_chunks(sections, chunks, 20, approximate_token_count)


# ---------------------------------------------------------------- the clipped Gaussian chunker


def test_sample_chunk_count_is_clipped_and_seeded():
    rng = np.random.default_rng(7)
    draws = [sample_chunk_count(rng, 3.0, 3.5, 2, 50) for _ in range(2000)]
    assert min(draws) == 2 and max(draws) <= 50
    assert len(set(draws)) > 3  # not stuck at the clip
    wide = [sample_chunk_count(rng, 10.0, 40.0, 4, 12) for _ in range(2000)]
    assert set(wide) <= set(range(4, 13)) and {4, 12} <= set(wide)
    again = [sample_chunk_count(np.random.default_rng(7), 3.0, 3.5, 2, 50) for _ in range(1)]
    assert again == draws[:1]
    assert [sample_chunk_count(np.random.default_rng(5), 8, 3, 1, 50) for _ in range(3)] == [
        sample_chunk_count(np.random.default_rng(5), 8, 3, 1, 50) for _ in range(3)
    ]


def test_sample_chunk_count_mean_far_from_the_clip():
    rng = np.random.default_rng(123)
    draws = np.array([sample_chunk_count(rng, 20.0, 3.0, 0, 1000) for _ in range(10_000)])
    # int() truncates, so the mean of int(N(20, 3)) is 19.5
    assert abs(draws.mean() - 19.5) < 0.2
    assert 2.5 < draws.std() < 3.5


def test_chunk_into_n_covers_everything_once_in_order():
    for length in range(0, 12):
        items = list(range(length))
        for n in range(0, 15):
            runs = chunk_into_n(items, n)
            assert [x for run in runs for x in run] == items
            assert len(runs) == (min(max(n, 1), length) if length else 0)
            if runs:
                sizes = [len(run) for run in runs]
                assert max(sizes) - min(sizes) <= 1 and min(sizes) >= 1


def test_chunk_by_count_puts_inner_headings_in_the_text():
    sections = [
        Section(["Guide"], ["intro"], 1, [(3, 3)]),
        Section(["Guide", "Shine"], ["shine one", "shine two"], 2, [(7, 7), (9, 10)]),
    ]
    chunks = chunk_by_count(sections, 2)
    assert [(c.headings, c.text, c.lines) for c in chunks] == [
        (["Guide"], "intro\n\n## Shine\n\nshine one", (3, 7)),
        (["Guide", "Shine"], "shine two", (9, 10)),
    ]


# ---------------------------------------------------------------- the stage


def test_stage_over_sample_guides():
    given = str(GUIDES)
    upstream = Document(id="up", kind="text", text="from before", provenance=Provenance(source="x"))
    stage = IngestText(paths=[given], max_tokens=120)
    rejects = Rejects()
    out = list(stage.process([upstream], rejects))
    assert out[0] is upstream
    docs = out[1:]
    by_path: dict[str, list[Document]] = {}
    for doc in docs:
        by_path.setdefault(doc.provenance.path, []).append(doc)
    assert sorted(by_path) == ["forum-thread.html", "fox-basics.md", "marth-notes.txt"]
    langs = {path: {d.lang for d in group} for path, group in by_path.items()}
    assert langs == {
        "forum-thread.html": {"html"},
        "fox-basics.md": {"markdown"},
        "marth-notes.txt": {"text"},
    }
    for path, group in by_path.items():
        line_count = len((GUIDES / path).read_text(encoding="utf-8").splitlines())
        assert [d.meta["chunk_index"] for d in group] == list(range(len(group)))
        for doc in group:
            assert doc.kind == "text" and doc.provenance.source == given
            assert doc.meta["chunk_count"] == len(group)
            assert doc.meta["chunker"] == "paragraphs"
            assert 8 <= doc.meta["tokens"] == approximate_token_count(doc.text) <= 120
            assert not doc.text.startswith("#")
            if doc.lang == "html":
                assert doc.provenance.lines is None
            else:
                first, last = doc.provenance.lines
                assert 1 <= first <= last <= line_count
    assert {d.meta["title"] for d in by_path["fox-basics.md"]} == {"Fox basics"}
    assert {d.meta["title"] for d in by_path["marth-notes.txt"]} == {"Marth notes"}
    shine = [d for d in by_path["fox-basics.md"] if d.meta["headings"] == ["Fox basics", "Shine"]]
    assert shine and shine[0].text.startswith("Fox's down special is the reflector")
    fox_lines = (GUIDES / "fox-basics.md").read_text(encoding="utf-8").splitlines()
    first, last = shine[0].provenance.lines
    assert fox_lines[first - 1].startswith("Fox's down special")
    assert len({d.id for d in docs}) == len(docs)
    summary = stage.summary()
    assert summary["files_read"] == 3 and summary["chunks"] == len(docs)
    assert summary["tokens"] == sum(d.meta["tokens"] for d in docs)
    assert summary["bytes_read"] == sum(p.stat().st_size for p in GUIDES.iterdir())


def test_stage_is_deterministic():
    for chunker in ("paragraphs", "gaussian"):
        first, _, _ = run_stage(paths=[str(GUIDES)], chunker=chunker, seed=3)
        second, _, _ = run_stage(paths=[str(GUIDES)], chunker=chunker, seed=3)
        assert [d.model_dump() for d in first] == [d.model_dump() for d in second]


def test_gaussian_chunks_depend_only_on_seed_and_file(tmp_path):
    folder = tmp_path / "guides"
    shutil.copytree(GUIDES, folder)
    before, _, _ = run_stage(paths=[str(folder)], chunker="gaussian", seed=11)
    (folder / "aaa-new.md").write_text(
        "# New\n\n" + "\n\n".join(f"Paragraph {i} about Falco." for i in range(9))
    )
    after, _, _ = run_stage(paths=[str(folder)], chunker="gaussian", seed=11)
    old = [d.model_dump() for d in after if d.provenance.path != "aaa-new.md"]
    assert old == [d.model_dump() for d in before]
    assert any(d.provenance.path == "aaa-new.md" for d in after)
    for doc in after:
        assert doc.meta["chunker"] == "gaussian"
        assert 1 <= doc.meta["chunk_count"] <= 50
    counts_by_seed = set()
    for seed in range(12):
        docs, _, _ = run_stage(
            paths=[str(GUIDES / "fox-basics.md")], chunker="gaussian", seed=seed, min_chunk_tokens=0
        )
        assert docs[0].meta["chunk_count"] >= 2
        counts_by_seed.add(docs[0].meta["chunk_count"])
        assert squash("".join(d.text for d in docs)).count("Dashleft,thentapthestick") == 1
    assert len(counts_by_seed) > 1


def test_single_file_path_and_short_chunks(tmp_path):
    guide = tmp_path / "notes.md"
    guide.write_text(
        "# Notes\n\nTiny.\n\n## Long\n\n" + "Shine then wavedash out of it, again and again. " * 3
    )
    docs, rejects, stage = run_stage(paths=[str(guide)], min_chunk_tokens=5)
    assert [d.meta["headings"] for d in docs] == [["Notes", "Long"]]
    assert docs[0].provenance.path == "notes.md" and docs[0].provenance.source == str(guide)
    assert docs[0].meta["chunk_index"] == 0 and docs[0].meta["chunk_count"] == 1
    assert rejects.counts["too short"] == 1
    assert rejects.samples["too short"][0]["record"]["text"] == "Tiny."
    assert stage.summary()["chunks_dropped"] == {"too short": 1}


def test_skipped_files_are_counted(tmp_path):
    (tmp_path / "a.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    (tmp_path / "b.txt").write_bytes(b"text with a \x00 byte")
    (tmp_path / "c.txt").write_bytes("caf\u00e9 notes in latin-1".encode("latin-1"))
    page = '<html><head><meta charset="iso-8859-1"></head><p>Le caf\u00e9 du combo shine.</p></html>'
    (tmp_path / "d.html").write_bytes(page.encode("latin-1"))
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "e.md").write_text("# E\n\nWavedash back, then shine the approach.\n")
    (tmp_path / ".hidden").mkdir()
    (tmp_path / ".hidden" / "f.md").write_text("# Hidden\n\nnot read at all, ever, by the walk.\n")
    docs, rejects, stage = run_stage(paths=[str(tmp_path)], min_chunk_tokens=1)
    assert [d.provenance.path for d in docs] == ["d.html", "sub/e.md"]
    assert docs[0].text == "Le caf\u00e9 du combo shine."
    assert dict(rejects.counts) == {"unsupported extension": 1, "binary file": 1, "not UTF-8": 1}
    assert rejects.samples["unsupported extension"][0]["record"]["path"] == "a.png"
    assert stage.summary()["skipped"] == {"binary file": 1, "not UTF-8": 1, "unsupported extension": 1}


def test_decode_text():
    assert decode_text("\ufeffhello".encode(), "text") == ("hello", "", "")
    text, reason, detail = decode_text(b"caf\xe9", "text")
    assert (text, reason) == (None, "not UTF-8") and "0xe9" in detail
    assert decode_text(b"<meta charset=utf-8>caf\xe9", "html")[1] == "not UTF-8"
    assert decode_text(b"<meta charset=nonsense>caf\xe9", "html")[1] == "not UTF-8"
    assert decode_text("\ufeffx".encode("utf-16"), "text")[1] == "not UTF-8"


def test_missing_path_and_nothing_readable(tmp_path):
    missing = str(tmp_path / "nope")
    with pytest.raises(ModsmithError) as error:
        run_stage(paths=[missing])
    assert error.value.where == missing and "no such file or directory" in error.value.message
    with pytest.raises(ModsmithError):
        IngestText(paths=[missing]).source_fingerprint()

    (tmp_path / "x.pdf").write_bytes(b"%PDF-1.4")
    (tmp_path / "y.txt").write_bytes(b"\xff\xfe\xfa")
    (tmp_path / "z.pdf").write_bytes(b"%PDF-1.4")
    with pytest.raises(ModsmithError) as error:
        run_stage(paths=[str(tmp_path)])
    assert "2 unsupported extension" in error.value.message and "1 not UTF-8" in error.value.message


def test_source_fingerprint_tracks_readable_files(tmp_path):
    guide = tmp_path / "g.md"
    guide.write_text("# G\n\nsome text about shines\n")
    stage = IngestText(paths=[str(tmp_path)])
    first = stage.source_fingerprint()
    assert first == stage.source_fingerprint()
    (tmp_path / "ignored.png").write_bytes(b"x")
    assert stage.source_fingerprint() == first
    guide.write_text("# G\n\nsome longer text about shines\n")
    assert stage.source_fingerprint() != first


def test_config_is_checked():
    with pytest.raises(ValueError):
        IngestText(paths=["x"], gaussian_min=5, gaussian_max=2)
    with pytest.raises(ValueError):
        IngestText(paths=[])
    with pytest.raises(ValueError):
        IngestText(paths=["x"], chunker="sentences")
    assert IngestText.name == "ingest.text" and IngestText.is_source
    assert all(field.description for field in IngestText.Config.model_fields.values())


# ---------------------------------------------------------------- token counting


@pytest.fixture
def word_tokenizer(tmp_path) -> Path:
    """A tiny WordLevel tokenizer that splits on whitespace only, trained on the spot."""
    from tokenizers import Tokenizer, models, pre_tokenizers, trainers

    tokenizer = Tokenizer(models.WordLevel(unk_token="[UNK]"))
    tokenizer.pre_tokenizer = pre_tokenizers.WhitespaceSplit()
    tokenizer.train_from_iterator(
        ["don't stop the shine.", "wavedash out of shine"],
        trainers.WordLevelTrainer(special_tokens=["[UNK]"]),
    )
    folder = tmp_path / "tok"
    folder.mkdir()
    tokenizer.save(str(folder / "tokenizer.json"))
    return folder


def test_local_tokenizer_counts(word_tokenizer):
    text = "don't stop the shine."
    assert approximate_token_count(text) == 7
    from_file = make_token_counter(str(word_tokenizer / "tokenizer.json"))
    from_folder = make_token_counter(str(word_tokenizer))
    assert from_file(text) == from_folder(text) == 4
    assert from_file("unknown words here") == 3


def test_stage_counts_with_local_tokenizer(word_tokenizer):
    docs, _, _ = run_stage(
        paths=[str(GUIDES / "fox-basics.md")], tokenizer=str(word_tokenizer), max_tokens=60
    )
    count = make_token_counter(str(word_tokenizer))
    assert docs
    for doc in docs:
        assert doc.meta["tokens"] == count(doc.text) == len(doc.text.split()) <= 60


def test_transformers_tokenizer_folder(tmp_path):
    folder = tmp_path / "bert"
    folder.mkdir()
    (folder / "vocab.txt").write_text(
        "\n".join(["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "shine", "fox", "."])
    )
    (folder / "tokenizer_config.json").write_text(json.dumps({"tokenizer_class": "BertTokenizer"}))
    count = make_token_counter(str(folder))
    assert count("Fox shine. zz") == 4


def test_tokenizer_errors(tmp_path):
    with pytest.raises(ModsmithError) as error:
        make_token_counter(str(tmp_path / "absent.json"))
    assert "tokenizer not found" in error.value.message
    broken = tmp_path / "tokenizer.json"
    broken.write_text("{not json")
    with pytest.raises(ModsmithError) as error:
        make_token_counter(str(broken))
    assert "cannot load tokenizer" in error.value.message
