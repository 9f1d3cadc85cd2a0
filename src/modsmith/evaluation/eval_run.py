"""`run_eval`: answers from the base, the tuned model and/or an endpoint on held-out prompts, scored.

It writes into the output folder (each file atomically, so a crash leaves whole files):

- `answers.jsonl`: one line per (prompt, model): id, task, model, messages (the prompt), reference,
  answer, checks ({name: {passed, detail}}), scores (chrf, distinct_1, distinct_2, loops, tokens,
  judge), seconds, error (and with a judge, judge_reply and judge_error). It is rewritten after each
  model, so the answers of the models done survive a crash in a later one.
- `metrics.json`: {"models": {model: {metric: value}}, "per_task": {task: {model: {metric: value}}},
  "counts": {model: {metric: answers it is over}}, "config": the EvalConfig, "formulas": {metric: its
  definition}} (see `scores.FORMULAS`).

An endpoint or a judge that answered no request at all is a ModsmithError once the files are written.
The output folder may hold only what an evaluation writes (an earlier evaluation is rewritten).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from modsmith.errors import ModsmithError
from modsmith.evaluation.eval_config import EvalConfig
from modsmith.evaluation.generate import (
    Answer,
    GenerationSettings,
    LocalModels,
    Progress,
    Prompt,
    generate_endpoint,
    generate_local,
)
from modsmith.evaluation.output_folder import refuse_foreign_output
from modsmith.evaluation.prompts import collect_prompts
from modsmith.evaluation.report import write_report
from modsmith.evaluation.report_inputs import ANSWERS_FILE, METRICS_FILE
from modsmith.evaluation.scores import (
    FORMULAS,
    aggregate,
    chrf,
    distinct_n,
    ground_checks,
    heldout_loss,
    judge_messages,
    judge_score,
    loops,
    perplexity,
)
from modsmith.output_paths import folder_lock, refuse_output_over_inputs
from modsmith.records import write_jsonl, write_text_atomic
from modsmith.teacher import ChatRequest, TeacherClient, TeacherConfig
from modsmith.train.run_folder import RUN_CONFIG_FILE, first_line
from modsmith.train.sft_config import SFTRunConfig, SFTSettings
from modsmith.train.sft_data import tokenize_examples
from modsmith.train.sft_model import is_local_model


@dataclass
class EvalResult:
    """The metrics (as in metrics.json) and the files written."""

    metrics: dict[str, Any]
    paths: dict[str, str] = field(default_factory=dict)
    #: "endpoint" and/or "judge" -> (requests, first error) when every request to it failed.
    silent: dict[str, tuple[int, str]] = field(default_factory=dict)


@dataclass(frozen=True)
class Subject:
    """What is evaluated locally: the base, the adapter folder (None: a base alone), the run's config."""

    base: str
    adapter: Path | None
    run: SFTRunConfig | None


def resolve_subject(config: EvalConfig) -> Subject | None:
    """The base and adapter `config.model` names (a `modsmith train` adapter folder holds
    train_config.json; another peft adapter folder names its base in adapter_config.json)."""
    if config.model is None:
        return None
    folder = Path(config.model).expanduser()
    run_file, adapter_file = folder / RUN_CONFIG_FILE, folder / "adapter_config.json"
    if run_file.is_file():
        try:
            run = SFTRunConfig.model_validate_json(run_file.read_text(encoding="utf-8"))
        except ValueError as exc:
            message = f"not a training run config: {first_line(exc)}"
            raise ModsmithError(message, where=str(run_file)) from None
        base = _existing_base(config.base, "--base") or _existing_base(run.base, f"{run_file} (base)")
        return Subject(base, folder, run)
    if adapter_file.is_file():
        try:
            named = json.loads(adapter_file.read_text(encoding="utf-8")).get("base_model_name_or_path")
        except (OSError, ValueError, AttributeError):
            raise ModsmithError("cannot read the adapter config", where=str(adapter_file)) from None
        base = _existing_base(config.base, "--base") or _existing_base(named, str(adapter_file))
        if base is None:
            raise ModsmithError("the adapter does not name its base", where=str(folder), hint="give --base")
        return Subject(base, folder, None)
    if folder.exists() and not folder.is_dir():
        raise ModsmithError("not an adapter or model folder: a file", where=config.model)
    if is_local_model(config.model) and not folder.exists():
        raise ModsmithError("no such adapter or model folder", where=config.model)
    return Subject(_existing_base(config.base, "--base") or config.model, None, None)


