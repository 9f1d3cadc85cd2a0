"""A real llama.cpp server (llama-cpp-python) on loopback, serving a tiny GGUF model made here.

Tests that use `llama_cpp_server` are skipped when the gguf extra is not installed, unless
MODSMITH_REQUIRE_LLAMA_CPP=1 (set by `make test`), which turns a missing install into a failure.
"""

from __future__ import annotations

import importlib.util
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

LLAMA_CPP_MODEL = "tiny"
STARTUP_SECONDS = 120


def _missing(what: str) -> None:
    message = f"{what}: install it with scripts/build-llama-cpp-wheel (make gguf)"
    if os.environ.get("MODSMITH_REQUIRE_LLAMA_CPP") == "1":
        pytest.fail(message)
    pytest.skip(message)


def require_llama_cpp() -> None:
    """Skip (or fail, under MODSMITH_REQUIRE_LLAMA_CPP=1) when the llama.cpp server cannot run here."""
    for module, why in [
        ("llama_cpp", "llama-cpp-python is not installed"),
        ("fastapi", "llama-cpp-python's [server] extra is not installed"),
        ("sentencepiece", "sentencepiece (the gguf extra) is not installed"),
        ("torch", "torch (the train extra) is needed to make the tiny model"),
    ]:
        if importlib.util.find_spec(module) is None:
            _missing(why)
    from tiny_gguf import llama_cpp_dir

    if not (llama_cpp_dir() / "convert_hf_to_gguf.py").is_file():
        _missing(f"llama.cpp's GGUF converter is not in {llama_cpp_dir()} (or set MODSMITH_LLAMA_CPP_DIR)")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_until_serving(server: subprocess.Popen, base_url: str, log: Path) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            tail = log.read_text(errors="replace")[-3000:]
            pytest.fail(f"llama_cpp.server exited with code {server.returncode} before serving:\n{tail}")
        try:
            if httpx.get(f"{base_url}/models", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    tail = log.read_text(errors="replace")[-3000:]
    pytest.fail(f"llama_cpp.server did not answer {base_url}/models within {STARTUP_SECONDS} s:\n{tail}")


@pytest.fixture(scope="session")
def tiny_gguf(tmp_path_factory) -> Path:
    """A tiny random chat model in f16 GGUF (made once per session)."""
    require_llama_cpp()
    from tiny_gguf import make_tiny_gguf

    return make_tiny_gguf(tmp_path_factory.mktemp("tiny_gguf"))


@pytest.fixture(scope="session")
def llama_cpp_server(tiny_gguf, tmp_path_factory):
    """Base URL (…/v1) of `python -m llama_cpp.server` serving `tiny_gguf` as model "tiny"."""
    port = _free_port()
    base_url = f"http://127.0.0.1:{port}/v1"
    log = tmp_path_factory.mktemp("llama_cpp_server") / "server.log"
    command = [
        sys.executable, "-m", "llama_cpp.server",
        "--model", str(tiny_gguf), "--model_alias", LLAMA_CPP_MODEL,
        "--host", "127.0.0.1", "--port", str(port),
        "--n_ctx", "4096", "--n_threads", "2", "--seed", "0",
    ]  # fmt: skip
    with open(log, "wb") as out:
        server = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    try:
        _wait_until_serving(server, base_url, log)
        yield base_url
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
