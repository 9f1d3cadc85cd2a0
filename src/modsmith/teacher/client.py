"""One client for any OpenAI-compatible chat endpoint: OpenAI, vLLM, Ollama, LM Studio, llama.cpp.

`concurrency` worker coroutines on an event loop in a background thread send the requests; results
come back in input order, streamed. 429, 5xx, timeouts, broken connections and replies that are not
answers (see `replies`) are retried with exponential backoff and jitter, honouring `Retry-After`. A
request waiting out its delay holds no worker, and when its delay is over it goes before requests
not yet sent, so the oldest request is finished soon and the others keep the workers busy meanwhile.
At most `max_pending` requests are held between being read and handed back, which bounds memory.
Every answer is cached before it is returned, so a rerun never sends a request that was already
answered; a reply that is not an answer is never cached.
"""

from __future__ import annotations

import asyncio
import datetime
import email.utils
import math
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
from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator
from pydantic_core import PydanticCustomError

from modsmith.errors import ModsmithError
from modsmith.teacher.cache import ResponseCache, request_key
from modsmith.teacher.replies import UnusableReply, is_answer, read_completion

RETRY_STATUS = {408, 409, 425, 429, 500, 502, 503, 504}
FATAL_STATUS = {
    401: "the endpoint refused the API key",
    403: "the endpoint refused access",
    404: "the endpoint or model was not found",
}
#: Queue priorities: a request that has waited out its retry delay goes before one never sent.
RETRY, FIRST_TRY = 0, 1


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
    max_pending: int = Field(
        default=1024,
        ge=1,
        description="Most requests held at once between being read and handed back: on the wire, waiting "
        "out a retry, or answered and kept until every earlier one is (results come back in input order). "
        "Memory holds at most this many requests and replies. While the oldest request waits out a "
        "retry, the others keep `concurrency` requests on the wire until this many are held. At least "
        "`concurrency`; a few times `concurrency` × longest retry delay ÷ reply time keeps it busy.",
    )
    timeout: float = Field(
        default=120.0, gt=0, description="Seconds before one request is abandoned and retried."
    )
    max_retries: int = Field(default=6, ge=0, description="Retries of one request before it is given up.")
    backoff: float = Field(default=0.5, gt=0, description="First retry delay in seconds; doubles each retry.")
    backoff_max: float = Field(
        default=30.0, gt=0, description="Longest delay between retries, also the cap on a `Retry-After`."
    )
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

    @field_validator("base_url")
    @classmethod
    def _an_http_url(cls, value: str, info: ValidationInfo) -> str:
        if info.data.get("backend", "openai") != "openai":
            return value
        example = {"example": "http://127.0.0.1:8080/v1", "url": repr(value)}
        if not value.strip():
            raise PydanticCustomError(
                "base_url", "base_url is empty: set it to the endpoint's API root, such as {example}", example
            )
        try:
            url = httpx.URL(value)
        except httpx.InvalidURL:
            url = None
        if url is None or url.scheme not in ("http", "https") or not url.host:
            raise PydanticCustomError(
                "base_url", "base_url {url} is not an http:// or https:// URL such as {example}", example
            )
        return value

    @model_validator(mode="after")
    def _room_for_the_workers(self) -> TeacherConfig:
        if self.max_pending < self.concurrency:
            raise ValueError(f"max_pending ({self.max_pending}) is below concurrency ({self.concurrency})")
        return self


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
    #: When the last try got a reply that was not an answer: what was wrong ("content null"...).
    unusable: str | None = None

    @property
    def failure_reason(self) -> str:
        """The drop reason for a request that got no reply."""
        if self.error and self.error.startswith("refused"):
            return "teacher: request refused"
        if self.unusable:
            return f"teacher reply unusable: {self.unusable}"
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
    def __init__(self, reason: str, retry_after: float | None = None, unusable: str | None = None):
        super().__init__(reason)
        self.retry_after = retry_after
        self.unusable = unusable


class _Rejected(Exception):
    """The endpoint refused this one request; asking again would not help."""


@dataclass
class _Job:
    request: ChatRequest
    key: str
    done: Future[ChatResult]
    attempts: int = 0
    #: Failures that came without a Retry-After: the exponent of the backoff.
    guesses: int = 0


