"""The text of an example that curate stages compare, judge and rewrite: chosen turns, normalised
text, question and answer; and the reject record of a dropped duplicate (shared by the exact, near
and semantic dedup stages)."""

from __future__ import annotations

import re
from typing import Any, Literal

from modsmith.records import Example

Role = Literal["system", "user", "assistant"]
FIELDS_DESCRIPTION = (
    "Which turns are compared: the text of every turn with one of these roles (a user turn's "
    "`input` block included). The default compares question and answer together."
)
PUNCTUATION = re.compile(r"[^\w\s]+")


def turn_texts(example: Example, fields: list[Role]) -> list[tuple[str, str]]:
    """(role, text) of the example's turns whose role is among `fields`, in order."""
    chosen = set(fields)
    return [
        (m.role, m.content if m.input is None else f"{m.content}\n{m.input}")
        for m in example.messages
        if m.role in chosen
    ]


def normalise(text: str, *, lowercase: bool = True, strip_punctuation: bool = False) -> str:
    """Lowercased, punctuation optionally removed, runs of whitespace collapsed to one space."""
    if lowercase:
        text = text.lower()
    if strip_punctuation:
        text = PUNCTUATION.sub(" ", text)
    return " ".join(text.split())


def duplicate_reject(example: Example, kept_id: str, **figures: Any) -> dict[str, Any]:
    """The reject record of a duplicate: the kept example's id first, then the dropped example."""
    return {"duplicate_of": kept_id, **figures, "example": example.model_dump(exclude_none=True)}


def question_and_answer(example: Example) -> tuple[str, str]:
    """The user turns and the assistant turns, each joined."""
    question = "\n".join(text for _, text in turn_texts(example, ["user"]))
    return question, "\n".join(text for _, text in turn_texts(example, ["assistant"]))
