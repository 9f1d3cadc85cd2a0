"""The evaluation report's charts: grouped bar charts as PNG bytes, drawn on matplotlib's Agg canvas.

One chart per metric (a bar per model: base, tuned, any endpoint model) and one per main metric across
tasks (a group of bars per task, a bar per model in each). No pyplot state and no display: a `Figure`
on a `FigureCanvasAgg`, saved to bytes that the report writes into `plots/` and embeds in the HTML.
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

#: Model colours in a fixed order, so base and tuned look the same in every chart.
MODEL_COLOURS = ["#8c8c8c", "#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b", "#e377c2"]


def _png(figure) -> bytes:
    buffer = io.BytesIO()
    figure.tight_layout()
    figure.savefig(buffer, format="png", metadata={"Software": None})
    return buffer.getvalue()


def _new_axes(width: float):
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(width, 3.2), dpi=90)
    FigureCanvasAgg(figure)
    return figure, figure.add_subplot()


def _label_bars(axes, bars, values: Sequence[float | None], fmt: Callable[[float], str]) -> None:
    labels = [fmt(v) if v is not None else "n/a" for v in values]
    axes.bar_label(bars, labels=labels, fontsize=8, padding=2)


def _finish(axes, title: str, metric: str, percent: bool) -> None:
    axes.set_title(title)
    if percent:
        from matplotlib.ticker import PercentFormatter

        axes.yaxis.set_major_formatter(PercentFormatter(xmax=1))
    axes.set_ylabel("share of answers" if percent else metric)
    axes.margins(y=0.18)
    axes.grid(axis="y", alpha=0.3)


def metric_chart(
    metric: str,
    values: Mapping[str, float | None],
    models: Sequence[str],
    fmt: Callable[[float], str],
    percent: bool,
) -> bytes:
    """A bar per model for one metric; a model without a value gets an empty slot labelled n/a."""
    figure, axes = _new_axes(max(3.5, 1.2 * len(models) + 1.5))
    heights = [values.get(model) for model in models]
    bars = axes.bar(
        range(len(models)),
        [h if h is not None else 0.0 for h in heights],
        color=[MODEL_COLOURS[i % len(MODEL_COLOURS)] for i in range(len(models))],
    )
    _label_bars(axes, bars, heights, fmt)
    axes.set_xticks(range(len(models)), list(models))
    _finish(axes, metric, metric, percent)
    return _png(figure)


def task_chart(
    metric: str,
    per_task: Mapping[str, Mapping[str, float | None]],
    models: Sequence[str],
    fmt: Callable[[float], str],
    percent: bool,
) -> bytes:
    """Groups of bars, one group per task and one bar per model in it, for one metric."""
    tasks = list(per_task)
    figure, axes = _new_axes(max(4.5, 0.9 * len(tasks) * max(1, len(models)) + 2))
    width = 0.8 / max(1, len(models))
    for index, model in enumerate(models):
        heights = [per_task[task].get(model) for task in tasks]
        positions = [t + (index - (len(models) - 1) / 2) * width for t in range(len(tasks))]
        bars = axes.bar(
            positions,
            [h if h is not None else 0.0 for h in heights],
            width=width,
            label=model,
            color=MODEL_COLOURS[index % len(MODEL_COLOURS)],
        )
        _label_bars(axes, bars, heights, fmt)
    axes.set_xticks(range(len(tasks)), tasks)
    _finish(axes, f"{metric} per task", metric, percent)
    axes.legend(fontsize=8)
    return _png(figure)


@dataclass(frozen=True)
class Chart:
    """One drawn chart: its title, its file name in the report's plots/ folder, and the PNG."""

    title: str
    file_name: str
    png: bytes


def _numbers(values: Mapping[str, object]) -> dict[str, float]:
    return {
        key: value
        for key, value in values.items()
        if isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)
    }


def _stem(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", name).strip("._") or "metric"


def draw_charts(
    models: Sequence[str],
    overall: Mapping[str, Mapping[str, object]],
    per_task: Mapping[str, Mapping[str, Mapping[str, object]]],
    metrics: Sequence[str],
    task_metrics: Sequence[str],
    fmt: Callable[[str, float], str],
    is_rate: Callable[[str], bool],
) -> list[Chart]:
    """A chart per metric of `metrics` over `overall` ({model: {metric: value}}), then a per-task chart
    per metric of `task_metrics` over `per_task` ({task: {model: {metric: value}}}). Metrics with no
    number anywhere get no chart."""
    charts: list[Chart] = []
    used: set[str] = set()

    def add(title: str, stem: str, png: bytes) -> None:
        name, number = f"{stem}.png", 2
        while name in used:
            name, number = f"{stem}-{number}.png", number + 1
        used.add(name)
        charts.append(Chart(title, name, png))

    def labels(metric: str) -> tuple[Callable[[float], str], bool]:
        return (lambda value: fmt(metric, value)), is_rate(metric)

    for metric in metrics:
        numbers = _numbers({model: overall.get(model, {}).get(metric) for model in models})
        if numbers:
            png = metric_chart(metric, numbers, models, *labels(metric))
            add(metric, f"metric-{_stem(metric)}", png)
    for metric in task_metrics:
        table = {
            task: _numbers({model: by_model.get(model, {}).get(metric) for model in models})
            for task, by_model in per_task.items()
        }
        table = {task: numbers for task, numbers in table.items() if numbers}
        if table:
            png = task_chart(metric, table, models, *labels(metric))
            add(f"{metric} per task", f"task-{_stem(metric)}", png)
    return charts
