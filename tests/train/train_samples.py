"""Small original examples, and the tiny run config, that the training tests share."""

from __future__ import annotations

from pathlib import Path
from typing import Any

QUESTIONS_AND_ANSWERS = [
    ("What does the macro SEGMENTED_TO_VIRTUAL expand to?", "It converts a segmented address."),
    ("Explain what this function does in the GBA engine.", "The player object is spawned in the room."),
    ("def add(a, b): what does it return?", "It returns a + b."),
    ("How do I call add?", "Call it with two numbers, for example add(1, 2)."),
    ("Where is the player spawned?", "At the given position in the room."),
    ("What is a virtual address?", "An address the engine reads directly."),
]


def tiny_run_settings(base: Path, examples: Path, output_dir: Path, **overrides: Any) -> dict[str, Any]:
    """An `SFTRunConfig`'s fields for a few fast steps of the tiny model on the sample examples."""
    return {
        "dataset": examples,
        "base": str(base),
        "output_dir": output_dir,
        "lora_r": 8,
        "lora_alpha": 16,
        "lora_dropout": 0.0,
        "max_steps": 30,
        "learning_rate": 1e-2,
        "warmup_ratio": 0.0,
        "per_device_batch": 4,
        "grad_accumulation": 1,
        "max_length": 128,
        "gradient_checkpointing": False,
        "valid_fraction": 0.3,
        "eval_steps": 10,
        "logging_steps": 1,
        **overrides,
    }
