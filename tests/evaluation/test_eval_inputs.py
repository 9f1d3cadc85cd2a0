"""What `modsmith eval` reads from a hostile user: prompts files with a BOM, blank lines, bad UTF-8, a
folder or a FIFO instead of a file, nothing in them; and an endpoint that answers no prompt."""

from __future__ import annotations

import json
import os
import shutil

import pytest

from modsmith.errors import ModsmithError
from modsmith.evaluation.eval_config import EvalConfig
from modsmith.evaluation.eval_run import resolve_subject, run_eval
from modsmith.evaluation.prompts import file_prompts
from modsmith.teacher.loopback import LoopbackChatServer, ScriptedReply


def test_a_bom_and_blank_lines_are_no_prompts(tmp_path):
    path = tmp_path / "prompts.jsonl"
    line = json.dumps({"messages": [{"role": "user", "content": "hi"}], "task": "greet"})
    path.write_bytes(b"\xef\xbb\xbf" + line.encode() + b"\n\n   \r\nWhat is a Vec3f?\r\n")
    prompts = file_prompts(path)
    assert [(p.id, p.task, p.messages) for p in prompts] == [
        ("prompts.jsonl:1", "greet", [{"role": "user", "content": "hi"}]),
        ("prompts.jsonl:4", "prompt", [{"role": "user", "content": "What is a Vec3f?"}]),
    ]


@pytest.mark.parametrize(
    ("content", "where", "message"),
    [
        (b"", "prompts.txt", "holds no prompt"),
        (b"\n  \n", "prompts.txt", "holds no prompt"),
        (b"fine\n\xff\xfe broken\n", "prompts.txt:2", "not UTF-8"),
        (b'fine\n{"messages": [oops\n', "prompts.txt:2", "not a prompt"),
    ],
)
def test_a_bad_prompts_file_is_named_with_its_line(tmp_path, content, where, message):
    path = tmp_path / "prompts.txt"
    path.write_bytes(content)
    with pytest.raises(ModsmithError, match=message) as caught:
        file_prompts(path)
    assert caught.value.where == str(tmp_path / where)


def test_a_folder_or_a_fifo_is_refused_without_reading_it(tmp_path):
    with pytest.raises(ModsmithError, match="is a folder"):
        file_prompts(tmp_path)
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    with pytest.raises(ModsmithError, match="not a regular file") as caught:
        file_prompts(fifo)  # opening it would wait for a writer forever
    assert caught.value.where == str(fifo)


def test_an_endpoint_that_answers_nothing_fails_and_keeps_its_errors(tmp_path):
    prompts = tmp_path / "prompts.txt"
    prompts.write_text("one\ntwo\n")

    def refuse(body, seen):
        return ScriptedReply(status=400, raw_body=b'{"error": "context too long"}')

    with LoopbackChatServer(refuse) as server:
        config = EvalConfig(
            prompts=prompts, endpoint_url=server.base_url, endpoint_model="m", output_dir=tmp_path / "o"
        )
        with pytest.raises(ModsmithError, match="answered none of the 2 prompts") as caught:
            run_eval(config)
    assert caught.value.where == server.base_url and "context too long" in str(caught.value)
    lines = [json.loads(x) for x in (tmp_path / "o" / "answers.jsonl").read_text().splitlines()]
    assert [bool(line["error"]) for line in lines] == [True, True]
    metrics = json.loads((tmp_path / "o" / "metrics.json").read_text())["models"]["m"]
    # a failed request is no answer: it does not count as an empty, non-looping one
    assert (metrics["failed"], metrics["distinct_1"], metrics["loop_share"]) == (2, None, None)


def test_one_answered_prompt_is_a_result_and_the_failures_are_counted(tmp_path):
    prompts = tmp_path / "prompts.txt"
    prompts.write_text("one\ntwo\n")

    def half(body, seen):
        if body["messages"][-1]["content"] == "one":
            return ScriptedReply(content="a b c a b c")
        return ScriptedReply(status=400, raw_body=b"{}")

    with LoopbackChatServer(half) as server:
        config = EvalConfig(
            prompts=prompts, endpoint_url=server.base_url, endpoint_model="m", output_dir=tmp_path / "o"
        )
        metrics = run_eval(config).metrics["models"]["m"]
    assert (metrics["answers"], metrics["failed"], metrics["distinct_1"]) == (2, 1, 0.5)


def test_a_judge_that_scores_nothing_fails_the_evaluation(tmp_path):
    prompts = tmp_path / "prompts.txt"
    prompts.write_text("one\ntwo\n")

    def judge_down(body, seen):
        if body["model"] == "judge":
            return ScriptedReply(status=400, raw_body=b'{"error": "judge overloaded"}')
        return ScriptedReply(content="an answer")

    with LoopbackChatServer(judge_down) as server:
        urls = {"endpoint_url": server.base_url, "judge_url": server.base_url}
        config = EvalConfig(
            prompts=prompts, endpoint_model="m", judge_model="judge", output_dir=tmp_path / "o", **urls
        )
        with pytest.raises(ModsmithError, match="the judge answered none of the 2 answers to score"):
            run_eval(config)
    lines = [json.loads(x) for x in (tmp_path / "o" / "answers.jsonl").read_text().splitlines()]
    assert [(line["answer"], "judge overloaded" in line["judge_error"]) for line in lines] == [
        ("an answer", True),
        ("an answer", True),
    ]
    metrics = json.loads((tmp_path / "o" / "metrics.json").read_text())["models"]["m"]
    assert (metrics["judge"], metrics["judge_unparsable"]) == (None, 0)  # a failed request is no bad reply


