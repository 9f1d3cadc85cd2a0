"""Tiny chat models for the export tests: a transformers folder, a GGUF, and Go to render templates.

Import the fixtures into a test module (`from chat_models import go_render_fixture`: the fixture is
`go_render`); they are made once
per session. GGUF tests skip when llama-cpp-python or llama.cpp's converter is missing, unless
MODSMITH_REQUIRE_LLAMA_CPP=1; Go tests skip when `go` is not installed.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import socket
import subprocess
from pathlib import Path

import pytest

GO_RENDERER = Path(__file__).parent / "go"
#: What the session fixtures made: a module imported by several test modules gives each its own fixture
#: definition, so the models are kept here to be made once per session all the same.
_MADE: dict[str, object] = {}


def require_llama_cpp() -> None:
    """Skip (or fail, under MODSMITH_REQUIRE_LLAMA_CPP=1) when a GGUF cannot be made and run here."""
    from tiny_gguf import llama_cpp_dir

    missing = [
        module
        for module in ("llama_cpp", "sentencepiece", "torch")
        if importlib.util.find_spec(module) is None
    ]
    if not (llama_cpp_dir() / "convert_hf_to_gguf.py").is_file():
        missing.append(f"llama.cpp's converter in {llama_cpp_dir()}")
    if missing:
        message = f"needs {', '.join(missing)} (scripts/build-llama-cpp-wheel, make gguf)"
        if os.environ.get("MODSMITH_REQUIRE_LLAMA_CPP") == "1":
            pytest.fail(message)
        pytest.skip(message)


@pytest.fixture(scope="session", name="tiny_gguf_model")
def tiny_gguf_model_fixture(tmp_path_factory) -> Path:
    """A tiny random chat model in f16 GGUF (tests/tiny_gguf.py), with its HF folder beside it (`hf/`)."""
    require_llama_cpp()
    from tiny_gguf import make_tiny_gguf

    if "gguf" not in _MADE:
        _MADE["gguf"] = make_tiny_gguf(tmp_path_factory.mktemp("tiny_gguf"))
    return _MADE["gguf"]


@pytest.fixture(scope="session", name="tiny_hf_model")
def tiny_hf_model_fixture(tmp_path_factory) -> Path:
    """A tiny random transformers chat model folder (tests/tiny_model.py)."""
    pytest.importorskip("torch")
    from tiny_model import make_tiny_chat_model

    if "hf" not in _MADE:
        _MADE["hf"] = make_tiny_chat_model(tmp_path_factory.mktemp("tiny_hf"))
    return _MADE["hf"]


@pytest.fixture(scope="session", name="go_render")
def go_render_fixture(tmp_path_factory):
    """`render(go_template, conversations) -> list[str]`: tests/export/go/render.go (real text/template)."""
    go = shutil.which("go")
    if go is None:
        pytest.skip("go is not installed (apt-get install golang-go)")
    if "go" not in _MADE:
        binary = tmp_path_factory.mktemp("go_render") / "render"
        env = {**os.environ, "GOFLAGS": "-mod=mod", "GOTOOLCHAIN": "local"}
        subprocess.run(
            [go, "build", "-o", str(binary), "."], cwd=GO_RENDERER, env=env, check=True, timeout=300
        )
        _MADE["go"] = binary
    binary = _MADE["go"]

    def render(template: str, conversations: list[list[dict[str, str]]]) -> list[str]:
        run = subprocess.run(
            [str(binary)],
            input=json.dumps({"template": template, "conversations": conversations}),
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert run.returncode == 0, run.stderr
        return json.loads(run.stdout)

    return render


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
