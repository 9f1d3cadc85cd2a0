"""`modsmith chat MODEL` (a REPL, or `--prompt` once) and `modsmith serve MODEL` (an OpenAI API server).

`chat` streams each reply to stdout as it is generated (the prompt marks and notes go to stderr); in the
REPL `/reset` forgets the conversation (the system prompt stays) and `/exit` (or end of input) quits.
The model is opened by `export.chat_backends`.

`serve` runs a real server as a child process: `python -m llama_cpp.server` for a GGUF (it applies the
chat template stored in the file, unless --chat-format names another), vLLM's OpenAI server for a model
folder when `vllm` is installed. It waits for the server, and stops it when it is itself stopped (Ctrl-C
or SIGTERM): no server is left behind.
"""

from __future__ import annotations

import errno
import importlib.util
import signal
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

import click

from modsmith.errors import ModsmithError

_MODEL = click.argument("model", type=click.Path(path_type=Path), metavar="MODEL")


@click.command(
    "chat",
    no_args_is_help=True,
    help="Chat with MODEL: a merged model folder, an adapter folder (from `modsmith train`) or a .gguf file, "
    "in its saved chat template. Reads your turns from stdin (/reset starts over, /exit quits), or answers "
    "--prompt once. Replies stream to stdout as they are generated.",
)
@_MODEL
@click.option("--prompt", help="Answer this one message and exit.")
@click.option("--system", help="A system prompt at the start of the conversation.")
@click.option(
    "--temperature", type=click.FloatRange(min=0), default=0.7, show_default=True, help="0: greedy."
)
@click.option(
    "--top-p",
    type=click.FloatRange(min=0, max=1, min_open=True),
    default=1.0,
    show_default=True,
    help="Nucleus sampling mass.",
)
@click.option(
    "--repetition-penalty",
    type=click.FloatRange(min=0, min_open=True),
    default=1.0,
    show_default=True,
    help="Penalty on repeated tokens (1: none).",
)
@click.option(
    "--max-tokens", type=click.IntRange(min=1), default=256, show_default=True, help="Longest reply."
)
@click.option("--seed", type=int, help="Seed for sampling (repeatable replies).")
@click.option("--n-ctx", type=click.IntRange(min=16), default=4096, show_default=True, help="GGUF context.")
@click.option("--base", help="For an adapter folder: its base model [default: the one it was trained on].")
def chat_command(
    model: Path, prompt: str | None, system: str | None, n_ctx: int, base: str | None, **sampling: Any
) -> None:
    from modsmith.export.chat_backends import Sampling, open_chat_model

    if not model.exists():
        raise ModsmithError("no such model file or folder", where=str(model))
    chat = open_chat_model(model, n_ctx=n_ctx, base=base)
    settings = Sampling(**sampling)
    start = [{"role": "system", "content": system}] if system else []
    if prompt is not None:
        _reply(chat, [*start, {"role": "user", "content": prompt}], settings)
        return
    history = list(start)
    stdin = click.get_text_stream("stdin")
    while True:
        click.echo("> ", nl=False, err=True)
        line = stdin.readline()
        if not line or line.strip() == "/exit":
            break
        text = line.rstrip("\n")
        if text.strip() == "/reset":
            history = list(start)
            click.echo("(conversation reset)", err=True)
            continue
        if not text.strip():
            continue
        history.append({"role": "user", "content": text})
        history.append({"role": "assistant", "content": _reply(chat, history, settings)})


def _reply(chat: Any, messages: list[dict[str, str]], settings: Any) -> str:
    """Stream the reply to stdout as it comes; the whole reply."""
    pieces = []
    for piece in chat.stream(messages, settings):
        pieces.append(piece)
        click.echo(piece, nl=False)
        sys.stdout.flush()
    click.echo()
    return "".join(pieces)


