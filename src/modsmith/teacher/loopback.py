"""A scripted OpenAI-compatible chat server on loopback, for tests, benchmarks and offline demos.

It is a real HTTP server (stdlib `ThreadingHTTPServer` on 127.0.0.1). A `script` function decides
each reply from the request body and how many times that same body was seen before, so tests can
inject 429s with Retry-After, 500s, slow answers, truncated JSON and empty content; `with_faults`
adds seeded random 429s and 500s to any script. The server counts the requests it is handling at
once and how long requests keep retrying (`load()`), as a busy server would see its clients.
"""

from __future__ import annotations

import json
import random
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class ScriptedReply:
    """What the server answers: a chat reply by default, or any status/headers/raw body."""

    content: str | None = ""
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    raw_body: bytes | None = None
    delay: float = 0.0


Script = Callable[[dict[str, Any], int], ScriptedReply]


class _Server(ThreadingHTTPServer):
    request_queue_size = 256  # the default backlog of 5 resets connections when many clients open at once


def echo_script(body: dict[str, Any], seen: int) -> ScriptedReply:
    """Answers with the last user message, prefixed."""
    last = next((m["content"] for m in reversed(body.get("messages", [])) if m.get("role") == "user"), "")
    return ScriptedReply(content=f"echo: {last}")


def with_faults(
    script: Script, rate_429: float, rate_500: float, retry_after: str = "1", seed: int = 0
) -> Script:
    """`script`, except that a seeded share of attempts get 429 (with Retry-After) or 500 instead.

    Each attempt's fate depends only on the seed, the body and how often it was seen before, so a
    run meets the same faults whatever order its requests arrive in.
    """

    def faulty(body: dict[str, Any], seen: int) -> ScriptedReply:
        draw = random.Random(f"{seed}:{json.dumps(body, sort_keys=True)}:{seen}").random()
        if draw < rate_429:
            return ScriptedReply(status=429, headers={"Retry-After": retry_after}, raw_body=b"{}")
        if draw < rate_429 + rate_500:
            return ScriptedReply(status=500, raw_body=b"internal error")
        return script(body, seen)

    return faulty


class ServerLoad:
    """How many requests a server handles at once, over time, and how long requests keep retrying
    (the caller holds a lock)."""

    def __init__(self) -> None:
        self.now = self.most = 0
        self.area = 0.0  # request-seconds handled
        self.first = self.since = self.last = 0.0
        self.sending = (0.0, 0.0)  # area and time when the last request never seen before arrived
        self.first_tries: dict[str, float] = {}
        self.longest_retrying = 0.0  # seconds from one request's first try to its last

    def change(self, by: int, at: float) -> None:
        if not self.first:
            self.first = self.since = at
        self._advance(at)
        self.now += by
        self.most = max(self.most, self.now)
        self.last = at

    def try_of(self, key: str, seen: int, at: float) -> None:
        """A request (its body's `key`) arrived for the `seen`+1-th time."""
        if seen == 0:
            self._advance(at)
            self.sending = (self.area, at)
            self.first_tries[key] = at
        else:
            self.longest_retrying = max(self.longest_retrying, at - self.first_tries.get(key, at))

    def _advance(self, at: float) -> None:
        self.area += self.now * (at - self.since)
        self.since = at

    def summary(self) -> dict[str, float]:
        """Requests handled at once: the most, the mean from the first arrival to the last reply,
        and the mean from the first arrival to the last first try (while the client still had new
        requests to send); and the most seconds from one request's first try to its last."""
        busy, sending = self.last - self.first, self.sending[1] - self.first
        return {
            "in_flight_most": self.most,
            "in_flight_mean": self.area / busy if busy > 0 else 0.0,
            "in_flight_mean_sending": self.sending[0] / sending if sending > 0 else 0.0,
            "longest_retrying": self.longest_retrying,
        }


