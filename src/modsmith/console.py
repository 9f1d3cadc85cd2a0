"""What the `modsmith` command shows: progress while stages run, the tables after, and errors.

Tables and progress go to stderr; the paths a script may want (a run directory, a report) go to
stdout. A user error is one line on stderr and exit status 2.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from modsmith.errors import ModsmithError
from modsmith.run import OnRecord, RunResult, StageResult, run_on_files
from modsmith.stage import Stage

#: exit status of a usage or input error (a ModsmithError, an invalid option)
USER_ERROR = 2

if TYPE_CHECKING:
    from modsmith.ground.names.symbol_index import SymbolIndex
    from modsmith.ground.report import GroundingReport

console = Console(stderr=True)
stdout = Console(soft_wrap=True)


@contextmanager
def printed_notes() -> Iterator[None]:
    """What a training run says on the `modsmith.train` logger (its memory plan, the fast paths it chose,
    the training mix) is printed on the console while it runs."""

    class Printed(logging.Handler):  # rich's RichHandler pads every line to the terminal's width
        def emit(self, record: logging.LogRecord) -> None:
            console.print(record.getMessage(), markup=False, highlight=False)

    logger, handler = logging.getLogger("modsmith.train"), Printed(logging.INFO)
    level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)


@contextmanager
def progress() -> Iterator[Callable[[str], OnRecord]]:
    """Yields an `on_stage(name) -> on_record(count)` factory that drives a rich progress display."""
    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        TextColumn("{task.completed} records"),
        TimeElapsedColumn(),
        console=console,
        transient=True,
        disable=not console.is_terminal,
    ) as shown:

        def on_stage(name: str) -> OnRecord:
            task = shown.add_task(name, total=None)

            def on_record(count: int) -> None:
                if count % 200 == 0:
                    shown.update(task, completed=count)

            return on_record

        yield on_stage


def stage_table(results: list[StageResult]) -> Table:
    table = Table(title="stages")
    for column in ("stage", "in", "out", "dropped", "why dropped", "seconds"):
        table.add_column(column, justify="right" if column in ("in", "out", "dropped", "seconds") else "left")
    for r in results:
        reasons = "; ".join(f"{k}: {v}" for k, v in list(r.reasons.items())[:4]) or "-"
        seconds = "skipped (unchanged)" if r.skipped else f"{r.seconds:.2f}"
        if r.summary.get("enabled") is False:
            seconds = "off (enabled: false)"
        table.add_row(r.stage, str(r.records_in), str(r.records_out), str(r.dropped), reasons, seconds)
    return table


def print_stage_on_files(result: StageResult, output: Path, rejected: Path) -> None:
    console.print(stage_table([result]))
    console.print(f"wrote {result.records_out} records to {output}; dropped {result.dropped} to {rejected}")
    if "adapter" in result.summary:
        stdout.print(training_line(result.summary))


def run_stage_on_files(stage: Stage, inputs: Path | Sequence[Path] | None, output: Path) -> StageResult:
    """Run `stage` on plain files with a progress display, then print its table."""
    with progress() as on_stage:
        result, rejected = run_on_files(stage, inputs, output, on_stage(stage.name))
    print_stage_on_files(result, output, rejected)
    return result


def print_export(summary: dict, output: Path) -> None:
    table = Table(title=f"dataset in {output}")
    table.add_column("file")
    table.add_column("lines", justify="right")
    for name, count in summary.get("files", {}).items():
        table.add_row(str(name), str(count))
    console.print(table)
    for reason, count in summary.get("rejected", {}).items():
        console.print(f"not written: {count} ({reason})")


def print_run(result: RunResult) -> None:
    console.print(stage_table(result.stages))
    if result.export:
        print_export(result.export, result.run_dir / "dataset")
    stdout.print(f"run directory: {result.run_dir}")
    for report in sorted(result.run_dir.glob("[0-9]*/report.md")):
        stdout.print(f"grounding report: {report}")
    if result.export:
        stdout.print(f"dataset and card: {result.run_dir / 'dataset' / 'README.md'}")
    for stage in result.stages:
        if "adapter" in stage.summary:
            stdout.print(training_line(stage.summary))


def print_shipped(shipped: Any) -> None:
    """The demo's evaluation, merged model and GGUF (`demo.Shipped`)."""
    models = shipped.metrics.get("models", {})
    for name in ("base", "tuned"):
        figures = models.get(name, {})
        loss, chrf = figures.get("heldout_loss"), figures.get("chrf")
        shown = [
            f"held-out loss {loss:.3f}" if loss is not None else "",
            f"chrF {chrf:.1f}" if chrf is not None else "",
        ]
        stdout.print(f"eval {name}: " + ", ".join(part for part in shown if part))
    stdout.print(f"eval report: {shipped.report} ({shipped.report_html.name} beside it)")
    stdout.print(f"merged model: {shipped.merged}")
    for line in shipped.parity:
        console.print(line, markup=False, highlight=False)
    verdict = "passed" if shipped.parity_passed else "FAILED"
    stdout.print(f"GGUF: {shipped.gguf} (parity {verdict})")


