"""The dataset card: README.md (Hugging Face style front matter) and a token-length histogram.

Figures are gathered in one streaming pass with `CardStats.add(example, split)`; only a token count
per example is kept, never the examples.
"""

from __future__ import annotations

import os
import re
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from modsmith.example_formats import joined_content
from modsmith.formats.split import SPLIT_SIDES
from modsmith.records import Example, write_text_atomic

HF_SPLIT = {"train": "train", "valid": "validation"}
_TOKEN = re.compile(r"\w+|[^\w\s]")


def approx_token_count(text: str) -> int:
    """Words and punctuation marks: a rough stand-in for a real tokenizer's count."""
    return len(_TOKEN.findall(text))


def example_text(example: Example) -> str:
    return "\n\n".join(joined_content(m) for m in example.messages)


@dataclass
class CardStats:
    """Streaming accumulator of the figures the card shows."""

    count_tokens: Callable[[str], int] = approx_token_count
    counter_name: str = "a rough count of words and punctuation"
    splits: Counter = field(default_factory=Counter)
    tasks: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    sources: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    checks: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    token_lengths: dict[str, list[int]] = field(default_factory=lambda: {s: [] for s in SPLIT_SIDES})
    files: list[tuple[str, str, str, int]] = field(default_factory=list)  # (name, format, split, lines)
    rejected: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))  # format -> reasons

    def add(self, example: Example, split: str) -> None:
        self.splits[split] += 1
        self.tasks[example.task][split] += 1
        for source in sorted({p.source for p in example.provenance} or {"(no provenance)"}):
            self.sources[source][split] += 1
        for name, check in example.checks.items():
            self.checks[name]["passed" if check.passed else "failed"] += 1
        self.token_lengths.setdefault(split, []).append(self.count_tokens(example_text(example)))

    def add_file(self, name: str, fmt: str, split: str, lines: int) -> None:
        self.files.append((name, fmt, split, lines))

    def add_rejected(self, fmt: str, reason: str) -> None:
        self.rejected[fmt][reason] += 1


def _table(header: list[str], rows: list[list]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(cell).replace("|", "\\|") for cell in row) + " |" for row in rows]
    return lines + [""]


def _split_table(title: str, what: str, counts: dict[str, Counter]) -> list[str]:
    rows = [[name, c["train"], c["valid"], c["train"] + c["valid"]] for name, c in sorted(counts.items())]
    return [f"## {title}", "", *_table([what, "train", "valid", "total"], rows)]


def _front_matter(stats: CardStats) -> str:
    by_format: dict[str, list[dict]] = defaultdict(list)
    for name, fmt, split, _ in stats.files:
        by_format[fmt].append({"split": HF_SPLIT.get(split, split), "path": name})
    configs = []
    for number, (fmt, files) in enumerate(by_format.items()):
        configs.append(
            {"config_name": fmt, **({"default": True} if number == 0 else {}), "data_files": files}
        )
    meta = {"configs": configs, "task_categories": ["text-generation"]}
    return "---\n" + yaml.safe_dump(meta, sort_keys=False, allow_unicode=True) + "---\n"


def save_histogram(stats: CardStats, path: Path) -> bool:
    """Token lengths per split as a PNG (Agg canvas, no pyplot state); False when there is nothing."""
    if not any(stats.token_lengths.values()):
        return False
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(7, 4), dpi=100)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    data = [(split, lengths) for split, lengths in stats.token_lengths.items() if lengths]
    axes.hist([lengths for _, lengths in data], bins=40, stacked=True, label=[split for split, _ in data])
    axes.set_xlabel(f"tokens per example ({stats.counter_name})")
    axes.set_ylabel("examples")
    axes.legend()
    figure.tight_layout()
    tmp = path.with_name(path.name + ".tmp.png")
    figure.savefig(tmp, format="png")
    os.replace(tmp, path)
    return True


def _length_summary(stats: CardStats, has_histogram: bool) -> list[str]:
    lines = ["## Token lengths", "", f"Counted with: {stats.counter_name}.", ""]
    rows = []
    for split, lengths in stats.token_lengths.items():
        if lengths:
            ordered = sorted(lengths)
            rows.append([split, ordered[0], ordered[len(ordered) // 2], ordered[-1], sum(ordered)])
    if not rows:
        return lines + ["No examples.", ""]
    lines += _table(["split", "min", "median", "max", "total"], rows)
    return lines + (["![token lengths](token_lengths.png)", ""] if has_histogram else [])


def write_dataset_card(out_dir: str | Path, stats: CardStats, title: str | None = None) -> Path:
    """Write README.md (and token_lengths.png) into `out_dir`; returns the README path."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    has_histogram = save_histogram(stats, out_dir / "token_lengths.png")
    lines = [_front_matter(stats), f"# {title or out_dir.name}", "", "Made with modsmith.", ""]
    lines += ["## Splits", "", *_table(["split", "examples"], [[s, stats.splits[s]] for s in SPLIT_SIDES])]
    lines += _split_table("Examples per task", "task", stats.tasks)
    lines += _split_table("Examples per source", "source (repository or guide folder)", stats.sources)
    lines += ["## Checks", ""]
    if stats.checks:
        rows = [[name, c["passed"], c["failed"]] for name, c in sorted(stats.checks.items())]
        lines += _table(["check", "passed", "failed"], rows)
    else:
        lines += ["No checks run.", ""]
    lines += _length_summary(stats, has_histogram)
    lines += ["## Files", "", *_table(["file", "format", "split", "lines"], [list(f) for f in stats.files])]
    if stats.rejected:
        lines += ["## Examples a format could not hold", ""]
        rows = [
            [fmt, reason, n]
            for fmt, reasons in sorted(stats.rejected.items())
            for reason, n in sorted(reasons.items())
        ]
        lines += _table(["format", "reason", "examples"], rows)
    path = out_dir / "README.md"
    write_text_atomic(path, "\n".join(lines).rstrip("\n") + "\n")
    return path
