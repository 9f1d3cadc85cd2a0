"""The teacher a config's `backend` asks for: the OpenAI-compatible HTTP client, or a transformers
model in this process."""

from __future__ import annotations

from modsmith.teacher.client import TeacherClient, TeacherConfig
from modsmith.teacher.local_model import TransformersTeacher


def make_teacher(config: TeacherConfig):
    """The teacher a config asks for."""
    if config.backend == "transformers":
        return TransformersTeacher(config)
    return TeacherClient(config)
