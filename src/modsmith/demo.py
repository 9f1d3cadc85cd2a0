"""`modsmith demo`: runs `recipes/demo.yaml`, the whole spine offline on the samples in `examples/`, ending
with a LoRA fine-tune of a tiny random base model built on the spot; then evaluates the adapter against
its base on the held-out examples (answers checked against the sample decomp), merges it and exports
an f16 GGUF whose next-token logits are checked against the merged model's."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

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


@dataclass
class Shipped:
    """What the demo made of its adapter: the evaluation report, the merged model, the GGUF and its parity."""

    report: Path
    report_html: Path
    metrics: dict[str, Any]
    merged: Path
    gguf: Path
    parity: list[str]
    parity_passed: bool


def evaluate_and_ship(result: RunResult) -> Shipped | None:
    """Evaluate the run's adapter (base against tuned, the answers' C checked against the sample decomp),
    merge it and export an f16 GGUF with its parity check, into the run directory; None when the run
    trained nothing."""
    from modsmith.evaluation.eval_config import EvalConfig
    from modsmith.evaluation.eval_run import run_eval
    from modsmith.export.gguf import export_gguf
    from modsmith.export.merge import merge_adapter
    from modsmith.ground.check_config import GroundCheckConfig

    adapters = [Path(stage.summary["adapter"]) for stage in result.stages if "adapter" in stage.summary]
    if not adapters:
        return None
    decomp = find_checkout() / "examples" / "sample_decomp"
    grounding = GroundCheckConfig(
        repo=str(decomp), profile=str(decomp / "modsmith-profile.yaml"), languages=["c"]
    )
    evaluated = run_eval(
        EvalConfig(
            model=str(adapters[-1]), ground=grounding, max_new_tokens=48, output_dir=result.run_dir / "eval"
        )
    )
    merged = merge_adapter(adapters[-1], result.run_dir / "merged")
    exported = export_gguf(merged.out_dir, result.run_dir / "gguf", ["f16"], name="demo")
    report = exported.reports[0]
    return Shipped(
        report=Path(evaluated.paths["report"]),
        report_html=Path(evaluated.paths["report_html"]),
        metrics=evaluated.metrics,
        merged=merged.out_dir,
        gguf=exported.files["f16"],
        parity=report.lines(),
        parity_passed=report.passed,
    )
