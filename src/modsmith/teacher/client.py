"""One client for any OpenAI-compatible chat endpoint: OpenAI, vLLM, Ollama, LM Studio, llama.cpp.

Requests run concurrently (bounded) on an event loop in a background thread; results come back in
input order, streamed. 429, 5xx, timeouts, broken connections and unparsable bodies are retried with
exponential backoff and jitter, honouring `Retry-After`. Every answer is cached before it is
returned, so a rerun never sends a request that was already answered.
"""

from __future__ import annotations

import asyncio
import email.utils
import json
import os
import random
import threading
import time
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import Any, Literal

import httpx
from pydantic import BaseModel, ConfigDict, Field

from modsmith.errors import ModsmithError
from modsmith.teacher.cache import ResponseCache, request_key

RETRY_STATUS = {408, 409, 425, 429, 500, 502, 503, 504}
FATAL_STATUS = {
    401: "the endpoint refused the API key",
    403: "the endpoint refused access",
    404: "the endpoint or model was not found",
}


class TeacherConfig(BaseModel):
    """Where the teacher is and how to talk to it."""

    model_config = ConfigDict(extra="forbid")

    backend: Literal["openai", "transformers"] = Field(
        default="openai",
        description="`openai`: any OpenAI-compatible HTTP endpoint. `transformers`: run `model` (a local "
        "directory or a hub name) in this process with batched generate (needs modsmith[train]).",
    )
    base_url: str = Field(
        default="http://127.0.0.1:8080/v1", description="OpenAI-compatible API root (…/v1)."
    )
    model: str = Field(description="Model name the endpoint serves.")
    api_key_env: str | None = Field(
        default="OPENAI_API_KEY", description="Environment variable holding the API key; unset means no key."
    )
    concurrency: int = Field(default=8, ge=1, le=512, description="Requests in flight at once.")
    timeout: float = Field(
        default=120.0, gt=0, description="Seconds before one request is abandoned and retried."
    )
    max_retries: int = Field(default=6, ge=0, description="Retries of one request before it is given up.")
    backoff: float = Field(default=0.5, gt=0, description="First retry delay in seconds; doubles each retry.")
    backoff_max: float = Field(default=30.0, gt=0, description="Longest delay between retries.")
    cache: str | None = Field(
        default="~/.cache/modsmith/teacher.sqlite",
        description="SQLite file of cached responses; null disables the cache.",
    )
    batch_size: int = Field(default=8, ge=1, description="transformers backend: prompts per generate call.")
    max_new_tokens: int = Field(default=512, ge=1, description="transformers backend: longest reply.")
    params: dict[str, Any] = Field(
        default_factory=lambda: {"temperature": 0.7},
        description="Sampling parameters sent with every request (temperature, top_p, max_tokens, seed...).",
    )


@dataclass
class ChatRequest:
    """One chat request; `tag` travels with it untouched (the caller's bookkeeping)."""

    messages: list[dict[str, str]]
    params: dict[str, Any] = field(default_factory=dict)
    tag: Any = None


@dataclass
class ChatResult:
    """A reply, or why there is none."""

    request: ChatRequest
    content: str | None = None
    finish_reason: str | None = None
    usage: dict[str, int] = field(default_factory=dict)
    cached: bool = False
    error: str | None = None
    attempts: int = 0

    @property
    def failure_reason(self) -> str:
        """The drop reason for a request that got no reply."""
        if self.error and self.error.startswith("refused"):
            return "teacher: request refused"
        return "teacher: no reply after retries"


@dataclass
class Usage:
    """Totals over a client's life."""

    requests_sent: int = 0
    answered: int = 0
    cache_hits: int = 0
    retries: int = 0
    failed: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0


class _Retryable(Exception):
    def __init__(self, reason: str, retry_after: float | None = None):
        super().__init__(reason)
        self.retry_after = retry_after


class _Rejected(Exception):
    """The endpoint refused this one request; asking again would not help."""


