"""Training formats: export to Alpaca / ShareGPT / OpenAI / chat-template text, import back, split, card."""

from modsmith.example_formats import (
    ConversionError,
    detect_format,
    from_alpaca,
    from_openai,
    from_sharegpt,
    import_examples,
    to_alpaca,
    to_openai,
    to_sharegpt,
)
from modsmith.formats.card import CardStats, approx_token_count, write_dataset_card
from modsmith.formats.chat_text import chat_text, load_chat_tokenizer
from modsmith.formats.export import FORMATS, export_dataset
from modsmith.formats.split import SplitPlan, group_key, plan_split

__all__ = [
    "FORMATS",
    "CardStats",
    "ConversionError",
    "SplitPlan",
    "approx_token_count",
    "chat_text",
    "detect_format",
    "export_dataset",
    "from_alpaca",
    "from_openai",
    "from_sharegpt",
    "group_key",
    "import_examples",
    "load_chat_tokenizer",
    "plan_split",
    "to_alpaca",
    "to_openai",
    "to_sharegpt",
    "write_dataset_card",
]
