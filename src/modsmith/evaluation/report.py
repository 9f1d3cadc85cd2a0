"""The evaluation report: `report.md` and one self-contained `report.html` from an eval folder.

Reads the two files `run_eval` writes, `answers.jsonl` (one line per example and model) and
`metrics.json` (metrics per model and per task, the count each is over, the formulas), and writes:
a metrics table (a column per model, the tuned-minus-base change and whether it is better or worse,
the counts, the formula), bar charts per metric and per task (PNG files in `plots/` for the Markdown,
the same PNGs as `data:` URIs in the HTML, so the page needs no other file and loads nothing), a
table per task, and the worst answers of each model with every failed check's detail.
All text from the files is escaped (jinja2 autoescape in the HTML). Every file is written atomically.
"""

from __future__ import annotations

import base64
import html
import json
import math
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import jinja2

from modsmith.errors import ModsmithError
from modsmith.evaluation import report_plots
from modsmith.evaluation.report_inputs import (
    ANSWERS_FILE,
    KNOWN_METRICS,
    METRICS_FILE,
    AnswerLine,
    MetricsFile,
    Value,
    metric_kind,
    read_answers,
    read_metrics,
)
from modsmith.records import temp_path_beside, write_text_atomic

MARKDOWN_FILE = "report.md"
HTML_FILE = "report.html"
PLOTS_DIR = "plots"
TEMPLATES = Path(__file__).resolve().parent / "templates"


@dataclass(frozen=True)
class ReportPaths:
    """What write_report wrote."""

    markdown: Path
    html: Path
    plots: tuple[Path, ...] = field(default=())


def model_order(names: list[str]) -> list[str]:
    """base, tuned, then the other (endpoint) models in name order."""
    fixed = [name for name in ("base", "tuned") if name in names]
    return fixed + sorted(set(names) - set(fixed))


def metric_order(names: list[str]) -> list[str]:
    known = [metric for metric in KNOWN_METRICS if metric in names]
    return known + [metric for metric in dict.fromkeys(names) if metric not in KNOWN_METRICS]


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def format_value(metric: str, value: Value) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "n/a"
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    if metric_kind(metric).rate:
        return f"{value * 100:.1f}%"
    if isinstance(value, int):
        return str(value)
    return f"{value:.1f}" if abs(value) >= 100 else f"{value:.3f}"


def change(metric: str, base: Value, tuned: Value) -> tuple[str, str]:
    """(tuned minus base, "better" | "worse" | "same"; "" where neither way is better or a side is n/a)."""
    if not _is_number(base) or not _is_number(tuned):
        return "n/a", ""
    delta = tuned - base
    kind = metric_kind(metric)
    text = f"{delta * 100:+.1f} pp" if kind.rate else format_value(metric, delta)
    if not kind.rate and delta >= 0:
        text = "+" + text
    if kind.higher_is_better is None:
        return text, ""
    if abs(delta) < 1e-12:
        return text, "same"
    return text, "better" if (delta > 0) == kind.higher_is_better else "worse"


@dataclass(frozen=True)
class MetricRow:
    metric: str
    values: list[str]
    change: str
    direction: str
    counts: str
    formula: str


def metric_rows(
    table: dict[str, dict[str, Value]], models: list[str], metrics: MetricsFile | None = None
) -> list[MetricRow]:
    """One row per metric of `table` ({model: {metric: value}}); counts and formulas from `metrics`."""
    rows = []
    for metric in metric_order([m for values in table.values() for m in values]):
        values = [table.get(model, {}).get(metric) for model in models]
        delta, direction = change(
            metric, table.get("base", {}).get(metric), table.get("tuned", {}).get(metric)
        )
        counts, formula = "", ""
        if metrics is not None:
            found = [metrics.counts.get(model, {}).get(metric) for model in models]
            counts = " / ".join("n/a" if n is None else str(n) for n in found)
            if len(set(found)) == 1:
                counts = "n/a" if found[0] is None else str(found[0])
            formula = metrics.formulas.get(metric, "")
        rows.append(
            MetricRow(metric, [format_value(metric, v) for v in values], delta, direction, counts, formula)
        )
    return rows


@dataclass(frozen=True)
class TaskSection:
    name: str
    answers: dict[str, int]
    rows: list[MetricRow]


