"""Plain training text: each example rendered through a local tokenizer's chat template."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from modsmith.errors import ModsmithError
from modsmith.example_formats import ConversionError, joined_content
from modsmith.records import Example

TEMPLATE_HINT = "use the tokenizer folder of a chat/instruct model, or add a chat_template to it"


def load_chat_tokenizer(tokenizer_path: str | Path) -> Any:
    """A transformers tokenizer from a local folder that has a chat template."""
    path = Path(tokenizer_path)
    if not path.is_dir():
        raise ModsmithError(
            "tokenizer folder not found",
            where=str(path),
            hint="pass a local folder with tokenizer.json / tokenizer_config.json (e.g. a downloaded model)",
        )
    from transformers import AutoTokenizer

    try:
        tokenizer = AutoTokenizer.from_pretrained(str(path), local_files_only=True)
    except (OSError, ValueError) as exc:
        first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise ModsmithError(
            f"cannot load a tokenizer: {first_line}",
            where=str(path),
            hint="the folder needs tokenizer.json and tokenizer_config.json",
        ) from None
    if not getattr(tokenizer, "chat_template", None):
        raise ModsmithError("the tokenizer has no chat template", where=str(path), hint=TEMPLATE_HINT)
    return tokenizer


def chat_text(example: Example, tokenizer: Any) -> dict[str, str]:
    """`{"text": ...}` for one example; a template that refuses it raises ConversionError."""
    messages = [{"role": m.role, "content": joined_content(m)} for m in example.messages]
    if not messages:
        raise ConversionError("no messages")
    try:
        text = tokenizer.apply_chat_template(messages, tokenize=False)
    except Exception as exc:  # jinja2 errors and the template's own raise_exception()
        raise ConversionError("chat template refused the example", str(exc)) from None
    return {"text": text}


def token_counter(tokenizer: Any):
    """A function counting a text's tokens with this tokenizer (no special tokens)."""
    return lambda text: len(tokenizer.encode(text, add_special_tokens=False))
