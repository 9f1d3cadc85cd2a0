"""One chat format end to end: the template a run uses, and which tokens of a conversation carry loss.

`ensure_chat_template` keeps the tokenizer's own chat template. A base model without one gets
`CHATML_TEMPLATE`, set on the tokenizer so that `save_pretrained` (next to the adapter) carries it to
evaluation, GGUF export and Ollama. For that default it also:

- adds `<|im_start|>` and `<|im_end|>` as special tokens when the vocabulary lacks them (then
  `len(tokenizer)` grows and the model's embeddings must be resized to it);
- sets the eos token to `<|im_end|>`, the token that ends an assistant turn, so generation stops there;
- sets a pad token when there is none: `<pad>` or `<|pad|>` when the vocabulary has one, else a new
  special `<|pad|>`; never the eos token, so no collator can mistake the end of a turn for padding.

`tokenize_conversation` gives `input_ids`, `attention_mask` and `labels` (-100 where there is no
loss). With `train_on="assistant"` (the default) exactly the assistant turns carry loss, each with
its end-of-turn token (`<|im_end|>`, `<|eot_id|>`, ...), so the model learns to stop. A template
with `{% generation %}` markers says itself which characters are the assistant's; for one without,
each assistant turn is found by rendering the conversation up to it with the generation prompt, and
up to and including it, and taking the tokens in between; this works only when those renderings are
token prefixes of the whole conversation, which is checked.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

from modsmith.errors import ModsmithError
from modsmith.example_formats import joined_content
from modsmith.records import Message

IGNORE_INDEX = -100  # the label of a token that carries no loss (what torch's cross entropy skips)

#: The default for a base model without a template: ChatML, with `{% generation %}` around the
#: assistant's content and its `<|im_end|>`; the newline after `<|im_end|>` is template layout.
CHATML_TEMPLATE = (
    "{%- for message in messages %}"
    "{{- '<|im_start|>' + message['role'] + '\\n' }}"
    "{%- if message['role'] == 'assistant' %}"
    "{%- generation %}{{- message['content'] + '<|im_end|>' }}{%- endgeneration %}"
    "{{- '\\n' }}"
    "{%- else %}"
    "{{- message['content'] + '<|im_end|>\\n' }}"
    "{%- endif %}"
    "{%- endfor %}"
    "{%- if add_generation_prompt %}{{- '<|im_start|>assistant\\n' }}{%- endif %}"
)
CHATML_TOKENS = ("<|im_start|>", "<|im_end|>")
PAD_CANDIDATES = ("<pad>", "<|pad|>")

TemplateSource = Literal["own", "chatml default"]


def ensure_chat_template(tokenizer: Any) -> TemplateSource:
    """Keep the tokenizer's own chat template ("own"), or set the ChatML default ("chatml default")."""
    if getattr(tokenizer, "chat_template", None):
        return "own"
    vocab = tokenizer.get_vocab()
    missing = [token for token in CHATML_TOKENS if token not in vocab]
    if missing:
        tokenizer.add_special_tokens({"extra_special_tokens": missing}, replace_extra_special_tokens=False)
    tokenizer.chat_template = CHATML_TEMPLATE
    tokenizer.eos_token = "<|im_end|>"
    if tokenizer.pad_token is None:
        pad = next((token for token in PAD_CANDIDATES if token in vocab), "<|pad|>")
        tokenizer.add_special_tokens({"pad_token": pad})
    return "chatml default"


def tokenize_conversation(
    messages: Sequence[Message | dict[str, Any]],
    tokenizer: Any,
    *,
    train_on: Literal["assistant", "all"] = "assistant",
    max_length: int | None = None,
) -> dict[str, list[int]]:
    """`input_ids`, `attention_mask` and `labels` of one conversation in the tokenizer's template.

    `max_length` keeps the first tokens (labels cut at the same place); a conversation cut inside
    its first assistant turn keeps only the part of the answer that fits.
    """
    if train_on not in ("assistant", "all"):
        raise ModsmithError(
            f"train_on must be 'assistant' or 'all', not {train_on!r}", where="train.chat_format"
        )
    if max_length is not None and max_length < 1:
        raise ModsmithError(f"max_length must be at least 1, not {max_length}", where="train.chat_format")
    if not getattr(tokenizer, "chat_template", None):
        raise ModsmithError(
            "the tokenizer has no chat template",
            where="train.chat_format",
            hint="call ensure_chat_template(tokenizer) first",
        )
    chat = [_as_chat_message(message) for message in messages]
    if not chat:
        raise ModsmithError("the conversation has no messages", where="train.chat_format")
    if train_on == "all":
        input_ids = _render_ids(tokenizer, chat)
        mask = [1] * len(input_ids)
    else:
        if not any(message["role"] == "assistant" for message in chat):
            raise ModsmithError(
                "the conversation has no assistant turn to train on",
                where="train.chat_format",
                hint="use train_on='all' to train on every token",
            )
        if _has_generation_markers(tokenizer.get_chat_template()):
            input_ids, mask = _mask_from_generation_markers(tokenizer, chat)
        else:
            input_ids, mask = _mask_from_prefixes(tokenizer, chat)
    labels = [token if keep else IGNORE_INDEX for token, keep in zip(input_ids, mask, strict=True)]
    if max_length is not None:
        input_ids, labels = input_ids[:max_length], labels[:max_length]
    return {"input_ids": input_ids, "attention_mask": [1] * len(input_ids), "labels": labels}


