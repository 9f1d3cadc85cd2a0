"""`curate.heuristics`: cheap filters with no model: empty turns, unbalanced code fences, length
bounds, refusal and apology phrases, answers that only repeat the question.

The question is the text of the user turns, the answer the text of the assistant turns. Rules run
in that order and the first one that trips names the drop: "heuristics: refusal phrase 'i
apologize'". Each rule can be switched off. Documents pass through untouched.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from typing import Literal

from pydantic import Field
from rapidfuzz import fuzz

from modsmith.curate.example_texts import turn_texts
from modsmith.records import Example, Record
from modsmith.stage import RecordStage, Rejects, StageConfig

# Phrases a model says when it refuses, apologises or admits it cannot see something. A bare
# "i cannot" is not among them: "I cannot stress enough how important spacing is" is advice, not a
# refusal, so only "i cannot" followed by a verb of helping or answering counts.
REFUSAL_PHRASES = [
    "as an ai",
    "as a language model",
    "i'm an ai",
    "i am an ai",
    "i'm sorry",
    "i am sorry",
    "i apologize",
    "i apologise",
    "my apologies",
    "i cannot help",
    "i cannot assist",
    "i cannot provide",
    "i cannot answer",
    "i cannot fulfill",
    "i cannot comply",
    "i can't help",
    "i can't assist",
    "i can't provide",
    "i can't answer",
    "i'm unable to",
    "i am unable to",
    "i'm not able to",
    "i am not able to",
    "i don't have access",
    "i do not have access",
    "i don't have information",
    "i do not have information",
    "i don't have enough information",
    "i do not have enough information",
]
FENCE = re.compile(r"`{3,}")
APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'"})


def phrase_pattern(phrases: list[str]) -> re.Pattern[str] | None:
    """One case-insensitive pattern matching any phrase on word boundaries, longest first; the
    phrase's spaces match any whitespace."""
    if not phrases:
        return None
    parts = [
        r"\s+".join(re.escape(word) for word in phrase.split())
        for phrase in sorted({" ".join(p.lower().split()) for p in phrases}, key=len, reverse=True)
    ]
    return re.compile(r"(?<!\w)(?:" + "|".join(parts) + r")(?!\w)", re.IGNORECASE)


def text_length(text: str, unit: Literal["chars", "tokens"]) -> int:
    """Characters, or approximate tokens (one per four characters, rounded up)."""
    return len(text) if unit == "chars" else math.ceil(len(text) / 4)


class HeuristicsConfig(StageConfig):
    drop_empty_turns: bool = Field(
        default=True,
        description="Drop examples with a blank turn, or with no user or no assistant turn.",
    )
    check_code_fences: bool = Field(
        default=True, description="Drop examples with an odd number of ``` fences in any turn."
    )
    length_unit: Literal["chars", "tokens"] = Field(
        default="chars",
        description="Unit of the length bounds: characters, or approximate tokens (characters / 4).",
    )
    min_question: int | None = Field(default=5, ge=0, description="Shortest question; null: no bound.")
    max_question: int | None = Field(default=None, ge=1, description="Longest question; null: no bound.")
    min_answer: int | None = Field(default=10, ge=0, description="Shortest answer; null: no bound.")
    max_answer: int | None = Field(default=None, ge=1, description="Longest answer; null: no bound.")
    refusal_phrases: list[str] = Field(
        default_factory=lambda: list(REFUSAL_PHRASES),
        description="Drop answers containing any of these phrases (case-insensitive, whole words, "
        "assistant turns only; curly apostrophes match straight ones). An empty list switches the "
        "rule off. The default has no bare 'i cannot', which would also catch 'I cannot stress "
        "enough...'.",
    )
    max_question_similarity: float | None = Field(
        default=0.9,
        ge=0.0,
        le=1.0,
        description="Drop answers whose rapidfuzz ratio to the question (case and spacing ignored) is "
        "at least this; null switches the repeat rule off.",
    )
    min_words_beyond_question: int = Field(
        default=5,
        ge=0,
        description="Repeat rule: an answer that contains the whole question must add at least this "
        "many words of its own.",
    )


class Heuristics(RecordStage):
    """Drops examples that trip a heuristic rule, one reason per drop."""

    name = "curate.heuristics"
    Config = HeuristicsConfig

    def __init__(self, config: HeuristicsConfig | dict | None = None):
        super().__init__(config)
        self._refusals = phrase_pattern(self.config.refusal_phrases)

    def process_one(self, record: Example, rejects: Rejects) -> Iterator[Record]:
        found = self.violation(record)
        if found is None:
            yield record
        else:
            reason, detail = found
            rejects.add(record, f"heuristics: {reason}", detail)

    def violation(self, example: Example) -> tuple[str, str] | None:
        """(reason, detail) of the first rule the example trips, or None."""
        config: HeuristicsConfig = self.config
        turns = turn_texts(example, ["system", "user", "assistant"])
        question = "\n".join(text for role, text in turns if role == "user")
        answer = "\n".join(text for role, text in turns if role == "assistant")
        if config.drop_empty_turns:
            reason = self._empty_turn(turns)
            if reason:
                return reason, ""
        if config.check_code_fences:
            for role, text in turns:
                fences = len(FENCE.findall(text))
                if fences % 2:
                    return f"unbalanced code fences ({role} turn)", f"{fences} fences"
        for name, text, low, high in (
            ("question", question, config.min_question, config.max_question),
            ("answer", answer, config.min_answer, config.max_answer),
        ):
            length = text_length(text.strip(), config.length_unit)
            if low is not None and length < low:
                return f"{name} shorter than {low} {config.length_unit}", f"{length} {config.length_unit}"
            if high is not None and length > high:
                return f"{name} longer than {high} {config.length_unit}", f"{length} {config.length_unit}"
        if self._refusals is not None:
            for role, text in turns:
                found = self._refusals.search(text.translate(APOSTROPHES)) if role == "assistant" else None
                if found:
                    return f"refusal phrase {' '.join(found.group(0).lower().split())!r}", ""
        if config.max_question_similarity is not None and question.strip():
            return self._repeat(question, answer)
        return None

    @staticmethod
    def _empty_turn(turns: list[tuple[str, str]]) -> str | None:
        for role, text in turns:
            if not text.strip():
                return f"empty {role} turn"
        roles = {role for role, _ in turns}
        for role in ("user", "assistant"):
            if role not in roles:
                return f"no {role} turn"
        return None

    def _repeat(self, question: str, answer: str) -> tuple[str, str] | None:
        config: HeuristicsConfig = self.config
        q, a = " ".join(question.lower().split()), " ".join(answer.lower().split())
        similarity = fuzz.ratio(q, a) / 100
        if similarity >= config.max_question_similarity:
            return "answer repeats the question", f"similarity {similarity:.2f}"
        if q in a and len(a.replace(q, " ", 1).split()) < config.min_words_beyond_question:
            return "answer repeats the question", "the question verbatim with little else"
        return None
