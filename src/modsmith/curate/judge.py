"""`curate.judge`: an LLM judge that passes or fails each example, with a reason.

Two judges ship as presets, after the Melee seed's cleaning pass: `outside_entities` (the pair
mentions a character, item, technique or person from outside the game: FAIL) and `faithful` (the
answer is supported by its source chunk, `meta["context"]`: PASS). `custom` takes any template.
Each verdict is recorded in `example.checks[<name>]` with the raw reply; failed examples are
dropped (or only tagged). Requests go through the teacher client concurrently and are cached.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from typing import Any, Literal

from pydantic import Field, model_validator

from modsmith.curate.example_texts import question_and_answer
from modsmith.curate.teacher_replies import GREEDY, replies_in_order, strip_thinking
from modsmith.records import Check, Example, Record
from modsmith.stage import Rejects, StageConfig
from modsmith.stages.teacher_stage import GAME, TeacherStage
from modsmith.teacher import ChatRequest, ChatResult, TeacherConfig, load_template, render

PRESET_TEMPLATES = {
    "outside_entities": "curate/prompts/judge_outside_entities.j2",
    "faithful": "curate/prompts/judge_faithful.j2",
}
VERDICT_LABEL = re.compile(
    r"\b(?:verdict|result|decision)[\"'*]*\s*[:=\-]\s*[\"'*]*\s*(pass|fail)\b", re.IGNORECASE
)
VERDICT_LINE = re.compile(r"^\W*(pass|fail)(?:ed)?\b\W*(.*)$", re.IGNORECASE)
JSON_REASON = re.compile(r'"(?:reason|explanation)"\s*:\s*"((?:[^"\\]|\\.)*)', re.IGNORECASE)
REASON_LINE = re.compile(
    r"^\W*(?:reason|because|explanation)\s*[:=\-]?\s*(.+)$", re.IGNORECASE | re.MULTILINE
)


def parse_verdict(reply: str | None) -> tuple[bool, str] | None:
    """(passed, reason) from a judge's reply, or None when it states no clear verdict.

    Understood, case-insensitively: a JSON object with `verdict` (or `result`/`decision`) "pass" or
    "fail" (or a boolean) and a `reason`; a `Verdict: PASS` label anywhere; a line that starts with
    PASS or FAIL ("FAIL - it names a real player"). Prose such as "it does not pass" is not read
    as a verdict: negations make free text unreliable. `<think>` blocks are ignored.
    """
    text = strip_thinking(reply or "")
    if not text:
        return None
    for data in _json_objects(text):
        data = {str(key).lower(): value for key, value in data.items()}
        value = next((data[k] for k in ("verdict", "result", "decision") if k in data), None)
        if isinstance(value, bool):
            value = "pass" if value else "fail"
        if isinstance(value, str) and value.strip().lower() in ("pass", "fail"):
            reason = data.get("reason") or data.get("explanation") or ""
            return value.strip().lower() == "pass", str(reason).strip()
    reason_match = JSON_REASON.search(text) or REASON_LINE.search(text)
    reason = reason_match.group(1).strip() if reason_match else ""
    label = VERDICT_LABEL.search(text)
    if label:
        return label.group(1).lower() == "pass", reason or _rest(text, label.end())
    for line in text.splitlines():
        found = VERDICT_LINE.match(line)
        if found:
            return found.group(1).lower() == "pass", reason or found.group(2).strip()
    return None


def _json_objects(text: str) -> Iterator[dict[str, Any]]:
    """Every JSON object that starts at a `{` in the text (nested braces allowed)."""
    decoder = json.JSONDecoder()
    start = text.find("{")
    while start != -1:
        try:
            data, _ = decoder.raw_decode(text, start)
        except json.JSONDecodeError:
            data = None
        if isinstance(data, dict):
            yield data
        start = text.find("{", start + 1)


def _rest(text: str, end: int) -> str:
    return text[end:].strip(" \t\n-:.*").strip()


class JudgeConfig(StageConfig):
    teacher: TeacherConfig = Field(description="The model that judges (see the teacher section).")
    judge: Literal["outside_entities", "faithful", "custom"] = Field(
        default="faithful",
        description="`outside_entities`: FAIL when the pair mentions characters, items, techniques or "
        "people that are not in the game. `faithful`: PASS when the answer is supported by its source "
        "chunk (`meta.context`; examples without one are dropped). `custom`: `prompt_template`.",
    )
    prompt_template: str | None = Field(
        default=None,
        description="Path of a Jinja template replacing the preset's. It gets `question`, `answer`, "
        "`context` (meta.context or ''), `game`, `meta`, `task` and `messages`, and must ask for a "
        "PASS/FAIL verdict.",
    )
    name: str | None = Field(
        default=None, description="Key of the check in `example.checks`; default `judge.<judge>`."
    )
    game: str = Field(default=GAME, description="The game's name, as the prompts call it.")
    system: str | None = Field(default=None, description="System message sent before the prompt, if any.")
    params: dict[str, Any] = Field(
        default_factory=lambda: dict(GREEDY),
        description="Sampling parameters for the judge's requests (over the teacher's).",
    )
    on_fail: Literal["drop", "tag"] = Field(
        default="drop", description="`drop` failed examples, or `tag` them (keep, with the failed check)."
    )
    on_unparsable: Literal["drop", "keep"] = Field(
        default="drop",
        description="What to do when the reply states no clear verdict or no reply came: `drop`, or "
        "`keep` the example with a failed check.",
    )

    @model_validator(mode="after")
    def _custom_needs_template(self) -> JudgeConfig:
        if self.judge == "custom" and not self.prompt_template:
            raise ValueError("judge: custom needs prompt_template")
        return self


class Judge(TeacherStage):
    """Asks the teacher for a verdict on every example; drops (or tags) those that fail."""

    name = "curate.judge"
    Config = JudgeConfig

    def __init__(self, config: JudgeConfig | dict | None = None):
        super().__init__(config)
        config: JudgeConfig = self.config
        self.check_name = config.name or f"judge.{config.judge}"
        default = PRESET_TEMPLATES.get(config.judge, PRESET_TEMPLATES["faithful"])
        self.template = load_template(default, config.prompt_template)
        self._figures: dict[str, int] = {}

    def request(self, example: Example) -> ChatRequest | None:
        config: JudgeConfig = self.config
        context = example.meta.get("context") or ""
        if config.judge == "faithful" and not context:
            return None
        question, answer = question_and_answer(example)
        prompt = render(
            self.template,
            question=question,
            answer=answer,
            context=context,
            game=config.game,
            meta=example.meta,
            task=example.task,
            messages=[m.model_dump(exclude_none=True) for m in example.messages],
        )
        messages = [{"role": "system", "content": config.system}] if config.system else []
        return ChatRequest(messages + [{"role": "user", "content": prompt}], dict(config.params))

    def process(self, records: Iterable[Record], rejects: Rejects) -> Iterator[Record]:
        config: JudgeConfig = self.config
        figures = self._figures = {"passed": 0, "failed": 0, "unparsable": 0, "no_context": 0}
        teacher = self.open_teacher(config.teacher)

        def requests_for(record: Record) -> list[ChatRequest]:
            request = self.request(record) if self.handles_record(record) else None
            return [] if request is None else [request]

        try:
            for record, results in replies_in_order(teacher, records, requests_for):
                if not self.handles_record(record):
                    yield from self.unhandled(record, rejects)
                elif not results:
                    figures["no_context"] += 1
                    rejects.add(
                        {"example": record.model_dump(exclude_none=True)},
                        f"{self.check_name}: no source context to judge against",
                        "the example has no meta.context",
                    )
                else:
                    kept = self._judged(record, results[0], rejects)
                    if kept is not None:
                        yield kept
        finally:
            teacher.close()

    def _judged(self, example: Example, result: ChatResult, rejects: Rejects) -> Example | None:
        config: JudgeConfig = self.config
        raw = result.content
        verdict = parse_verdict(raw) if result.error is None else None
        if verdict is None:
            self._figures["unparsable"] += 1
            why = "no reply from the teacher" if result.error else "unparsable reply"
            if config.on_unparsable == "drop":
                rejects.add(self._reject(example, raw), f"{self.check_name}: {why}", result.error or "")
                return None
            detail = f"{why}: {result.error}" if result.error else why
            return self._with_check(example, Check(passed=False, detail=detail, data={"reply": raw}))
        passed, reason = verdict
        checked = self._with_check(example, Check(passed=passed, detail=reason, data={"reply": raw}))
        if passed:
            self._figures["passed"] += 1
            return checked
        self._figures["failed"] += 1
        if config.on_fail == "drop":
            rejects.add(self._reject(checked, raw), f"{self.check_name}: fail", reason)
            return None
        return checked

    def _with_check(self, example: Example, check: Check) -> Example:
        return example.model_copy(update={"checks": {**example.checks, self.check_name: check}})

    @staticmethod
    def _reject(example: Example, raw: str | None) -> dict[str, Any]:
        return {"reply": raw, "example": example.model_dump(exclude_none=True)}

    def summary(self) -> dict[str, Any]:
        return {**dict(self._figures), **super().summary()}
