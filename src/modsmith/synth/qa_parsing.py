"""Reading question/answer pairs out of a teacher's free-form reply.

Teachers answer in many shapes: a JSON list, `Q:`/`A:` blocks (often bold or numbered), or a
numbered list of questions each followed by its answer. All are accepted; what cannot be read
yields no pairs, and the caller records the raw reply with the reason.
"""

from __future__ import annotations

import json
import re

_FENCE = re.compile(r"```(?:json)?\s*\n(.*?)```", re.S)
_QA_LABEL = re.compile(
    r"^[\s>*_#-]*(?:\d+[.)]\s*)?[*_]*(?P<label>q(?:uestion)?|a(?:nswer)?)\s*\d*\s*[*_]*\s*[:.)-]\s*[*_]*\s*",
    re.I | re.M,
)
_NUMBERED = re.compile(r"^\s*(?:\d+[.)]|[-*])\s+(?P<question>.+\?)\s*$", re.M)
_QUESTION_KEYS = ("question", "q", "prompt", "instruction")
_ANSWER_KEYS = ("answer", "a", "response", "output")


def parse_qa_pairs(reply: str) -> list[tuple[str, str]]:
    """Every (question, answer) pair found in `reply`, in order, without empty or repeated pairs."""
    for parse in (_from_json, _from_labels, _from_numbered_questions):
        pairs = _clean(parse(reply))
        if pairs:
            return pairs
    return []


def _clean(pairs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    seen: set[tuple[str, str]] = set()
    kept = []
    for question, answer in pairs:
        question, answer = _strip_markup(question), _strip_markup(answer)
        if question and answer and (question, answer) not in seen:
            seen.add((question, answer))
            kept.append((question, answer))
    return kept


def _strip_markup(text: str) -> str:
    return re.sub(r"^[*_\s]+|[*_\s]+$", "", str(text)).strip()


def _from_json(reply: str) -> list[tuple[str, str]]:
    candidates = [m.group(1) for m in _FENCE.finditer(reply)] + [reply]
    for candidate in candidates:
        start = min((i for i in (candidate.find("["), candidate.find("{")) if i != -1), default=-1)
        if start == -1:
            continue
        try:
            data, _ = json.JSONDecoder().raw_decode(candidate[start:])
        except json.JSONDecodeError:
            continue
        if isinstance(data, dict):
            data = next((v for v in data.values() if isinstance(v, list)), [data])
        pairs = []
        for item in data if isinstance(data, list) else []:
            if isinstance(item, dict):
                lowered = {str(k).lower(): v for k, v in item.items()}
                question = next((lowered[k] for k in _QUESTION_KEYS if k in lowered), None)
                answer = next((lowered[k] for k in _ANSWER_KEYS if k in lowered), None)
                if isinstance(question, str) and isinstance(answer, str):
                    pairs.append((question, answer))
        if pairs:
            return pairs
    return []


def _from_labels(reply: str) -> list[tuple[str, str]]:
    marks = list(_QA_LABEL.finditer(reply))
    pairs = []
    question: str | None = None
    for mark, following in zip(marks, [*marks[1:], None], strict=False):
        body = reply[mark.end() : following.start() if following else len(reply)].strip()
        if mark.group("label")[0].lower() == "q":
            question = body
        elif question is not None:
            pairs.append((question, body))
            question = None
    return pairs


def _from_numbered_questions(reply: str) -> list[tuple[str, str]]:
    marks = list(_NUMBERED.finditer(reply))
    pairs = []
    for mark, following in zip(marks, [*marks[1:], None], strict=False):
        answer = reply[mark.end() : following.start() if following else len(reply)].strip()
        pairs.append((mark.group("question"), answer))
    return pairs
