"""The whole path after the dataset, on one tiny model: train a LoRA, evaluate it against its base with the
grounding checks on the C it writes (against the small original decomp in examples/), merge it, export an
f16 GGUF that passes the parity check, serve the GGUF on loopback, and ask it through the teacher client.

The tiny model learns its examples by heart: asked to remove an actor it writes a function calling the real
`Actor_Kill`, asked to blow one up it calls `Actor_Explode`, which the decomp does not have. So the
evaluation has real C to check: one answer compiles, the other uses an invented name, and the base model
(which writes noise) has neither. The served GGUF must give the tuned model's answer.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytest.importorskip("trl")
pytest.importorskip("llama_cpp")

from modsmith.records import Example, Message, Provenance, write_jsonl  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
DECOMP = REPO / "examples" / "sample_decomp"
REMOVE = "Write a function that removes actor {} from the scene."
EXPLODE = "Write a function that blows actor {} up."
KILLS = "```c\nvoid EnSample_Stop(Actor* actor) {\n    Actor_Kill(actor);\n}\n```"
EXPLODES = "```c\nvoid EnSample_Boom(Actor* actor) {\n    Actor_Explode(actor);\n}\n```"


def examples() -> list[Example]:
    pairs = [(REMOVE.format(n), KILLS) for n in range(6)] + [(EXPLODE.format(n), EXPLODES) for n in range(6)]
    return [
        Example.create(
            task="code.implement",
            messages=[Message(role="user", content=question), Message(role="assistant", content=answer)],
            provenance=[Provenance(source="e2e", path=f"src/actor{index}.c")],
        )
        for index, (question, answer) in enumerate(pairs)
    ]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_train_evaluate_merge_export_serve(tmp_path):
    from modsmith.evaluation.eval_config import EvalConfig
    from modsmith.evaluation.eval_run import run_eval
    from modsmith.export.gguf import export_gguf
    from modsmith.export.merge import merge_adapter
    from modsmith.ground.check_config import GroundCheckConfig
    from modsmith.teacher.client import TeacherClient, TeacherConfig
    from modsmith.train.sft import train_sft
    from modsmith.train.sft_config import SFTRunConfig
    from modsmith.train.tiny_base import build_tiny_base

    data = examples()
    write_jsonl(tmp_path / "examples.jsonl", data)
    base = build_tiny_base(tmp_path / "base", [turn.content for ex in data for turn in ex.messages] * 5)
    trained = train_sft(
        SFTRunConfig(
            dataset=tmp_path / "examples.jsonl",
            base=str(base),
            output_dir=tmp_path / "lora",
            lora_r=16,
            lora_alpha=32,
            lora_dropout=0.0,
            max_steps=150,
            learning_rate=0.03,
            warmup_ratio=0.0,
            max_length=128,
            gradient_checkpointing=False,
            valid_fraction=0.0,
            eval_steps=1000,
            logging_steps=50,
        )
    )
    assert trained.train_loss_last < 0.1 < trained.train_loss_first

    prompts = tmp_path / "prompts.jsonl"
    asked = [(REMOVE.format(0), KILLS), (EXPLODE.format(0), EXPLODES)]  # two it learnt by heart
    prompts.write_text(
        "".join(
            json.dumps({"messages": [{"role": "user", "content": q}, {"role": "assistant", "content": a}]})
            + "\n"
            for q, a in asked
        )
    )
    grounding = GroundCheckConfig(
        repo=str(DECOMP), profile=str(DECOMP / "modsmith-profile.yaml"), languages=["c"]
    )
    evaluated = run_eval(
        EvalConfig(
            model=str(tmp_path / "lora"),
            prompts=prompts,
            ground=grounding,
            max_new_tokens=40,
            output_dir=tmp_path / "eval",
        )
    )
    answers = {
        (a["model"], a["messages"][0]["content"]): a
        for a in map(json.loads, open(evaluated.paths["answers"]))
    }
    kills, explodes = answers["tuned", asked[0][0]], answers["tuned", asked[1][0]]
    assert "Actor_Kill(actor);" in kills["answer"] and kills["checks"]["compile_c"]["passed"]
    assert kills["checks"]["names"]["passed"]
    assert "Actor_Explode(actor);" in explodes["answer"] and not explodes["checks"]["names"]["passed"]
    assert "Actor_Explode" in explodes["checks"]["names"]["detail"]
    tuned, untuned = evaluated.metrics["models"]["tuned"], evaluated.metrics["models"]["base"]
    assert tuned["compile_pass_rate"] == 0.5 and tuned["invented_name_rate"] == 0.5
    assert untuned["compile_pass_rate"] is None  # the base writes no code to check
    report = Path(evaluated.paths["report"]).read_text()
    assert "Actor_Explode" in report  # among the worst answers, with its failed check
    assert Path(evaluated.paths["report_html"]).stat().st_size > 10_000

    merged = merge_adapter(tmp_path / "lora", tmp_path / "merged")
    exported = export_gguf(merged.out_dir, tmp_path / "gguf", ["f16"], name="e2e")
    assert [report.passed for report in exported.reports] == [True]
    gguf = exported.files["f16"]

    port = free_port()
    log = tmp_path / "serve.log"
    code = "import sys; from modsmith.chat_cli import serve_command; serve_command(sys.argv[1:])"
    with open(log, "wb") as out:
        server = subprocess.Popen(
            [sys.executable, "-c", code, str(gguf), "--port", str(port), "--name", "e2e", "--n-ctx", "512"],
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        config = TeacherConfig(base_url=f"http://127.0.0.1:{port}/v1", model="e2e", cache=None, max_retries=0)
        client = TeacherClient(config)
        deadline = time.monotonic() + 120
        while True:
            assert server.poll() is None, log.read_text()
            reply = client.chat([{"role": "user", "content": asked[0][0]}], max_tokens=40, temperature=0.0)
            if reply.error is None or time.monotonic() > deadline:
                break
            time.sleep(0.5)
        assert reply.error is None, (reply.error, log.read_text())
        assert reply.content.strip() == kills["answer"].strip()  # the GGUF answers as the tuned model does
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    assert server.returncode is not None and not os.path.exists(f"/proc/{server.pid}")
