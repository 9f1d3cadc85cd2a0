"""Example <-> Alpaca / ShareGPT / OpenAI: exact shapes, rejects, and round trips over varied examples."""

import itertools
import json
import random

import pytest

from modsmith.example_formats import (
    ConversionError,
    from_alpaca,
    from_openai,
    from_sharegpt,
    to_alpaca,
    to_openai,
    to_sharegpt,
)
from modsmith.records import Example, Message, Provenance

TEXTS = [
    "Explain what the draw function of the lantern actor does.",
    "Ünïcödé — 日本語のテキスト 🎮 and ñ",
    "line one\nline two\n\nline four after a blank line\n",
    "```c\nvoid Lantern_Draw(Lantern* this) {\n    DrawFlame(this->flameScale);\n}\n```",
    'quotes " and \\ backslashes \t tabs and a \u2028 line separator',
    "  leading and trailing spaces  ",
    "ends with blank lines\n\n",
]
PROVENANCE = [Provenance(source="/repos/lanterns", path="src/lantern.c", lines=(10, 24), commit="abc123")]


def single_turn_examples():
    """Every combination of system present/absent and input present/absent, over varied texts."""
    rng = random.Random(7)
    examples = []
    for has_system, has_input, text in itertools.product([False, True], [False, True], TEXTS):
        messages = [Message(role="system", content=rng.choice(TEXTS))] if has_system else []
        messages.append(Message(role="user", content=text, input=rng.choice(TEXTS) if has_input else None))
        messages.append(Message(role="assistant", content=rng.choice(TEXTS)))
        examples.append(Example.create(task="explain", messages=messages, provenance=PROVENANCE))
    return examples


def multi_turn_examples():
    rng = random.Random(11)
    examples = []
    for turns in (2, 3):
        messages = [Message(role="system", content=rng.choice(TEXTS))]
        for _ in range(turns):
            messages.append(
                Message(role="user", content=rng.choice(TEXTS), input=rng.choice([None, "x = 1;"]))
            )
            messages.append(Message(role="assistant", content=rng.choice(TEXTS)))
        examples.append(Example.create(task="chat", messages=messages))
    return examples


def through_json(record):
    return json.loads(json.dumps(record, ensure_ascii=False))


def test_alpaca_shape_with_input_and_system():
    example = Example.create(
        task="explain",
        messages=[
            Message(role="system", content="You are a modding assistant."),
            Message(role="user", content="What does this do?", input="x = 1;"),
            Message(role="assistant", content="It sets x."),
        ],
    )
    assert to_alpaca(example) == {
        "instruction": "What does this do?",
        "input": "x = 1;",
        "output": "It sets x.",
        "system": "You are a modding assistant.",
    }
    no_system = example.model_copy(update={"messages": example.messages[1:]})
    assert "system" not in to_alpaca(no_system)


def test_sharegpt_and_openai_join_input_after_a_blank_line():
    example = Example.create(
        task="explain",
        messages=[
            Message(role="system", content="Be brief."),
            Message(role="user", content="What does this do?", input="x = 1;"),
            Message(role="assistant", content="It sets x."),
        ],
    )
    assert to_sharegpt(example) == {
        "conversations": [
            {"from": "system", "value": "Be brief."},
            {"from": "human", "value": "What does this do?\n\nx = 1;"},
            {"from": "gpt", "value": "It sets x."},
        ]
    }
    assert to_openai(example) == {
        "messages": [
            {"role": "system", "content": "Be brief."},
            {"role": "user", "content": "What does this do?\n\nx = 1;"},
            {"role": "assistant", "content": "It sets x."},
        ]
    }


def test_keep_meta_adds_id_task_provenance_only_when_asked():
    example = single_turn_examples()[0]
    for convert in (to_alpaca, to_sharegpt, to_openai):
        assert not {"id", "task", "provenance"} & set(convert(example))
        record = convert(example, keep_meta=True)
        assert record["id"] == example.id
        assert record["task"] == "explain"
        assert record["provenance"] == [
            {"source": "/repos/lanterns", "path": "src/lantern.c", "lines": (10, 24), "commit": "abc123"}
        ]


