"""`synth.guide_qa`: the Melee seed's self-instruct method over guide chunks.

Each chunk gets a prompt with seeded variation knobs (technical or not; lengthy, concise or
neither) asking the teacher for several question/answer pairs; the reply is parsed whatever its
shape. A reply with no readable pair is dropped with the raw reply, so a bad run explains itself.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterable, Iterator
from typing import Any

from pydantic import Field

from modsmith.records import Document, Example, Message, Record, content_id
from modsmith.stage import Rejects, StageConfig
from modsmith.stages.teacher_stage import GAME, TeacherStage
from modsmith.synth.qa_parsing import parse_qa_pairs
from modsmith.teacher import ChatRequest, ChatResult, TeacherConfig, load_template, render


class GuideQAConfig(StageConfig):
    teacher: TeacherConfig = Field(description="The teacher model and endpoint.")
    game: str = Field(default=GAME, description="The game's name, used in the prompt.")
    system: str = Field(
        default="You are an expert player and coach who gives accurate, specific advice.",
        description="System prompt of the examples made.",
    )
    prompt_template: str | None = Field(
        default=None, description="Path of a Jinja template replacing the shipped synth/prompts/guide_qa.j2."
    )
    pairs_per_chunk: int = Field(default=3, ge=1, le=50, description="Pairs asked for per chunk.")
    target_per_source: int | None = Field(
        default=None,
        ge=1,
        description="Aim for this many examples per guide file: pairs per chunk become "
        "ceil(target / chunks in the file), capped by max_pairs_per_chunk.",
    )
    max_pairs_per_chunk: int = Field(
        default=10, ge=1, description="Upper bound when target_per_source is set."
    )
    technical_probability: float = Field(
        default=0.5, ge=0, le=1, description="Chance a prompt asks for technical Q&A."
    )
    length_weights: dict[str, float] = Field(
        default_factory=lambda: {"lengthy": 1.0, "concise": 1.0, "neither": 1.0},
        description="Relative chances of asking for lengthy, concise or unspecified answers.",
    )
    seed: int = Field(default=0, description="Seed of the variation knobs (per chunk, stable across runs).")
    keep_context: bool = Field(
        default=True, description="Keep the chunk text in meta.context, for judges that check faithfulness."
    )


class GuideQA(TeacherStage):
    """Guide chunks (text documents) in, guide.qa examples out."""

    name = "synth.guide_qa"
    Config = GuideQAConfig
    max_drop_share = 0.5
    handles = (Document,)
    document_kinds = frozenset({"text"})
    passes_through = (Example,)

    def knobs(self, doc: Document) -> dict[str, Any]:
        """The variation of one chunk's prompt, drawn from a generator seeded by the chunk."""
        config: GuideQAConfig = self.config
        rng = random.Random(content_id(config.seed, doc.id))
        lengths = list(config.length_weights)
        return {
            "technical": rng.random() < config.technical_probability,
            "length": rng.choices(lengths, weights=[config.length_weights[k] for k in lengths])[0],
        }

    def pairs_for(self, doc: Document) -> int:
        config: GuideQAConfig = self.config
        if config.target_per_source is None:
            return config.pairs_per_chunk
        chunks = max(1, int(doc.meta.get("chunk_count") or 1))
        return max(1, min(config.max_pairs_per_chunk, math.ceil(config.target_per_source / chunks)))

    def process(self, records: Iterable[Record], rejects: Rejects) -> Iterator[Record]:
        config: GuideQAConfig = self.config
        template = load_template("synth/prompts/guide_qa.j2", config.prompt_template)
        teacher = self.open_teacher(config.teacher)

        def requests_for(doc: Document) -> Iterator[ChatRequest]:
            knobs = self.knobs(doc)
            prompt = render(
                template,
                game=config.game,
                passage=doc.text,
                pairs=self.pairs_for(doc),
                title=doc.meta.get("title"),
                headings=doc.meta.get("headings") or [],
                **knobs,
            )
            yield ChatRequest([{"role": "user", "content": prompt}], tag=(doc, knobs))

        try:
            yield from self.ask(teacher, records, rejects, requests_for, lambda r: self._examples(r, rejects))
        finally:
            teacher.close()

    def _examples(self, result: ChatResult, rejects: Rejects) -> Iterator[Example]:
        config: GuideQAConfig = self.config
        doc, knobs = result.request.tag
        if self.unanswered(result, doc.id, rejects):
            return
        pairs = parse_qa_pairs(result.content or "")
        if not pairs:
            reason = (
                "guide.qa: empty reply"
                if not (result.content or "").strip()
                else "guide.qa: no Q/A pairs in the reply"
            )
            rejects.add({"document": doc.id, "reply": result.content}, reason)
            return
        for index, (question, answer) in enumerate(pairs):
            meta = {"documents": [doc.id], "teacher": config.teacher.model, "prompt": knobs, "pair": index}
            if config.keep_context:
                meta["context"] = doc.text
            messages = [
                Message(role="system", content=config.system),
                Message(role="user", content=question),
                Message(role="assistant", content=answer),
            ]
            yield Example.create("guide.qa", messages, [doc.provenance], meta)
