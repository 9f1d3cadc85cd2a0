"""`ingest.examples`: an existing dataset as a recipe's input (to check, clean or re-export it)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path
from typing import Literal

from pydantic import Field

from modsmith.errors import ModsmithError
from modsmith.example_formats import import_examples
from modsmith.records import Record, read_records
from modsmith.stage import Rejects, SourceStage, StageConfig


class IngestExamplesConfig(StageConfig):
    paths: list[str] = Field(description="JSONL files of examples.")
    format: Literal["modsmith", "auto", "alpaca", "sharegpt", "openai"] = Field(
        default="modsmith",
        description="modsmith: Example records; auto/alpaca/sharegpt/openai: imported from those formats.",
    )
    task: str = Field(default="imported", description="Task name of imported examples that have none.")


class IngestExamples(SourceStage):
    """Example files in, examples out."""

    name = "ingest.examples"
    Config = IngestExamplesConfig

    def read(self, rejects: Rejects) -> Iterator[Record]:
        config: IngestExamplesConfig = self.config
        for given in config.paths:
            if not Path(given).is_file():
                raise ModsmithError("no such file", where=given)
            if config.format == "modsmith":
                yield from read_records(given)
            else:
                yield from import_examples(given, fmt=config.format, task=config.task)

    def source_fingerprint(self) -> str:
        digest = hashlib.sha256()
        for given in self.config.paths:
            path = Path(given)
            digest.update(path.read_bytes() if path.is_file() else given.encode())
        return digest.hexdigest()[:16]
