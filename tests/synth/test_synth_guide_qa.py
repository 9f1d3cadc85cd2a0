import json
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter

from modsmith.ingest import IngestText
from modsmith.records import Document, Example, Message, Provenance
from modsmith.stage import Rejects
from modsmith.synth import GuideQA
from modsmith.teacher.loopback import LoopbackChatServer, ScriptedReply


def _doc(i, text="Short hop by tapping jump. Shine comes out on frame one.", chunks=2):
    return Document(
        id=f"d{i}",
        kind="text",
        text=text,
        lang="markdown",
        provenance=Provenance(source="guides", path="fox.md", lines=(i, i + 1)),
        meta={"title": "Fox Basics", "headings": ["Fox Basics", f"Part {i}"], "chunk_count": chunks},
    )


def _stage(server, tmp_path, **config):
    teacher = {
        "base_url": server.base_url,
        "model": "teacher",
        "cache": str(tmp_path / "cache.sqlite"),
        "backoff": 0.01,
    }
    return GuideQA({"teacher": teacher, "game": "Super Smash Bros. Melee", **config})


def qa_script(body, seen):
    prompt = body["messages"][-1]["content"]
    if "Part 1)" in prompt:
        return ScriptedReply(content='[{"question": "How do I short hop?", "answer": "Tap jump briefly."}]')
    if "Part 2)" in prompt:
        return ScriptedReply(
            content="Q: When does shine come out?\nA: Frame one.\n\nQ: Is it fast?\nA: Very."
        )
    if "Part 3)" in prompt:
        return ScriptedReply(content="I'm sorry, I can't help with that.")
    return ScriptedReply(content="")


def test_replies_of_every_shape_become_examples_or_reasons(tmp_path):
    rejects = Rejects()
    with LoopbackChatServer(qa_script) as server:
        examples = list(_stage(server, tmp_path).process([_doc(i) for i in range(1, 5)], rejects))
    assert [(e.turn("user").content, e.turn("assistant").content) for e in examples] == [
        ("How do I short hop?", "Tap jump briefly."),
        ("When does shine come out?", "Frame one."),
        ("Is it fast?", "Very."),
    ]
    assert all(e.task == "guide.qa" and e.provenance[0].path == "fox.md" for e in examples)
    assert examples[0].meta["context"].startswith("Short hop")
    assert rejects.counts == {
        "guide.qa: no Q/A pairs in the reply": 1,
        "teacher reply unusable: content empty": 1,
    }
    assert rejects.reply_samples[0]["record"]["reply"] == "I'm sorry, I can't help with that."


def test_examples_in_the_input_pass_through_in_their_place(tmp_path):
    given = Example.create(
        "given", [Message(role="user", content="q"), Message(role="assistant", content="a")]
    )
    code = Document(id="c", kind="code", text="int f(void);", provenance=Provenance(source="repo"))
    rejects = Rejects()
    with LoopbackChatServer(qa_script) as server:
        stream = [_doc(1), given, _doc(2), code]
        out = list(_stage(server, tmp_path).process(stream, rejects))
        assert len(server.requests) == 2, "only the guide chunks are sent"
    assert [e.turn("user").content for e in out] == [
        "How do I short hop?",
        "q",
        "When does shine come out?",
        "Is it fast?",
    ]
    assert out[1] is given
    assert rejects.counts == {"synth.guide_qa: does not handle code documents": 1}


def test_prompt_variation_is_seeded_and_follows_the_knobs(tmp_path):
    with LoopbackChatServer(qa_script) as server:
        stage = _stage(server, tmp_path, technical_probability=1.0, length_weights={"concise": 1.0})
        list(stage.process([_doc(1)], Rejects()))
        prompt = server.requests[0]["messages"][-1]["content"]
    assert "technical" in prompt and "one or two sentences" in prompt and "Super Smash Bros. Melee" in prompt
    stage = GuideQA({"teacher": {"model": "m"}, "seed": 3})
    draws = [stage.knobs(_doc(i)) for i in range(300)]
    assert draws == [GuideQA({"teacher": {"model": "m"}, "seed": 3}).knobs(_doc(i)) for i in range(300)]
    technical = sum(d["technical"] for d in draws) / len(draws)
    assert 0.4 < technical < 0.6
    lengths = {
        k: sum(d["length"] == k for d in draws) / len(draws) for k in ("lengthy", "concise", "neither")
    }
    assert all(0.25 < share < 0.42 for share in lengths.values()), lengths


def test_target_per_source_sets_pairs_per_chunk():
    stage = GuideQA({"teacher": {"model": "m"}, "target_per_source": 10, "max_pairs_per_chunk": 4})
    assert stage.pairs_for(_doc(1, chunks=5)) == 2
    assert stage.pairs_for(_doc(1, chunks=1)) == 4


def _recipe(path, guides, server, cache, output):
    path.write_text(
        f"name: qa\noutput: {output}\nstages:\n"
        f"  - stage: ingest.text\n    with:\n      paths: [{guides}]\n      max_tokens: 60\n"
        f"  - stage: synth.guide_qa\n    with:\n      game: Melee\n"
        f"      teacher: {{base_url: '{server.base_url}', model: t, cache: '{cache}', concurrency: 2}}\n"
    )
    return path


def _answer(body, seen):
    prompt = body["messages"][-1]["content"]
    return ScriptedReply(content=f"Q: What is in this part?\nA: {len(prompt)} characters of advice.")


def test_killed_generation_resumes_without_resending(tmp_path, examples_dir):
    guides = examples_dir / "guides"
    chunks = sum(1 for _ in IngestText({"paths": [str(guides)], "max_tokens": 60}).process([], Rejects()))
    assert chunks > 20
    with LoopbackChatServer(_answer, latency=0.05) as server:
        clean = _recipe(
            tmp_path / "clean.yaml", guides, server, tmp_path / "clean.sqlite", tmp_path / "clean"
        )
        subprocess.run(
            [sys.executable, "-m", "modsmith.cli", "run", str(clean)], check=True, capture_output=True
        )
        expected = (tmp_path / "clean" / "qa" / "02-synth.guide_qa" / "data.jsonl").read_text()
        assert len(server.requests) == chunks

        server.requests.clear()
        killed = _recipe(tmp_path / "k.yaml", guides, server, tmp_path / "k.sqlite", tmp_path / "k")
        proc = subprocess.Popen(
            [sys.executable, "-m", "modsmith.cli", "run", str(killed)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 60
        while len(server.requests) < chunks // 2 and time.monotonic() < deadline:
            time.sleep(0.01)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        stage_dir = tmp_path / "k" / "qa" / "02-synth.guide_qa"
        assert not (stage_dir / "data.jsonl").exists()
        answered_before_kill = _cached_prompts(tmp_path / "k.sqlite")
        assert 0 < len(answered_before_kill) < chunks

        subprocess.run(
            [sys.executable, "-m", "modsmith.cli", "run", str(killed)], check=True, capture_output=True
        )
        asked = Counter(body["messages"][-1]["content"] for body in server.requests)
        assert all(asked[prompt] == 1 for prompt in answered_before_kill), (
            "an answered request was sent again"
        )
        assert len(asked) == chunks
        assert (stage_dir / "data.jsonl").read_text() == expected


def _cached_prompts(cache_path) -> set[str]:
    with sqlite3.connect(cache_path) as db:
        return {
            json.loads(row[0])["messages"][-1]["content"]
            for row in db.execute("SELECT request FROM responses")
        }
