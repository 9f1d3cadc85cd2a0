"""The chat format: which template a run uses, and that exactly the assistant turns carry loss."""

from __future__ import annotations

import pytest

from modsmith.errors import ModsmithError
from modsmith.records import Message
from modsmith.train.chat_format import (
    CHATML_TEMPLATE,
    IGNORE_INDEX,
    ensure_chat_template,
    tokenize_conversation,
)

pytest.importorskip("transformers")
pytest.importorskip("trl")

#: Llama 3's layout, written short and WITHOUT {% generation %} markers: the mask comes from prefixes.
LLAMA3_TEMPLATE = (
    "{{- '<|begin_of_text|>' }}"
    "{%- for message in messages %}"
    "{{- '<|start_header_id|>' + message['role'] + '<|end_header_id|>\\n\\n' }}"
    "{{- message['content'] | trim + '<|eot_id|>' }}"
    "{%- endfor %}"
    "{%- if add_generation_prompt %}{{- '<|start_header_id|>assistant<|end_header_id|>\\n\\n' }}{%- endif %}"
)

#: ChatML whose markers cover only the content: the end-of-turn token lies outside them.
CHATML_CONTENT_ONLY_MARKERS = CHATML_TEMPLATE.replace(
    "{%- generation %}{{- message['content'] + '<|im_end|>' }}{%- endgeneration %}",
    "{%- generation %}{{- message['content'] }}{%- endgeneration %}{{- '<|im_end|>' }}",
)

#: Marks the last message, so the conversation up to a turn does not render as a prefix of the whole.
NOT_PREFIX_PRESERVING_TEMPLATE = (
    "{%- for message in messages %}"
    "{{- '<|im_start|>' + message['role'] + ('-last' if loop.last else '') + '\\n' }}"
    "{{- message['content'] + '<|im_end|>\\n' }}"
    "{%- endfor %}"
    "{%- if add_generation_prompt %}{{- '<|im_start|>assistant\\n' }}{%- endif %}"
)

#: Ignores add_generation_prompt, so the assistant header would be taken for the answer.
NO_GENERATION_PROMPT_TEMPLATE = (
    "{%- for message in messages %}"
    "{{- '<|start_header_id|>' + message['role'] + '<|end_header_id|>\\n\\n' }}"
    "{{- message['content'] + '<|eot_id|>' }}"
    "{%- endfor %}"
)

CONVERSATION = [
    {"role": "system", "content": "You are a helpful modding assistant."},
    {"role": "user", "content": "What does the macro SEGMENTED_TO_VIRTUAL expand to?"},
    {"role": "assistant", "content": "It converts a segmented address into a virtual address."},
    {"role": "user", "content": "Thanks! And how do I call it?"},
    {"role": "assistant", "content": "Call it with one address, for example SEGMENTED_TO_VIRTUAL(gDList)."},
]
ASSISTANT_CONTENTS = [m["content"] for m in CONVERSATION if m["role"] == "assistant"]


def loss_spans(tokenizer, encoded: dict) -> list[str]:
    """The text of each run of consecutive tokens that carry loss."""
    spans, current = [], []
    for token, label in zip(encoded["input_ids"], encoded["labels"], strict=True):
        if label != IGNORE_INDEX:
            assert label == token, "a label that carries loss must be its own input token"
            current.append(token)
        elif current:
            spans.append(current)
            current = []
    if current:
        spans.append(current)
    return [tokenizer.decode(span) for span in spans]


def test_a_tokenizer_without_a_template_gets_chatml_and_says_so(tiny_tokenizer):
    assert tiny_tokenizer.chat_template is None
    assert ensure_chat_template(tiny_tokenizer) == "chatml default"
    assert tiny_tokenizer.chat_template == CHATML_TEMPLATE
    assert tiny_tokenizer.eos_token == "<|im_end|>"
    assert tiny_tokenizer.pad_token == "<pad>" != tiny_tokenizer.eos_token
    text = tiny_tokenizer.apply_chat_template(CONVERSATION[:2], tokenize=False, add_generation_prompt=True)
    assert text.startswith("<|im_start|>system\nYou are")
    assert text.endswith("<|im_end|>\n<|im_start|>assistant\n")