def _moved_base_adapter(adapter, tmp_path):
    """A copy of `adapter` whose run config and adapter config name a base that is gone."""
    copy = shutil.copytree(adapter, tmp_path / "adapter", ignore=shutil.ignore_patterns("checkpoints"))
    for name, key in (("train_config.json", "base"), ("adapter_config.json", "base_model_name_or_path")):
        data = json.loads((copy / name).read_text())
        data[key] = str(tmp_path / "deleted-base")
        (copy / name).write_text(json.dumps(data))
    return copy


def test_an_adapter_whose_base_is_gone_names_its_run_config(trained, tiny_base, tmp_path):
    copy = _moved_base_adapter(trained[0], tmp_path)
    with pytest.raises(ModsmithError, match="deleted-base is not there") as caught:
        resolve_subject(EvalConfig(model=str(copy), output_dir=tmp_path / "o"))
    assert caught.value.where == f"{copy / 'train_config.json'} (base)" and "--base" in caught.value.hint
    given = resolve_subject(EvalConfig(model=str(copy), base=str(tiny_base), output_dir=tmp_path / "o"))
    assert (given.base, given.adapter) == (str(tiny_base), copy)


def test_an_adapter_without_a_run_config_takes_the_base_given(trained, tiny_base, tmp_path):
    copy = _moved_base_adapter(trained[0], tmp_path)
    (copy / "train_config.json").unlink()
    with pytest.raises(ModsmithError, match="deleted-base is not there") as caught:
        resolve_subject(EvalConfig(model=str(copy), output_dir=tmp_path / "o"))
    assert caught.value.where == str(copy / "adapter_config.json")
    given = resolve_subject(EvalConfig(model=str(copy), base=str(tiny_base), output_dir=tmp_path / "o"))
    assert (given.base, given.adapter, given.run) == (str(tiny_base), copy, None)


def test_a_file_as_the_model_is_named_as_a_file(tmp_path):
    (tmp_path / "model.bin").write_bytes(b"x")
    with pytest.raises(ModsmithError, match="a file"):
        resolve_subject(EvalConfig(model=str(tmp_path / "model.bin"), output_dir=tmp_path / "o"))


def test_an_output_folder_of_other_files_or_a_file_is_refused_before_anything_runs(tmp_path):
    prompts = tmp_path / "prompts.txt"
    prompts.write_text("one\n")
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.md").write_text("my notes")
    (tmp_path / "a-file").write_text("x")
    for output, message in [(mine, r"does not write \(notes.md\)"), (tmp_path / "a-file", "is a file")]:
        config = EvalConfig(
            prompts=prompts, endpoint_url="http://127.0.0.1:9/v1", endpoint_model="m", output_dir=output
        )
        with pytest.raises(ModsmithError, match=message):
            run_eval(config)
    assert [p.name for p in mine.iterdir()] == ["notes.md"] and (tmp_path / "a-file").read_text() == "x"


def test_a_base_alone_with_only_the_tuned_model_asked_for_is_refused_first(tiny_base, tmp_path):
    prompts = tmp_path / "prompts.txt"
    prompts.write_text("one\n")
    config = EvalConfig(model=str(tiny_base), models=["tuned"], prompts=prompts, output_dir=tmp_path / "o")
    with pytest.raises(ModsmithError, match="no tuned model") as caught:
        run_eval(config)
    assert caught.value.where == "--models" and not (tmp_path / "o").exists()


def test_a_second_evaluation_into_the_same_folder_is_refused_naming_the_first(tmp_path):
    import subprocess
    import sys

    out, prompts = tmp_path / "o", tmp_path / "prompts.txt"
    prompts.write_text("one\n")
    hold = (
        "import sys, time; from pathlib import Path; from modsmith.output_paths import folder_lock\n"
        "with folder_lock(Path(sys.argv[1]), 'an evaluation', 'output folder', ''):\n"
        "    print('held', flush=True); time.sleep(60)\n"
    )
    first = subprocess.Popen([sys.executable, "-c", hold, str(out)], stdout=subprocess.PIPE, text=True)
    try:
        assert first.stdout.readline().strip() == "held"
        config = EvalConfig(
            prompts=prompts, endpoint_url="http://127.0.0.1:9/v1", endpoint_model="m", output_dir=out
        )
        with pytest.raises(ModsmithError, match=f"in progress in this output folder \\(PID {first.pid}\\)"):
            run_eval(config)
    finally:
        first.kill()
        first.wait()
    assert not (out / "answers.jsonl").exists()
