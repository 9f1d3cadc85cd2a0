"""How good an answer is: the data's grounding checks on it, and text scores.

- `ground_checks`: each answer becomes an `Example` (the prompt, then the answer as the assistant turn,
  with the source example's provenance and meta, so a function example compiles in its own file) and
  goes through the `ground.check` stage exactly as the data did (names, compile_c, compile_csharp).
  An answer to a Unity IR prompt (a `unity.*` task whose reference is JSON) also gets `ir_schema`.
- `chrf` against the reference (sacrebleu's sentence chrF, 0-100), `distinct_n`, `loops`.
- `judge_score`: a 1-5 score read from a judge model's reply (None when it gives none).
- `heldout_loss`: teacher-forced mean loss per assistant token of the held-out examples.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable
from typing import Any

from modsmith.evaluation.generate import Answer
from modsmith.ground.check import GroundCheck
from modsmith.ground.check_config import GroundCheckConfig
from modsmith.records import Check, Example, Message
from modsmith.stage import Rejects
from modsmith.synth.unity_ir import extract_json, ir_schema_check

#: `loops`: an answer loops when one word n-gram of LOOP_N words occurs more than LOOP_REPEATS times, or
#: when its last third (at least LOOP_TAIL_CHARS characters) also occurs starting earlier in it.
LOOP_N, LOOP_REPEATS, LOOP_TAIL_CHARS = 4, 3, 24

FORMULAS = {
    "answers": "number of answers",
    "failed": "answers the endpoint gave no reply for",
    "compile_pass_rate": "share of answers with C code whose C blocks all compile (ground compile_c)",
    "invented_name_rate": "share of answers with code using a name unknown to the code base (ground names)",
    "csharp_compile_rate": "share of answers with C# code that compile (ground compile_csharp)",
    "ir_validity_rate": "share of answers to Unity IR prompts whose JSON follows the IR schema",
    "chrf": "mean sentence chrF (sacrebleu, 0-100) of the answer against the reference answer",
    "distinct_1": "mean over answers of distinct words / words",
    "distinct_2": "mean over answers of distinct word bigrams / word bigrams",
    "loop_share": f"share of answers where a {LOOP_N}-word sequence occurs more than {LOOP_REPEATS} times "
    f"or the last third (>= {LOOP_TAIL_CHARS} chars) also occurs starting earlier",
    "mean_tokens": "mean answer length in tokens",
    "mean_chars": "mean answer length in characters",
    "judge": "mean judge score (1-5) over the replies a score could be read from",
    "judge_unparsable": "judge replies no score could be read from",
    "heldout_loss": "mean cross-entropy per assistant token of the held-out examples, teacher-forced",
    "perplexity": "exp(heldout_loss)",
}
#: Check name -> (metric, whether the metric counts failures rather than passes).
CHECK_METRICS = {
    "compile_c": ("compile_pass_rate", False),
    "names": ("invented_name_rate", True),
    "compile_csharp": ("csharp_compile_rate", False),
    "ir_schema": ("ir_validity_rate", False),
}


def ground_checks(answers: list[Answer], config: GroundCheckConfig) -> list[dict[str, Check]]:
    """The checks of each answer, as the `ground.check` stage gives them to the data (plus `ir_schema`)."""
    stage = GroundCheck(config.model_copy(update={"on_fail": "keep"}))
    examples = [answer_example(answer) for answer in answers]
    checked = list(stage.process(examples, Rejects()))
    results = []
    for answer, example in zip(answers, checked, strict=True):
        checks = dict(example.checks)
        if answer_is_ir(answer):
            ir = extract_json(answer.text)
            checks["ir_schema"] = (
                Check(passed=False, detail="no JSON IR in the answer") if ir is None else ir_schema_check(ir)
            )
        results.append(checks)
    return results


def answer_example(answer: Answer) -> Example:
    """The prompt and the answer as one example, with the source example's provenance and meta."""
    messages = [Message(role=m["role"], content=m["content"]) for m in answer.prompt.messages]
    messages.append(Message(role="assistant", content=answer.text))
    source = answer.prompt.example
    provenance = list(source.provenance) if source is not None else []
    meta = dict(source.meta) if source is not None else {}
    return Example.create(answer.prompt.task, messages, provenance, meta)


def answer_is_ir(answer: Answer) -> bool:
    reference = answer.prompt.reference
    return (
        answer.prompt.task.startswith("unity.")
        and reference is not None
        and extract_json(reference) is not None
    )


def chrf(answer: str, reference: str | None) -> float | None:
    """sacrebleu's sentence chrF (0-100) of the answer against the reference; None without one."""
    if reference is None:
        return None
    from sacrebleu import sentence_chrf

    return float(sentence_chrf(answer, [reference]).score)


def words(text: str) -> list[str]:
    return text.split()


def distinct_n(text: str, n: int) -> float:
    """Distinct word n-grams / word n-grams of the text (0 when it has none)."""
    tokens = words(text)
    grams = [tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1)]
    return len(set(grams)) / len(grams) if grams else 0.0