def _existing_base(base: str | None, where: str) -> str | None:
    """`base`, unless it is a local path (not a hub name) where nothing is: then a ModsmithError."""
    if base is not None and is_local_model(base) and not Path(base).expanduser().exists():
        hint = "give the base model's folder with --base" if where != "--base" else None
        raise ModsmithError(f"the base model {base} is not there (moved or deleted?)", where=where, hint=hint)
    return base


def settings_of(config: EvalConfig) -> GenerationSettings:
    return GenerationSettings(
        max_new_tokens=config.max_new_tokens,
        batch_size=config.batch_size,
        greedy=config.sampling == "greedy",
        temperature=config.temperature,
        top_p=config.top_p,
        seed=config.seed,
        repetition_penalty=config.repetition_penalty,
    )


def client_of(config: EvalConfig, url: str, model: str) -> TeacherClient:
    # No response cache: a served model may change under the same name, and every evaluation measures anew.
    try:
        teacher = TeacherConfig(
            base_url=url,
            model=model,
            api_key_env=config.api_key_env,
            concurrency=config.concurrency,
            cache=None,
        )
    except ValidationError as exc:
        raise ModsmithError(exc.errors()[0]["msg"], where=url) from None
    return TeacherClient(teacher)


def answer_lines(
    answers: list[Answer], config: EvalConfig, judge: TeacherClient | None, on_progress: Progress | None
) -> list[dict]:
    """The answers.jsonl lines of `answers`: checks and scores (and the judge's, when configured)."""
    if on_progress is not None:
        on_progress(0, len(answers), "checking")
    checks = ground_checks(answers, config.ground)
    judged: list[Any] = [None] * len(answers)
    if judge is not None:  # an answer that failed is not sent: there is nothing to score
        scored = [i for i, a in enumerate(answers) if not a.error]
        requests = [ChatRequest(judge_messages(answers[i]), {"temperature": 0.0}) for i in scored]
        for index, result in zip(scored, judge.chat_many(requests), strict=True):
            judged[index] = result
    lines = []
    for answer, answer_checks, verdict in zip(answers, checks, judged, strict=True):
        reply = verdict.content if verdict is not None else None
        prompt = answer.prompt
        line: dict[str, Any] = {
            "id": prompt.id,
            "task": prompt.task,
            "model": answer.model,
            "messages": prompt.messages,
            "reference": prompt.reference,
            "answer": answer.text,
            "checks": {name: {"passed": c.passed, "detail": c.detail} for name, c in answer_checks.items()},
            "scores": {
                "chrf": chrf(answer.text, prompt.reference),
                "distinct_1": distinct_n(answer.text, 1),
                "distinct_2": distinct_n(answer.text, 2),
                "loops": loops(answer.text),
                "tokens": answer.tokens,
                "judge": judge_score(reply),
            },
            "seconds": round(answer.seconds, 4),
            "error": answer.error,
        }
        if verdict is not None:
            line["judge_reply"] = reply
            if verdict.error:
                line["judge_error"] = verdict.error
        lines.append(line)
    if on_progress is not None:
        on_progress(len(answers), len(answers), "checking")
    return lines


def run_eval(config: EvalConfig, on_progress: Progress | None = None) -> EvalResult:
    """Generate, score and write answers.jsonl and metrics.json (see the module's docstring)."""
    subject = resolve_subject(config)
    if subject is not None and subject.adapter is None and "base" not in config.models:
        raise ModsmithError(
            "a base model alone has no tuned model to evaluate",
            where="--models",
            hint="give an adapter folder (from `modsmith train`), or --models base",
        )
    output = Path(config.output_dir)
    local_base = Path(subject.base) if subject is not None and Path(subject.base).exists() else None
    inputs = [config.dataset, config.prompts, subject.adapter if subject else None, local_base]
    refuse_output_over_inputs([output], inputs, folders=True)
    refuse_foreign_output(output)
    prompts = collect_prompts(config, subject.run if subject is not None else None)
    endpoint = judge = None  # made first, so a bad URL stops the run before anything is generated
    if config.endpoint_url and config.endpoint_model:
        endpoint = client_of(config, config.endpoint_url, config.endpoint_model)
    if config.judge_url and config.judge_model:
        judge = client_of(config, config.judge_url, config.judge_model)
    hint = "wait for it to finish, or give this evaluation another output folder"
    with folder_lock(output, "an evaluation", "output folder", hint):
        result = _evaluate(config, subject, output, prompts, (endpoint, judge), on_progress)
    _refuse_silent_servers(endpoint, judge, result)
    return result


