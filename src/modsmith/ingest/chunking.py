"""Cutting cleaned guides into chunks, and counting their tokens.

A cleaned guide is a list of `Section`s: a heading path and the paragraphs under it. Two chunkers:

- `chunk_by_paragraphs`: pack whole paragraphs of one section up to a token budget;
- the Melee seed's way: draw a chunk count per guide from a clipped Gaussian
  (`sample_chunk_count`) and cut the guide's paragraphs into that many even runs (`chunk_into_n`).

Token counts come from `make_token_counter`: a fast approximation by default, or a local tokenizer.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

import numpy as np

from modsmith.errors import ModsmithError

T = TypeVar("T")
TokenCounter = Callable[[str], int]
LineSpan = tuple[int, int]


@dataclass
class Section:
    """The paragraphs under one heading path, e.g. ["Fox basics", "Shine"]."""

    headings: list[str]
    paragraphs: list[str]
    #: Level of the last heading (1 for `#`/`<h1>`), 0 for text before any heading.
    level: int = 0
    #: (first, last) source line of each paragraph, 1-based; None when unknown (HTML).
    lines: list[LineSpan] | None = None


@dataclass
class Chunk:
    """A piece of a guide: its text and the heading path it sits under."""

    headings: list[str]
    text: str
    lines: LineSpan | None = None


@dataclass
class SectionBuilder:
    """Collects headings and paragraphs in reading order into `Section`s (empty ones left out)."""

    sections: list[Section] = field(default_factory=list)
    _stack: list[tuple[int, str]] = field(default_factory=list)
    _track_lines: bool = True

    def heading(self, level: int, text: str) -> None:
        while self._stack and self._stack[-1][0] >= level:
            self._stack.pop()
        self._stack.append((level, text))
        self.sections.append(self._new_section())

    def paragraph(self, text: str, lines: LineSpan | None = None) -> None:
        if not text.strip():
            return
        if not self.sections:
            self.sections.append(self._new_section())
        section = self.sections[-1]
        section.paragraphs.append(text)
        if section.lines is not None:
            if lines is None:
                section.lines = None
            else:
                section.lines.append(lines)

    def finish(self) -> list[Section]:
        return [s for s in self.sections if s.paragraphs]

    def _new_section(self) -> Section:
        level = self._stack[-1][0] if self._stack else 0
        return Section(
            headings=[text for _, text in self._stack],
            paragraphs=[],
            level=level,
            lines=[] if self._track_lines else None,
        )


# ---------------------------------------------------------------- token counting

_TOKEN = re.compile(r"\w+|[^\w\s]", re.UNICODE)


def approximate_token_count(text: str) -> int:
    """Approximate token count: words and single punctuation marks.

    Close to a subword tokenizer on English prose (usually within about 25%); it undercounts long
    or rare words and code. Use `make_token_counter(path)` when the exact count matters.
    """
    return len(_TOKEN.findall(text))


def make_token_counter(tokenizer: str | None = None) -> TokenCounter:
    """A function counting the tokens of a text.

    `tokenizer` is None for `approximate_token_count`, a `tokenizer.json` file (read with the
    `tokenizers` library), or a local model folder (its `tokenizer.json` when present, else
    `transformers.AutoTokenizer`, local files only: nothing is downloaded). Special tokens are
    not counted and truncation is switched off.
    """
    if tokenizer is None:
        return approximate_token_count
    path = Path(tokenizer)
    if not path.exists():
        raise ModsmithError(
            "tokenizer not found", where=tokenizer, hint="give a tokenizer.json file or a local model folder"
        )
    json_file = path / "tokenizer.json" if path.is_dir() else path
    try:
        if json_file.is_file():
            return _tokenizers_counter(json_file)
        return _transformers_counter(path)
    except ModsmithError:
        raise
    except Exception as exc:  # a broken or foreign file: the libraries raise many kinds
        raise ModsmithError(f"cannot load tokenizer: {exc}", where=tokenizer) from None


def _tokenizers_counter(json_file: Path) -> TokenCounter:
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(json_file))
    tok.no_truncation()
    tok.no_padding()

    def count(text: str) -> int:
        return len(tok.encode(text, add_special_tokens=False).ids)

    return count


def _transformers_counter(folder: Path) -> TokenCounter:
    from transformers import AutoTokenizer

    tok = AutoTokenizer.from_pretrained(str(folder), local_files_only=True)

    def count(text: str) -> int:
        return len(tok(text, add_special_tokens=False, verbose=False)["input_ids"])

    return count


# ---------------------------------------------------------------- paragraph chunker


def chunk_by_paragraphs(
    sections: Iterable[Section], max_tokens: int, count_tokens: TokenCounter = approximate_token_count
) -> list[Chunk]:
    """Pack each section's paragraphs, in order, into chunks of at most `max_tokens`.

    A chunk never holds two sections and never splits a paragraph, unless that paragraph alone is
    over budget: then it is split by lines, then sentences, then words, then characters. Paragraphs
    are joined by a blank line. Only a single character over budget can make a chunk too large.
    """
    chunks: list[Chunk] = []
    for section in sections:
        chunks.extend(_pack_section(section, max_tokens, count_tokens))
    return chunks


def _pack_section(section: Section, max_tokens: int, count_tokens: TokenCounter) -> Iterator[Chunk]:
    paragraphs, lines = section.paragraphs, section.lines
    counts = [count_tokens(paragraph) for paragraph in paragraphs]
    for start, end in pack_runs(paragraphs, counts, "\n\n", max_tokens, count_tokens):
        if counts[start] > max_tokens:
            span = lines[start] if lines else None
            for piece in split_to_fit(paragraphs[start], max_tokens, count_tokens, tokens=counts[start]):
                yield Chunk(list(section.headings), piece, span)
        else:
            text = "\n\n".join(paragraphs[start:end])
            yield Chunk(list(section.headings), text, _cover(lines[start:end]) if lines else None)


_SENTENCE_BREAK = re.compile(r"(?<=[.!?])\s+")
_SPLITTERS: tuple[tuple[str, Callable[[str], list[str]]], ...] = (
    ("\n", lambda text: [line for line in text.split("\n") if line.strip()]),
    (" ", lambda text: [s for s in _SENTENCE_BREAK.split(text) if s.strip()]),
    (" ", str.split),
    ("", list),
)


def split_to_fit(
    text: str, max_tokens: int, count_tokens: TokenCounter, level: int = 0, tokens: int | None = None
) -> list[str]:
    """Split one over-budget text into pieces within budget: by lines, sentences, words, characters.

    `tokens` is the text's count when the caller already has it.
    """
    if tokens is None:
        tokens = count_tokens(text)
    if level >= len(_SPLITTERS) or tokens <= max_tokens:
        return [text]
    joiner, split = _SPLITTERS[level]
    pieces = split(text)
    if len(pieces) <= 1:
        return split_to_fit(text, max_tokens, count_tokens, level + 1, tokens)
    counts = [count_tokens(piece) for piece in pieces]
    out: list[str] = []
    for start, end in pack_runs(pieces, counts, joiner, max_tokens, count_tokens):
        if counts[start] > max_tokens:
            out.extend(split_to_fit(pieces[start], max_tokens, count_tokens, level + 1, counts[start]))
        else:
            out.append(joiner.join(pieces[start:end]))
    return out


def pack_runs(
    pieces: Sequence[str], counts: Sequence[int], joiner: str, max_tokens: int, count_tokens: TokenCounter
) -> Iterator[tuple[int, int]]:
    """Cut `pieces` into runs `(start, end)`: each the longest that fits joined, or one over-budget piece.

    The same runs as adding pieces one at a time while the joined text fits, but each piece is read
    a few times instead of once per piece of its run (which made a chunk cost its length squared).
    The sum of the pieces' own counts guesses where a run ends; one count of the joined text checks
    the guess, and a galloping search corrects it when the counter is not additive (a subword
    tokenizer merging across the joiner, the joiner's own tokens).
    """
    totals = list(itertools.accumulate(counts, initial=0))
    oversized = [index for index, count in enumerate(counts) if count > max_tokens]
    start = 0
    for stop in [*oversized, len(pieces)]:
        while start < stop:
            guess = bisect.bisect_right(totals, totals[start] + max_tokens, start + 1, stop + 1) - 1

            def fits(end: int, start: int = start) -> bool:
                return end == start + 1 or count_tokens(joiner.join(pieces[start:end])) <= max_tokens

            end = _longest_fitting(fits, start + 1, guess, stop)
            yield start, end
            start = end
        if stop < len(pieces):
            yield stop, stop + 1
            start = stop + 1


def _longest_fitting(fits: Callable[[int], bool], low: int, guess: int, high: int) -> int:
    """The largest end in [low, high] that fits, searching out from `guess`; `fits(low)` holds."""
    if fits(guess):
        fitting, step = guess, 1
        while True:
            if fitting == high:
                return high
            probe = min(fitting + step, high)
            if not fits(probe):
                failing = probe
                break
            fitting, step = probe, step * 2
    else:
        failing, step = guess, 1
        while True:
            probe = max(failing - step, low)
            if fits(probe):
                fitting = probe
                break
            failing, step = probe, step * 2
    while failing - fitting > 1:
        middle = (fitting + failing) // 2
        if fits(middle):
            fitting = middle
        else:
            failing = middle
    return fitting


def _cover(spans: list[LineSpan]) -> LineSpan | None:
    if not spans:
        return None
    return (min(first for first, _ in spans), max(last for _, last in spans))


# ---------------------------------------------------------------- the Melee seed's Gaussian chunker


def sample_chunk_count(rng: np.random.Generator, mean: float, std: float, minimum: int, maximum: int) -> int:
    """Draw how many chunks to cut a guide into: int(clip(normal(mean, std), minimum, maximum))."""
    return int(np.clip(rng.normal(mean, std), minimum, maximum))


def chunk_into_n(items: Sequence[T], n: int) -> list[list[T]]:
    """Cut `items` into `n` contiguous runs whose sizes differ by at most one (longer runs first).

    `n` is capped by the number of items, so no run is empty; an empty input gives no runs.
    """
    n = max(1, min(n, len(items)))
    if not items:
        return []
    size, extra = divmod(len(items), n)
    runs: list[list[T]] = []
    start = 0
    for index in range(n):
        end = start + size + (1 if index < extra else 0)
        runs.append(list(items[start:end]))
        start = end
    return runs


def chunk_by_count(sections: Sequence[Section], n: int) -> list[Chunk]:
    """Cut a whole guide's paragraphs into `n` contiguous, nearly equal runs (see `chunk_into_n`).

    Runs may cross sections: a chunk's heading path is that of its first paragraph, and a section
    starting inside the chunk gets its heading as a Markdown line (`## Shine`) in the text.
    """
    places = [(s, p) for s, section in enumerate(sections) for p in range(len(section.paragraphs))]
    chunks: list[Chunk] = []
    for run in chunk_into_n(places, n):
        parts: list[str] = []
        spans: list[LineSpan] = []
        for position, (s, p) in enumerate(run):
            section = sections[s]
            if p == 0 and position > 0 and section.headings:
                parts.append(f"{'#' * max(section.level, 1)} {section.headings[-1]}")
            parts.append(section.paragraphs[p])
            if section.lines:
                spans.append(section.lines[p])
        first = sections[run[0][0]]
        chunks.append(Chunk(list(first.headings), "\n\n".join(parts), _cover(spans)))
    return chunks