@pytest.mark.parametrize("example", multi_turn_examples(), ids=["two-turns", "three-turns"])
def test_alpaca_rejects_multi_turn_with_a_reason(example):
    with pytest.raises(ConversionError) as caught:
        to_alpaca(example)
    assert caught.value.reason == "multi-turn"


def test_alpaca_rejects_an_example_without_an_answer():
    example = Example.create(task="t", messages=[Message(role="user", content="hello")])
    with pytest.raises(ConversionError) as caught:
        to_alpaca(example)
    assert caught.value.reason == "not a user/assistant pair"


def test_alpaca_round_trip_keeps_messages_without_meta():
    for example in single_turn_examples():
        back = from_alpaca(through_json(to_alpaca(example)), task="explain")
        assert back.messages == example.messages
        assert back == Example.create(task="explain", messages=example.messages)


@pytest.mark.parametrize(
    "to_format, from_format",
    [(to_alpaca, from_alpaca), (to_sharegpt, from_sharegpt), (to_openai, from_openai)],
    ids=["alpaca", "sharegpt", "openai"],
)
def test_round_trip_with_meta_keeps_everything_trained_on(to_format, from_format):
    examples = single_turn_examples()
    if to_format is not to_alpaca:
        examples += multi_turn_examples()
    for example in examples:
        record = through_json(to_format(example, keep_meta=True))
        back = from_format(record, task="something else")
        assert back.messages == example.messages
        assert (back.id, back.task, back.provenance) == (example.id, example.task, example.provenance)
        assert through_json(to_format(back, keep_meta=True)) == record


@pytest.mark.parametrize(
    "to_format, from_format",
    [(to_sharegpt, from_sharegpt), (to_openai, from_openai)],
    ids=["sharegpt", "openai"],
)
def test_round_trip_without_meta_keeps_the_text_and_the_record(to_format, from_format):
    for example in single_turn_examples() + multi_turn_examples():
        record = through_json(to_format(example))
        back = from_format(record)
        assert [m.role for m in back.messages] == [m.role for m in example.messages]
        assert [m.content for m in back.messages] == [
            f"{m.content}\n\n{m.input}" if m.input else m.content for m in example.messages
        ]
        assert back.task == "imported"
        assert back.id == Example.create(task="imported", messages=back.messages).id
        assert through_json(to_format(back)) == record


def test_sharegpt_import_accepts_role_aliases_and_a_top_level_system():
    example = from_sharegpt(
        {
            "system": "Be brief.",
            "conversations": [{"from": "user", "value": "hi"}, {"from": "assistant", "value": "hello"}],
        }
    )
    assert [(m.role, m.content) for m in example.messages] == [
        ("system", "Be brief."),
        ("user", "hi"),
        ("assistant", "hello"),
    ]


@pytest.mark.parametrize(
    "convert, record, reason",
    [
        (from_alpaca, {"instruction": "do it"}, "missing key"),
        (from_alpaca, {"instruction": 3, "output": "x"}, "bad value"),
        (from_alpaca, {"instruction": "a", "output": "b", "history": [["q", "a"]]}, "multi-turn"),
        (from_sharegpt, {"conversations": [{"from": "robot", "value": "beep"}]}, "bad value"),
        (from_sharegpt, {"conversations": []}, "no messages"),
        (from_sharegpt, {"conversations": "hi"}, "missing key"),
        (from_openai, {"messages": [{"role": "user"}]}, "missing key"),
        (from_openai, {"messages": [{"role": "tool", "content": "{}"}]}, "bad value"),
        (from_openai, {"messages": [{"role": "user", "content": "abc", "input": "zzz"}]}, "bad value"),
    ],
)
def test_import_rejects_records_that_do_not_fit(convert, record, reason):
    with pytest.raises(ConversionError) as caught:
        convert(record)
    assert caught.value.reason == reason
