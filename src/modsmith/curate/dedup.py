"""`curate.exact_dedup`: drop examples whose chosen turns equal an earlier example's, after
normalising case and whitespace (and optionally punctuation).

Every dedup stage keeps the first occurrence in input order and drops later ones with the reason
"dedup: exact|near|semantic duplicate"; the reject record names the kept example (`duplicate_of`)
and the detail says "of <id>". (The id is not in the reason itself, so the drop table stays one
line per kind.) Documents pass through untouched.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from typing import Any

from pydantic import Field

from modsmith.curate.example_texts import FIELDS_DESCRIPTION, Role, duplicate_reject, normalise, turn_texts
from modsmith.records import Example, Record
from modsmith.stage import RecordStage, Rejects, StageConfig


class ExactDedupConfig(StageConfig):
    fields: list[Role] = Field(default_factory=lambda: ["user", "assistant"], description=FIELDS_DESCRIPTION)
    lowercase: bool = Field(default=True, description="Compare case-insensitively.")
    strip_punctuation: bool = Field(
        default=False,
        description="Also ignore punctuation. Off by default: in code, `a + b` and `a - b` would be equal.",
    )


class ExactDedup(RecordStage):
    """Keeps the first example of each normalised text; memory is one 16-byte digest per kept example."""

    name = "curate.exact_dedup"
    Config = ExactDedupConfig

    def __init__(self, config: ExactDedupConfig | dict | None = None):
        super().__init__(config)
        self._figures: dict[str, int] = {}
        self._first: dict[bytes, str] = {}

    def key(self, example: Example) -> bytes:
        config: ExactDedupConfig = self.config
        turns = [
            (role, normalise(text, lowercase=config.lowercase, strip_punctuation=config.strip_punctuation))
            for role, text in turn_texts(example, config.fields)
        ]
        blob = json.dumps(turns, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        return hashlib.blake2b(blob, digest_size=16).digest()

    def process(self, records: Iterable[Record], rejects: Rejects) -> Iterator[Record]:
        self._first = {}
        self._figures = {"kept": 0, "duplicates": 0}
        yield from super().process(records, rejects)

    def process_one(self, record: Example, rejects: Rejects) -> Iterator[Record]:
        key = self.key(record)
        kept_id = self._first.get(key)
        if kept_id is None:
            self._first[key] = record.id
            self._figures["kept"] += 1
            yield record
        else:
            self._figures["duplicates"] += 1
            rejects.add(duplicate_reject(record, kept_id), "dedup: exact duplicate", f"of {kept_id}")

    def summary(self) -> dict[str, Any]:
        return dict(self._figures)
