"""Generation with local weights: batches give the answers one-by-one generation gives, and the base
inside the adapter model (`disable_adapter`) answers as the base loaded alone."""

from __future__ import annotations

import pytest
from eval_samples import QUESTIONS_AND_ANSWERS

from modsmith.evaluation.generate import GenerationSettings, LocalModels, Prompt, generate_local
from modsmith.teacher.loopback import LoopbackChatServer, ScriptedReply

PROMPTS = [
    Prompt(f"p{index}", "code.explain", [{"role": "user", "content": question}], answer)
    for index, (question, answer) in enumerate(QUESTIONS_AND_ANSWERS)
] + [
    Prompt(
        "sys", "code.explain", [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Hi"}]
    ),
]


@pytest.fixture(scope="module")
def models(trained, tiny_base):
    adapter, _ = trained
    return LocalModels.load(str(tiny_base), adapter)


def texts(answers):
    return [answer.text for answer in answers]


@pytest.mark.parametrize("name", ["base", "tuned"])
def test_batched_greedy_answers_equal_one_by_one(models, name):
    batched = generate_local(models, name, PROMPTS, GenerationSettings(max_new_tokens=12, batch_size=16))
    single = generate_local(models, name, PROMPTS, GenerationSettings(max_new_tokens=12, batch_size=1))
    assert texts(batched) == texts(single)
    assert [a.tokens for a in batched] == [a.tokens for a in single]
    assert all(a.model == name and a.prompt is p for a, p in zip(batched, PROMPTS, strict=True))
    assert any(a.text for a in batched)


def test_the_disabled_adapter_answers_as_the_base_and_the_tuned_model_differs(models, tiny_base):
    settings = GenerationSettings(max_new_tokens=12, batch_size=4)
    alone = LocalModels.load(str(tiny_base))
    base_alone = texts(generate_local(alone, "base", PROMPTS, settings))
    base_inside = texts(generate_local(models, "base", PROMPTS, settings))
    tuned = texts(generate_local(models, "tuned", PROMPTS, settings))
    assert base_inside == base_alone
    assert tuned != base_inside
    # trained on these answers: the tuned model's answers are closer to the references
    from modsmith.evaluation.scores import chrf

    def mean_chrf(answers):
        return sum(chrf(text, p.reference) for text, p in zip(answers, PROMPTS[:-1], strict=False)) / 8

    assert mean_chrf(tuned) > mean_chrf(base_inside)


def test_seeded_sampling_repeats_and_the_seed_matters(models):
    def sampled(seed):
        settings = GenerationSettings(
            max_new_tokens=12, batch_size=16, greedy=False, temperature=1.5, seed=seed
        )
        return texts(generate_local(models, "tuned", PROMPTS, settings))

    assert sampled(1) == sampled(1)
    assert sampled(1) != sampled(2)


def test_a_base_alone_has_no_tuned_model(tiny_base):
    from modsmith.errors import ModsmithError

    with pytest.raises(ModsmithError, match="no tuned model"):
        generate_local(LocalModels.load(str(tiny_base)), "tuned", PROMPTS[:1], GenerationSettings())


def test_endpoint_answers_come_in_prompt_order_with_the_request_parameters():
    from modsmith.evaluation.generate import generate_endpoint
    from modsmith.teacher import TeacherClient, TeacherConfig

    bodies = []

    def script(body, seen):
        bodies.append(body)
        return ScriptedReply(content=f"answer to {body['messages'][-1]['content']}")

    settings = GenerationSettings(max_new_tokens=7, repetition_penalty=1.1)
    with LoopbackChatServer(script) as server:
        client = TeacherClient(TeacherConfig(base_url=server.base_url, model="served", cache=None))
        answers = generate_endpoint(client, PROMPTS, settings)
    assert [a.text for a in answers] == [f"answer to {p.messages[-1]['content']}" for p in PROMPTS]
    assert all(a.model == "served" and a.error is None for a in answers)
    assert {
        (b["max_tokens"], b["temperature"], b["repetition_penalty"], b["repeat_penalty"]) for b in bodies
    } == {(7, 0.0, 1.1, 1.1)}