class TeacherClient:
    """Chat completions with concurrency, retries and a response cache."""

    def __init__(self, config: TeacherConfig, cache: ResponseCache | None = None):
        self.config = config
        self.endpoint = config.base_url.rstrip("/")
        self.cache = cache if cache is not None else (ResponseCache(config.cache) if config.cache else None)
        self.usage = Usage()
        self._lock = threading.Lock()
        key = os.environ.get(config.api_key_env) if config.api_key_env else None
        self._headers = {"Authorization": f"Bearer {key}"} if key else {}

    def key(self, request: ChatRequest) -> str:
        return request_key(self.endpoint, self.config.model, request.messages, self._params(request))

    def _params(self, request: ChatRequest) -> dict[str, Any]:
        return {**self.config.params, **request.params}

    def chat(self, messages: list[dict[str, str]], **params: Any) -> ChatResult:
        """One request, synchronously."""
        return next(self.chat_many([ChatRequest(messages, params)]))

    def chat_many(self, requests: Iterable[ChatRequest]) -> Iterator[ChatResult]:
        """Results in input order; at most `concurrency` requests in flight, a few more queued."""
        loop = asyncio.new_event_loop()
        thread = threading.Thread(target=loop.run_forever, name="modsmith-teacher", daemon=True)
        thread.start()
        client = asyncio.run_coroutine_threadsafe(self._open(), loop).result()
        window = self.config.concurrency * 2
        pending: deque[Future[ChatResult]] = deque()
        try:
            for request in requests:
                pending.append(self._submit(request, client, loop))
                while len(pending) >= window or (pending and pending[0].done()):
                    yield pending.popleft().result()
            while pending:
                yield pending.popleft().result()
        finally:
            for future in pending:
                future.cancel()
            asyncio.run_coroutine_threadsafe(client.aclose(), loop).result()
            loop.call_soon_threadsafe(loop.stop)
            thread.join()
            loop.close()

    async def _open(self) -> httpx.AsyncClient:
        self._semaphore = asyncio.Semaphore(self.config.concurrency)
        limits = httpx.Limits(
            max_connections=self.config.concurrency, max_keepalive_connections=self.config.concurrency
        )
        return httpx.AsyncClient(timeout=self.config.timeout, limits=limits, headers=self._headers)

    def _submit(self, request: ChatRequest, client: httpx.AsyncClient, loop) -> Future[ChatResult]:
        key = self.key(request)
        hit = self.cache.get(key) if self.cache is not None else None
        if hit is not None:
            with self._lock:
                self.usage.cache_hits += 1
            done: Future[ChatResult] = Future()
            done.set_result(
                ChatResult(
                    request, hit.get("content"), hit.get("finish_reason"), hit.get("usage", {}), cached=True
                )
            )
            return done
        return asyncio.run_coroutine_threadsafe(self._ask(request, key, client), loop)

    async def _ask(self, request: ChatRequest, key: str, client: httpx.AsyncClient) -> ChatResult:
        body = {"model": self.config.model, "messages": request.messages, **self._params(request)}
        attempt = 0
        while True:
            attempt += 1
            try:
                async with self._semaphore:
                    with self._lock:
                        self.usage.requests_sent += 1
                    reply = await self._post(client, body)
            except _Rejected as refused:
                with self._lock:
                    self.usage.failed += 1
                return ChatResult(request, error=f"refused: {refused}", attempts=attempt)
            except _Retryable as retry:
                if attempt > self.config.max_retries:
                    with self._lock:
                        self.usage.failed += 1
                    return ChatResult(
                        request, error=f"gave up after {attempt} attempts: {retry}", attempts=attempt
                    )
                with self._lock:
                    self.usage.retries += 1
                await asyncio.sleep(self._delay(attempt, retry.retry_after))
                continue
            if self.cache is not None:
                self.cache.put(
                    key,
                    self.endpoint,
                    self.config.model,
                    {"messages": request.messages, "params": self._params(request)},
                    reply,
                )
            usage = reply.get("usage") or {}
            with self._lock:
                self.usage.answered += 1
                self.usage.prompt_tokens += usage.get("prompt_tokens", 0)
                self.usage.completion_tokens += usage.get("completion_tokens", 0)
            return ChatResult(request, reply["content"], reply.get("finish_reason"), usage, attempts=attempt)

    async def _post(self, client: httpx.AsyncClient, body: dict[str, Any]) -> dict[str, Any]:
        url = f"{self.endpoint}/chat/completions"
        try:
            response = await client.post(url, json=body)
        except httpx.TimeoutException:
            raise _Retryable(f"no answer within {self.config.timeout:g} s") from None
        except httpx.ConnectError as exc:
            raise _Retryable(f"cannot connect to {self.endpoint}: {exc}") from None
        except httpx.TransportError as exc:
            raise _Retryable(f"connection broke: {type(exc).__name__}") from None
        if response.status_code in FATAL_STATUS:
            hint = (
                f"set {self.config.api_key_env}"
                if response.status_code in (401, 403)
                else "check base_url and model"
            )
            raise ModsmithError(
                f"{FATAL_STATUS[response.status_code]} ({response.status_code}): {response.text[:200]}",
                where=url,
                hint=hint,
            )
        if response.status_code in RETRY_STATUS:
            raise _Retryable(
                f"HTTP {response.status_code}", _retry_after(response.headers.get("retry-after"))
            )
        if response.status_code >= 400:
            # This request only (too long for the context, refused parameters): not retried, not fatal.
            raise _Rejected(f"HTTP {response.status_code}: {response.text[:200]}")
        try:
            data = response.json()
            choice = data["choices"][0]
            content = choice["message"].get("content")
        except (json.JSONDecodeError, KeyError, IndexError, TypeError, AttributeError):
            raise _Retryable(f"unparsable reply body: {response.text[:80]!r}") from None
        return {
            "content": content or "",
            "finish_reason": choice.get("finish_reason"),
            "usage": data.get("usage") or {},
        }

    def _delay(self, attempt: int, retry_after: float | None) -> float:
        if retry_after is not None:
            return min(retry_after, self.config.backoff_max)
        ceiling = min(self.config.backoff_max, self.config.backoff * 2 ** (attempt - 1))
        return ceiling * random.uniform(0.5, 1.0)

    def close(self) -> None:
        if self.cache is not None:
            self.cache.close()


def _retry_after(value: str | None) -> float | None:
    """Seconds to wait from a Retry-After header (seconds or an HTTP date)."""
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        parsed = email.utils.parsedate_to_datetime(value)
        return max(0.0, parsed.timestamp() - time.time()) if parsed else None
