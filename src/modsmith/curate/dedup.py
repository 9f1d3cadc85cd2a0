"""`curate.exact_dedup`: drop examples whose chosen turns equal an earlier example's, after
normalising case and whitespace (and optionally punctuation). Also the text selection the near
and semantic dedup stages share.

Every dedup stage keeps the first occurrence in input order and drops later ones with the reason
"dedup: exact|near|semantic duplicate"; the reject record names the kept example (`duplicate_of`)
and the detail says "of <id>". (The id is not in the reason itself, so the drop table stays one
line per kind.) Documents pass through untouched.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Iterator
from typing import Any, Literal

from pydantic import Field

from modsmith.records import Example, Record
from modsmith.stage import Rejects, Stage, StageConfig

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


class ExactDedupConfig(StageConfig):
    fields: list[Role] = Field(default_factory=lambda: ["user", "assistant"], description=FIELDS_DESCRIPTION)
    lowercase: bool = Field(default=True, description="Compare case-insensitively.")
    strip_punctuation: bool = Field(
        default=False,
        description="Also ignore punctuation. Off by default: in code, `a + b` and `a - b` would be equal.",
    )


class ExactDedup(Stage):
    """Keeps the first example of each normalised text; memory is one 16-byte digest per kept example."""

    name = "curate.exact_dedup"
    Config = ExactDedupConfig

    def __init__(self, config=None, **kwargs):
        super().__init__(config, **kwargs)
        self._figures: dict[str, int] = {}

    def key(self, example: Example) -> bytes:
        config: ExactDedupConfig = self.config
        turns = [
            (role, normalise(text, lowercase=config.lowercase, strip_punctuation=config.strip_punctuation))
            for role, text in turn_texts(example, config.fields)
        ]
        blob = json.dumps(turns, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        return hashlib.blake2b(blob, digest_size=16).digest()

    def process(self, records: Iterable[Record], rejects: Rejects) -> Iterator[Record]:
        first: dict[bytes, str] = {}
        figures = self._figures = {"kept": 0, "duplicates": 0}
        for record in records:
            if not isinstance(record, Example):
                yield record
                continue
            key = self.key(record)
            kept_id = first.get(key)
            if kept_id is None:
                first[key] = record.id
                figures["kept"] += 1
                yield record
            else:
                figures["duplicates"] += 1
                rejects.add(duplicate_reject(record, kept_id), "dedup: exact duplicate", f"of {kept_id}")

    def summary(self) -> dict[str, Any]:
        return dict(self._figures)
