import shutil
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "ground"))
from decomp_repo import make_decomp_repo  # noqa: E402

from modsmith.ingest import IngestCode  # noqa: E402
from modsmith.records import Example, Message  # noqa: E402
from modsmith.stage import Rejects  # noqa: E402
from modsmith.synth import CodeDebug  # noqa: E402
from modsmith.teacher.loopback import LoopbackChatServer, ScriptedReply  # noqa: E402

pytestmark = pytest.mark.skipif(shutil.which("gcc") is None, reason="needs gcc")


GIVEN = Example.create("given", [Message(role="user", content="q"), Message(role="assistant", content="a")])


def explain(body, seen):
    prompt = body["messages"][-1]["content"]
    error = prompt.split("Compiler output:\n```\n")[1].split("```")[0]
    return ScriptedReply(content=f"The compiler says: {error.splitlines()[0]} Restore the original line.")


def test_debug_examples_carry_real_compiler_errors(tmp_path):
    repo = tmp_path / "decomp"
    make_decomp_repo(repo)
    docs = list(IngestCode({"root": str(repo)}).process([], Rejects()))
    rejects = Rejects()
    with LoopbackChatServer(explain) as server:
        teacher = {"base_url": server.base_url, "model": "t", "cache": str(tmp_path / "c.sqlite")}
        examples = list(CodeDebug({"teacher": teacher, "project": "a mini decomp"}).process(docs, rejects))
    assert examples, rejects.counts
    by_symbol = {e.meta["symbol"]: e for e in examples}
    init = by_symbol["EnTest_Init"]
    question = init.turn("user").content
    assert question.startswith("This code fails to compile:") and "error" in question
    real = next(
        d for d in docs if d.meta.get("symbol") == "EnTest_Init" and d.meta["symbol_kind"] == "function"
    )
    broken = question.split("```c\n")[1].split("\n```")[0]
    assert broken != real.text
    assert init.turn("assistant").content.endswith(f"```c\n{real.text}\n```")
    broken_class = init.checks["broken_code_fails"].data["failure_class"]
    assert broken_class in ("invented_name", "wrong_arguments", "type_error")
    assert rejects.counts["code.debug: no mutation broke the build"] >= 1  # e.g. the empty EnTest_Destroy


def test_max_functions_bounds_the_compiler_work(tmp_path):
    repo = tmp_path / "decomp"
    make_decomp_repo(repo)
    docs = list(IngestCode({"root": str(repo)}).process([], Rejects()))
    with LoopbackChatServer(explain) as server:
        teacher = {"base_url": server.base_url, "model": "t", "cache": str(tmp_path / "c.sqlite")}
        stage = CodeDebug({"teacher": teacher, "max_functions": 1})
        out = list(stage.process([*docs, GIVEN], Rejects()))
        assert len(out) == 2 and len(server.requests) == 1
    assert out[0].task == "code.debug"
    assert out[1] is GIVEN, "records after the last function broken still pass through"
    functions = [d.id for d in docs if d.meta["symbol_kind"] == "function"]
    broken = functions.index(out[0].meta["documents"][0])
    assert stage.summary()["not_broken"] == {
        "not a function": len(docs) - len(functions),
        "past max_functions": len(functions) - broken - 1,
    }