def loops(text: str) -> bool:
    """Whether the answer loops (see LOOP_N, LOOP_REPEATS, LOOP_TAIL_CHARS)."""
    tokens = words(text)
    grams = Counter(tuple(tokens[i : i + LOOP_N]) for i in range(len(tokens) - LOOP_N + 1))
    if grams and max(grams.values()) > LOOP_REPEATS:
        return True
    stripped = text.strip()
    tail = stripped[len(stripped) * 2 // 3 :]
    # found starting earlier (overlapping itself or not): the text repeats with some period
    return len(tail) >= LOOP_TAIL_CHARS and stripped.find(tail) < len(stripped) - len(tail)


JUDGE_PROMPT = """Rate the answer to the question below from 1 (wrong or useless) to 5 (correct and complete).
{reference}Reply with one line: "Score: N".

Question:
{question}

Answer:
{answer}"""
_SCORE_PATTERNS = (
    re.compile(r"(?i)\bscore\b[^0-9\n]{0,12}([1-5](?:\.\d+)?)(?!\d)"),
    re.compile(r"(?<![\d.])([1-5](?:\.\d+)?)\s*(?:/|out of)\s*5\b"),
    re.compile(r"^\W*([1-5](?:\.\d+)?)\W*$", re.M),
)


def judge_messages(answer: Answer) -> list[dict[str, str]]:
    question = "\n\n".join(m["content"] for m in answer.prompt.messages if m["role"] != "system")
    reference = answer.prompt.reference
    reference_text = f"A reference answer, for comparison:\n{reference}\n" if reference else ""
    text = JUDGE_PROMPT.format(reference=reference_text, question=question, answer=answer.text)
    return [{"role": "user", "content": text}]


def judge_score(reply: str | None) -> float | None:
    """The 1-5 score in a judge's reply ("Score: 4", "4/5", a lone "4"), or None."""
    for pattern in _SCORE_PATTERNS:
        match = pattern.search(reply or "")
        if match:
            return float(match.group(1))
    return None


def heldout_loss(
    model: Any, tokenizer: Any, rows: list[dict[str, list[int]]], batch_size: int
) -> float | None:
    """Mean cross-entropy per loss token of `rows` (`input_ids`/`labels` from `tokenize_examples`)."""
    import torch
    from torch.nn.functional import cross_entropy

    from modsmith.train.chat_format import IGNORE_INDEX

    total, count = 0.0, 0
    device = next(model.parameters()).device
    pad = tokenizer.pad_token_id if tokenizer.pad_token_id is not None else 0
    for start in range(0, len(rows), batch_size):
        batch = rows[start : start + batch_size]
        width = max(len(row["input_ids"]) for row in batch)
        ids = torch.tensor([r["input_ids"] + [pad] * (width - len(r["input_ids"])) for r in batch])
        labels = torch.tensor([r["labels"] + [IGNORE_INDEX] * (width - len(r["labels"])) for r in batch])
        mask = torch.tensor([[1] * len(r["input_ids"]) + [0] * (width - len(r["input_ids"])) for r in batch])
        with torch.inference_mode():
            logits = model(input_ids=ids.to(device), attention_mask=mask.to(device)).logits.float()
        shifted = labels[:, 1:].to(device)
        losses = cross_entropy(
            logits[:, :-1].transpose(1, 2), shifted, ignore_index=IGNORE_INDEX, reduction="sum"
        )
        total += float(losses)
        count += int((shifted != IGNORE_INDEX).sum())
    return total / count if count else None


def perplexity(loss: float | None) -> float | None:
    return math.exp(loss) if loss is not None else None


def aggregate(lines: Iterable[dict[str, Any]]) -> tuple[dict[str, float | None], dict[str, int]]:
    """The metrics of some answers.jsonl lines and, per metric, how many answers it is over."""
    lines = list(lines)
    metrics: dict[str, float | None] = {
        "answers": len(lines),
        "failed": sum(1 for x in lines if x.get("error")),
    }
    counts: dict[str, int] = {"answers": len(lines), "failed": len(lines)}
    for check, (metric, failures) in CHECK_METRICS.items():
        verdicts = [line["checks"][check]["passed"] for line in lines if check in line["checks"]]
        counts[metric] = len(verdicts)
        hits = sum(1 for passed in verdicts if passed != failures)
        metrics[metric] = hits / len(verdicts) if verdicts else None
    answered = [line for line in lines if not line.get("error")]  # a request that failed has no answer
    scored = {
        "chrf": [line["scores"]["chrf"] for line in answered],
        "distinct_1": [line["scores"]["distinct_1"] for line in answered],
        "distinct_2": [line["scores"]["distinct_2"] for line in answered],
        "loop_share": [float(line["scores"]["loops"]) for line in answered],
        "mean_tokens": [line["scores"]["tokens"] for line in answered],
        "mean_chars": [len(line["answer"]) for line in answered],
        "judge": [line["scores"]["judge"] for line in answered],
    }
    for metric, values in scored.items():
        present = [value for value in values if value is not None]
        counts[metric] = len(present)
        metrics[metric] = sum(present) / len(present) if present else None
    judged = [line for line in lines if "judge_reply" in line and not line.get("judge_error")]
    metrics["judge_unparsable"] = sum(1 for line in judged if line["scores"]["judge"] is None)
    counts["judge_unparsable"] = len(judged)
    return metrics, counts
