import json

from modsmith.ingest import IngestCode
from modsmith.stage import Rejects
from modsmith.synth import CodeQA
from modsmith.teacher.loopback import LoopbackChatServer, ScriptedReply


def script(body, seen):
    prompt = body["messages"][-1]["content"]
    if prompt.startswith("You are documenting"):
        if "Math_StepToF" in prompt.split("Function (")[1]:
            return ScriptedReply(content="")
        return ScriptedReply(
            content="It updates the actor's state once per frame and keeps its timers in range."
        )
    if prompt.startswith("Here is a real function"):
        return ScriptedReply(
            content="Write a function that advances the actor by one frame of its behaviour."
        )
    pairs = [{"question": "Why keep a separate timer?", "answer": "So the action can wait whole frames."}]
    return ScriptedReply(content=json.dumps(pairs))


def test_code_tasks_are_grounded_in_real_functions(tmp_path, examples_dir):
    docs = list(IngestCode({"root": str(examples_dir / "sample_decomp")}).process([], Rejects()))
    functions = [d for d in docs if d.meta["symbol_kind"] == "function" and d.meta["lines"] <= 200]
    rejects = Rejects()
    with LoopbackChatServer(script) as server:
        cache = str(tmp_path / "c.sqlite")
        teacher = {"base_url": server.base_url, "model": "t", "cache": cache, "backoff": 0.01}
        stage = CodeQA({"teacher": teacher, "project": "a sample decomp"})
        examples = list(stage.process(docs, rejects))
        prompts = [b["messages"][-1]["content"] for b in server.requests]
    by_task = {}
    for example in examples:
        by_task.setdefault(example.task, []).append(example)
    assert len(by_task["code.implement"]) == len(functions)
    assert len(by_task["code.conceptual"]) == len(functions)
    assert len(by_task["code.explain"]) == len(functions) - 1
    assert rejects.counts["teacher reply unusable: content empty"] == 1
    assert rejects.counts["code: function longer than 200 lines"] == 1
    # the other documents are the functions' context, counted (not dropped without a word)
    context = [d for d in docs if d.meta["symbol_kind"] not in ("function", "method")]
    assert context and stage.summary()["context_only"] == len(context)
    real = {d.meta["symbol"]: d.text for d in functions}
    for example in by_task["code.implement"]:
        assert example.turn("assistant").content == f"```c\n{real[example.meta['symbol']]}\n```"
        assert example.turn("user").content.startswith("Write a function that")
    step = next(d for d in functions if d.meta["symbol"] == "Math_StepToF")
    step_prompt = next(p for p in prompts if p.startswith("Here is a real function") and step.text in p)
    assert step_prompt
    explain_prompt = next(
        p for p in prompts if p.startswith("You are documenting") and "EnSample_Update" in p
    )
    assert "// declared in" in explain_prompt or "typedef struct" in explain_prompt
