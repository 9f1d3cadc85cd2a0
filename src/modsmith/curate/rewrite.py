"""`curate.rewrite`: an LLM rewrite of answers that talk about their source ("the guide says...",
"the author recommends...") into direct advice, as in the Melee seed's cleaning pass.

Only turns matching `match` are sent. A rewrite replaces the turn unless it is empty, much shorter
than the original, or still matches `match`; then the original stays and the check says why. A
rewritten example gets a new content id; the old turns are kept in `meta["before_rewrite"]`.
Nothing is dropped.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any, Literal

from pydantic import Field, field_validator

from modsmith.curate.example_texts import question_and_answer
from modsmith.curate.teacher_replies import GREEDY, replies_in_order, strip_thinking
from modsmith.records import Check, Example, Record, content_id
from modsmith.stage import Rejects, StageConfig
from modsmith.stages.teacher_stage import GAME, TeacherStage
from modsmith.teacher import ChatRequest, ChatResult, TeacherConfig, load_template, render

DEFAULT_TEMPLATE = "curate/prompts/rewrite_no_source_mentions.j2"
SOURCE_MENTION = (
    r"(?i)\b(?:the|this|that|our|my)\s+(?:guides?|authors?|writers?|text|article|passage|document|"
    r"source|excerpt|chunk)\b|\baccording to (?:the|this)\b"
)
LABEL = re.compile(r"^\s*(?:fixed|rewritten(?: text| answer| question)?|answer|question|a|q)\s*:\s*", re.I)


def clean_reply(reply: str) -> str:
    """The rewritten text from a reply: no thinking block, no leading label, no wrapping quotes."""
    text = LABEL.sub("", strip_thinking(reply), count=1).strip()
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "\"'":
        text = text[1:-1].strip()
    return text


class RewriteConfig(StageConfig):
    teacher: TeacherConfig = Field(description="The model that rewrites (see the teacher section).")
    match: str = Field(
        default=SOURCE_MENTION,
        description="Regular expression: only turns it matches are rewritten, and a rewrite that still "
        "matches is refused. The default finds 'the guide', 'the author', 'this text', 'according to the'...",
    )
    turns: list[Literal["user", "assistant"]] = Field(
        default_factory=lambda: ["assistant"],
        description="Which turns may be rewritten: the answer by default; add `user` for questions "
        "such as 'What does the guide recommend...?'.",
    )
    prompt_template: str | None = Field(
        default=None,
        description="Path of a Jinja template replacing the shipped one. It gets `text` (the turn), "
        "`role`, `question`, `answer`, `game` and `meta`, and must ask for the rewritten text only.",
    )
    game: str = Field(default=GAME, description="The game's name, as the prompt calls it.")
    system: str | None = Field(default=None, description="System message sent before the prompt, if any.")
    params: dict[str, Any] = Field(
        default_factory=lambda: dict(GREEDY),
        description="Sampling parameters for the rewrite requests (over the teacher's).",
    )
    min_length_ratio: float = Field(
        default=0.5,
        ge=0.0,
        le=1.0,
        description="A rewrite shorter than this share of the original (in characters) is refused.",
    )
    name: str = Field(default="rewrite", description="Key of the check in `example.checks`.")

    @field_validator("match")
    @classmethod
    def _compiles(cls, value: str) -> str:
        try:
            re.compile(value)
        except re.error as exc:
            raise ValueError(f"not a valid regular expression: {exc}") from None
        return value


class Rewrite(TeacherStage):
    """Rewrites turns that mention their source; keeps the original when the rewrite is bad."""

    name = "curate.rewrite"
    Config = RewriteConfig

    def __init__(self, config: RewriteConfig | dict | None = None):
        super().__init__(config)
        self.pattern = re.compile(self.config.match)
        self.template = load_template(DEFAULT_TEMPLATE, self.config.prompt_template)
        self._figures: dict[str, int] = {}

    def targets(self, example: Example) -> list[int]:
        """Indexes of the turns to rewrite."""
        roles = set(self.config.turns)
        return [
            i for i, m in enumerate(example.messages) if m.role in roles and self.pattern.search(m.content)
        ]

    def request(self, example: Example, index: int) -> ChatRequest:
        config: RewriteConfig = self.config
        question, answer = question_and_answer(example)
        message = example.messages[index]
        prompt = render(
            self.template,
            text=message.content,
            role=message.role,
            question=question,
            answer=answer,
            game=config.game,
            meta=example.meta,
        )
        messages = [{"role": "system", "content": config.system}] if config.system else []
        return ChatRequest(messages + [{"role": "user", "content": prompt}], dict(config.params))

    def process(self, records: Iterable[Record], rejects: Rejects) -> Iterator[Record]:
        config: RewriteConfig = self.config
        self._figures = {"sent": 0, "rewritten": 0, "kept_original": 0}
        teacher = self.open_teacher(config.teacher)

        def requests_for(record: Record) -> list[ChatRequest]:
            if not self.handles_record(record):
                return []
            return [self.request(record, index) for index in self.targets(record)]

        try:
            for record, results in replies_in_order(teacher, records, requests_for):
                if not self.handles_record(record):
                    yield from self.unhandled(record, rejects)
                else:
                    yield self._rewritten(record, results) if results else record
        finally:
            teacher.close()

    def refusal(self, original: str, result: ChatResult) -> str | None:
        """Why a rewrite cannot replace the original, or None when it can."""
        if result.error:
            return f"no reply from the teacher: {result.error}"
        text = clean_reply(result.content or "")
        if not text:
            return "the rewrite is empty"
        ratio = len(text) / max(1, len(original))
        if ratio < self.config.min_length_ratio:
            return f"the rewrite is much shorter ({ratio:.0%} of the original)"
        if self.pattern.search(text):
            return "the rewrite still mentions the source"
        return None

    def _rewritten(self, example: Example, results: list[ChatResult]) -> Example:
        messages = list(example.messages)
        before, problems = [], []
        for index, result in zip(self.targets(example), results, strict=True):
            self._figures["sent"] += 1
            original = messages[index]
            problem = self.refusal(original.content, result)
            if problem is not None:
                self._figures["kept_original"] += 1
                problems.append(problem)
                continue
            self._figures["rewritten"] += 1
            messages[index] = original.model_copy(update={"content": clean_reply(result.content)})
            before.append({"turn": index, "role": original.role, "content": original.content})
        replies = [r.content for r in results]
        data = {"reply": replies[0]} if len(replies) == 1 else {"replies": replies}
        detail = "; ".join(problems) if problems else f"rewrote {len(before)} turn(s)"
        checks = {**example.checks, self.config.name: Check(passed=not problems, detail=detail, data=data)}
        if not before:
            return example.model_copy(update={"checks": checks})
        meta = {**example.meta, "before_rewrite": before, "rewritten_from": example.id}
        new_id = content_id(example.task, [m.model_dump(exclude_none=True) for m in messages])
        return example.model_copy(update={"id": new_id, "messages": messages, "checks": checks, "meta": meta})

    def summary(self) -> dict[str, Any]:
        return {**dict(self._figures), **super().summary()}
