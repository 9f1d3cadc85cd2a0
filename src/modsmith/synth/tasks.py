"""The `synth.tasks` stage: the deterministic task builders over code and guide documents."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Literal

from pydantic import Field

from modsmith.records import Document, Example, Record
from modsmith.stage import Rejects, Stage, StageConfig
from modsmith.synth.code_context import CODE_SYSTEM
from modsmith.synth.code_tasks import code_tasks
from modsmith.synth.guide_tasks import section_questions

TaskName = Literal["code.explain", "code.implement", "code.macro", "guide.section"]


class SynthTasksConfig(StageConfig):
    tasks: list[TaskName] = Field(
        default_factory=lambda: ["code.explain", "code.implement", "code.macro", "guide.section"],
        description="Which tasks to build. code.explain needs a doc comment; code.implement gives the "
        "signature, doc and surrounding header; code.macro asks what a #define takes and expands to; "
        "guide.section turns a guide's section heading into a question answered by the section.",
    )
    code_system: str = Field(default=CODE_SYSTEM, description="System prompt of code examples.")
    guide_system: str = Field(
        default="You are an experienced player who explains techniques clearly and accurately.",
        description="System prompt of guide examples.",
    )
    min_doc_words: int = Field(default=3, ge=1, description="Shorter doc comments are not explained.")
    max_implement_lines: int = Field(default=150, ge=1, description="Longer functions get no implement task.")
    header_context_lines: int = Field(default=60, ge=0, description="Most header lines shown to implement.")
    min_section_words: int = Field(default=20, ge=1, description="Shorter guide sections are skipped.")


class SynthTasks(Stage):
    """Code and guide documents in, examples out, with no model; examples in the input pass through."""

    name = "synth.tasks"
    Config = SynthTasksConfig
    handles = (Document,)
    document_kinds = frozenset({"code", "text"})
    passes_through = (Example,)

    def process(self, records: Iterable[Record], rejects: Rejects) -> Iterator[Record]:
        config: SynthTasksConfig = self.config
        tasks = set(config.tasks)
        code: list[Document] = []  # held: code.implement shows a function's header
        text: list[Document] = []
        for record in records:
            if not self.handles_record(record):
                yield from self.unhandled(record, rejects)
            elif record.kind == "code":
                code.append(record)
            else:
                text.append(record)
        yield from code_tasks(
            code,
            tasks,
            rejects,
            system=config.code_system,
            min_doc_words=config.min_doc_words,
            max_implement_lines=config.max_implement_lines,
            header_context_lines=config.header_context_lines,
        )
        if "guide.section" in tasks:
            yield from section_questions(
                text, rejects, system=config.guide_system, min_section_words=config.min_section_words
            )
        else:
            for doc in text:
                rejects.add(doc, "guide.section not among the tasks")