def shorten(text: str, limit: int) -> str:
    """`text` cut in the middle to about `limit` characters, saying how much was cut."""
    if len(text) <= limit:
        return text
    head, tail = text[: limit * 2 // 3], text[-(limit // 3) :]
    return f"{head}\n… [{len(text) - len(head) - len(tail)} characters cut] …\n{tail}"


def _badness(answer: AnswerLine) -> tuple:
    chrf = answer.scores.chrf if answer.scores.chrf is not None else math.inf
    return (-len(answer.failed_checks()), not answer.scores.loops, chrf, answer.id)


def worst_answers(answers: list[AnswerLine], count: int) -> list[AnswerLine]:
    """The `count` worst answers: most failed checks first, then looping ones, then the lowest chrF."""
    return sorted(answers, key=_badness)[: max(0, count)]


def why_bad(answer: AnswerLine) -> str:
    failed = len(answer.failed_checks())
    reasons = [f"{failed} failed check{'s' if failed != 1 else ''}"] if failed else []
    reasons += ["loops"] if answer.scores.loops else []
    reasons += [f"chrF {answer.scores.chrf:.1f}"] if answer.scores.chrf is not None else []
    return ", ".join(reasons) or "no failed check"


@dataclass
class ReportView:
    """Everything both renderings show, already formatted."""

    title: str
    models: list[str]
    rows: list[MetricRow]
    tasks: list[TaskSection]
    worst: dict[str, list[AnswerLine]]
    charts: list[report_plots.Chart]
    config: str
    answer_count: int


def build_view(answers: list[AnswerLine], metrics: MetricsFile, folder: Path, worst: int) -> ReportView:
    models = model_order(list(dict.fromkeys([*metrics.models, *(a.model for a in answers)])))
    rows = metric_rows(metrics.models, models, metrics)
    tasks = []
    for task in sorted(set(metrics.per_task) | {a.task for a in answers}):
        counted = {model: sum(1 for a in answers if a.task == task and a.model == model) for model in models}
        tasks.append(TaskSection(task, counted, metric_rows(metrics.per_task.get(task, {}), models)))
    by_model = {model: worst_answers([a for a in answers if a.model == model], worst) for model in models}
    order = sorted(by_model, key=lambda model: (model != "tuned", models.index(model)))
    in_tasks = [
        metric for by_model in metrics.per_task.values() for values in by_model.values() for metric in values
    ]
    charts = report_plots.draw_charts(
        models,
        metrics.models,
        metrics.per_task,
        [row.metric for row in rows],
        [metric for metric in metric_order(in_tasks) if metric_kind(metric).main],
        format_value,
        lambda metric: metric_kind(metric).rate,
    )
    return ReportView(
        title=f"Evaluation report: {folder.resolve().name}",
        models=models,
        rows=rows,
        tasks=tasks,
        worst={model: by_model[model] for model in order if by_model[model]},
        charts=charts,
        config=json.dumps(metrics.config, indent=2, ensure_ascii=False, default=str),
        answer_count=len(answers),
    )


def _markdown_cell(text: object) -> str:
    return html.escape(str(text), quote=False).replace("|", "\\|").replace("\n", " ")


def _markdown_fence(text: str) -> str:
    """A fenced code block around `text`, its fence longer than any run of backticks inside."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}text\n{text}\n{fence}"


def _environment(autoescape: bool) -> jinja2.Environment:
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=autoescape,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    environment.filters["cell"] = _markdown_cell
    environment.filters["fence"] = _markdown_fence
    environment.filters["shorten"] = shorten
    environment.filters["why_bad"] = why_bad
    environment.filters["base64"] = lambda data: base64.b64encode(data).decode("ascii")
    return environment


def render_html(view: ReportView) -> str:
    """One page: styles inline, charts as data: URIs, no scripts, fonts or links to anything else."""
    return _environment(autoescape=True).get_template("report.html.j2").render(view=view)


def render_markdown(view: ReportView) -> str:
    """Markdown whose charts are the PNG files in plots/, linked relatively."""
    return _environment(autoescape=False).get_template("report.md.j2").render(view=view, plots_dir=PLOTS_DIR)


def _write_bytes_atomic(path: Path, data: bytes) -> None:
    tmp = temp_path_beside(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_bytes(data)
        os.replace(tmp, path)
    except OSError as exc:
        raise ModsmithError(f"cannot write: {exc.strerror or exc}", where=str(path)) from None
    finally:
        tmp.unlink(missing_ok=True)


def write_report(folder: str | Path, *, worst: int = 10) -> ReportPaths:
    """Write report.md, report.html and plots/*.png into `folder` from its answers.jsonl and metrics.json.

    `worst` is how many of the worst answers to show per model.
    """
    folder = Path(folder)
    answers = read_answers(folder / ANSWERS_FILE)
    metrics = read_metrics(folder / METRICS_FILE)
    view = build_view(answers, metrics, folder, worst)
    plots_dir = folder / PLOTS_DIR
    written = []
    for chart in view.charts:
        _write_bytes_atomic(plots_dir / chart.file_name, chart.png)
        written.append(plots_dir / chart.file_name)
    for stale in [*plots_dir.glob("metric-*.png"), *plots_dir.glob("task-*.png")]:
        if stale not in written:
            stale.unlink(missing_ok=True)
    paths = ReportPaths(folder / MARKDOWN_FILE, folder / HTML_FILE, tuple(written))
    write_text_atomic(paths.markdown, render_markdown(view))
    write_text_atomic(paths.html, render_html(view))
    return paths
