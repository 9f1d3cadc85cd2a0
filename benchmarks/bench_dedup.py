"""Benchmark `curate.near_dedup` on synthetic Q/A examples with planted near duplicates.

    python benchmarks/bench_dedup.py                      # 200,000 examples, 10,000 planted pairs
    python benchmarks/bench_dedup.py --examples 20000 --pairs 1000 --unit word

Each example is a question of 8-20 words and an answer of 50-130 words drawn from a 6,000-word
synthetic vocabulary with Zipf frequencies (seeded, so every run sees the same data). A planted
duplicate copies an earlier example and changes 1-3 words (a word replaced, or two neighbours
swapped); it appears later in the stream than its original. Examples are generated on the fly, so
the memory measured is the stage's. Prints the time of generation alone and of generation plus
dedup, peak RSS, recall of planted pairs (dropped as a duplicate of their own original), by number
of edits, false positives (drops that are not planted duplicates, counted over all examples) and
the true shingle Jaccard of a sample of planted pairs.
"""

from __future__ import annotations

import argparse
import random
import resource
import statistics
import time
from collections import Counter
from collections.abc import Iterator

from modsmith.curate.near_dedup import NearDedup, shingle_hashes
from modsmith.records import Example, Message
from modsmith.stage import Rejects

SYLLABLES = [c + v for c in "bcdfghjklmnprstvwz" for v in ("a", "e", "i", "o", "u", "ai", "ou")]
STARTS = ["How do I", "What is the best way to", "Why does", "When should I", "Which", "Can you explain"]


def vocabulary(rng: random.Random, size: int = 6000) -> tuple[list[str], list[float]]:
    """Distinct pseudo-words and their cumulative Zipf weights."""
    words: dict[str, None] = {}
    while len(words) < size:
        words["".join(rng.choices(SYLLABLES, k=rng.randint(1, 4)))] = None
    weights = [1.0 / (rank + 1) for rank in range(size)]
    cumulative, total = [], 0.0
    for weight in weights:
        total += weight
        cumulative.append(total)
    return list(words), cumulative


