"""Chat-template text through a tiny tokenizer trained on the fly."""

import json

import pytest
from tokenizers import Tokenizer, models, pre_tokenizers, trainers
from transformers import PreTrainedTokenizerFast

from modsmith.errors import ModsmithError
from modsmith.formats import chat_text, export_dataset, load_chat_tokenizer
from modsmith.records import Example, Message, write_jsonl

TEMPLATE = (
    "{% for m in messages %}<|{{ m['role'] }}|>\n{{ m['content'] }}<|end|>\n{% endfor %}"
    "{% if messages[-1]['role'] == 'user' %}{{ raise_exception('last turn must be the answer') }}{% endif %}"
)


def tiny_tokenizer(folder, chat_template=None):
    model = Tokenizer(models.WordLevel(unk_token="[UNK]"))
    model.pre_tokenizer = pre_tokenizers.Whitespace()
    corpus = ["the lantern actor draws a flame", "what does this function do", "it sets the timer"]
    model.train_from_iterator(corpus, trainers.WordLevelTrainer(special_tokens=["[UNK]", "<|end|>"]))
    fast = PreTrainedTokenizerFast(tokenizer_object=model, unk_token="[UNK]")
    if chat_template is not None:
        fast.chat_template = chat_template
    fast.save_pretrained(folder)
    return folder


def examples():
    return [
        Example.create(
            task="explain",
            messages=[
                Message(role="system", content="You explain actor code."),
                Message(role="user", content="What does this function do?", input="sTimer = 20;"),
                Message(role="assistant", content="It sets the timer."),
            ],
        ),
        Example.create(task="chat", messages=[Message(role="user", content="unanswered")]),
    ]


def test_render_uses_the_template_in_turn_order(tmp_path):
    folder = tiny_tokenizer(tmp_path / "tok", TEMPLATE)
    first = chat_text(examples()[0], load_chat_tokenizer(folder))
    assert first == {
        "text": "<|system|>\nYou explain actor code.<|end|>\n"
        "<|user|>\nWhat does this function do?\n\nsTimer = 20;<|end|>\n"
        "<|assistant|>\nIt sets the timer.<|end|>\n"
    }


def test_missing_folder_and_missing_template_are_clear_errors(tmp_path):
    with pytest.raises(ModsmithError) as caught:
        load_chat_tokenizer(tmp_path / "nowhere")
    assert caught.value.where == str(tmp_path / "nowhere") and caught.value.hint

    folder = tiny_tokenizer(tmp_path / "plain")
    with pytest.raises(ModsmithError) as caught:
        load_chat_tokenizer(folder)
    assert "no chat template" in caught.value.message
    assert caught.value.where == str(folder) and caught.value.hint

    (tmp_path / "empty").mkdir()
    with pytest.raises(ModsmithError) as caught:
        load_chat_tokenizer(tmp_path / "empty")
    assert caught.value.where == str(tmp_path / "empty")


def test_export_text_format_counts_tokens_with_the_tokenizer(tmp_path):
    folder = tiny_tokenizer(tmp_path / "tok", TEMPLATE)
    source = tmp_path / "examples.jsonl"
    write_jsonl(source, examples())
    summary = export_dataset(source, tmp_path / "out", formats=["text", "openai"], tokenizer=str(folder))
    assert summary["rejected"] == {"text": {"chat template refused the example": 1}}
    lines = [
        json.loads(line)
        for side in ("train", "valid")
        for line in (tmp_path / "out" / f"{side}.text.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    assert [set(line) for line in lines] == [{"text"}]
    assert lines[0]["text"].startswith("<|system|>\nYou explain actor code.")
    assert summary["files"]["train.openai.jsonl"] + summary["files"]["valid.openai.jsonl"] == 2
    assert f"the tokenizer in {folder}" in (tmp_path / "out" / "README.md").read_text(encoding="utf-8")