@dataclass
class _Session:
    """One `chat_many` call's connection pool, queue of jobs and worker tasks."""

    http: httpx.AsyncClient
    queue: asyncio.PriorityQueue
    workers: list[asyncio.Task] = field(default_factory=list)


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
        """Results in input order; `concurrency` requests in flight, at most `max_pending` held."""
        loop = asyncio.new_event_loop()
        thread = threading.Thread(target=loop.run_forever, name="modsmith-teacher", daemon=True)
        thread.start()
        session = asyncio.run_coroutine_threadsafe(self._open(), loop).result()
        pending: deque[Future[ChatResult]] = deque()
        try:
            for order, request in enumerate(requests):
                pending.append(self._submit(request, order, session, loop))
                while len(pending) >= self.config.max_pending or (pending and pending[0].done()):
                    yield pending.popleft().result()
            while pending:
                yield pending.popleft().result()
        finally:
            asyncio.run_coroutine_threadsafe(self._close(session), loop).result()
            loop.call_soon_threadsafe(loop.stop)
            thread.join()
            loop.close()

    async def _open(self) -> _Session:
        limits = httpx.Limits(
            max_connections=self.config.concurrency, max_keepalive_connections=self.config.concurrency
        )
        http = httpx.AsyncClient(timeout=self.config.timeout, limits=limits, headers=self._headers)
        session = _Session(http, asyncio.PriorityQueue())
        session.workers = [asyncio.create_task(self._work(session)) for _ in range(self.config.concurrency)]
        return session

    async def _close(self, session: _Session) -> None:
        for worker in session.workers:
            worker.cancel()
        await asyncio.gather(*session.workers, return_exceptions=True)
        await session.http.aclose()

    def _submit(self, request: ChatRequest, order: int, session: _Session, loop) -> Future[ChatResult]:
        key = self.key(request)
        done: Future[ChatResult] = Future()
        hit = self.cache.get(key) if self.cache is not None else None
        if hit is not None and is_answer(hit):
            with self._lock:
                self.usage.cache_hits += 1
            usage = hit.get("usage") or {}
            done.set_result(ChatResult(request, hit["content"], hit.get("finish_reason"), usage, cached=True))
            return done
        loop.call_soon_threadsafe(session.queue.put_nowait, (FIRST_TRY, order, _Job(request, key, done)))
        return done

    async def _work(self, session: _Session) -> None:
        """Take the most urgent job, try it once; finish it or queue it again after its delay."""
        loop = asyncio.get_running_loop()
        while True:
            _, order, job = await session.queue.get()
            try:
                outcome = await self._try(job, session.http)
            except Exception as exc:  # a user error (a refused API key) or a bug: the caller raises it
                job.done.set_exception(exc)
                continue
            if isinstance(outcome, ChatResult):
                job.done.set_result(outcome)
            else:
                loop.call_later(outcome, session.queue.put_nowait, (RETRY, order, job))

    async def _try(self, job: _Job, http: httpx.AsyncClient) -> ChatResult | float:
        """The result, or the seconds to wait before trying again."""
        request = job.request
        body = {"model": self.config.model, "messages": request.messages, **self._params(request)}
        job.attempts += 1
        with self._lock:
            self.usage.requests_sent += 1
        try:
            reply = await self._post(http, body)
        except _Rejected as refused:
            with self._lock:
                self.usage.failed += 1
            return ChatResult(request, error=f"refused: {refused}", attempts=job.attempts)
        except _Retryable as retry:
            if job.attempts > self.config.max_retries:
                with self._lock:
                    self.usage.failed += 1
                error = f"gave up after {job.attempts} attempts: {retry}"
                return ChatResult(request, error=error, attempts=job.attempts, unusable=retry.unusable)
            with self._lock:
                self.usage.retries += 1
            job.guesses += retry.retry_after is None
            return self.retry_delay(job.guesses, retry.retry_after)
        if self.cache is not None:
            self.cache.put(
                job.key,
                self.endpoint,
                self.config.model,
                {"messages": request.messages, "params": self._params(request)},
                reply,
            )
        usage = reply["usage"]
        with self._lock:
            self.usage.answered += 1
            self.usage.prompt_tokens += usage.get("prompt_tokens", 0)
            self.usage.completion_tokens += usage.get("completion_tokens", 0)
        return ChatResult(request, reply["content"], reply["finish_reason"], usage, attempts=job.attempts)

    async def _post(self, http: httpx.AsyncClient, body: dict[str, Any]) -> dict[str, Any]:
        url = f"{self.endpoint}/chat/completions"
        try:
            response = await http.post(url, json=body)
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
                f"HTTP {response.status_code}", parse_retry_after(response.headers.get("retry-after"))
            )
        if response.status_code >= 400:
            # This request only (too long for the context, refused parameters): not retried, not fatal.
            raise _Rejected(f"HTTP {response.status_code}: {response.text[:200]}")
        try:
            return read_completion(response.text)
        except UnusableReply as unusable:
            excerpt = f"{unusable}: {response.text[:80]!r}"
            raise _Retryable(f"reply unusable: {excerpt}", unusable=str(unusable)) from None

    def retry_delay(self, guesses: int, retry_after: float | None) -> float:
        """Seconds before the next try: the server's `Retry-After` (capped at `backoff_max`), else a
        jittered backoff doubling with each failure that came without one (`guesses`, counting this
        one): a server's advice is the delay for its own failure, not a reason to guess longer."""
        if retry_after is not None:
            return min(retry_after, self.config.backoff_max)
        ceiling = min(self.config.backoff_max, self.config.backoff * 2 ** (guesses - 1))
        return ceiling * random.uniform(0.5, 1.0)

    def close(self) -> None:
        if self.cache is not None:
            self.cache.close()


def parse_retry_after(value: str | None) -> float | None:
    """Seconds to wait from a Retry-After header (seconds or an HTTP date); None when it gives no
    usable advice (absent, not a number or a date, negative, or a date already past): back off."""
    if not value or not value.strip():
        return None
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError, OverflowError):
            return None
        if when.tzinfo is None:  # HTTP dates are GMT
            when = when.replace(tzinfo=datetime.timezone.utc)
        seconds = when.timestamp() - time.time()
        return seconds if seconds > 0 else None
    return seconds if seconds >= 0 and not math.isnan(seconds) else None
