"""`modsmith eval ADAPTER_OR_BASE [options] -o OUT`: the base and the tuned model (and/or an endpoint),
answering held-out prompts, scored with the data's grounding checks and text scores.

The options are `evaluation.eval_config.EvalConfig`'s fields (help and defaults from the model; the
grounding settings dotted: `--ground.repo`, `--ground.profile`). Progress goes to stderr; at the end a
table of the metrics, one column per model, and the paths of answers.jsonl and metrics.json go to
stdout. torch and transformers are imported only when a run needs them.
"""

from __future__ import annotations

from typing import Any

import click
from pydantic import ValidationError

from modsmith.config_options import (
    ConfigField,
    command_line_values,
    config_fields,
    config_option,
    option_error,
)
from modsmith.console import console, stdout

RENAMED = {"output_dir": "output"}  # config field -> option name (also given as -o)
#: Fields that are no options: the argument, and the grounding settings that do not apply to answers
#: (the answer is the assistant turn that is checked; every result is kept).
NOT_OPTIONS = frozenset({"model", "ground.roles", "ground.on_fail"})
#: The metrics of the table, in order (metrics.json has them all).
TABLE_METRICS = (
    "answers",
    "failed",
    "heldout_loss",
    "perplexity",
    "compile_pass_rate",
    "invented_name_rate",
    "csharp_compile_rate",
    "ir_validity_rate",
    "chrf",
    "distinct_1",
    "distinct_2",
    "loop_share",
    "mean_tokens",
    "judge",
)


def option_fields() -> dict[str, ConfigField]:
    """click parameter name -> its EvalConfig field (`ground.repo` is the parameter `ground__repo`)."""
    from modsmith.evaluation.eval_config import EvalConfig

    fields = config_fields(EvalConfig)
    return {f.key.replace(".", "__"): f for f in fields if f.model is None and f.key not in NOT_OPTIONS}


def _params() -> list[click.Parameter]:
    params: list[click.Parameter] = [click.Argument(["model"], required=False, metavar="[ADAPTER_OR_BASE]")]
    for name, field in option_fields().items():
        option = config_option(field, name, RENAMED.get(field.key, field.option[2:]))
        if field.key == "output_dir":
            option.opts.insert(0, "-o")
        params.append(option)
    return params


class EvalCommand(click.Command):
    """Options built when the command is used, so `modsmith --help` imports no evaluation code."""

    def __init__(self) -> None:
        super().__init__(
            "eval",
            callback=self._run,
            no_args_is_help=True,
            help="Evaluate ADAPTER_OR_BASE (a `modsmith train` adapter folder: its base and the tuned "
            "model; or a base model alone, a local folder or a hub name) and/or an OpenAI-compatible "
            "endpoint on the held-out split of the dataset (by default the adapter's own) and a prompts "
            "file. Writes answers.jsonl, metrics.json, report.md and report.html (plots in plots/) into "
            "the -o folder, which must be new, empty or an earlier evaluation's.",
        )
        self.built = False

    def get_params(self, ctx: click.Context) -> list[click.Parameter]:
        if not self.built:
            self.params, self.built = _params(), True
        return super().get_params(ctx)

    def _run(self, model: str | None, **given: Any) -> None:
        from modsmith.evaluation.eval_config import EvalConfig
        from modsmith.evaluation.eval_run import run_eval

        labels = {(key,): f"option --{option}" for key, option in RENAMED.items()}
        try:
            config = EvalConfig(model=model, **command_line_values(option_fields(), given))
        except ValidationError as exc:
            raise option_error(exc, labels) from None

        def progress(done: int, total: int, what: str) -> None:
            console.print(f"{what}: {done}/{total}", markup=False, highlight=False)

        result = run_eval(config, on_progress=progress)
        for line in metrics_table(result.metrics):
            stdout.print(line, markup=False, highlight=False)
        stdout.print(f"answers: {result.paths['answers']}", markup=False, highlight=False)
        stdout.print(f"metrics: {result.paths['metrics']}", markup=False, highlight=False)
        stdout.print(
            f"report: {result.paths['report']} and {result.paths['report_html']}",
            markup=False,
            highlight=False,
        )


def metrics_table(metrics: dict[str, Any]) -> list[str]:
    """The models' metrics side by side (base, tuned, endpoint), as aligned text lines."""
    models = list(metrics["models"])
    rows = [["metric", *models]]
    for name in TABLE_METRICS:
        values = [metrics["models"][model].get(name) for model in models]
        if all(value is None for value in values):
            continue
        counts = [metrics["counts"].get(model, {}).get(name) for model in models]
        rows.append([name, *(_cell(value, count, name) for value, count in zip(values, counts, strict=True))])
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return [
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip() for row in rows
    ]


def _cell(value: Any, count: int | None, name: str) -> str:
    if value is None:
        return "-"
    text = f"{value:.4g}" if isinstance(value, float) else str(value)
    return f"{text} (n={count})" if name.endswith("_rate") and count is not None else text


eval_command = EvalCommand()
