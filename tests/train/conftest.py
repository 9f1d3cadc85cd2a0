"""Shared fixtures for the training tests: a tiny byte-level BPE tokenizer trained on the fly."""

from __future__ import annotations

from pathlib import Path

import pytest
from train_samples import QUESTIONS_AND_ANSWERS

from modsmith.records import Example, Message, Provenance, write_jsonl

#: The control tokens of the chat formats the tests use (ChatML and Llama 3), plus a pad token.
SPECIAL_TOKENS = [
    "<pad>",
    "<|im_start|>",
    "<|im_end|>",
    "<|begin_of_text|>",
    "<|start_header_id|>",
    "<|end_header_id|>",
    "<|eot_id|>",
]

#: What the tokenizer learns its merges from; any text still encodes (byte-level), only less compactly.
TRAINING_TEXT = [
    "You are a helpful modding assistant.",
    "What does the macro SEGMENTED_TO_VIRTUAL expand to?",
    "It converts a segmented address into a virtual address.",
    "Explain what this function does in the GBA engine.",
    "The player object is spawned in the room at the given position.",
    "def add(a, b):\n    return a + b\n",
    "Thanks! And how do I call it?",
    "Call it with two numbers, for example add(1, 2).",
]

#: Llama 3's pre-tokenizer split: whitespace runs ending in newlines stay one piece whatever follows them.
LLAMA3_SPLIT = (
    r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*"
    r"|\s*[\r\n]+|\s+(?!\S)|\s+"
)


def build_tiny_tokenizer(
    vocab_size: int = 400, special_tokens: list[str] | None = None, texts: list[str] | None = None
):
    """A `PreTrainedTokenizerFast` (byte-level BPE, Llama 3's split), without chat template, pad or eos."""
    from tokenizers import Regex, Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import PreTrainedTokenizerFast

    specials = SPECIAL_TOKENS if special_tokens is None else special_tokens
    tokenizer = Tokenizer(models.BPE())
    tokenizer.pre_tokenizer = pre_tokenizers.Sequence(
        [
            pre_tokenizers.Split(Regex(LLAMA3_SPLIT), behavior="isolated"),
            pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=False),
        ]
    )
    tokenizer.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=vocab_size,
        special_tokens=specials,
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        show_progress=False,
    )
    tokenizer.train_from_iterator(texts or TRAINING_TEXT, trainer=trainer)
    return PreTrainedTokenizerFast(tokenizer_object=tokenizer)


@pytest.fixture
def tiny_tokenizer_dir(tmp_path: Path) -> Path:
    """A folder holding the tiny tokenizer, like a base model's folder (no chat template)."""
    folder = tmp_path / "tiny-tokenizer"
    build_tiny_tokenizer().save_pretrained(folder)
    return folder


@pytest.fixture
def tiny_tokenizer(tiny_tokenizer_dir: Path):
    """The tiny tokenizer loaded from its folder with `AutoTokenizer`, as a training run loads one."""
    from transformers import AutoTokenizer

    return AutoTokenizer.from_pretrained(tiny_tokenizer_dir, local_files_only=True)


@pytest.fixture
def make_tiny_tokenizer():
    """`build_tiny_tokenizer` itself, for tests that need other special tokens or training text."""
    return build_tiny_tokenizer


@pytest.fixture
def tiny_base(tmp_path: Path, make_tiny_tokenizer) -> Path:
    """A local base model folder: a random 2-layer Llama and the tiny tokenizer (no chat template)."""
    from tiny_model import tiny_llama

    folder = tmp_path / "tiny-base"
    tokenizer = make_tiny_tokenizer()
    tiny_llama(tokenizer, seed=0).save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    return folder


@pytest.fixture
def examples_file(tmp_path: Path) -> Path:
    """Modsmith examples, each from its own source file so that the grouped split can hold some out."""
    examples = [
        Example.create(
            task="code.explain",
            messages=[Message(role="user", content=question), Message(role="assistant", content=answer)],
            provenance=[Provenance(source="demo", path=f"src/file{index}.c")],
        )
        for index, (question, answer) in enumerate(QUESTIONS_AND_ANSWERS)
    ]
    examples.append(
        Example.create(task="code.explain", messages=[Message(role="user", content="No answer.")])
    )
    path = tmp_path / "examples.jsonl"
    write_jsonl(path, examples)
    return path
