"""A scripted OpenAI-compatible chat server on loopback, for tests, benchmarks and offline demos.

It is a real HTTP server (stdlib `ThreadingHTTPServer` on 127.0.0.1). A `script` function decides
each reply from the request body and how many times that same body was seen before, so tests can
inject 429s with Retry-After, 500s, slow answers, truncated JSON and empty content.
"""

from __future__ import annotations

import json
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

    def _reply_for(self, raw: bytes, headers: dict[str, str]) -> ScriptedReply:
        body = json.loads(raw or b"{}")
        key = json.dumps(body, sort_keys=True)
        with self._lock:
            seen = self.seen[key]
            self.seen[key] += 1
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
                payload = json.dumps({"requests": len(server.requests)}).encode()
                self.send_response(200 if self.path.rstrip("/").endswith("/stats") else 404)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def do_POST(self) -> None:  # noqa: N802 (the stdlib's name)
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

    Prints the base URL on the first line. GET /v1/stats gives the number of requests received.
    """
    import argparse

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--latency", type=float, default=0.0, help="Seconds before each reply.")
    parser.add_argument("--reply", default=None, help="Fixed reply content (default: echo the user turn).")
    args = parser.parse_args()
    # Many handler threads share one GIL: switch between them often, so one reply does not wait
    # behind others for the default 5 ms slice.
    sys.setswitchinterval(0.0002)
    script = echo_script if args.reply is None else (lambda body, seen: ScriptedReply(content=args.reply))
    with LoopbackChatServer(script, latency=args.latency) as server:
        print(server.base_url, flush=True)
        threading.Event().wait()


if __name__ == "__main__":
    main()
