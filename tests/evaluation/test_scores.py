"""The text scores on known strings, the judge's score parsing, and the per-model aggregates."""

from __future__ import annotations

import math

import pytest

from modsmith.evaluation.scores import aggregate, chrf, distinct_n, judge_score, loops, perplexity


def test_chrf_against_the_reference():
    assert chrf("Actor_Kill removes the actor.", "Actor_Kill removes the actor.") == pytest.approx(100.0)
    close = chrf("Actor_Kill removes the actor.", "Actor_Kill removes an actor.")
    far = chrf("Vectors have three floats.", "Actor_Kill removes an actor.")
    assert 0 < far < close < 100
    assert chrf("anything", None) is None


def test_distinct_n_counts_distinct_word_ngrams():
    assert distinct_n("a b c d", 1) == 1.0
    assert distinct_n("a a a a", 1) == 0.25
    assert distinct_n("a b a b", 2) == pytest.approx(2 / 3)  # (a b), (b a), (a b)
    assert distinct_n("one", 2) == 0.0
    assert distinct_n("", 1) == 0.0


def test_loops_finds_repeated_runs_and_repeating_tails():
    assert loops("the actor moves " * 5)  # "the actor moves the" occurs 4 times: more than 3
    assert not loops("the actor moves " * 2 + "and then it stops at the wall.")
    # no word 4-gram repeats (one long word), but the last third repeats earlier text
    assert loops("x" * 10 + "abcdefghijklmnopqrstuvwxyz0123" * 3)
    assert not loops("Actor_Kill removes the actor from the room and frees its memory.")
    assert not loops("")


@pytest.mark.parametrize(
    ("reply", "score"),
    [
        ("Score: 4", 4.0),
        ("The answer is partly right.\nSCORE = 3", 3.0),
        ("I would give it 5/5.", 5.0),
        ("2 out of 5", 2.0),
        ("4", 4.0),
        ("Score: 4.5 because", 4.5),
        ("It is good.", None),
        ("Score: 9", None),
        ("", None),
        (None, None),
    ],
)
def test_judge_scores_are_read_from_replies(reply, score):
    assert judge_score(reply) == score


def line(model: str, checks: dict, chrf_score: float | None, judge: float | None = None, **scores) -> dict:
    return {
        "model": model,
        "task": "code.implement",
        "answer": "abcd",
        "reference": None,
        "checks": {name: {"passed": passed, "detail": ""} for name, passed in checks.items()},
        "scores": {
            "chrf": chrf_score,
            "distinct_1": scores.get("distinct_1", 1.0),
            "distinct_2": scores.get("distinct_2", 1.0),
            "loops": scores.get("loops", False),
            "tokens": scores.get("tokens", 2),
            "judge": judge,
        },
    }


def test_aggregates_are_over_the_answers_each_applies_to():
    lines = [
        line("tuned", {"compile_c": True, "names": True}, 50.0, loops=True),
        line("tuned", {"compile_c": False, "names": False}, None, tokens=4),
        line("tuned", {"compile_csharp": True}, 30.0),
        line("tuned", {}, None),
    ]
    metrics, counts = aggregate(lines)
    assert (metrics["compile_pass_rate"], counts["compile_pass_rate"]) == (0.5, 2)
    assert (metrics["invented_name_rate"], counts["invented_name_rate"]) == (0.5, 2)
    assert (metrics["csharp_compile_rate"], counts["csharp_compile_rate"]) == (1.0, 1)
    assert (metrics["ir_validity_rate"], counts["ir_validity_rate"]) == (None, 0)
    assert (metrics["chrf"], counts["chrf"]) == (40.0, 2)
    assert metrics["loop_share"] == 0.25 and metrics["mean_tokens"] == 2.5
    assert metrics["judge"] is None and metrics["answers"] == 4


def test_judge_mean_and_unparsable_count():
    lines = [line("base", {}, None, judge=4.0), line("base", {}, None, judge=2.0), line("base", {}, None)]
    for each in lines:
        each["judge_reply"] = "..."
    metrics, counts = aggregate(lines)
    assert (metrics["judge"], counts["judge"]) == (3.0, 2)
    assert metrics["judge_unparsable"] == 1


def test_perplexity_is_the_exponential_of_the_loss():
    assert perplexity(math.log(7.0)) == pytest.approx(7.0)
    assert perplexity(None) is None


COIN_IR = {
    "class_name": "RotatingCoin",
    "fields": [{"name": "speed", "type": "float", "default": 90}],
    "handlers": ["Update"],
    "behaviours": [{"type": "rotate", "axis": "y", "speed": "speed"}],
}


def test_answers_to_ir_prompts_get_the_ir_schema_check_and_others_do_not():
    import json

    from modsmith.evaluation.generate import Answer, Prompt
    from modsmith.evaluation.scores import ground_checks
    from modsmith.ground.check_config import GroundCheckConfig

    reference = f"```json\n{json.dumps(COIN_IR)}\n```"
    ir_prompt = Prompt("u", "unity.nl_to_ir", [{"role": "user", "content": "A coin that spins."}], reference)
    prose_prompt = Prompt("g", "guide.qa", [{"role": "user", "content": "Why?"}], '{"not": "ir"}')
    answers = [
        Answer(ir_prompt, "tuned", reference, 40, 0.1),
        Answer(ir_prompt, "tuned", json.dumps({**COIN_IR, "class_name": "coin"}), 40, 0.1),
        Answer(ir_prompt, "tuned", "It spins.", 3, 0.1),
        Answer(prose_prompt, "tuned", "{}", 1, 0.1),
    ]
    checks = ground_checks(answers, GroundCheckConfig(languages=["c"]))
    assert [c["ir_schema"].passed for c in checks[:3]] == [True, False, False]
    assert "class_name" in checks[1]["ir_schema"].detail and "no JSON IR" in checks[2]["ir_schema"].detail
    assert "ir_schema" not in checks[3]