class LoopbackChatServer:
    """`with LoopbackChatServer(script) as server:` … `server.base_url` … `server.requests`."""

    def __init__(self, script: Script = echo_script, latency: float = 0.0):
        self.script = script
        self.latency = latency
        self.requests: list[dict[str, Any]] = []
        #: The headers of each request, in the order received (lower-case names).
        self.headers: list[dict[str, str]] = []
        self.seen: Counter[str] = Counter()
        self._lock = threading.Lock()
        self._load = ServerLoad()
        self._server = _Server(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/v1"

    def __enter__(self) -> LoopbackChatServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def load(self) -> dict[str, float]:
        """Requests handled at once and the longest retrying (see `ServerLoad.summary`)."""
        with self._lock:
            return self._load.summary()

    def _count(self, change: int) -> None:
        with self._lock:
            self._load.change(change, time.perf_counter())

    def _reply_for(self, raw: bytes, headers: dict[str, str]) -> ScriptedReply:
        body = json.loads(raw or b"{}")
        key = json.dumps(body, sort_keys=True)
        with self._lock:
            seen = self.seen[key]
            self.seen[key] += 1
            self._load.try_of(key, seen, time.perf_counter())
            self.requests.append(body)
            self.headers.append(headers)
        return self.script(body, seen)

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            # One write per reply and no Nagle delay: otherwise keep-alive replies wait ~40 ms for ACKs.
            wbufsize = 1 << 16
            disable_nagle_algorithm = True

            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802 (the stdlib's name)
                stats = {"requests": len(server.requests), **server.load()}
                payload = json.dumps(stats).encode()
                self.send_response(200 if self.path.rstrip("/").endswith("/stats") else 404)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def do_POST(self) -> None:  # noqa: N802 (the stdlib's name)
                server._count(+1)
                try:
                    self._answer()
                finally:
                    server._count(-1)

            def _answer(self) -> None:
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                reply = server._reply_for(raw, {k.lower(): v for k, v in self.headers.items()})
                time.sleep(server.latency + reply.delay)
                payload = reply.raw_body
                if payload is None:
                    payload = json.dumps(_completion(reply.content, json.loads(raw or b"{}"))).encode()
                try:
                    self.send_response(reply.status)
                    for name, value in {"Content-Type": "application/json", **reply.headers}.items():
                        self.send_header(name, value)
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                except (BrokenPipeError, ConnectionResetError):
                    pass

        return Handler


def _completion(content: str | None, body: dict[str, Any]) -> dict[str, Any]:
    prompt = sum(len(str(m.get("content", "")).split()) for m in body.get("messages", []))
    completion = len((content or "").split())
    return {
        "id": "chatcmpl-loopback",
        "object": "chat.completion",
        "model": body.get("model", "loopback"),
        "choices": [
            {"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": "stop"}
        ],
        "usage": {
            "prompt_tokens": prompt,
            "completion_tokens": completion,
            "total_tokens": prompt + completion,
        },
    }


def main() -> None:
    """`python -m modsmith.teacher.loopback --latency 0.1 --reply TEXT`: serve until killed.

    Prints the base URL on the first line. GET /v1/stats gives the number of requests received and
    the requests handled at once (`ServerLoad.summary`). `--fault-429 0.2 --fault-500 0.1`
    answer a seeded share of attempts with 429 (`Retry-After: --retry-after`) or 500.
    """
    import argparse

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--latency", type=float, default=0.0, help="Seconds before each reply.")
    parser.add_argument("--reply", default=None, help="Fixed reply content (default: echo the user turn).")
    parser.add_argument("--fault-429", type=float, default=0.0, help="Share of attempts answered 429.")
    parser.add_argument("--fault-500", type=float, default=0.0, help="Share of attempts answered 500.")
    parser.add_argument("--retry-after", default="1", help="The Retry-After header sent with each 429.")
    parser.add_argument("--seed", type=int, default=0, help="Seed of the fault draws.")
    args = parser.parse_args()
    # Many handler threads share one GIL: switch between them often, so one reply does not wait
    # behind others for the default 5 ms slice.
    sys.setswitchinterval(0.0002)
    script = echo_script if args.reply is None else (lambda body, seen: ScriptedReply(content=args.reply))
    if args.fault_429 or args.fault_500:
        script = with_faults(script, args.fault_429, args.fault_500, args.retry_after, args.seed)
    with LoopbackChatServer(script, latency=args.latency) as server:
        print(server.base_url, flush=True)
        threading.Event().wait()


if __name__ == "__main__":
    main()
