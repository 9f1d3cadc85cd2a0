"""Teacher throughput: the seeds' sequential loop vs modsmith's concurrent, cached client, and
modsmith with and without server faults.

    python benchmarks/bench_teacher.py [--requests 200] [--latency 0.1] [--concurrency 32]
                                       [--fault-requests 300] [--fault-concurrency 16] [--seed 0]
                                       [--faults-only]

A loopback OpenAI-compatible server (its own process, as a real server would be) answers
every request after `--latency` seconds with one Q/A pair. Measured in one run, side by side:
(a) a sequential loop posting one chunk at a time and parsing the reply (what the seed scripts
do); (b) the `synth.guide_qa` stage at the given concurrency with an empty cache; (c) the same
stage again on the warm cache, counting the HTTP requests it sends (must be zero).
Then, at `--fault-concurrency`, each on a fresh server and cache: (d) the stage against a clean
server; (e) the same against a server answering a seeded 20% of attempts 429 (`Retry-After: 1`)
and 10% 500. The server reports how many requests it handled at once (mean and most).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from modsmith.records import Document, Provenance
from modsmith.stage import Rejects
from modsmith.synth import GuideQA
from modsmith.synth.qa_parsing import parse_qa_pairs

ONE_PAIR = '[{"question": "What should I practise?", "answer": "Short hops, every day."}]'


FAULTS = ["--fault-429", "0.2", "--fault-500", "0.1", "--retry-after", "1"]


@contextmanager
def loopback_server(latency: float, *options: str) -> Iterator[str]:
    """A loopback chat server in a subprocess; yields its base URL."""
    command = [
        sys.executable,
        "-m",
        "modsmith.teacher.loopback",
        "--latency",
        str(latency),
        "--reply",
        ONE_PAIR,
        *options,
    ]
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    try:
        yield proc.stdout.readline().strip()
    finally:
        proc.kill()
        proc.wait()


def server_stats(base_url: str) -> dict:
    return httpx.get(f"{base_url}/stats").json()


def requests_received(base_url: str) -> int:
    return server_stats(base_url)["requests"]


def chunks(count: int) -> list[Document]:
    return [
        Document(
            id=f"c{i}",
            kind="text",
            text=f"Chunk {i}: short hop, shine, wavedash and ledge drills.",
            provenance=Provenance(source="bench", path="guide.md"),
            meta={"headings": [f"Part {i}"]},
        )
        for i in range(count)
    ]


def sequential(base_url: str, docs: list[Document]) -> tuple[float, int]:
    started = time.perf_counter()
    made = 0
    with httpx.Client(timeout=60) as client:
        for doc in docs:
            body = {
                "model": "t",
                "messages": [{"role": "user", "content": f"Write Q/A pairs about: {doc.text}"}],
            }
            reply = client.post(f"{base_url}/chat/completions", json=body).json()
            made += len(parse_qa_pairs(reply["choices"][0]["message"]["content"]))
    return time.perf_counter() - started, made


def staged(base_url: str, docs: list[Document], cache: Path, concurrency: int) -> tuple[float, int]:
    teacher = {"base_url": base_url, "model": "t", "cache": str(cache), "concurrency": concurrency}
    started = time.perf_counter()
    made = sum(1 for _ in GuideQA({"teacher": teacher}).process(docs, Rejects()))
    return time.perf_counter() - started, made


def clean_and_faulty(count: int, latency: float, concurrency: int, seed: int) -> None:
    """(d) and (e): the stage against a clean server and a faulty one, each fresh."""
    docs = chunks(count)
    rows = []
    for label, options in [
        ("(d) clean server", []),
        ("(e) 20% 429, 10% 500", [*FAULTS, "--seed", str(seed)]),
    ]:
        with tempfile.TemporaryDirectory() as tmp, loopback_server(latency, *options) as base_url:
            seconds, made = staged(base_url, docs, Path(tmp) / "cache.sqlite", concurrency)
            rows.append((label, seconds, made, server_stats(base_url)))
    print(f"\n{count} chunks, {latency * 1000:.0f} ms per request, concurrency {concurrency}, seed {seed}")
    print(f"{'':24}{'seconds':>9}{'examples':>10}{'requests':>10}   requests in flight at the server")
    for label, seconds, made, stats in rows:
        print(
            f"{label:24}{seconds:9.2f}{made:10}{stats['requests']:10}   "
            f"mean {stats['in_flight_mean']:4.1f}, most {stats['in_flight_most']}, "
            f"mean until the last new request {stats['in_flight_mean_sending']:4.1f}"
        )
    print(f"faults / clean: {rows[1][1] / rows[0][1]:.2f}x  (target <= 3x)")
    print(
        f"longest retrying of one request (first try to last, at the server): "
        f"{rows[1][3]['longest_retrying']:.2f} s"
    )


def throughput(requests: int, latency: float, concurrency: int) -> None:
    """(a), (b) and (c) against one clean server."""
    docs = chunks(requests)
    with tempfile.TemporaryDirectory() as tmp, loopback_server(latency) as base_url:
        seq_s, seq_n = sequential(base_url, docs)
        cold_s, cold_n = staged(base_url, docs, Path(tmp) / "cache.sqlite", concurrency)
        before = requests_received(base_url)
        warm_s, warm_n = staged(base_url, docs, Path(tmp) / "cache.sqlite", concurrency)
        warm_requests = requests_received(base_url) - before
    print(f"{requests} chunks, {latency * 1000:.0f} ms per request, concurrency {concurrency}")
    print(f"{'':28}{'seconds':>9}{'examples':>10}{'examples/s':>12}")
    for label, seconds, made in [
        ("(a) sequential loop", seq_s, seq_n),
        ("(b) modsmith, cold cache", cold_s, cold_n),
        ("(c) modsmith, warm cache", warm_s, warm_n),
    ]:
        print(f"{label:28}{seconds:9.2f}{made:10}{made / seconds:12.1f}")
    print(f"speed-up (b)/(a): {seq_s / cold_s:.1f}x  (target >= 20x)")
    print(f"HTTP requests sent by the warm rerun: {warm_requests}  (target 0)")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--latency", type=float, default=0.1)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--fault-requests", type=int, default=300)
    parser.add_argument("--fault-concurrency", type=int, default=16)
    parser.add_argument("--seed", type=int, default=0, help="Seed of the server's fault draws.")
    parser.add_argument("--faults-only", action="store_true", help="Only (d) and (e).")
    args = parser.parse_args()
    if not args.faults_only:
        throughput(args.requests, args.latency, args.concurrency)
    clean_and_faulty(args.fault_requests, args.latency, args.fault_concurrency, args.seed)


if __name__ == "__main__":
    main()
