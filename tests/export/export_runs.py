"""What the export tests share: sample questions and answers, and the export command run as the command
line runs it."""

from __future__ import annotations

import importlib.util
import os

import click
import pytest
from click.testing import CliRunner, Result

from modsmith.console import print_user_error
from modsmith.errors import ModsmithError

QUESTIONS_AND_ANSWERS = [
    ("What does the macro SEGMENTED_TO_VIRTUAL expand to?", "It converts a segmented address."),
    ("Explain what Actor_Kill does.", "It stops drawing and updating the actor."),
    ("def add(a, b): what does it return?", "It returns a + b."),
    ("How do I call add?", "Call it with two numbers, for example add(1, 2)."),
    ("Where is the player spawned?", "At the given position in the room."),
    ("What is a virtual address?", "An address the engine reads directly."),
    ("Which address holds the player's health?", "The word at 0x03001A40 in IWRAM."),
    ("What does a display list hold?", "Drawing commands for the RSP."),
]
TEXTS = [f"{question}\n{answer}" for question, answer in QUESTIONS_AND_ANSWERS]


def require_gguf_tools() -> None:
    """Skip (or fail, under MODSMITH_REQUIRE_LLAMA_CPP=1) when the GGUF tools are not installed here."""
    missing = [
        name for name in ("llama_cpp", "sentencepiece", "gguf", "peft") if not importlib.util.find_spec(name)
    ]
    if not missing:
        from modsmith.export.gguf import llama_cpp_dir

        if not (llama_cpp_dir() / "convert_hf_to_gguf.py").is_file():
            missing = [f"llama.cpp's converter in {llama_cpp_dir()}"]
    if missing:
        message = f"missing {', '.join(missing)}: run `make gguf`"
        if os.environ.get("MODSMITH_REQUIRE_LLAMA_CPP") == "1":
            pytest.fail(message)
        pytest.skip(message)


def run_export(*args: object) -> Result:
    """`modsmith export ARGS` as the command line runs it: a ModsmithError is one line and exit 2."""
    from modsmith.export_cli import export_group

    @click.command(context_settings={"ignore_unknown_options": True})
    @click.argument("args", nargs=-1, type=click.UNPROCESSED)
    def modsmith_export(args: tuple[str, ...]) -> None:
        try:
            export_group.main(list(args), standalone_mode=False)
        except ModsmithError as exc:
            raise SystemExit(print_user_error(exc)) from None

    return CliRunner().invoke(modsmith_export, [str(arg) for arg in args], catch_exceptions=False)
