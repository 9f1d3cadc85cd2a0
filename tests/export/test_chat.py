"""`modsmith chat` on a model folder, an adapter and a GGUF (streamed, greedy replies checked against
plain generation), the REPL's /reset and /exit, and `modsmith serve` answering the teacher client."""

from __future__ import annotations

import importlib.util
import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from chat_models import (  # noqa: F401 (the tiny_gguf_model and tiny_hf_model fixtures)
    free_port,
    tiny_gguf_model_fixture,
    tiny_hf_model_fixture,
)
from click.testing import CliRunner

from modsmith.chat_cli import chat_command, serve_command
from modsmith.errors import ModsmithError
from modsmith.export.chat_backends import Sampling, open_chat_model

GREEDY = ["--temperature", "0", "--max-tokens", "12"]


def greedy_reply(model, tokenizer, messages: list[dict[str, str]], max_tokens: int = 12) -> str:
    """The reply plain `generate` gives, without streaming."""
    inputs = tokenizer.apply_chat_template(
        messages, add_generation_prompt=True, return_tensors="pt", return_dict=True
    )
    output = model.generate(
        **inputs, max_new_tokens=max_tokens, do_sample=False, pad_token_id=tokenizer.pad_token_id
    )
    return tokenizer.decode(output[0, inputs["input_ids"].shape[1] :], skip_special_tokens=True)


def load_hf(folder: Path):
    from transformers import AutoModelForCausalLM, AutoTokenizer

    return AutoModelForCausalLM.from_pretrained(folder).eval(), AutoTokenizer.from_pretrained(folder)


def test_streamed_reply_is_the_greedy_generation_in_pieces(tiny_hf_model):
    chat = open_chat_model(tiny_hf_model)
    pieces = list(
        chat.stream([{"role": "user", "content": "Link swings"}], Sampling(temperature=0, max_tokens=12))
    )
    assert len(pieces) > 1  # streamed as it came, not at the end
    assert "".join(pieces) == greedy_reply(
        *load_hf(tiny_hf_model), [{"role": "user", "content": "Link swings"}]
    )


def test_prompt_one_shot_prints_the_greedy_reply(tiny_hf_model):
    args = [str(tiny_hf_model), "--prompt", "What does the macro take?", "--system", "Be brief.", *GREEDY]
    first, second = CliRunner().invoke(chat_command, args), CliRunner().invoke(chat_command, args)
    assert first.exit_code == 0, first.output
    expected = greedy_reply(
        *load_hf(tiny_hf_model),
        [
            {"role": "system", "content": "Be brief."},
            {"role": "user", "content": "What does the macro take?"},
        ],
    )
    assert expected.strip()
    assert first.stdout == expected + "\n" == second.stdout


def test_repl_answers_each_line_forgets_on_reset_and_stops_at_exit(tiny_hf_model):
    lines = "Fox can short hop\n\n/reset\nWhat does the macro take?\n/exit\nnever read\n"
    result = CliRunner().invoke(chat_command, [str(tiny_hf_model), *GREEDY], input=lines)
    assert result.exit_code == 0, result.output
    replies = result.stdout.split("\n")[:-1]
    assert len(replies) == 2  # the empty line asks nothing; "never read" comes after /exit
    alone = CliRunner().invoke(
        chat_command, [str(tiny_hf_model), "--prompt", "What does the macro take?", *GREEDY]
    )
    assert replies[1] + "\n" == alone.stdout  # after /reset the first turn is forgotten
    assert "(conversation reset)" in result.stderr
    assert result.stderr.count("> ") == 5


def test_adapter_folder_chats_with_its_base_and_the_adapter(tiny_hf_model, tmp_path):
    import torch
    from peft import LoraConfig, get_peft_model

    model, tokenizer = load_hf(tiny_hf_model)
    torch.manual_seed(1)
    lora = LoraConfig(r=4, lora_alpha=8, target_modules=["q_proj", "v_proj"], init_lora_weights=False)
    tuned = get_peft_model(model, lora)
    adapter = tmp_path / "adapter"
    tuned.save_pretrained(adapter)
    tokenizer.save_pretrained(adapter)
    (adapter / "train_config.json").write_text(json.dumps({"base": str(tiny_hf_model)}))
    result = CliRunner().invoke(chat_command, [str(adapter), "--prompt", "Link swings", *GREEDY])
    assert result.exit_code == 0, result.output
    merged = tuned.merge_and_unload()
    messages = [{"role": "user", "content": "Link swings"}]
    assert result.stdout == greedy_reply(merged, tokenizer, messages) + "\n"
    assert result.stdout != greedy_reply(*load_hf(tiny_hf_model), messages) + "\n"  # the adapter counts
    # The base moved: named in train_config.json, and --base points to it.
    (adapter / "train_config.json").write_text(json.dumps({"base": str(tmp_path / "moved")}))
    gone = CliRunner().invoke(chat_command, [str(adapter), "--prompt", "Link swings", *GREEDY])
    assert isinstance(gone.exception, ModsmithError) and "moved is not there" in str(gone.exception)
    assert gone.exception.where == f"{adapter / 'train_config.json'} (base)"
    given = [str(adapter), "--base", str(tiny_hf_model), "--prompt", "Link swings", *GREEDY]
    assert CliRunner().invoke(chat_command, given).stdout == result.stdout


