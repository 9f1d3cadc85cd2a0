"""The prompts of an evaluation: the held-out examples of a dataset, and the lines of a prompts file.

A prompt is an example's turns before its last assistant turn, which is the reference answer. A prompts
file holds one prompt per line, or JSON lines of {"messages": [...], "task": ...}; blank lines are
skipped, a UTF-8 BOM is ignored, and a bad line is a ModsmithError naming `file:line`.
"""

from __future__ import annotations

import json
from pathlib import Path

from modsmith.errors import ModsmithError
from modsmith.evaluation.eval_config import EvalConfig
from modsmith.evaluation.generate import Prompt
from modsmith.example_formats import joined_content
from modsmith.records import Example, Message, numbered_lines
from modsmith.train.run_folder import first_line
from modsmith.train.sft_config import SFTRunConfig, SFTSettings
from modsmith.train.sft_data import load_mixed, read_split

PROMPT_HINT = 'give one prompt per line, or JSON lines of {"messages": [{"role": "user", "content": "..."}]}'


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
    if not path.is_file():  # checked first: a FIFO would block the read
        what = "no such prompts file"
        if path.is_dir():
            what = "the prompts file is a folder"
        elif path.exists():
            what = "the prompts file is not a regular file (a pipe or a device?)"
        raise ModsmithError(what, where=str(path), hint=PROMPT_HINT)
    prompts = []
    for number, line in numbered_lines(path):  # blank lines skipped, a BOM dropped, bad UTF-8 named
        name, line = f"{path.name}:{number}", line.rstrip("\r\n")
        if not line.lstrip().startswith("{"):
            prompts.append(Prompt(name, "prompt", [{"role": "user", "content": line}]))
            continue
        try:
            data = json.loads(line)
            messages = [Message.model_validate(message) for message in data["messages"]]
            example = Example.create(str(data.get("task", "prompt")), messages)
        except (ValueError, KeyError, TypeError) as exc:
            message = f"not a prompt: {first_line(exc)}"
            raise ModsmithError(message, where=f"{path}:{number}", hint=PROMPT_HINT) from None
        prompt = example_prompt(example)
        if prompt is None:
            raise ModsmithError("the prompt has no turn before its answer", where=f"{path}:{number}")
        prompts.append(Prompt(name, prompt.task, prompt.messages, prompt.reference))
    if not prompts:
        raise ModsmithError("the prompts file holds no prompt", where=str(path), hint=PROMPT_HINT)
    return prompts


def collect_prompts(config: EvalConfig, run: SFTRunConfig | None) -> list[Prompt]:
    """The held-out prompts of the dataset (by default the run's own held-out examples, those of its
    mixed datasets too), then those of the prompts file; at most `limit`."""
    valid: list[Example] | None = None
    if config.dataset is not None:
        settings = run or SFTSettings(base="-")
        fraction = settings.valid_fraction if config.valid_fraction is None else config.valid_fraction
        seed = settings.seed if config.split_seed is None else config.split_seed
        _, valid = read_split(Path(config.dataset), fraction, seed)
    elif run is not None and config.prompts is None:
        valid = load_mixed(run).valid  # the examples the run's held-out loss was measured on
    if valid is not None and not valid:
        where = str(config.dataset or (run.dataset if run else ""))
        raise ModsmithError("the dataset has no held-out examples", where=where, hint="give a prompts file")
    prompts = [prompt for prompt in map(example_prompt, valid or []) if prompt is not None]
    if config.prompts is not None:
        prompts += file_prompts(Path(config.prompts))
    if not prompts:
        raise ModsmithError(
            "nothing to evaluate", hint="give a dataset (or an adapter folder) or a prompts file"
        )
    return prompts[: config.limit] if config.limit else prompts
