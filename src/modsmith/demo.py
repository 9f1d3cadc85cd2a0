"""`modsmith demo`: the whole spine, offline, on the sample code base and guides in `examples/`."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from modsmith.errors import ModsmithError
from modsmith.recipe import ExportSpec, Recipe, StageSpec, build_stage
from modsmith.run import OnRecord, RunResult, run_stages, stage_registry


def find_examples(start: Path | None = None) -> Path:
    """The `examples/` folder: under the current directory, or beside the source checkout."""
    candidates = [(start or Path.cwd()) / "examples", Path(__file__).resolve().parents[2] / "examples"]
    for candidate in candidates:
        if (candidate / "sample_decomp").is_dir():
            return candidate
    raise ModsmithError(
        "cannot find the demo's examples/ folder",
        where=str(candidates[0]),
        hint="run `modsmith demo` from a modsmith checkout",
    )


def demo_recipe(examples: Path, output: Path) -> Recipe:
    return Recipe(
        name="demo",
        output=str(output),
        stages=[
            StageSpec(stage="ingest.code", config={"root": str(examples / "sample_decomp")}),
            StageSpec(stage="ingest.code", config={"root": str(examples / "sample_unity")}),
            StageSpec(stage="ingest.text", config={"paths": [str(examples / "guides")], "max_tokens": 400}),
            StageSpec(stage="synth.tasks"),
            StageSpec(
                stage="ground.check",
                id="grounded-c",
                config={
                    "repo": str(examples / "sample_decomp"),
                    "profile": str(examples / "sample_decomp" / "modsmith-profile.yaml"),
                    "languages": ["c"],
                    "on_fail": "tag",
                },
            ),
            StageSpec(
                stage="ground.check",
                id="grounded-csharp",
                config={"repo": str(examples / "sample_unity"), "languages": ["csharp"], "on_fail": "tag"},
            ),
        ],
        export=ExportSpec(formats=["alpaca", "sharegpt", "openai"], keep_meta=False),
    )


def run_demo(output: Path, on_stage: Callable[[str], OnRecord] | None = None) -> RunResult:
    recipe = demo_recipe(find_examples(), output)
    registry = stage_registry()
    stages = [build_stage(spec, registry) for spec in recipe.stages]
    return run_stages(recipe, stages, on_stage)