def _as_chat_message(message: Message | dict[str, Any]) -> dict[str, str]:
    if isinstance(message, Message):
        return {"role": message.role, "content": joined_content(message)}
    if not isinstance(message, dict) or not isinstance(message.get("role"), str):
        raise ModsmithError(
            f"a message needs a role and a content, got {message!r:.80}", where="train.chat_format"
        )
    content = message.get("content")
    if not isinstance(content, str):
        raise ModsmithError(f"the {message['role']} message has no text content", where="train.chat_format")
    extra = message.get("input")
    return {"role": message["role"], "content": f"{content}\n\n{extra}" if extra else content}


def _has_generation_markers(template: str) -> bool:
    from trl.chat_template_utils import has_generation_markers

    return has_generation_markers(template)


def _render(tokenizer: Any, chat: list[dict[str, str]], **options: Any) -> Any:
    """The conversation through the template, tokenized (a `BatchEncoding`); a refusal is the user's error."""
    try:
        return tokenizer.apply_chat_template(chat, tokenize=True, return_dict=True, **options)
    except Exception as exc:  # jinja2 errors and the template's own raise_exception()
        first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise ModsmithError(
            f"the chat template refused the conversation: {first_line}", where="train.chat_format"
        ) from None


def _render_ids(tokenizer: Any, chat: list[dict[str, str]], **options: Any) -> list[int]:
    return list(_render(tokenizer, chat, **options)["input_ids"])


def _mask_from_generation_markers(tokenizer: Any, chat: list[dict[str, str]]) -> tuple[list[int], list[int]]:
    """transformers' assistant mask; a span the markers end before its end-of-turn token is extended to it."""
    encoded = _render(tokenizer, chat, return_assistant_tokens_mask=True)
    input_ids, mask = list(encoded["input_ids"]), list(encoded["assistant_masks"])
    if not any(mask):
        raise ModsmithError(
            "the chat template's {% generation %} markers cover no token of the assistant turns",
            where="train.chat_format",
            hint="put the assistant content inside {% generation %}...{% endgeneration %}",
        )
    control = _control_token_ids(tokenizer)
    starts = [i for i in range(len(mask)) if mask[i] and (i == 0 or not mask[i - 1])]
    for start in starts:
        end = start
        while end < len(mask) and mask[end]:
            end += 1
        if input_ids[end - 1] not in control:  # the markers end before the end-of-turn token
            stop = _end_of_turn_after(tokenizer, input_ids, end, control)
            if stop is not None:
                mask[end : stop + 1] = [1] * (stop + 1 - end)
    return input_ids, mask


def _end_of_turn_after(tokenizer: Any, input_ids: list[int], position: int, control: set[int]) -> int | None:
    """Where the first control token at or after `position` is, when only whitespace lies before it."""
    for index in range(position, len(input_ids)):
        if input_ids[index] in control:
            return index
        if tokenizer.decode([input_ids[index]]).strip():
            return None
    return None


def _mask_from_prefixes(tokenizer: Any, chat: list[dict[str, str]]) -> tuple[list[int], list[int]]:
    """Each assistant turn is the tokens between the prompt for it and the conversation through it."""
    input_ids = _render_ids(tokenizer, chat)
    mask = [0] * len(input_ids)
    control = _control_token_ids(tokenizer)
    for index, message in enumerate(chat):
        if message["role"] != "assistant":
            continue
        prompt = _render_ids(tokenizer, chat[:index], add_generation_prompt=True) if index else []
        through = _render_ids(tokenizer, chat[: index + 1])
        for name, ids in (("the prompt for", prompt), ("the conversation through", through)):
            if input_ids[: len(ids)] != ids:
                raise ModsmithError(
                    f"the chat template renders {name} assistant turn {index} differently from the whole "
                    "conversation (not a prefix), so the assistant tokens cannot be found",
                    where="train.chat_format",
                    hint="add {% generation %} markers around the assistant content, or fix the template",
                )
        # Whitespace after the end-of-turn token (ChatML's newline) is the template's layout, not the answer.
        end = len(through)
        while (
            end > len(prompt)
            and input_ids[end - 1] not in control
            and not tokenizer.decode([input_ids[end - 1]]).strip()
        ):
            end -= 1
        answer = tokenizer.decode(
            input_ids[len(prompt) : end], skip_special_tokens=True, clean_up_tokenization_spaces=False
        ).strip()
        if not answer.startswith(message["content"].strip()[:40]):
            raise ModsmithError(
                f"the chat template's generation prompt does not end where assistant turn {index} begins "
                f"(the turn's tokens read {answer[:40]!r})",
                where="train.chat_format",
                hint="the template must render the assistant header when add_generation_prompt is true",
            )
        mask[len(prompt) : end] = [1] * (end - len(prompt))
    return input_ids, mask


def _control_token_ids(tokenizer: Any) -> set[int]:
    """The added vocabulary (`<|im_end|>`, `<|eot_id|>`, ...): end-of-turn tokens are among these."""
    return set(tokenizer.get_added_vocab().values()) | ({tokenizer.eos_token_id} - {None})
