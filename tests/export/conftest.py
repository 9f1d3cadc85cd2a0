"""One tiny training run shared by the export tests: a tiny random base (sentencepiece tokenizer), a LoRA
trained on it for a few steps, the merge, and the GGUF export through the command (f16 and q8_0, with the
parity check).

Skipped when the gguf extra or llama.cpp's converter is missing, unless MODSMITH_REQUIRE_LLAMA_CPP=1
(`make test`), which turns that into a failure.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import Result
from export_runs import QUESTIONS_AND_ANSWERS, TEXTS, require_gguf_tools, run_export

from modsmith.records import Example, Message, Provenance, write_jsonl


@dataclass
class TinyRun:
    """A tiny base, the LoRA adapter trained on it, and its dataset."""

    base: Path
    adapter: Path
    examples: Path


@pytest.fixture(scope="session")
def tiny_run(tmp_path_factory) -> TinyRun:
    require_gguf_tools()
    from modsmith.train.sft import train_sft
    from modsmith.train.sft_config import SFTRunConfig
    from modsmith.train.tiny_base import build_tiny_base

    folder = tmp_path_factory.mktemp("tiny_run")
    base = build_tiny_base(folder / "base", TEXTS)
    examples = [
        Example.create(
            task="code.explain",
            messages=[Message(role="user", content=question), Message(role="assistant", content=answer)],
            provenance=[Provenance(source="demo", path=f"src/file{index}.c")],
        )
        for index, (question, answer) in enumerate(QUESTIONS_AND_ANSWERS)
    ]
    write_jsonl(folder / "examples.jsonl", examples)
    settings = {
        "dataset": folder / "examples.jsonl",
        "base": str(base),
        "output_dir": folder / "adapter",
        "lora_r": 8,
        "lora_alpha": 16,
        "lora_dropout": 0.0,
        "max_steps": 8,
        "learning_rate": 1e-2,
        "warmup_ratio": 0.0,
        "per_device_batch": 4,
        "grad_accumulation": 1,
        "max_length": 128,
        "gradient_checkpointing": False,
        "valid_fraction": 0.4,
        "eval_steps": 8,
        "logging_steps": 1,
    }
    train_sft(SFTRunConfig(**settings))
    return TinyRun(base=base, adapter=folder / "adapter", examples=folder / "examples.jsonl")


@pytest.fixture(scope="session")
def merged(tiny_run, tmp_path_factory) -> Path:
    """The adapter merged into its base by `modsmith export merge`."""
    out = tmp_path_factory.mktemp("merged") / "tiny-tuned"
    done = run_export("merge", tiny_run.adapter, "-o", out)
    assert done.exit_code == 0, done.output
    return out


@dataclass
class GgufRun:
    """What `modsmith export gguf --type f16 --type q8_0` wrote and printed."""

    out_dir: Path
    result: Result


@pytest.fixture(scope="session")
def gguf_run(merged, tmp_path_factory) -> GgufRun:
    out_dir = tmp_path_factory.mktemp("gguf")
    result = run_export(
        "gguf", merged, "-o", out_dir, "--type", "f16", "--type", "q8_0", "--parity-prompts", "4"
    )
    return GgufRun(out_dir=out_dir, result=result)