def test_the_chatml_tokens_are_added_when_the_vocabulary_lacks_them(make_tiny_tokenizer):
    tokenizer = make_tiny_tokenizer(special_tokens=[])
    before = len(tokenizer)
    assert ensure_chat_template(tokenizer) == "chatml default"
    assert len(tokenizer) == before + 3  # <|im_start|>, <|im_end|>, <|pad|>
    assert tokenizer.pad_token == "<|pad|>"
    encoded = tokenize_conversation(CONVERSATION, tokenizer)
    assert loss_spans(tokenizer, encoded) == [content + "<|im_end|>" for content in ASSISTANT_CONTENTS]


def test_a_tokenizer_with_its_own_template_keeps_it(tiny_tokenizer):
    tiny_tokenizer.chat_template = LLAMA3_TEMPLATE
    assert ensure_chat_template(tiny_tokenizer) == "own"
    assert tiny_tokenizer.chat_template == LLAMA3_TEMPLATE
    assert tiny_tokenizer.eos_token is None  # untouched


def test_chatml_default_with_generation_markers_trains_exactly_the_assistant_turns(tiny_tokenizer):
    ensure_chat_template(tiny_tokenizer)
    encoded = tokenize_conversation(CONVERSATION, tiny_tokenizer)
    assert loss_spans(tiny_tokenizer, encoded) == [content + "<|im_end|>" for content in ASSISTANT_CONTENTS]
    assert encoded["attention_mask"] == [1] * len(encoded["input_ids"])


def test_llama3_template_without_markers_trains_exactly_the_assistant_turns(tiny_tokenizer):
    tiny_tokenizer.chat_template = LLAMA3_TEMPLATE
    encoded = tokenize_conversation(CONVERSATION, tiny_tokenizer)
    assert tiny_tokenizer.decode(encoded["input_ids"]).startswith(
        "<|begin_of_text|><|start_header_id|>system"
    )
    assert loss_spans(tiny_tokenizer, encoded) == [content + "<|eot_id|>" for content in ASSISTANT_CONTENTS]


def test_chatml_without_markers_leaves_the_newline_after_im_end_out(tiny_tokenizer):
    tiny_tokenizer.chat_template = CHATML_TEMPLATE.replace("{%- generation %}", "").replace(
        "{%- endgeneration %}", ""
    )
    encoded = tokenize_conversation(CONVERSATION, tiny_tokenizer)
    assert loss_spans(tiny_tokenizer, encoded) == [content + "<|im_end|>" for content in ASSISTANT_CONTENTS]


def test_end_of_turn_token_outside_the_markers_still_carries_loss(tiny_tokenizer):
    tiny_tokenizer.chat_template = CHATML_CONTENT_ONLY_MARKERS
    encoded = tokenize_conversation(CONVERSATION, tiny_tokenizer)
    assert loss_spans(tiny_tokenizer, encoded) == [content + "<|im_end|>" for content in ASSISTANT_CONTENTS]


def test_train_on_all_puts_loss_on_every_token(tiny_tokenizer):
    ensure_chat_template(tiny_tokenizer)
    encoded = tokenize_conversation(CONVERSATION, tiny_tokenizer, train_on="all")
    assert encoded["labels"] == encoded["input_ids"]
    assert tiny_tokenizer.decode(encoded["input_ids"]) == tiny_tokenizer.apply_chat_template(
        CONVERSATION, tokenize=False
    )


def test_modsmith_messages_are_rendered_with_their_input_block(tiny_tokenizer):
    ensure_chat_template(tiny_tokenizer)
    messages = [
        Message(role="user", content="Explain this function.", input="def add(a, b):\n    return a + b"),
        Message(role="assistant", content="It adds two numbers."),
    ]
    encoded = tokenize_conversation(messages, tiny_tokenizer)
    assert "Explain this function.\n\ndef add(a, b):" in tiny_tokenizer.decode(encoded["input_ids"])
    assert loss_spans(tiny_tokenizer, encoded) == ["It adds two numbers.<|im_end|>"]