def _refuse_silent_servers(endpoint: TeacherClient | None, judge: TeacherClient | None, result: EvalResult):
    """A ModsmithError when the endpoint or the judge answered no request at all (the files written stay:
    answers.jsonl keeps each request's error)."""
    for client, key, what in ((endpoint, "endpoint", "prompts"), (judge, "judge", "answers to score")):
        if client is not None and key in result.silent:
            count, error = result.silent[key]
            raise ModsmithError(
                f"the {key} answered none of the {count} {what} ({error})",
                where=client.config.base_url,
                hint=f"is it up, serving {client.config.model!r}? {result.paths['answers']} keeps the errors",
            )


def silent_servers(lines: list[dict[str, Any]], endpoint_model: str | None) -> dict[str, tuple[int, str]]:
    """ "endpoint" and/or "judge" -> (requests, first error) when every request to it failed."""
    asked = {
        "endpoint": [line["error"] for line in lines if line["model"] == endpoint_model],
        "judge": [line.get("judge_error") for line in lines if "judge_reply" in line and not line["error"]],
    }
    return {key: (len(errors), errors[0]) for key, errors in asked.items() if errors and all(errors)}


def _evaluate(
    config: EvalConfig,
    subject: Any,
    output: Path,
    prompts: list[Any],
    clients: tuple[Any, Any],
    on_progress: Progress | None,
) -> EvalResult:
    """Generate and score under the output folder's lock; the report last."""
    endpoint, judge = clients
    settings = settings_of(config)
    lines: list[dict[str, Any]] = []
    losses: dict[str, tuple[float | None, int]] = {}
    output.mkdir(parents=True, exist_ok=True)
    if subject is not None:
        local = LocalModels.load(subject.base, subject.adapter)
        names = [name for name in config.models if name == "base" or subject.adapter is not None]
        rows = heldout_rows(prompts, local.tokenizer, subject.run)
        for name in names:
            answers = generate_local(local, name, prompts, settings, on_progress)
            with local.serving(name) as model:
                loss = heldout_loss(model, local.tokenizer, rows, settings.batch_size) if rows else None
            losses[name] = (loss, len(rows))
            lines += answer_lines(answers, config, judge, on_progress)
            write_jsonl(output / ANSWERS_FILE, lines)
    if endpoint is not None:
        answers = generate_endpoint(endpoint, prompts, settings, on_progress)
        lines += answer_lines(answers, config, judge, on_progress)
        write_jsonl(output / ANSWERS_FILE, lines)
    metrics = metrics_of(lines, losses, config)
    write_text_atomic(output / METRICS_FILE, json.dumps(metrics, indent=2, ensure_ascii=False) + "\n")
    report = write_report(output)
    paths = {"answers": output / ANSWERS_FILE, "metrics": output / METRICS_FILE}
    paths.update(report=report.markdown, report_html=report.html)
    silent = silent_servers(lines, endpoint.config.model if endpoint is not None else None)
    return EvalResult(metrics, {name: str(path) for name, path in paths.items()}, silent)


def heldout_rows(
    prompts: list[Prompt], tokenizer: Any, run: SFTRunConfig | None
) -> list[dict[str, list[int]]]:
    """The held-out examples with an answer, tokenized as the run tokenized them (loss on the assistant)."""
    from collections import Counter

    examples = [p.example for p in prompts if p.example is not None and p.reference is not None]
    settings = run or SFTSettings(base="-")
    return tokenize_examples(examples, tokenizer, settings, Counter())


def metrics_of(
    lines: list[dict[str, Any]], losses: dict[str, tuple[float | None, int]], config: EvalConfig
) -> dict:
    """metrics.json's content; `losses`: model -> (held-out loss, rows it is over)."""
    models = list(dict.fromkeys(line["model"] for line in lines))
    tasks = sorted({line["task"] for line in lines})
    result: dict[str, Any] = {"models": {}, "per_task": {task: {} for task in tasks}, "counts": {}}
    for model in models:
        mine = [line for line in lines if line["model"] == model]
        result["models"][model], result["counts"][model] = aggregate(mine)
        loss, held = losses.get(model, (None, 0))
        result["models"][model].update(heldout_loss=loss, perplexity=perplexity(loss))
        result["counts"][model].update(heldout_loss=held, perplexity=held)
        for task in tasks:
            of_task = [line for line in mine if line["task"] == task]
            if of_task:
                result["per_task"][task][model] = aggregate(of_task)[0]
    result["config"] = json.loads(config.model_dump_json())
    result["formulas"] = dict(FORMULAS)
    return result