@click.command(
    "serve",
    no_args_is_help=True,
    help="Serve MODEL on an OpenAI-compatible API (…/v1/chat/completions) until stopped: a .gguf file "
    "through llama.cpp's server (python -m llama_cpp.server), or a model folder through vLLM when it is "
    "installed.",
)
@_MODEL
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option(
    "--port", type=click.IntRange(1, 65535), default=8080, show_default=True, help="Port to listen on."
)
@click.option("--name", help="The model name clients ask for [MODEL's file or folder name].")
@click.option("--n-ctx", type=click.IntRange(min=16), default=4096, show_default=True, help="GGUF context.")
@click.option("--chat-format", help="A llama-cpp-python chat format instead of the GGUF's own template.")
def serve_command(
    model: Path, host: str, port: int, name: str | None, n_ctx: int, chat_format: str | None
) -> None:
    command = server_command(
        model, host=host, port=port, name=name or model.stem, n_ctx=n_ctx, chat_format=chat_format
    )
    require_free_port(host, port)  # before the server loads the model, only to fail on it
    server = subprocess.Popen(command, stdin=subprocess.DEVNULL)
    click.echo(
        f"serving {model} as {name or model.stem!r} at http://{host}:{port}/v1 (server pid {server.pid}); "
        "Ctrl-C stops it",
        err=True,
    )
    previous = signal.signal(signal.SIGTERM, _exit_on_sigterm)
    try:
        code = server.wait()
    finally:
        signal.signal(signal.SIGTERM, previous)
        if server.poll() is None:
            server.terminate()
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
    if code != 0:
        raise ModsmithError(
            f"the server exited with code {code}", where=str(model), hint="its own messages are above"
        )


def require_free_port(host: str, port: int) -> None:
    """A ModsmithError when `host:port` cannot be listened on (in use, or not an address of this host)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError as exc:
        raise ModsmithError(
            f"cannot resolve the address: {exc.strerror or exc}", where=f"--host {host}"
        ) from None
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server's own socket does
        try:
            probe.bind(address)
        except OSError as exc:
            in_use = exc.errno == errno.EADDRINUSE
            raise ModsmithError(
                f"port {port} is in use" if in_use else f"cannot listen there: {exc.strerror or exc}",
                where=f"{host}:{port}",
                hint="give another --port, or stop the server that holds it" if in_use else None,
            ) from None


def _exit_on_sigterm(signum: int, frame: Any) -> None:
    raise SystemExit(128 + signum)


def server_command(
    model: Path, *, host: str, port: int, name: str, n_ctx: int = 4096, chat_format: str | None = None
) -> list[str]:
    """The server process to run for `model` (see the module docstring)."""
    if model.is_file() and model.suffix == ".gguf":
        if importlib.util.find_spec("llama_cpp") is None or importlib.util.find_spec("fastapi") is None:
            raise ModsmithError(
                "serving a GGUF needs llama-cpp-python with its server",
                hint="pip install 'llama-cpp-python[server]'",
            )
        from modsmith.export.gguf import require_readable_gguf

        require_readable_gguf(model)
        command = [sys.executable, "-m", "llama_cpp.server", "--model", str(model), "--model_alias", name]
        command += ["--host", host, "--port", str(port), "--n_ctx", str(n_ctx)]
        return command + (["--chat_format", chat_format] if chat_format else [])
    if model.is_dir() and (model / "config.json").is_file():
        if importlib.util.find_spec("vllm") is None:
            raise ModsmithError(
                "serving a model folder needs vLLM, which is not installed",
                where=str(model),
                hint="pip install vllm, or serve its GGUF (modsmith export gguf)",
            )
        command = [sys.executable, "-m", "vllm.entrypoints.openai.api_server", "--model", str(model)]
        return command + ["--served-model-name", name, "--host", host, "--port", str(port)]
    raise ModsmithError(
        "not a servable model: give a .gguf file, or a merged model folder (with vLLM installed)",
        where=str(model),
        hint="an adapter folder must be merged first (modsmith export merge)",
    )
