"""`run_eval`: answers from the base, the tuned model and/or an endpoint on held-out prompts, scored.

It writes into the output folder (each file atomically, so a crash leaves whole files):

- `answers.jsonl`: one line per (prompt, model): id, task, model, messages (the prompt), reference,
  answer, checks ({name: {passed, detail}}), scores (chrf, distinct_1, distinct_2, loops, tokens,
  judge), seconds, error. It is rewritten after each model, so the answers of the models done survive
  a crash in a later one.
- `metrics.json`: {"models": {model: {metric: value}}, "per_task": {task: {model: {metric: value}}},
  "counts": {model: {metric: answers it is over}}, "config": the EvalConfig, "formulas": {metric: its
  definition}} (see `scores.FORMULAS`).
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
from modsmith.example_formats import joined_content
from modsmith.output_paths import folder_lock, refuse_output_over_inputs
from modsmith.records import Example, Message, write_jsonl, write_text_atomic
from modsmith.teacher import ChatRequest, TeacherClient, TeacherConfig
from modsmith.train.run_folder import RUN_CONFIG_FILE
from modsmith.train.sft_config import SFTRunConfig, SFTSettings
from modsmith.train.sft_data import load_mixed, read_split, tokenize_examples


@dataclass
class EvalResult:
    """The metrics (as in metrics.json) and the files written."""

    metrics: dict[str, Any]
    paths: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Subject:
    """What is evaluated locally: the base, the adapter folder (None: a base alone), the run's config."""

    base: str
    adapter: Path | None
    run: SFTRunConfig | None


def resolve_subject(config: EvalConfig) -> Subject | None:
    """The base and adapter `config.model` names (an adapter folder holds train_config.json)."""
    if config.model is None:
        return None
    folder = Path(config.model).expanduser()
    run_file = folder / RUN_CONFIG_FILE
    if not run_file.is_file():
        if folder.is_dir() and (folder / "adapter_config.json").is_file():
            raise ModsmithError(
                f"the adapter folder has no {RUN_CONFIG_FILE}", where=str(folder), hint="give --base"
            )
        if config.model.startswith(("/", ".", "~")) and not folder.is_dir():
            raise ModsmithError("no such adapter or model folder", where=config.model)
        return Subject(config.base or config.model, None, None)
    try:
        run = SFTRunConfig.model_validate_json(run_file.read_text(encoding="utf-8"))
    except ValueError as exc:
        raise ModsmithError(
            f"not a training run config: {str(exc).splitlines()[0]}", where=str(run_file)
        ) from None
    return Subject(config.base or run.base, folder, run)


def example_prompt(example: Example) -> Prompt | None:
    """The prompt of an example: its turns before the last assistant turn, which is the reference."""
    messages = [{"role": m.role, "content": joined_content(m)} for m in example.messages]
    last = max((i for i, m in enumerate(messages) if m["role"] == "assistant"), default=None)
    if last is None:
        return Prompt(example.id, example.task, messages, None, example) if messages else None
    if last == 0:
        return None
    return Prompt(example.id, example.task, messages[:last], messages[last]["content"], example)


def file_prompts(path: Path) -> list[Prompt]:
    """A prompts file: one prompt per line, or a JSONL of {"messages": [...], "task": ...} lines."""
    if not path.is_file():
        raise ModsmithError("no such prompts file", where=str(path))
    prompts = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        name = f"{path.name}:{number}"
        if not line.strip():
            continue
        if not line.lstrip().startswith("{"):
            prompts.append(Prompt(name, "prompt", [{"role": "user", "content": line}]))
            continue
        try:
            data = json.loads(line)
            messages = [Message.model_validate(message) for message in data["messages"]]
            example = Example.create(str(data.get("task", "prompt")), messages)
        except (ValueError, KeyError, TypeError) as exc:
            hint = 'give {"messages": [{"role": "user", "content": "..."}]}'
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise ModsmithError(f"not a prompt: {first}", where=f"{path}:{number}", hint=hint) from None
        prompt = example_prompt(example)
        if prompt is None:
            raise ModsmithError("the prompt has no turn before its answer", where=f"{path}:{number}")
        prompts.append(Prompt(name, prompt.task, prompt.messages, prompt.reference))
    return prompts


def collect_prompts(config: EvalConfig, subject: Subject | None) -> list[Prompt]:
    """The held-out prompts of the dataset (by default the run's own held-out examples, those of its
    mixed datasets too), then those of the prompts file; at most `limit`."""
    run = subject.run if subject is not None else None
    valid: list[Example] | None = None
    if config.dataset is not None:
        settings = run or SFTSettings(base="-")
        fraction = settings.valid_fraction if config.valid_fraction is None else config.valid_fraction
        seed = settings.seed if config.split_seed is None else config.split_seed
        _, valid = read_split(Path(config.dataset), fraction, seed)
    elif run is not None and config.prompts is None:
        valid = load_mixed(run).valid  # the examples the run's held-out loss was measured on
    if valid is not None and not valid:
        where = str(config.dataset or run.dataset)
        raise ModsmithError("the dataset has no held-out examples", where=where, hint="give a prompts file")
    prompts = [prompt for prompt in map(example_prompt, valid or []) if prompt is not None]
    if config.prompts is not None:
        prompts += file_prompts(config.prompts)
    if not prompts:
        raise ModsmithError(
            "nothing to evaluate", hint="give a dataset (or an adapter folder) or a prompts file"
        )
    return prompts[: config.limit] if config.limit else prompts


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
    replies: list[str | None] = [None] * len(answers)
    if judge is not None:
        requests = [ChatRequest(judge_messages(a), {"temperature": 0.0}) for a in answers]
        replies = [result.content for result in judge.chat_many(requests)]
    lines = []
    for answer, answer_checks, reply in zip(answers, checks, replies, strict=True):
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
        if judge is not None:
            line["judge_reply"] = reply
        lines.append(line)
    if on_progress is not None:
        on_progress(len(answers), len(answers), "checking")
    return lines


def run_eval(config: EvalConfig, on_progress: Progress | None = None) -> EvalResult:
    """Generate, score and write answers.jsonl and metrics.json (see the module's docstring)."""
    subject = resolve_subject(config)
    output = Path(config.output_dir)
    local_base = Path(subject.base) if subject is not None and Path(subject.base).exists() else None
    inputs = [config.dataset, config.prompts, subject.adapter if subject else None, local_base]
    refuse_output_over_inputs([output], inputs, folders=True)
    prompts = collect_prompts(config, subject)
    endpoint = judge = None  # made first, so a bad URL stops the run before anything is generated
    if config.endpoint_url and config.endpoint_model:
        endpoint = client_of(config, config.endpoint_url, config.endpoint_model)
    if config.judge_url and config.judge_model:
        judge = client_of(config, config.judge_url, config.judge_model)
    hint = "wait for it to finish, or give this evaluation another output folder"
    with folder_lock(output, "an evaluation", "output folder", hint):
        return _evaluate(config, subject, output, prompts, (endpoint, judge), on_progress)


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
    return EvalResult(metrics, {name: str(path) for name, path in paths.items()})


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
