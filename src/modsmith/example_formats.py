"""Example <-> Alpaca, ShareGPT and OpenAI-messages records (plain dicts, one per JSONL line), and
files of such records read back as Examples.

Below both `ingest` (the `ingest.examples` stage imports a dataset) and `formats` (export writes one).

Training content always survives a round trip. Alpaca keeps a user turn's `input` in its own
field; ShareGPT and OpenAI join it after the instruction ("{content}\\n\\n{input}"), and with
`keep_meta=True` they also write the message's `input` so an import can split it back off.
`keep_meta=True` adds the example's `id`, `task` and `provenance` as extra top-level keys.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from modsmith.errors import ModsmithError
from modsmith.records import Example, Message, Provenance, numbered_lines

SHAREGPT_FROM = {"system": "system", "user": "human", "assistant": "gpt"}
SHAREGPT_ROLE = {
    "system": "system",
    "human": "user",
    "user": "user",
    "gpt": "assistant",
    "assistant": "assistant",
}
ROLES = ("system", "user", "assistant")


class ConversionError(ValueError):
    """An example that a format cannot express, or a record that is not in the expected format.

    `reason` is short and stable (for counting rejects); the message has the details.
    """

    def __init__(self, reason: str, detail: str = ""):
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail


def joined_content(message: Message) -> str:
    """The message text as a chat model sees it: the instruction, then the input block."""
    return f"{message.content}\n\n{message.input}" if message.input else message.content


def _meta(example: Example) -> dict[str, Any]:
    return {
        "id": example.id,
        "task": example.task,
        "provenance": [p.model_dump(exclude_none=True) for p in example.provenance],
    }


def to_alpaca(example: Example, keep_meta: bool = False) -> dict[str, Any]:
    """`{"instruction", "input", "output"}` (+ `"system"`); only single-turn examples fit."""
    roles = [m.role for m in example.messages]
    if roles not in (["user", "assistant"], ["system", "user", "assistant"]):
        if roles.count("user") > 1 or roles.count("assistant") > 1:
            raise ConversionError("multi-turn", "Alpaca holds one instruction and one answer")
        raise ConversionError("not a user/assistant pair", f"turns are {roles}")
    system, user, assistant = example.turn("system"), example.messages[-2], example.messages[-1]
    record: dict[str, Any] = {
        "instruction": user.content,
        "input": user.input or "",
        "output": assistant.content,
    }
    if system is not None:
        record["system"] = system.content
    if keep_meta:
        record.update(_meta(example))
    return record


def _turns(example: Example, role_key: str, text_key: str, names: dict[str, str], keep_meta: bool):
    if not example.messages:
        raise ConversionError("no messages")
    turns = []
    for message in example.messages:
        turn = {role_key: names[message.role], text_key: joined_content(message)}
        if keep_meta and message.input:
            turn["input"] = message.input
        turns.append(turn)
    return turns


def to_sharegpt(example: Example, keep_meta: bool = False) -> dict[str, Any]:
    """`{"conversations": [{"from": "system"|"human"|"gpt", "value": ...}]}`."""
    record: dict[str, Any] = {
        "conversations": _turns(example, "from", "value", SHAREGPT_FROM, keep_meta),
    }
    if keep_meta:
        record.update(_meta(example))
    return record


def to_openai(example: Example, keep_meta: bool = False) -> dict[str, Any]:
    """`{"messages": [{"role": ..., "content": ...}]}`."""
    record: dict[str, Any] = {
        "messages": _turns(example, "role", "content", {r: r for r in ROLES}, keep_meta),
    }
    if keep_meta:
        record.update(_meta(example))
    return record


def _text(record: dict[str, Any], key: str, required: bool = True) -> str | None:
    value = record.get(key)
    if value is None and not required:
        return None
    if not isinstance(value, str):
        what = "missing" if value is None else f"not a string ({type(value).__name__})"
        raise ConversionError("missing key" if value is None else "bad value", f"'{key}' is {what}")
    return value


def _message(role: str, content: str, turn: dict[str, Any]) -> Message:
    """A message, splitting off the `input` block that keep_meta exports recorded."""
    block = _text(turn, "input", required=False)
    if block is None:
        return Message(role=role, content=content)
    if not content.endswith(f"\n\n{block}"):
        raise ConversionError("bad value", "'input' is not the end of the message text")
    return Message(role=role, content=content[: -len(block) - 2], input=block)


def _example(record: dict[str, Any], messages: list[Message], task: str) -> Example:
    if not messages:
        raise ConversionError("no messages")
    try:
        provenance = [Provenance.model_validate(p) for p in record.get("provenance") or []]
    except ValueError as exc:
        raise ConversionError("bad value", f"'provenance': {exc}") from None
    task = record.get("task") if isinstance(record.get("task"), str) else task
    if isinstance(record.get("id"), str):
        return Example(id=record["id"], task=task, messages=messages, provenance=provenance)
    return Example.create(task=task, messages=messages, provenance=provenance)


def from_alpaca(record: dict[str, Any], task: str = "imported") -> Example:
    """An Example from an Alpaca record; an empty `input` means none."""
    if record.get("history"):
        raise ConversionError("multi-turn", "Alpaca 'history' is not supported")
    messages = []
    system = _text(record, "system", required=False)
    if system is not None:
        messages.append(Message(role="system", content=system))
    messages.append(
        Message(
            role="user", content=_text(record, "instruction"), input=_text(record, "input", False) or None
        )
    )
    messages.append(Message(role="assistant", content=_text(record, "output")))
    return _example(record, messages, task)


def _from_turns(record, list_key, role_key, text_key, roles) -> list[Message]:
    turns = record.get(list_key)
    if not isinstance(turns, list):
        raise ConversionError("missing key", f"'{list_key}' is not a list")
    messages = []
    for number, turn in enumerate(turns, 1):
        if not isinstance(turn, dict):
            raise ConversionError("bad value", f"turn {number} is not an object")
        name = _text(turn, role_key)
        if name not in roles:
            raise ConversionError("bad value", f"turn {number}: unknown {role_key} '{name}'")
        messages.append(_message(roles[name], _text(turn, text_key), turn))
    return messages


def from_sharegpt(record: dict[str, Any], task: str = "imported") -> Example:
    """An Example from a ShareGPT record (`human`/`gpt`, also `user`/`assistant`)."""
    messages = _from_turns(record, "conversations", "from", "value", SHAREGPT_ROLE)
    system = _text(record, "system", required=False)  # LLaMA-Factory's top-level system prompt
    if system is not None and not any(m.role == "system" for m in messages):
        messages.insert(0, Message(role="system", content=system))
    return _example(record, messages, task)


def from_openai(record: dict[str, Any], task: str = "imported") -> Example:
    """An Example from an OpenAI chat record (string contents, system/user/assistant roles)."""
    return _example(record, _from_turns(record, "messages", "role", "content", {r: r for r in ROLES}), task)


def format_of_record(record: Any) -> str | None:
    """'alpaca', 'sharegpt' or 'openai' from a record's keys, or None."""
    if not isinstance(record, dict):
        return None
    if "instruction" in record and "output" in record:
        return "alpaca"
    if isinstance(record.get("conversations"), list):
        return "sharegpt"
    if isinstance(record.get("messages"), list):
        return "openai"
    return None


