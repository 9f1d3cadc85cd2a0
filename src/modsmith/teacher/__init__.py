"""The one client for language models: OpenAI-compatible HTTP and in-process transformers."""

from modsmith.teacher.backends import make_teacher
from modsmith.teacher.client import ChatRequest, ChatResult, TeacherClient, TeacherConfig
from modsmith.teacher.local_model import TransformersTeacher
from modsmith.teacher.templates import load_template, render

__all__ = [
    "ChatRequest",
    "ChatResult",
    "TeacherClient",
    "TeacherConfig",
    "TransformersTeacher",
    "load_template",
    "make_teacher",
    "render",
]
