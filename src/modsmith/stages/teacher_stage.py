"""The base of stages that ask a teacher: opens it and reports its usage in stats.json."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from modsmith.stage import Rejects, Stage
from modsmith.teacher.backends import make_teacher
from modsmith.teacher.client import ChatResult, TeacherConfig, Usage


class TeacherStage(Stage):
    """A stage with a teacher; `summary()` gives requests sent, cache hits, retries and tokens."""

    _usage: Usage | None = None

    def open_teacher(self, config: TeacherConfig):
        teacher = make_teacher(config)
        self._usage = teacher.usage
        return teacher

    @staticmethod
    def unanswered(result: ChatResult, document_id: str, rejects: Rejects) -> bool:
        """Record a request that got no reply (refused, or given up after retries); True if so."""
        if result.error is None:
            return False
        rejects.add({"document": document_id, "reply": None, "error": result.error}, result.failure_reason)
        return True

    def summary(self) -> dict[str, Any]:
        return {"teacher": asdict(self._usage)} if self._usage is not None else {}