def test_gguf_chat_streams_the_reply_llama_cpp_gives(tiny_gguf_model):
    from llama_cpp import Llama

    args = [str(tiny_gguf_model), "--prompt", "Where is the key?", "--n-ctx", "512", "--seed", "0", *GREEDY]
    result = CliRunner().invoke(chat_command, args)
    assert result.exit_code == 0, result.output
    llama = Llama(model_path=str(tiny_gguf_model), n_ctx=512, verbose=False)
    whole = llama.create_chat_completion(
        messages=[{"role": "user", "content": "Where is the key?"}], temperature=0, max_tokens=12, seed=0
    )
    assert result.stdout.strip()
    assert result.stdout == whole["choices"][0]["message"]["content"] + "\n"


def test_chat_refuses_what_is_not_a_model(tmp_path):
    (tmp_path / "notes.txt").write_text("hi")
    result = CliRunner().invoke(chat_command, [str(tmp_path / "notes.txt"), "--prompt", "hi"])
    assert isinstance(result.exception, ModsmithError)
    assert result.exception.where == str(tmp_path / "notes.txt")


def test_serve_refuses_an_adapter_folder(tmp_path):
    (tmp_path / "adapter_config.json").write_text("{}")
    result = CliRunner().invoke(serve_command, [str(tmp_path), "--port", "1"])
    assert isinstance(result.exception, ModsmithError)
    assert "merged first" in str(result.exception)


def test_serve_answers_the_teacher_client_and_leaves_no_server_behind(tiny_gguf_model, tmp_path):
    from modsmith.teacher.client import TeacherClient, TeacherConfig

    port = free_port()
    code = "import sys; from modsmith.chat_cli import serve_command; serve_command(sys.argv[1:])"
    args = [str(tiny_gguf_model), "--port", str(port), "--name", "tiny", "--n-ctx", "512"]
    log = tmp_path / "serve.log"
    with open(log, "wb") as out:
        serve = subprocess.Popen([sys.executable, "-c", code, *args], stdout=out, stderr=subprocess.STDOUT)
    try:
        base_url = f"http://127.0.0.1:{port}/v1"
        deadline = time.monotonic() + 120
        while True:
            assert serve.poll() is None, log.read_text()
            try:
                if httpx.get(f"{base_url}/models", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.2)
        config = TeacherConfig(base_url=base_url, model="tiny", cache=None, max_retries=0, params={})
        reply = TeacherClient(config).chat([{"role": "user", "content": "Where is the key?"}], max_tokens=8)
        assert reply.error is None and reply.finish_reason in ("stop", "length")
        assert isinstance(reply.content, str)
        assert httpx.get(f"{base_url}/models").json()["data"][0]["id"] == "tiny"
        server_pid = int(re.search(r"server pid (\d+)", log.read_text()).group(1))
    finally:
        serve.send_signal(signal.SIGTERM)
        serve.wait(timeout=30)
    with pytest.raises(ProcessLookupError):
        os.kill(server_pid, 0)  # stopped and reaped by `serve`


def test_a_trained_adapter_chats_as_its_merged_model_does(tiny_run, merged):
    # tiny_run (a train_sft adapter) and merged (`modsmith export merge` of it) come from conftest.py.
    args = ["--prompt", "def add(a, b): what does it return?", *GREEDY]
    from_adapter = CliRunner().invoke(chat_command, [str(tiny_run.adapter), *args])
    from_merged = CliRunner().invoke(chat_command, [str(merged), *args])
    assert from_adapter.exit_code == 0, from_adapter.output
    assert from_adapter.stdout.strip()
    assert from_adapter.stdout == from_merged.stdout


def test_serve_names_vllm_for_a_model_folder_when_it_is_missing(tiny_hf_model):
    if importlib.util.find_spec("vllm") is not None:
        pytest.skip("vLLM is installed here")
    result = CliRunner().invoke(serve_command, [str(tiny_hf_model), "--port", "1"])
    assert isinstance(result.exception, ModsmithError)
    assert "needs vLLM" in str(result.exception) and "modsmith export gguf" in str(result.exception)


def test_serve_refuses_a_busy_port_or_a_broken_gguf_before_starting_a_server(
    tiny_gguf_model, tmp_path, monkeypatch
):
    import socket

    def no_server(*args, **kwargs):
        raise AssertionError("a server process was started")

    monkeypatch.setattr(subprocess, "Popen", no_server)
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = CliRunner().invoke(serve_command, [str(tiny_gguf_model), "--port", str(port)])
    assert isinstance(result.exception, ModsmithError), result.output
    assert f"port {port} is in use" in str(result.exception)
    assert result.exception.where == f"127.0.0.1:{port}"
    half = tmp_path / "half.gguf"
    half.write_bytes(tiny_gguf_model.read_bytes()[:4096])  # what an interrupted copy leaves
    result = CliRunner().invoke(serve_command, [str(half), "--port", str(free_port())])
    assert isinstance(result.exception, ModsmithError), result.output
    assert "not a readable GGUF file" in str(result.exception) and result.exception.where == str(half)
