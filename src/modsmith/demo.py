"""`modsmith demo`: runs `recipes/demo.yaml`, the whole spine offline on the samples in `examples/`."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from modsmith.errors import ModsmithError
from modsmith.run import OnRecord, RunResult, run_recipe

DEMO_RECIPE = Path("recipes") / "demo.yaml"


def find_checkout(start: Path | None = None) -> Path:
    """The folder holding `recipes/demo.yaml` and `examples/`: the current one, or the source checkout."""
    candidates = [start or Path.cwd(), Path(__file__).resolve().parents[2]]
    for candidate in candidates:
        if (candidate / DEMO_RECIPE).is_file() and (candidate / "examples" / "sample_decomp").is_dir():
            return candidate
    raise ModsmithError(
        "cannot find the demo's recipes/demo.yaml and examples/ folder",
        where=str(candidates[0]),
        hint="run `modsmith demo` from a modsmith checkout",
    )


def run_demo(output: Path | None = None, on_stage: Callable[[str], OnRecord] | None = None) -> RunResult:
    """Run the demo recipe into `output` (default: the recipe's), reading the checkout's examples
    unless MODSMITH_EXAMPLES names another folder."""
    checkout = find_checkout()
    environment = {"MODSMITH_EXAMPLES": str(checkout / "examples"), **os.environ}
    return run_recipe(checkout / DEMO_RECIPE, on_stage, output=output, environment=environment)
