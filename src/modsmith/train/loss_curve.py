"""The loss curve of a run: `loss_curve.png` in its output folder, drawn from `metrics.jsonl`'s lines.

The training loss (each logged window's mean) and the held-out loss by optimizer step, on one pair of
axes. Drawn on matplotlib's Agg canvas (no display, no pyplot state), written through a temporary file
beside the PNG and renamed into place. A run that logged no training loss gets no PNG (and a stale
one from an earlier run in the folder is removed): `LossCurve.why_not` says why.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from modsmith.records import temp_path_beside

LOSS_CURVE_FILE = "loss_curve.png"


@dataclass(frozen=True)
class LossCurve:
    """Where the curve went, or why there is none."""

    path: Path | None
    why_not: str = ""


def points(lines: Sequence[dict[str, Any]], key: str) -> tuple[list[int], list[float]]:
    """The steps and values of the lines that carry `key` (`loss` or `eval_loss`), in step order."""
    pairs = sorted((line["step"], line[key]) for line in lines if line.get(key) is not None)
    return [step for step, _ in pairs], [value for _, value in pairs]


def write_loss_curve(lines: Sequence[dict[str, Any]], output_dir: Path) -> LossCurve:
    """Draw the training and held-out loss of `lines` (metrics.jsonl) into `output_dir/loss_curve.png`."""
    path = Path(output_dir) / LOSS_CURVE_FILE
    train_steps, train_losses = points(lines, "loss")
    if not train_steps:
        path.unlink(missing_ok=True)
        return LossCurve(None, "the run logged no training loss (it logs one every logging_steps steps)")
    eval_steps, eval_losses = points(lines, "eval_loss")

    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    figure = Figure(figsize=(7, 4), dpi=100)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    axes.plot(train_steps, train_losses, label="training loss", marker="." if len(train_steps) < 30 else None)
    if eval_steps:
        axes.plot(eval_steps, eval_losses, label="held-out loss", marker="o")
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    axes.set_xlabel("optimizer step")
    axes.set_ylabel("loss (mean per loss token)")
    axes.set_title("training and held-out loss" if eval_steps else "training loss (no held-out loss logged)")
    axes.grid(alpha=0.3)
    axes.legend()
    figure.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = temp_path_beside(path)
    try:
        figure.savefig(tmp, format="png")
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return LossCurve(path)
