"""`modsmith bench train`: training throughput of a plain baseline and of modsmith's defaults, side by side.

The measuring is `train.throughput_bench`'s; this module parses the options and prints the table. Nothing
of torch or the training libraries is imported until the command runs, so `modsmith --help` stays fast.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from modsmith.console import console, stdout
from modsmith.train.model_shapes import SHAPES


@click.command(
    "train",
    help="Train a random model of a named architecture shape on synthetic variable-length chat examples, "
    "once as a plain baseline (no packing, padded batches, no fused kernels) and once with modsmith's "
    "defaults, and print tokens/s (non-padding tokens), padding share, peak memory and MFU of each, with "
    "the ratios. The named shapes need a CUDA GPU; tiny runs anywhere.",
)
@click.option(
    "--shape", type=click.Choice(list(SHAPES)), default="tiny", show_default=True, help="Model shape."
)
@click.option("--max-length", type=int, default=None, help="Row length [default: 128 for tiny, else 2048].")
@click.option("--steps", type=int, default=None, help="Timed steps [default: 4 for tiny, else 20].")
@click.option("--batch", type=int, default=4, show_default=True, help="Rows per step (packed or padded).")
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of the weights and the data.")
@click.option("--allow-cpu", is_flag=True, help="Run a named shape without CUDA anyway (it takes hours).")
@click.option("--json", "json_path", type=click.Path(path_type=Path), help="Write the numbers to this file.")
def bench_train(
    shape: str,
    max_length: int | None,
    steps: int | None,
    batch: int,
    seed: int,
    allow_cpu: bool,
    json_path: Path | None,
) -> None:
    from modsmith.train.train_extra import require_train_extra

    require_train_extra("modsmith bench train")
    from modsmith.train.throughput_bench import BenchSettings, run_bench

    tiny = shape == "tiny"
    settings = BenchSettings(
        shape=shape,
        max_length=max_length or (128 if tiny else 2048),
        steps=steps or (4 if tiny else 20),
        batch=batch,
        seed=seed,
        allow_cpu=allow_cpu,
    )
    report = run_bench(settings, on_progress=lambda line: console.print(line, markup=False, highlight=False))
    for line in report_lines(report):
        stdout.print(line, markup=False, highlight=False, soft_wrap=True)
    if json_path is not None:
        json_path.parent.mkdir(parents=True, exist_ok=True)
        json_path.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
        stdout.print(f"numbers: {json_path}", markup=False, highlight=False)


def report_lines(report: dict[str, Any]) -> list[str]:
    """The table of both variants and their ratios, and the lines that say how each number was made."""
    settings, base, ours = report["settings"], report["variants"]["baseline"], report["variants"]["defaults"]
    ratios = report["ratios"]

    def mfu(variant: dict[str, Any]) -> str:
        return "n/a" if variant["mfu"] is None else f"{variant['mfu']:.1%}"

    rows = [
        ("packing", _on(base["packing"]), _on(ours["packing"]), ""),
        ("tokens/s (non-padding)", f"{base['tokens_per_s']:,.0f}", f"{ours['tokens_per_s']:,.0f}",
         f"{ratios['tokens_per_s']:.2f}x"),
        ("padding share", f"{base['padding_share']:.1%}", f"{ours['padding_share']:.1%}", ""),
        ("peak memory", _gib(base["peak_memory_bytes"]), _gib(ours["peak_memory_bytes"]),
         f"{ratios['peak_memory']:.2f}x"),
        ("MFU", mfu(base), mfu(ours), ""),
        ("timed tokens / seconds", f"{base['tokens']:,} / {base['seconds']:.2f}",
         f"{ours['tokens']:,} / {ours['seconds']:.2f}", ""),
    ]  # fmt: skip
    widths = [max(len(row[column]) for row in [("", "baseline", "defaults", "defaults/baseline"), *rows])
              for column in range(4)]  # fmt: skip
    header = ("", "baseline", "defaults", "defaults/baseline")
    table = [
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in (header, *rows)
    ]
    peak = report["peak_flops"]
    return [
        f"bench train: shape {settings['shape']}, max length {settings['max_length']}, "
        f"batch {settings['batch']}, {settings['steps']} timed steps, seed {settings['seed']}, "
        f"device {report['device']}",
        "baseline: packing off, padded batches, liger off, sdpa attention; "
        "defaults: the run config's defaults (packing, liger, attention on auto)",
        f"both: {report['shared']}",
        *table,
        "tokens and padding: counted in the collated batches of the timed steps (warm-up steps left out)",
        f"peak memory: {report['memory_measure']}",
        report["flops_formula"],
        "FLOPs/token: "
        + ", ".join(
            f"{name} T = {variant['attended_length']:.1f} -> {variant['flops_per_token']:.4g}"
            for name, variant in (("baseline", base), ("defaults", ours))
        ),
        "MFU: "
        + (
            f"achieved FLOPs/s / {peak:.4g} (dense bf16 peak of {report['device']})"
            if peak
            else f"n/a (no peak figure for {report['device']})"
        ),
    ]


def _on(flag: bool) -> str:
    return "on" if flag else "off"


def _gib(count: int) -> str:
    return f"{count / 2**30:.2f} GiB"


bench_group = click.Group(
    "bench", [bench_train], help="Benchmarks of modsmith's own paths (training throughput)."
)
