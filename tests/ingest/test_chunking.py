"""Chunking sections: the paragraph chunker, the clipped Gaussian chunker, and counting tokens."""

from __future__ import annotations

import json
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
from modsmith.ingest.text import IngestText
from modsmith.ingest.text_cleaning import parse_markdown
from modsmith.records import Document
from modsmith.stage import Rejects

GUIDES = Path(__file__).resolve().parents[2] / "examples" / "guides"


def run_stage(**config) -> tuple[list[Document], Rejects, IngestText]:
    stage = IngestText(config)
    rejects = Rejects()
    return list(stage.process([], rejects)), rejects, stage


def squash(text: str) -> str:
    return "".join(text.split())


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