class Corpus:
    """Example `i` is generated from its own seeded RNG, so any example can be made again."""

    def __init__(self, examples: int, pairs: int, seed: int):
        rng = random.Random(seed)
        self.seed = seed
        self.words, self.cumulative = vocabulary(rng)
        positions = rng.sample(range(examples // 20, examples), pairs)
        self.original_of: dict[int, int] = {}
        planted = set(positions)
        for position in sorted(positions):
            original = rng.randrange(position)
            while original in planted:
                original = rng.randrange(position)
            self.original_of[position] = original
        self.examples = examples
        self.edits: dict[int, int] = {}

    def texts(self, index: int) -> tuple[list[str], list[str]]:
        rng = random.Random(self.seed * 1_000_003 + index)
        question = rng.choices(self.words, cum_weights=self.cumulative, k=rng.randint(8, 20))
        answer = rng.choices(self.words, cum_weights=self.cumulative, k=rng.randint(50, 130))
        return question, answer

    def planted(self, position: int) -> tuple[list[str], list[str]]:
        """The original's text with 1-3 edits: a word replaced, or two different neighbours swapped."""
        question, answer = self.texts(self.original_of[position])
        rng = random.Random(self.seed * 7_000_003 + position)
        edits = rng.randint(1, 3)
        self.edits[position] = edits
        for _ in range(edits):
            words = question if rng.random() < len(question) / (len(question) + len(answer)) else answer
            at = rng.randrange(len(words) - 1)
            if rng.random() < 0.5 and words[at] != words[at + 1]:
                words[at], words[at + 1] = words[at + 1], words[at]
            else:
                replacement = words[at]
                while replacement == words[at]:
                    replacement = rng.choice(self.words)
                words[at] = replacement
        return question, answer

    def example(self, index: int) -> Example:
        question, answer = self.planted(index) if index in self.original_of else self.texts(index)
        start = STARTS[index % len(STARTS)]
        messages = [
            Message(role="user", content=f"{start} {' '.join(question)}?"),
            Message(role="assistant", content=" ".join(answer).capitalize() + "."),
        ]
        return Example.create("bench.qa", messages)

    def stream(self) -> Iterator[Example]:
        for index in range(self.examples):
            yield self.example(index)


def true_jaccard(a: Example, b: Example, unit: str, size: int) -> float:
    def shingles(example: Example) -> set[int]:
        text = " ".join(" ".join(m.content.lower().split()) for m in example.messages)
        return set(shingle_hashes(text, unit, size).tolist())

    left, right = shingles(a), shingles(b)
    return len(left & right) / len(left | right)


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=200_000)
    parser.add_argument("--pairs", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--unit", choices=["char", "word"], default="char")
    parser.add_argument("--shingle", type=int, default=5)
    parser.add_argument("--threshold", type=float, default=0.8)
    args = parser.parse_args()

    corpus = Corpus(args.examples, args.pairs, args.seed)
    stage = NearDedup({"shingle_unit": args.unit, "shingle": args.shingle, "threshold": args.threshold})
    print(f"examples {args.examples:,}, planted pairs {args.pairs:,}, config {stage.config.model_dump()}")

    started = time.perf_counter()
    words = sum(len(m.content.split()) for e in corpus.stream() for m in e.messages)
    generate_s = time.perf_counter() - started
    print(f"generation alone: {generate_s:.1f} s, mean {words / args.examples:.0f} words per example")
    rss_before = peak_rss_mb()

    dropped: dict[str, str] = {}
    rejects = Rejects(
        sink=lambda entry: dropped.__setitem__(
            entry["record"]["example"]["id"], entry["record"]["duplicate_of"]
        )
    )
    started = time.perf_counter()
    kept = sum(1 for _ in stage.process(corpus.stream(), rejects))
    total_s = time.perf_counter() - started
    rss_after = peak_rss_mb()

    hits, wrong_original = Counter(), 0
    planted_ids = {}
    for position, original in corpus.original_of.items():
        planted_ids[corpus.example(position).id] = (corpus.example(original).id, corpus.edits[position])
    for dup_id, (original_id, edits) in planted_ids.items():
        if dropped.get(dup_id) == original_id:
            hits[edits] += 1
        elif dup_id in dropped:
            wrong_original += 1
    by_edits = Counter(edits for _, edits in planted_ids.values())
    false_positives = sum(1 for example_id in dropped if example_id not in planted_ids)

    sample = random.Random(args.seed).sample(sorted(corpus.original_of), min(1000, args.pairs))
    jaccards = [
        true_jaccard(corpus.example(p), corpus.example(corpus.original_of[p]), args.unit, args.shingle)
        for p in sample
    ]
    print(
        f"dedup (generation included): {total_s:.1f} s, dedup alone ~{total_s - generate_s:.1f} s, "
        f"{args.examples / total_s:,.0f} examples/s"
    )
    print(f"kept {kept:,}, dropped {len(dropped):,}; summary {stage.summary()}")
    print(
        f"peak RSS {rss_after:,.0f} MB (before dedup {rss_before:,.0f} MB, "
        f"growth {rss_after - rss_before:,.0f} MB)"
    )
    recall = sum(hits.values()) / len(planted_ids)
    per_edit = ", ".join(f"{n} edit(s) {hits[n] / by_edits[n]:.3f}" for n in sorted(by_edits))
    print(f"recall of planted pairs {recall:.4f} ({per_edit}); matched to another example {wrong_original}")
    print(
        f"false positives (non-planted examples dropped): {false_positives} of {args.examples - args.pairs:,}"
    )
    quantiles = statistics.quantiles(jaccards, n=20)
    print(
        f"true {args.shingle}-{args.unit} Jaccard of {len(jaccards)} planted pairs: min {min(jaccards):.3f}, "
        f"5% {quantiles[0]:.3f}, median {statistics.median(jaccards):.3f}; "
        f"below threshold {sum(j < args.threshold for j in jaccards)}"
    )


if __name__ == "__main__":
    main()
