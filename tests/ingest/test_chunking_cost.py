"""The paragraph chunker reads each character a few times, whatever the input's size or budget.

Speed is shown by benchmarks/bench_chunking.py; here the work is measured as the characters handed
to the token counter, so the assertions do not depend on the machine.
"""

from __future__ import annotations

import random

import pytest

from modsmith.ingest.chunking import (
    Section,
    approximate_token_count,
    chunk_by_paragraphs,
    split_to_fit,
)


class ReadCounter:
    """A token counter that adds up how many characters it was asked to count."""

    def __init__(self, count=approximate_token_count):
        self.count = count
        self.characters = 0

    def __call__(self, text: str) -> int:
        self.characters += len(text)
        return self.count(text)


def words(n: int, seed: int = 0) -> list[str]:
    rng = random.Random(seed)
    return [rng.choice(["shine", "wavedash", "ledge", "dash", "multishine", "x"]) for _ in range(n)]


def one_paragraph(n: int) -> str:
    return " ".join(words(n))  # no line or sentence breaks: split down to words


def many_paragraphs(n: int) -> list[str]:
    items = words(n)
    return [" ".join(items[i : i + 7]) for i in range(0, n, 7)]


def reads_per_character(sections: list[Section], max_tokens: int) -> float:
    counter = ReadCounter()
    chunks = chunk_by_paragraphs(sections, max_tokens, counter)
    assert all(approximate_token_count(c.text) <= max_tokens for c in chunks)
    given = "".join("".join(s.paragraphs) for s in sections)
    assert "".join("".join(c.text.split()) for c in chunks) == "".join(given.split())
    return counter.characters / len(given)


@pytest.mark.parametrize("max_tokens", [16, 512])
@pytest.mark.parametrize(
    "make", [lambda n: [one_paragraph(n)], many_paragraphs], ids=["one paragraph", "short paragraphs"]
)
def test_paragraph_chunker_reads_each_character_a_few_times(make, max_tokens):
    small = reads_per_character([Section(["S"], make(5_000))], max_tokens)
    large = reads_per_character([Section(["S"], make(20_000))], max_tokens)
    assert large <= 5, f"each character counted {large:.1f} times"  # was about max_tokens / 2
    assert large <= small * 1.1 + 0.1  # 4x the words, 4x the work


def greedy_reference(text: str, max_tokens: int, count, level: int = 0) -> list[str]:
    """The plain one-piece-at-a-time packing the chunker must agree with."""
    from modsmith.ingest.chunking import _SPLITTERS

    if level >= len(_SPLITTERS) or count(text) <= max_tokens:
        return [text]
    joiner, split = _SPLITTERS[level]
    pieces = split(text)
    if len(pieces) <= 1:
        return greedy_reference(text, max_tokens, count, level + 1)
    out, current = [], ""
    for piece in pieces:
        if count(piece) > max_tokens:
            out += [current] if current else []
            current = ""
            out += greedy_reference(piece, max_tokens, count, level + 1)
            continue
        candidate = f"{current}{joiner}{piece}" if current else piece
        if current and count(candidate) > max_tokens:
            out.append(current)
            current = piece
        else:
            current = candidate
    return [*out, current] if current else out


def merging_count(text: str) -> int:
    """Not additive over pieces: a run of letters costs one token per three letters, rounded up."""
    return sum(-(-len(w) // 3) for w in text.split()) + text.count(".")


@pytest.mark.parametrize(
    "count", [approximate_token_count, len, merging_count], ids=["approx", "len", "merging"]
)
@pytest.mark.parametrize("max_tokens", [1, 3, 8, 40])
def test_split_to_fit_matches_greedy_packing(count, max_tokens):
    rng = random.Random(max_tokens)
    for _ in range(30):
        parts = []
        for _ in range(rng.randint(1, 40)):
            word = "".join(rng.choice("abc") for _ in range(rng.randint(1, 12)))
            parts.append(word + rng.choice(["", "", ".", ".\n", "\n"]))
        text = " ".join(parts)
        assert split_to_fit(text, max_tokens, count) == greedy_reference(text, max_tokens, count), text
