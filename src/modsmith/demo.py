"""`modsmith demo`: runs `recipes/demo.yaml`, the whole spine offline on the samples in `examples/`, ending
with a LoRA fine-tune of a tiny random base model built on the spot."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from modsmith.errors import ModsmithError
from modsmith.run import OnRecord, RunResult, run_recipe

DEMO_RECIPE = Path("recipes") / "demo.yaml"
#: The tiny random base model the demo trains, in the demo's output folder.
TINY_BASE = "tiny-base"


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
    """Run the demo recipe into `output` (default: runs/), reading the checkout's examples unless
    MODSMITH_EXAMPLES names another folder, and training on a tiny random base built in `output`
    (once: `tiny-base/`) unless MODSMITH_DEMO_BASE names another."""
    checkout = find_checkout()
    folder = Path(output) if output is not None else Path(os.environ.get("MODSMITH_OUTPUT") or "runs")
    environment = {"MODSMITH_EXAMPLES": str(checkout / "examples"), **os.environ}
    if not environment.get("MODSMITH_DEMO_BASE"):
        environment["MODSMITH_DEMO_BASE"] = str(demo_base(folder / TINY_BASE, checkout / "examples"))
    return run_recipe(checkout / DEMO_RECIPE, on_stage, output=output, environment=environment)


def demo_base(folder: Path, examples: Path) -> Path:
    """The demo's tiny random base model, its tokenizer trained on the sample texts; built once, so a
    second demo run finds its training stage unchanged and skips it."""
    if (folder / "config.json").is_file():
        return folder
    from modsmith.train.tiny_base import build_tiny_base

    texts = [
        path.read_text(encoding="utf-8", errors="replace")
        for path in sorted(examples.rglob("*"))
        if path.is_file() and path.suffix in {".c", ".h", ".cs", ".md", ".txt", ".html"}
    ]
    return build_tiny_base(folder, texts)