def training_line(summary: dict) -> str:
    """What a training stage did: its steps, the loss from first to last log, where the adapter is."""
    line = f"trained {summary['steps']} steps"
    if summary.get("train_loss_first") is not None:
        line += f", training loss {summary['train_loss_first']:.3f} -> {summary['train_loss_last']:.3f}"
    if summary.get("eval_loss") is not None:
        line += f", held-out loss {summary['eval_loss']:.3f}"
    examples = summary.get("examples", {})
    line += f"; {examples.get('train', 0)} training and {examples.get('valid', 0)} held-out examples"
    dropped = sum(summary.get("dropped_examples", {}).values())
    if dropped:
        line += f", {dropped} dropped (see the model card)"
    return f"{line}; adapter: {summary['adapter']}"


def print_index(built: SymbolIndex, repo: Path) -> None:
    """What `modsmith index` built: symbols by kind, what the build did, and where the index is."""
    counts = built.last_build
    table = Table(title=f"symbol index of {repo} at {built.commit or 'no commit'}")
    table.add_column("kind")
    table.add_column("symbols", justify="right")
    for kind, count in sorted(built.stats().items()):
        table.add_row(kind, str(count))
    console.print(table)
    console.print(
        f"{counts.files} files: {counts.indexed} indexed, {counts.unchanged} unchanged, "
        f"{counts.removed} removed, {counts.skipped} skipped, in {counts.seconds:.2f} s"
    )
    stdout.print(f"index: {built.db_path}")


def print_grounding(report: GroundingReport, data: Path, output: Path, records_out: int) -> None:
    """What `modsmith check EXAMPLES.jsonl` found: pass rates, the commonest invented names, files."""
    table = Table(title=f"grounding of {data}")
    for column in ("check", "passed", "failed", "pass rate"):
        table.add_column(column, justify="left" if column == "check" else "right")
    summary = report.to_dict()
    for name, figures in summary["checks"].items():
        table.add_row(name, str(figures["passed"]), str(figures["failed"]), f"{figures['pass_rate']:.1%}")
    console.print(table)
    for item in summary["invented"][:10]:
        hint = (
            f"renamed to {item['renamed_to']}" if item["renamed_to"] else ", ".join(item["suggestions"][:3])
        )
        console.print(f"invented: {item['name']} x{item['count']}" + (f" ({hint})" if hint else ""))
    stdout.print(
        f"checked examples: {output} ({records_out}); report: {output.with_name(output.stem + '.report.md')}"
    )


def print_user_error(exc: ModsmithError | ValidationError) -> int:
    """Print a user's error as one line (and a ModsmithError's details under it); the exit status."""
    if isinstance(exc, ValidationError):
        first = exc.errors()[0]
        field = ".".join(str(p) for p in first["loc"])
        line = f"option {field}: {first['msg']}"
    else:
        line = exc.one_line()
    console.print(f"error: {line}", markup=False, highlight=False, soft_wrap=True)
    if isinstance(exc, ModsmithError) and exc.details:
        console.print(exc.details, markup=False, highlight=False, soft_wrap=True)
    return USER_ERROR