def test_the_saved_tokenizer_carries_the_template(tiny_tokenizer, tmp_path):
    from transformers import AutoTokenizer

    ensure_chat_template(tiny_tokenizer)
    tiny_tokenizer.save_pretrained(tmp_path / "adapter")
    reloaded = AutoTokenizer.from_pretrained(tmp_path / "adapter", local_files_only=True)
    assert ensure_chat_template(reloaded) == "own"
    assert (reloaded.eos_token, reloaded.pad_token) == ("<|im_end|>", "<pad>")
    for add_generation_prompt in (False, True):
        assert reloaded.apply_chat_template(
            CONVERSATION, tokenize=False, add_generation_prompt=add_generation_prompt
        ) == tiny_tokenizer.apply_chat_template(
            CONVERSATION, tokenize=False, add_generation_prompt=add_generation_prompt
        )
    assert tokenize_conversation(CONVERSATION, reloaded) == tokenize_conversation(
        CONVERSATION, tiny_tokenizer
    )


@pytest.mark.parametrize("template", ["chatml", "llama3"])
def test_max_length_keeps_labels_aligned(tiny_tokenizer, template):
    tiny_tokenizer.chat_template = CHATML_TEMPLATE if template == "chatml" else LLAMA3_TEMPLATE
    full = tokenize_conversation(CONVERSATION, tiny_tokenizer)
    first_answer_end = next(
        i
        for i in range(len(full["labels"]))
        if full["labels"][i] != IGNORE_INDEX and full["labels"][i + 1] == IGNORE_INDEX
    )
    for max_length in (1, first_answer_end + 1, first_answer_end + 4, len(full["input_ids"]) - 1, 10_000):
        cut = tokenize_conversation(CONVERSATION, tiny_tokenizer, max_length=max_length)
        kept = min(max_length, len(full["input_ids"]))
        assert cut["input_ids"] == full["input_ids"][:kept]
        assert cut["labels"] == full["labels"][:kept]
        assert cut["attention_mask"] == [1] * kept
    cut = tokenize_conversation(CONVERSATION, tiny_tokenizer, max_length=first_answer_end + 1)
    end_of_turn = "<|im_end|>" if template == "chatml" else "<|eot_id|>"
    assert loss_spans(tiny_tokenizer, cut) == [ASSISTANT_CONTENTS[0] + end_of_turn]


def test_a_template_that_does_not_preserve_prefixes_is_refused(tiny_tokenizer):
    tiny_tokenizer.chat_template = NOT_PREFIX_PRESERVING_TEMPLATE
    with pytest.raises(ModsmithError, match="not a prefix"):
        tokenize_conversation(CONVERSATION, tiny_tokenizer)
    assert tokenize_conversation(CONVERSATION, tiny_tokenizer, train_on="all")["input_ids"]


def test_a_template_without_a_generation_prompt_is_refused(tiny_tokenizer):
    tiny_tokenizer.chat_template = NO_GENERATION_PROMPT_TEMPLATE
    with pytest.raises(ModsmithError, match="generation prompt"):
        tokenize_conversation(CONVERSATION, tiny_tokenizer)


def test_user_errors_are_modsmith_errors(tiny_tokenizer):
    with pytest.raises(ModsmithError, match="no chat template"):
        tokenize_conversation(CONVERSATION, tiny_tokenizer)
    ensure_chat_template(tiny_tokenizer)
    with pytest.raises(ModsmithError, match="no assistant turn"):
        tokenize_conversation(CONVERSATION[:2], tiny_tokenizer)
    with pytest.raises(ModsmithError, match="role and a content"):
        tokenize_conversation([{"content": "hi"}], tiny_tokenizer)
    with pytest.raises(ModsmithError, match="max_length"):
        tokenize_conversation(CONVERSATION, tiny_tokenizer, max_length=0)
    with pytest.raises(ModsmithError, match="train_on"):
        tokenize_conversation(CONVERSATION, tiny_tokenizer, train_on="assistants")
