"""The base of stages that ask a teacher: opens it, reports its usage in stats.json, and streams
the replies about the records the stage handles with the other records in their place."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict
from typing import Any

from modsmith.records import Record
from modsmith.stage import Rejects, Stage
from modsmith.teacher.backends import make_teacher
from modsmith.teacher.client import ChatRequest, ChatResult, TeacherConfig, Usage

#: What prompts call the game when a recipe does not name it.
GAME = "the game"


class TeacherStage(Stage):
    """A stage with a teacher; `summary()` gives requests sent, cache hits, retries and tokens."""

    _usage: Usage | None = None

    def open_teacher(self, config: TeacherConfig):
        teacher = make_teacher(config)
        self._usage = teacher.usage
        return teacher

    def ask(
        self,
        teacher,
        records: Iterable[Record],
        rejects: Rejects,
        requests_for: Callable[[Record], Iterable[ChatRequest]],
        made_from: Callable[[ChatResult], Iterable[Record]],
    ) -> Iterator[Record]:
        """What the replies to each handled record's requests make (`made_from`), in input order,
        with the records the stage does not handle passed through or rejected in their place.

        Handled records in a row share one `chat_many`, so their requests run concurrently; a
        record passing through waits only for the replies before it, and memory stays bounded.
        """
        for handled, run in itertools.groupby(records, key=self.handles_record):
            if not handled:
                for record in run:
                    yield from self.unhandled(record, rejects)
                continue
            requests = (request for record in run for request in requests_for(record))
            for result in teacher.chat_many(requests):
                yield from made_from(result)

    @staticmethod
    def unanswered(result: ChatResult, document_id: str, rejects: Rejects) -> bool:
        """Record a request that got no reply (refused, or given up after retries); True if so."""
        if result.error is None:
            return False
        rejects.add({"document": document_id, "reply": None, "error": result.error}, result.failure_reason)
        return True

    def summary(self) -> dict[str, Any]:
        return {"teacher": asdict(self._usage)} if self._usage is not None else {}
