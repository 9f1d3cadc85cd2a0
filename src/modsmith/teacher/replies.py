"""What counts as an answer in a chat-completion reply, and the short reason when one is not.

A reply that is not an answer (content null, a number or a list, empty, no choices...) is never
cached: the client retries it and, if it never gets an answer, reports the reason, so a rerun asks
again instead of finding the non-answer in the cache.
"""

from __future__ import annotations

import json
from typing import Any


class UnusableReply(Exception):
    """The server answered, but with no usable text; the message is the reason (e.g. "content null")."""


def read_completion(body: str) -> dict[str, Any]:
    """`{"content", "finish_reason", "usage"}` of a chat-completion body, or UnusableReply."""
    try:
        data = json.loads(body)
    except ValueError:
        raise UnusableReply("body not JSON") from None
    choices = data.get("choices") if isinstance(data, dict) else None
    if not isinstance(choices, list) or not choices:
        raise UnusableReply("no choices")
    choice = choices[0]
    message = choice.get("message") if isinstance(choice, dict) else None
    if not isinstance(message, dict):
        raise UnusableReply("no message")
    finish_reason = choice.get("finish_reason")
    finish_reason = finish_reason if isinstance(finish_reason, str) else None
    content = message.get("content")
    problem = unusable_content(content)
    if problem == "content empty" and finish_reason == "length":
        problem = "content empty (cut off at the token limit)"
    if problem:
        raise UnusableReply(problem)
    return {"content": content, "finish_reason": finish_reason, "usage": token_counts(data.get("usage"))}


def unusable_content(content: Any) -> str | None:
    """Why `content` is not an answer, or None when it is one (a string with some text)."""
    if content is None:
        return "content null"
    if not isinstance(content, str):
        return "content not text"
    if not content.strip():
        return "content empty"
    return None


def is_answer(cached: dict[str, Any]) -> bool:
    """Whether a cached reply holds an answer (caches written before this check may hold "" or numbers)."""
    return unusable_content(cached.get("content")) is None


def token_counts(usage: Any) -> dict[str, int]:
    """The integer counts of a reply's `usage` (anything else in it is dropped)."""
    if not isinstance(usage, dict):
        return {}
    return {k: v for k, v in usage.items() if isinstance(v, int) and not isinstance(v, bool)}
