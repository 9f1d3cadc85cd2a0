"""Asking the teacher about a stream of records, and reading its replies: what the judge and the
rewrite stages share."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from contextlib import closing
from itertools import islice

from modsmith.records import Record
from modsmith.teacher import ChatRequest, ChatResult

#: The sampling parameters of judging and rewriting: the likeliest reply, the same on every run.
GREEDY = {"temperature": 0.0}
THINKING = re.compile(r"<think>.*?(</think>|$)", re.DOTALL | re.IGNORECASE)


def strip_thinking(reply: str) -> str:
    """The reply without `<think>...</think>` blocks that reasoning models emit."""
    return THINKING.sub("", reply).strip()


def replies_in_order(
    teacher, records: Iterable[Record], requests_for: Callable[[Record], list[ChatRequest]]
) -> Iterator[tuple[Record, list[ChatResult]]]:
    """Each record with the teacher's replies to its requests (often none or one), in input order.
    Requests run concurrently within chunks of records (eight per request in flight, at least 64),
    so memory stays bounded."""
    chunk = max(64, teacher.config.concurrency * 8)
    iterator = iter(records)
    while batch := list(islice(iterator, chunk)):
        requests = [requests_for(record) for record in batch]
        flat = [r for group in requests for r in group]
        if not flat:
            yield from ((record, []) for record in batch)
            continue
        with closing(teacher.chat_many(flat)) as results:
            for record, group in zip(batch, requests, strict=True):
                yield record, [next(results) for _ in group]
