"""`run_eval` end to end: the held-out loss is the trainer's, the files carry their keys, an endpoint's C
answers are grounded against the sample decomp, and `modsmith eval` prints the table and the paths."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from eval_samples import needs_gcc

from modsmith.errors import ModsmithError
from modsmith.eval_cli import eval_command
from modsmith.evaluation.eval_config import EvalConfig
from modsmith.evaluation.eval_run import run_eval
from modsmith.teacher.loopback import LoopbackChatServer, ScriptedReply

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
LINE_KEYS = {"id", "task", "model", "messages", "reference", "answer", "checks", "scores", "seconds", "error"}
SCORE_KEYS = {"chrf", "distinct_1", "distinct_2", "loops", "tokens", "judge"}


@pytest.fixture(scope="module")
def evaluated(trained, tmp_path_factory):
    adapter, result = trained
    config = EvalConfig(
        model=str(adapter), output_dir=tmp_path_factory.mktemp("eval") / "out", max_new_tokens=8
    )
    return run_eval(config), result


def test_the_heldout_loss_is_the_trainers_eval_loss(evaluated):
    eval_result, train_result = evaluated
    tuned = eval_result.metrics["models"]["tuned"]
    assert tuned["heldout_loss"] == pytest.approx(train_result.eval_loss, abs=1e-4)
    assert eval_result.metrics["counts"]["tuned"]["heldout_loss"] == train_result.examples["valid"]
    assert tuned["perplexity"] == pytest.approx(2.718281828 ** tuned["heldout_loss"])
    assert eval_result.metrics["models"]["base"]["heldout_loss"] > tuned["heldout_loss"]


def test_the_files_keys(evaluated):
    eval_result, train_result = evaluated
    lines = [json.loads(x) for x in Path(eval_result.paths["answers"]).read_text().splitlines()]
    assert len(lines) == 2 * train_result.examples["valid"]
    assert [line["model"] for line in lines].count("base") == train_result.examples["valid"]
    for line in lines:
        assert set(line) == LINE_KEYS and set(line["scores"]) == SCORE_KEYS
        assert line["reference"] and line["messages"][-1]["role"] == "user"
        assert 0 <= line["scores"]["chrf"] <= 100
    metrics = json.loads(Path(eval_result.paths["metrics"]).read_text())
    assert set(metrics) == {"models", "per_task", "counts", "config", "formulas"}
    assert set(metrics["models"]) == {"base", "tuned"} == set(metrics["per_task"]["code.explain"])
    assert set(metrics["models"]["tuned"]) <= set(metrics["formulas"]) | {"judge_unparsable"}
    assert set(metrics["counts"]["tuned"]) == set(metrics["models"]["tuned"])
    assert metrics["config"]["batch_size"] == 16


C_COMPILES = "```c\nvoid EnTest_Stop(Actor* actor) {\n    Actor_MoveForward(actor);\n}\n```"
C_BROKEN = "```c\nvoid EnTest_Stop(Actor* actor) {\n    Actor_MoveForward(actor)\n}\n```"
C_INVENTED = "```c\nvoid EnTest_Stop(Actor* actor) {\n    Actor_Teleport(actor);\n}\n```"
REPLIES = {"compiles": C_COMPILES, "broken": C_BROKEN, "invented": C_INVENTED}


def reply_by_prompt(body, seen):
    if "Rate the answer" in body["messages"][-1]["content"]:  # the judge
        return ScriptedReply(
            content="Score: 4" if "Actor_MoveForward(actor);" in body["messages"][-1]["content"] else "meh"
        )
    return ScriptedReply(content=REPLIES[body["messages"][-1]["content"].split()[-1]])


@needs_gcc
def test_endpoint_answers_are_grounded_and_judged(tmp_path):
    prompts = tmp_path / "prompts.jsonl"
    prompts.write_text(
        "".join(
            json.dumps({"messages": [{"role": "user", "content": f"Write it: {k}"}]}) + "\n" for k in REPLIES
        )
    )
    with LoopbackChatServer(reply_by_prompt) as server:
        config = EvalConfig(
            prompts=prompts,
            endpoint_url=server.base_url,
            endpoint_model="served-gguf",
            judge_url=server.base_url,
            judge_model="judge",
            ground={
                "repo": str(EXAMPLES / "sample_decomp"),
                "profile": str(EXAMPLES / "sample_decomp" / "modsmith-profile.yaml"),
            },
            output_dir=tmp_path / "out",
        )
        result = run_eval(config)
    lines = {
        json.loads(x)["messages"][0]["content"].split()[-1]: json.loads(x)
        for x in (tmp_path / "out" / "answers.jsonl").read_text().splitlines()
    }
    checks = {kind: {name: c["passed"] for name, c in line["checks"].items()} for kind, line in lines.items()}
    assert checks["compiles"] == {"names": True, "compile_c": True}
    assert checks["broken"] == {"names": True, "compile_c": False}
    assert checks["invented"] == {"names": False, "compile_c": False}
    assert "Actor_Teleport" in lines["invented"]["checks"]["names"]["detail"]
    served = result.metrics["models"]["served-gguf"]
    assert served["compile_pass_rate"] == pytest.approx(1 / 3) and served[
        "invented_name_rate"
    ] == pytest.approx(1 / 3)
    assert result.metrics["counts"]["served-gguf"]["compile_pass_rate"] == 3
    assert (served["judge"], served["judge_unparsable"]) == (4.0, 2)
    assert served["heldout_loss"] is None and lines["compiles"]["reference"] is None


def test_the_command_prints_the_table_and_the_paths(trained, tmp_path):
    adapter, _ = trained
    out = tmp_path / "cli"
    result = CliRunner().invoke(
        eval_command, [str(adapter), "-o", str(out), "--max-new-tokens", "4", "--limit", "1"]
    )
    assert result.exit_code == 0, result.output
    table = result.stdout.splitlines()
    assert table[0].split() == ["metric", "base", "tuned"], result.stdout
    assert any(row.split()[0] == "heldout_loss" for row in table)
    assert f"metrics: {out / 'metrics.json'}" in result.stdout
    assert len((out / "answers.jsonl").read_text().splitlines()) == 2


def test_ground_options_are_dotted(trained, tmp_path):
    adapter, _ = trained
    args = [
        str(adapter),
        "-o",
        str(tmp_path / "o"),
        "--ground.profile",
        "null",
        "--ground.languages",
        "c",
        "--limit",
        "1",
    ]
    result = CliRunner().invoke(eval_command, [*args, "--max-new-tokens", "2"])
    assert result.exit_code == 0, result.output
    config = json.loads((tmp_path / "o" / "metrics.json").read_text())["config"]
    assert config["ground"]["profile"] is None and config["ground"]["languages"] == ["c"]


def test_bad_input_is_one_line(trained, tmp_path):
    adapter, _ = trained
    with pytest.raises(ModsmithError, match="no such prompts file"):
        run_eval(EvalConfig(model=str(adapter), prompts=tmp_path / "missing.txt", output_dir=tmp_path / "o"))
    with pytest.raises(ModsmithError, match="no such adapter or model folder"):
        run_eval(EvalConfig(model=str(tmp_path / "nothing"), output_dir=tmp_path / "o"))
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"messages": "not a list"}\n')
    with pytest.raises(ModsmithError, match="bad.jsonl:1"):
        run_eval(EvalConfig(model=str(adapter), prompts=bad, output_dir=tmp_path / "o"))
    good, out = tmp_path / "good.txt", tmp_path / "never"
    good.write_text("Hello?\n")
    with pytest.raises(ModsmithError, match="not an http"):
        run_eval(EvalConfig(endpoint_url="localhost:8080", endpoint_model="m", prompts=good, output_dir=out))
    assert not out.exists()  # refused before anything was generated or written
    result = CliRunner().invoke(eval_command, ["-o", str(tmp_path / "o"), "--limit", "1"])
    assert isinstance(result.exception, ModsmithError) and "give a model" in str(result.exception)


def test_a_crash_in_the_tuned_model_keeps_the_base_answers(trained, tmp_path, monkeypatch):
    from modsmith.evaluation import eval_run

    adapter, result = trained
    real = eval_run.generate_local

    def crashing(models, name, *args, **kwargs):
        if name == "tuned":
            raise RuntimeError("killed")
        return real(models, name, *args, **kwargs)

    monkeypatch.setattr(eval_run, "generate_local", crashing)
    with pytest.raises(RuntimeError, match="killed"):
        run_eval(EvalConfig(model=str(adapter), output_dir=tmp_path / "o", max_new_tokens=2))
    lines = [json.loads(x) for x in (tmp_path / "o" / "answers.jsonl").read_text().splitlines()]
    assert [line["model"] for line in lines] == ["base"] * result.examples["valid"]
    assert not (tmp_path / "o" / "metrics.json").exists()
    left = [p.name for p in (tmp_path / "o").iterdir() if not p.name.startswith(".lock")]  # the run's lock
    assert left == ["answers.jsonl"]  # no temporary file left


def test_a_base_alone_on_a_dataset_and_a_prompts_file(tiny_base, examples_file, tmp_path):
    prompts = tmp_path / "prompts.txt"
    prompts.write_text("Where is Actor_Kill declared?\n\nWhat is a Vec3f?\n")
    config = EvalConfig(
        model=str(tiny_base),
        dataset=examples_file,
        valid_fraction=0.3,  # the trained fixture's split
        prompts=prompts,
        output_dir=tmp_path / "o",
        max_new_tokens=3,
    )
    metrics = run_eval(config).metrics
    assert list(metrics["models"]) == ["base"]
    assert set(metrics["per_task"]) == {"code.explain", "prompt"}
    assert metrics["counts"]["base"]["chrf"] == metrics["counts"]["base"]["heldout_loss"] == 2
    assert metrics["models"]["base"]["answers"] == 4
