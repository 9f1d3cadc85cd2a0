import json
import shutil

import pytest

from modsmith.ingest import IngestSpec
from modsmith.stage import Rejects
from modsmith.synth import UnityIR
from modsmith.synth.unity_ir import extract_csharp, extract_json, ir_schema_check
from modsmith.teacher.loopback import LoopbackChatServer, ScriptedReply

COIN_IR = {
    "class_name": "RotatingCoin",
    "fields": [{"name": "speed", "type": "float", "default": 90}],
    "handlers": ["Update", "OnTriggerEnter"],
    "behaviours": [
        {"type": "rotate", "axis": "y", "speed": "speed"},
        {"type": "trigger", "tag": "Player", "actions": [{"do": "destroy_self"}]},
    ],
}
COIN_CS = """using UnityEngine;

public class RotatingCoin : MonoBehaviour
{
    [SerializeField] private float speed = 90f;

    void Update()
    {
        transform.Rotate(Vector3.up * speed * Time.deltaTime);
    }

    void OnTriggerEnter(Collider other)
    {
        if (other.CompareTag("Player"))
        {
            Destroy(gameObject);
        }
    }
}"""


def script(body, seen):
    prompt = body["messages"][-1]["content"]
    if prompt.startswith("BEHAVIOR SPECIFICATION"):
        if "Spinner" in prompt:
            typo = COIN_CS.replace("RotatingCoin", "Spinner").replace("Rotate(", "Rotatee(")
            return ScriptedReply(content=f"```csharp\n{typo}\n```")
        if "Mute" in prompt:
            return ScriptedReply(content="I would rather not write code today.")
        return ScriptedReply(content=f"Here you go:\n```csharp\n{COIN_CS}\n```")
    if "coin" in prompt:
        return ScriptedReply(content=f"```json\n{json.dumps(COIN_IR)}\n```")
    if "spinner" in prompt:
        return ScriptedReply(content=json.dumps({**COIN_IR, "class_name": "Spinner"}))
    if "mute" in prompt:
        return ScriptedReply(content=json.dumps({**COIN_IR, "class_name": "Mute"}))
    if "lowercase" in prompt:
        return ScriptedReply(content=json.dumps({**COIN_IR, "class_name": "coin"}))
    return ScriptedReply(content="no idea")


@pytest.fixture
def specs(tmp_path):
    path = tmp_path / "requests.txt"
    path.write_text(
        "# comment\nA spinning coin\nA spinner with a typo\nA mute one\nA lowercase class\nA vague wish\n"
    )
    return list(IngestSpec({"paths": [str(path)]}).process([], Rejects()))


@pytest.mark.skipif(shutil.which("mcs") is None, reason="needs mono-mcs for the C# check")
def test_nl_to_ir_to_csharp_with_both_checks(tmp_path, specs):
    rejects = Rejects()
    with LoopbackChatServer(script) as server:
        teacher = {"base_url": server.base_url, "model": "t", "cache": str(tmp_path / "c.sqlite")}
        examples = list(UnityIR({"teacher": teacher}).process(specs, rejects))
    assert [e.meta["request"] for e in examples] == ["A spinning coin", "A spinner with a typo"]
    coin, spinner = examples
    assert coin.task == "unity.ir_to_csharp"
    assert coin.turn("user").content.startswith("BEHAVIOR SPECIFICATION:\n{")
    assert coin.turn("assistant").content == COIN_CS
    assert coin.checks["ir_schema"].passed and coin.checks["compile_csharp"].passed
    assert not spinner.checks["compile_csharp"].passed
    assert spinner.checks["compile_csharp"].data["failure_class"] == "invented_name"
    assert rejects.counts == {
        "unity: no C# class in the reply": 1,
        "unity: IR fails the schema": 1,
        "unity: no JSON IR in the reply": 1,
    }
    assert any("no idea" == s["record"]["reply"] for s in rejects.reply_samples)


@pytest.mark.skipif(shutil.which("mcs") is None, reason="needs mono-mcs for the C# check")
def test_failing_code_can_be_dropped(tmp_path, specs):
    rejects = Rejects()
    with LoopbackChatServer(script) as server:
        teacher = {"base_url": server.base_url, "model": "t", "cache": str(tmp_path / "c.sqlite")}
        examples = list(UnityIR({"teacher": teacher, "on_compile_fail": "drop"}).process(specs[:2], rejects))
    assert [e.meta["request"] for e in examples] == ["A spinning coin"]
    assert rejects.counts == {"unity: C# does not compile (invented_name)": 1}


def test_ir_schema_and_extraction():
    assert ir_schema_check(COIN_IR).passed
    bad = ir_schema_check({**COIN_IR, "behaviours": [{"type": "rotate", "axis": "w", "speed": 1}]})
    assert not bad.passed and "behaviours/0" in bad.detail
    assert extract_json('Sure!\n```json\n{"a": 1}\n```') == {"a": 1}
    assert extract_json("{not json") is None
    assert (
        extract_csharp("```cs\npublic class A : MonoBehaviour {}\n```") == "public class A : MonoBehaviour {}"
    )
    assert extract_csharp("using UnityEngine;\npublic class B {}") == "using UnityEngine;\npublic class B {}"
    assert extract_csharp("no code here") is None


def test_spec_files_jsonl_and_errors(tmp_path):
    good = tmp_path / "s.jsonl"
    good.write_text(json.dumps({"prompt": "coin", "ir": COIN_IR}) + "\n")
    (doc,) = IngestSpec({"paths": [str(good)]}).process([], Rejects())
    assert doc.kind == "spec" and doc.meta["ir"] == COIN_IR
    bad = tmp_path / "b.jsonl"
    bad.write_text('{"prompt": "x"}\n{"nope": 1}\n')
    from modsmith.errors import ModsmithError

    with pytest.raises(ModsmithError) as err:
        list(IngestSpec({"paths": [str(bad)]}).process([], Rejects()))
    assert err.value.where == f"{bad}:2"
