"""Shared fixtures for the evaluation tests: a tiny random base, examples, and an adapter trained on them."""

from __future__ import annotations

from pathlib import Path

import pytest
from eval_samples import QUESTIONS_AND_ANSWERS  # noqa: E402

from modsmith.records import Example, Message, Provenance, write_jsonl


def sample_examples() -> list[Example]:
    return [
        Example.create(
            task="code.explain",
            messages=[Message(role="user", content=question), Message(role="assistant", content=answer)],
            provenance=[Provenance(source="demo", path=f"src/file{index}.c")],
        )
        for index, (question, answer) in enumerate(QUESTIONS_AND_ANSWERS)
    ]


@pytest.fixture(scope="session")
def examples_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("data") / "examples.jsonl"
    write_jsonl(path, sample_examples())
    return path


@pytest.fixture(scope="session")
def tiny_base(tmp_path_factory) -> Path:
    """A random 2-layer Llama and a byte-level BPE tokenizer without chat template."""
    from modsmith.train.tiny_base import build_tiny_base

    texts = [text for pair in QUESTIONS_AND_ANSWERS for text in pair]
    return build_tiny_base(tmp_path_factory.mktemp("base") / "tiny-base", texts * 4, vocab_size=400)


@pytest.fixture(scope="session")
def trained(tmp_path_factory, tiny_base: Path, examples_file: Path):
    """(the adapter folder, the run's result): 20 steps of train_sft, evaluated at the last step."""
    from modsmith.train.sft import train_sft
    from modsmith.train.sft_config import SFTRunConfig

    config = SFTRunConfig(
        dataset=examples_file,
        base=str(tiny_base),
        output_dir=tmp_path_factory.mktemp("run") / "adapter",
        lora_r=8,
        lora_alpha=16,
        lora_dropout=0.0,
        max_steps=20,
        learning_rate=1e-2,
        warmup_ratio=0.0,
        per_device_batch=8,
        grad_accumulation=1,
        max_length=128,
        gradient_checkpointing=False,
        valid_fraction=0.3,
        eval_steps=10,
        logging_steps=5,
        keep_best=False,
    )
    return config.output_dir, train_sft(config)
