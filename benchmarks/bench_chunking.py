"""Benchmark `ingest.text` on one huge paragraph: words/s at 1 MB and 10 MB, and their ratio.

    python benchmarks/bench_chunking.py               # 1 MB and 10 MB
    python benchmarks/bench_chunking.py --mb 1 40     # other sizes

The paragraph has no line or sentence breaks, so the paragraph chunker splits it down to words,
the case that used to cost about 30 µs a word (each word re-counted its whole chunk so far). Each
size is run through the whole stage (read, clean, chunk, count) with both chunkers; a ratio near
1.0 between the sizes' words/s means the cost is linear.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from pathlib import Path

from modsmith.ingest.text import IngestText
from modsmith.stage import Rejects

WORDS = ["shine", "wavedash", "ledge", "dash", "multishine", "frame", "perfect", "x", "out", "of"]


def write_paragraph(path: Path, megabytes: float) -> int:
    """Write one paragraph of about `megabytes` MB of words; return the word count."""
    rng = random.Random(0)
    target = int(megabytes * 1_000_000)
    words: list[str] = []
    size = 0
    while size < target:
        word = rng.choice(WORDS)
        words.append(word)
        size += len(word) + 1
    path.write_text("# Huge\n\n" + " ".join(words) + "\n", encoding="utf-8")
    return len(words)


def words_per_second(path: Path, words: int, chunker: str) -> tuple[float, int]:
    stage = IngestText({"paths": [str(path)], "chunker": chunker, "max_tokens": 512})
    started = time.perf_counter()
    chunks = sum(1 for _ in stage.process([], Rejects()))
    return words / (time.perf_counter() - started), chunks


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, nargs=2, default=[1.0, 10.0], help="the two sizes, in MB")
    args = parser.parse_args()
    small_mb, large_mb = args.mb
    with tempfile.TemporaryDirectory() as tmp:
        for chunker in ("paragraphs", "gaussian"):
            rates = []
            for megabytes in (small_mb, large_mb):
                path = Path(tmp) / f"huge-{megabytes}.md"
                words = write_paragraph(path, megabytes)
                rate, chunks = words_per_second(path, words, chunker)
                rates.append(rate)
                print(
                    f"{chunker:10s} {megabytes:6.1f} MB  {words:>11,} words  {chunks:>7,} chunks  "
                    f"{rate:>12,.0f} words/s  {1e6 / rate:6.2f} µs/word"
                )
            print(f"{chunker:10s} words/s at {large_mb:g} MB / at {small_mb:g} MB: {rates[1] / rates[0]:.2f}")


if __name__ == "__main__":
    main()