TO_FORMAT = {"alpaca": to_alpaca, "sharegpt": to_sharegpt, "openai": to_openai}
FROM_FORMAT = {"alpaca": from_alpaca, "sharegpt": from_sharegpt, "openai": from_openai}


def _parse(line: str, where: str) -> Any:
    try:
        return json.loads(line)
    except json.JSONDecodeError as exc:
        raise ModsmithError(f"not valid JSON: {exc.msg} (column {exc.colno})", where=where) from None


def detect_format(path: str | Path) -> str:
    """'alpaca', 'sharegpt' or 'openai', from the keys of the file's first record."""
    path = Path(path)
    for lineno, line in numbered_lines(path):
        fmt = format_of_record(_parse(line, f"{path}:{lineno}"))
        if fmt is None:
            raise ModsmithError(
                "cannot tell the format from the first record's keys",
                where=f"{path}:{lineno}",
                hint="Alpaca needs instruction/output, ShareGPT conversations, OpenAI messages; "
                "or name the format",
            )
        return fmt
    raise ModsmithError("the file has no records to tell the format from", where=str(path))


def import_examples(path: str | Path, fmt: str = "auto", task: str = "imported") -> Iterator[Example]:
    """Stream Examples from an Alpaca / ShareGPT / OpenAI JSONL file (`fmt="auto"` detects it)."""
    path = Path(path)
    if fmt == "auto":
        if not any(True for _ in numbered_lines(path)):
            return iter(())
        fmt = detect_format(path)
    if fmt not in FROM_FORMAT:
        raise ModsmithError(f"unknown import format '{fmt}'", hint="use auto, alpaca, sharegpt or openai")
    return _import(path, FROM_FORMAT[fmt], fmt, task)


def _import(path: Path, convert, fmt: str, task: str) -> Iterator[Example]:
    for lineno, line in numbered_lines(path):
        where = f"{path}:{lineno}"
        record = _parse(line, where)
        if not isinstance(record, dict):
            raise ModsmithError(f"not a {fmt} record: expected a JSON object", where=where)
        try:
            yield convert(record, task=task)
        except ConversionError as exc:
            raise ModsmithError(f"not a {fmt} record: {exc}", where=where) from None
