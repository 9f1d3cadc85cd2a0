"""Executes stages: on plain files (one CLI command) or as a recipe run with a run directory.

A run writes `OUTPUT/NAME/NN-<stage>/` with `data.jsonl`, `rejected.jsonl` and `stats.json` for
each stage. A stage whose config, upstream and outside sources are unchanged is skipped. Files are
written to uniquely named temporaries and renamed; a stage's reports come next and `stats.json`
(which holds the fingerprint, the marker that the stage is done) last, so a run killed at any
point leaves either the previous complete result or none. One run at a time owns a run directory
(a lock the operating system releases when the process dies, even by kill -9); a second run
into it stops at once and names the first one's PID.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from modsmith import __version__
from modsmith.errors import ModsmithError
from modsmith.output_paths import folder_lock, refuse_output_over_inputs
from modsmith.outside_inputs import outside_fingerprint
from modsmith.recipe import Recipe, StageSpec, build_stage, load_recipe, stage_ids
from modsmith.records import JsonlWriter, Record, read_records, write_text_atomic
from modsmith.stage import Rejects, Stage


def stage_registry() -> dict[str, type[Stage]]:
    """Every stage a recipe can name."""
    from modsmith import curate, ground, ingest, synth, train

    stages = [*ingest.STAGES, *synth.STAGES, *curate.STAGES, *ground.STAGES, *train.STAGES]
    return {cls.name: cls for cls in stages}


def build_named_stage(name: str, config: dict[str, Any]) -> Stage:
    """The registered stage `name` with `config` (a pydantic ValidationError if it is invalid)."""
    return build_stage(StageSpec(stage=name, config=config), stage_registry())


@dataclass
class StageResult:
    """What one stage did: counts, drop reasons with samples, time, and whether it was skipped."""

    stage: str
    records_in: int = 0
    records_out: int = 0
    reasons: dict[str, int] = field(default_factory=dict)
    samples: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    reply_samples: list[dict[str, Any]] = field(default_factory=list)
    seconds: float = 0.0
    skipped: bool = False
    summary: dict[str, Any] = field(default_factory=dict)
    output: str = ""

    @property
    def dropped(self) -> int:
        return sum(self.reasons.values())


OnRecord = Callable[[int], None]


def execute_stage(
    stage: Stage,
    records: Iterable[Record],
    data_path: Path,
    rejected_path: Path,
    on_record: OnRecord | None = None,
    max_drop_share: float | None = None,
) -> StageResult:
    """Stream `records` through `stage` into `data_path` (atomically), drops into `rejected_path`.

    A stage that ends with no records, or drops more than `max_drop_share` of its input (default:
    the stage's own `max_drop_share`), raises a ModsmithError with its drop reasons and sample
    replies; whatever was at `data_path` before stays, and `rejected_path` is kept to inspect.
    """
    result = StageResult(stage=stage.name, output=str(data_path))
    started = time.perf_counter()

    def counted(items: Iterable[Record]) -> Iterator[Record]:
        for item in items:
            result.records_in += 1
            yield item

    with JsonlWriter(data_path) as data, JsonlWriter(rejected_path) as rejected:
        rejects = Rejects(sink=rejected.write)
        for record in stage.process(counted(records), rejects):
            data.write(record)
            if on_record is not None:
                on_record(data.count)
        result.records_out = data.count
        result.reasons = dict(rejects.counts.most_common())
        result.samples = rejects.samples
        result.reply_samples = rejects.reply_samples
        result.summary = stage.summary()
        limit = stage.max_drop_share if max_drop_share is None else max_drop_share
        failure = stage_failure(result, limit)
        if failure is not None:
            data.discard()
    if failure is not None:
        raise failure
    result.seconds = round(time.perf_counter() - started, 3)
    return result


def stage_failure(result: StageResult, max_drop_share: float | None) -> ModsmithError | None:
    """Why a stage's output must not be used: it is empty, or too much was dropped; else None."""
    share = result.dropped / result.records_in if result.records_in else 0.0
    if result.records_out == 0:
        if result.reasons:
            reasons = "; ".join(f"{reason}: {count}" for reason, count in list(result.reasons.items())[:3])
            sample = next(iter(result.samples.values()))[0]
            shown = json.dumps(sample["record"], ensure_ascii=False)[:200]
            why = f"dropped {result.dropped} ({reasons}); e.g. {shown}"
        else:
            why = f"it received {result.records_in} records and produced nothing from them"
        message = f"stage {result.stage} produced no records: {why}"
    elif max_drop_share is not None and share > max_drop_share:
        message = (
            f"stage {result.stage} dropped {share:.0%} of its input, more than max_drop_share "
            f"{max_drop_share:.0%}"
        )
    else:
        return None
    return ModsmithError(
        message, hint="see the reasons below and the stage's rejected.jsonl", details=drop_report(result)
    )


def drop_report(result: StageResult) -> str:
    """A plain-text table of drop reasons and up to three raw teacher replies that were dropped."""
    lines = [f"{'count':>7}  reason"] + [f"{count:>7}  {reason}" for reason, count in result.reasons.items()]
    for number, sample in enumerate(result.reply_samples, 1):
        reply = str(sample["record"].get("reply"))
        lines.append(f"--- dropped reply {number} ({sample['reason']}):")
        lines.append(reply[:600] + (" [...]" if len(reply) > 600 else ""))
    if not result.reply_samples and result.samples:
        reason, samples = next(iter(result.samples.items()))
        for number, sample in enumerate(samples, 1):
            lines.append(f"--- dropped record {number} ({reason}): {sample.get('detail') or ''}")
            lines.append(json.dumps(sample["record"], ensure_ascii=False)[:600])
    return "\n".join(lines)


def run_on_files(
    stage: Stage,
    inputs: Path | Sequence[Path] | None,
    output: Path,
    on_record: OnRecord | None = None,
) -> tuple[StageResult, Path]:
    """One stage on plain files: the records of `inputs` (none, one file, or several read in order)
    into `output` (atomic), `<stem>.rejected.jsonl` beside it, and the stage's reports as
    `<stem>.<name>`. Returns the result and the rejected file's path."""
    input_paths = [inputs] if isinstance(inputs, Path) else list(inputs or [])
    rejected = output.with_name(output.stem + ".rejected.jsonl")
    refuse_output_over_inputs([output, rejected], [*input_paths, *stage.outside_paths()])
    records = itertools.chain.from_iterable(read_records(path) for path in input_paths)
    result = execute_stage(stage, records, output, rejected, on_record)
    for name, text in stage.reports().items():
        write_text_atomic(output.with_name(f"{output.stem}.{name}"), text)
    result.summary.update(stage.finish(output, output.with_name(f"{output.stem}.{stage.name}")))
    return result, rejected


@dataclass
class RunResult:
    """A finished recipe run."""

    run_dir: Path
    stages: list[StageResult]
    export: dict[str, Any] | None = None


def run_recipe(
    recipe_path: str | Path,
    on_stage: Callable[[str], OnRecord] | None = None,
    *,
    output: Path | None = None,
    environment: Mapping[str, str] | None = None,
) -> RunResult:
    """Run a recipe file; stages whose inputs and config are unchanged are skipped.

    `output` replaces the recipe's `output` folder; `environment` holds the variables its
    `${VAR}` strings read (default: the process environment).
    """
    recipe, stages = load_recipe(recipe_path, stage_registry(), environment)
    if output is not None:
        recipe = recipe.model_copy(update={"output": str(output)})
    return run_stages(recipe, stages, on_stage)


def run_stages(
    recipe: Recipe, stages: list[Stage], on_stage: Callable[[str], OnRecord] | None = None
) -> RunResult:
    run_dir = Path(recipe.output) / recipe.name
    refuse_output_over_inputs([run_dir], [p for stage in stages for p in stage.outside_paths()], folders=True)
    with run_lock(run_dir):
        return _run_locked(recipe, stages, run_dir, on_stage)


def run_lock(run_dir: Path):
    """Hold `run_dir` for this recipe run (`output_paths.folder_lock`)."""
    hint = "wait for it to finish, or give this run another name or output"
    return folder_lock(run_dir, "a run", "run directory", hint)


def _run_locked(
    recipe: Recipe, stages: list[Stage], run_dir: Path, on_stage: Callable[[str], OnRecord] | None
) -> RunResult:
    results: list[StageResult] = []
    outputs: dict[str, tuple[Path, str]] = {}  # stage id -> (data.jsonl, fingerprint)
    previous: str | None = None
    for index, (spec, stage, stage_id) in enumerate(
        zip(recipe.stages, stages, stage_ids(recipe), strict=True), 1
    ):
        if not spec.enabled:
            results.append(StageResult(stage=stage.name, skipped=True, summary={"enabled": False}))
            continue
        sources = spec.inputs if spec.inputs is not None else ([previous] if previous else [])
        upstream = [outputs[name] for name in sources]
        stage_dir = run_dir / f"{index:02d}-{stage_id}"
        fingerprint = stage_fingerprint(stage, "|".join(f for _, f in upstream))
        data_path = stage_dir / "data.jsonl"
        stats_path = stage_dir / "stats.json"
        stats = _read_stats(stats_path)
        if stats.get("fingerprint") == fingerprint and data_path.exists():
            result = StageResult(
                stage=stage.name,
                records_in=stats["records_in"],
                records_out=stats["records_out"],
                reasons=stats["reasons"],
                summary=stats.get("summary", {}),
                skipped=True,
                output=str(data_path),
            )
        else:
            stats_path.unlink(missing_ok=True)
            inputs = itertools.chain.from_iterable(read_records(path) for path, _ in upstream)
            on_record = on_stage(stage_id) if on_stage else None
            result = execute_stage(
                stage, inputs, data_path, stage_dir / "rejected.jsonl", on_record, spec.max_drop_share
            )
            finish_started = time.perf_counter()
            result.summary.update(stage.finish(data_path, stage_dir))
            result.seconds = round(result.seconds + time.perf_counter() - finish_started, 3)
            stats = {
                "stage": stage.name,
                "id": stage_id,
                "inputs": sources,
                "fingerprint": fingerprint,
                "config": stage.config.model_dump(mode="json"),
                "records_in": result.records_in,
                "records_out": result.records_out,
                "reasons": result.reasons,
                "seconds": result.seconds,
                "summary": result.summary,
                "modsmith": __version__,
            }
            for name, text in stage.reports().items():
                write_text_atomic(stage_dir / name, text)
            write_text_atomic(stats_path, json.dumps(stats, indent=2) + "\n")
        results.append(result)
        outputs[stage_id] = (data_path, fingerprint)
        previous = stage_id
    export = None
    if recipe.export is not None:
        from modsmith.formats import export_dataset

        export = export_dataset(outputs[previous][0], run_dir / "dataset", **recipe.export.model_dump())
    return RunResult(run_dir=run_dir, stages=results, export=export)


def stage_fingerprint(stage: Stage, upstream: str) -> str:
    """Hash of everything a stage's output depends on: modsmith, its config, its upstream stages,
    and what its config names outside the run (a source's files, a repo, a profile, a template)."""
    parts = [
        __version__,
        stage.name,
        json.dumps(stage.config.model_dump(mode="json"), sort_keys=True),
        upstream,
        stage.source_fingerprint() if stage.is_source else "",
        outside_fingerprint(stage.outside_paths()),
    ]
    return hashlib.sha256("\x00".join(parts).encode()).hexdigest()


def _read_stats(path: Path) -> dict[str, Any]:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError):
        return {}
