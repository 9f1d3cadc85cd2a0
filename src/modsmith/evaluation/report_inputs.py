"""The two files an evaluation writes and its report reads: `answers.jsonl` (one line per example and
model: the prompt, the answer, its checks and scores) and `metrics.json` (metrics per model and per task,
the count each is over, the formulas); what each metric means for the report (`metric_kind`); and
reading them back with one-line errors naming the file and line.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

from modsmith.errors import ModsmithError
from modsmith.records import numbered_lines

ANSWERS_FILE = "answers.jsonl"
METRICS_FILE = "metrics.json"


@dataclass(frozen=True)
class MetricKind:
    """How to read a metric: which way is better (None: neither), a rate (shown in %), a main metric."""

    higher_is_better: bool | None
    rate: bool = False
    main: bool = False


#: The metrics run_eval writes, in the order the report lists them (two names where the
#: issue's name and scores.py's differ); other metrics follow in file order.
KNOWN_METRICS: dict[str, MetricKind] = {
    "compile_pass_rate": MetricKind(True, rate=True, main=True),
    "compile_rate": MetricKind(True, rate=True, main=True),
    "invented_name_rate": MetricKind(False, rate=True, main=True),
    "csharp_compile_rate": MetricKind(True, rate=True, main=True),
    "ir_validity_rate": MetricKind(True, rate=True, main=True),
    "ir_valid_rate": MetricKind(True, rate=True, main=True),
    "chrf": MetricKind(True, main=True),
    "loop_share": MetricKind(False, rate=True, main=True),
    "judge": MetricKind(True, main=True),
    "judge_mean": MetricKind(True, main=True),
    "distinct_1": MetricKind(True),
    "distinct_2": MetricKind(True),
    "heldout_loss": MetricKind(False),
    "perplexity": MetricKind(False),
    "judge_unparsable": MetricKind(False),
    "failed": MetricKind(False),
    "answers": MetricKind(None),
    "mean_tokens": MetricKind(None),
    "mean_chars": MetricKind(None),
}


def metric_kind(metric: str) -> MetricKind:
    """The known kind, or a guess from the name for a metric this report does not know."""
    return KNOWN_METRICS.get(metric) or MetricKind(None, rate=metric.endswith(("_rate", "_share")))


class _Loose(BaseModel):
    model_config = ConfigDict(extra="ignore")


class AnswerMessage(_Loose):
    role: str
    content: str


class AnswerCheck(_Loose):
    passed: bool
    detail: str = ""


class AnswerScores(_Loose):  # the scores the report reads; the others (distinct-n, tokens, judge) pass
    chrf: float | None = None
    loops: bool = False


class AnswerLine(_Loose):
    """One line of answers.jsonl: one model's answer to one example, with its checks and scores."""

    id: str
    task: str
    model: str
    messages: list[AnswerMessage] = []
    reference: str | None = None
    answer: str
    checks: dict[str, AnswerCheck] = {}
    scores: AnswerScores = AnswerScores()
    error: str | None = None  # why an endpoint gave no reply

    def failed_checks(self) -> list[tuple[str, str]]:
        """The failed checks' names and details; a missing reply counts as one."""
        failed = [(name, check.detail) for name, check in self.checks.items() if not check.passed]
        return [("reply", self.error), *failed] if self.error else failed

    def passed_checks(self) -> list[str]:
        return [name for name, check in self.checks.items() if check.passed]

    def prompt_text(self) -> str:
        return "\n\n".join(f"[{message.role}] {message.content}" for message in self.messages)


Value = Any  # a number, None (shown as n/a) or anything else (shown as its text)


class MetricsFile(_Loose):
    """metrics.json: metrics per model and per task, the count each is over, the run's config, formulas."""

    models: dict[str, dict[str, Value]]
    per_task: dict[str, dict[str, dict[str, Value]]] = {}
    counts: dict[str, dict[str, int | None]] = {}
    config: dict[str, Any] = {}
    formulas: dict[str, str] = {}


def read_answers(path: Path) -> list[AnswerLine]:
    """Every line of answers.jsonl; a line that is not JSON or not an answer is a ModsmithError naming it."""
    if not path.is_file():
        raise ModsmithError("file not found", where=str(path), hint="run `modsmith eval` first")
    answers = []
    for lineno, line in numbered_lines(path):
        try:
            answers.append(AnswerLine.model_validate_json(line))
        except ValidationError as exc:
            first = exc.errors()[0]
            what = ".".join(str(p) for p in first["loc"]) or "line"
            reason = first["msg"] if first["type"] != "json_invalid" else "not JSON"
            raise ModsmithError(f"not an answer line: {what}: {reason}", where=f"{path}:{lineno}") from None
    return answers


def read_metrics(path: Path) -> MetricsFile:
    """metrics.json; bad JSON names its line, a wrong shape names the key."""
    if not path.is_file():
        raise ModsmithError("file not found", where=str(path), hint="run `modsmith eval` first")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise ModsmithError(f"not JSON: {exc.msg}", where=f"{path}:{exc.lineno}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ModsmithError(f"cannot read file: {exc}", where=str(path)) from None
    try:
        return MetricsFile.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        what = ".".join(str(p) for p in first["loc"]) or "file"
        raise ModsmithError(f"not a metrics file: {what}: {first['msg']}", where=str(path)) from None
