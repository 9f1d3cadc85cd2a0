"""The base of stages that ask a teacher: opens it and reports its usage in stats.json."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from modsmith.stage import Stage
from modsmith.teacher.client import TeacherConfig, Usage
from modsmith.teacher.local_model import make_teacher


class TeacherStage(Stage):
    """A stage with a teacher; `summary()` gives requests sent, cache hits, retries and tokens."""

    _usage: Usage | None = None

    def open_teacher(self, config: TeacherConfig):
        teacher = make_teacher(config)
        self._usage = teacher.usage
        return teacher

    def summary(self) -> dict[str, Any]:
        return {"teacher": asdict(self._usage)} if self._usage is not None else {}
