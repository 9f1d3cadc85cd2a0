import json

import pytest
from pydantic import ValidationError

from modsmith.curate.judge import Judge, parse_verdict
from modsmith.curate.rewrite import Rewrite, clean_reply
from modsmith.records import Document, Example, Message, Provenance
from modsmith.stage import Rejects
from modsmith.teacher.loopback import LoopbackChatServer, ScriptedReply

CONTEXT = "Fox can shine out of his jump to stop an approach; the shine comes out on frame one."


def qa(question: str, answer: str, context: str | None = CONTEXT) -> Example:
    meta = {"context": context} if context is not None else {}
    messages = [Message(role="user", content=question), Message(role="assistant", content=answer)]
    return Example.create("guide.qa", messages, meta=meta)


def teacher(server, tmp_path, **overrides):
    return {
        "base_url": server.base_url,
        "model": "judge",
        "cache": str(tmp_path / "cache.sqlite"),
        "backoff": 0.01,
        "api_key_env": None,
        **overrides,
    }


def run(stage, records):
    entries = []
    rejects = Rejects(sink=entries.append)
    kept = list(stage.process(records, rejects))
    return kept, rejects, entries


def prompt_of(body) -> str:
    return body["messages"][-1]["content"]


# --- verdict parsing -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("reply", "verdict"),
    [
        ('{"verdict": "pass", "reason": "supported by the chunk"}', (True, "supported by the chunk")),
        (
            '```json\n{"Verdict": "FAIL", "reason": "names a real player"}\n```',
            (False, "names a real player"),
        ),
        ('{"result": false, "explanation": "adds a frame number"}', (False, "adds a frame number")),
        (
            "Verdict: FAIL\nReason: mentions Mario from another game.",
            (False, "mentions Mario from another game."),
        ),
        ("**Verdict**: pass - all terms are from the game", (True, "all terms are from the game")),
        ("PASS - because the chunk says so", (True, "because the chunk says so")),
        ("fail", (False, "")),
        ("The pair looks at Fox's shine.\nFAIL: it names a commentator", (False, "it names a commentator")),
        ("<think>pass or fail? It says fail maybe.</think>\nVerdict: PASS", (True, "")),
        ("", None),
        (None, None),
        ("I think it is mostly fine but does not pass the bar.", None),
        ('{"verdict": "maybe"}', None),
        (
            'Here: {"verdict": "fail", "reason": "uses {braces} and a real name"} done',
            (False, "uses {braces} and a real name"),
        ),
        ('{"verdict": "fail", "reason": "cut off', (False, "cut off")),
    ],
)
def test_parse_verdict(reply, verdict):
    assert parse_verdict(reply) == verdict


# --- judge against the loopback server -----------------------------------------------------


def judge_script(body, seen):
    prompt = prompt_of(body)
    if "case-500" in prompt and seen == 0:
        return ScriptedReply(status=500, raw_body=b"overloaded")
    for marker, reply in [
        ("case-pass", "PASS - the chunk says the shine comes out on frame one"),
        ("case-fail", "Verdict: FAIL\nReason: the answer adds a 3-frame window the chunk never gives"),
        ("case-json", '{"verdict": "fail", "reason": "invents a number"}'),
        ("case-unparsable", "Hmm, hard to say."),
        ("case-500", '{"verdict": "pass", "reason": "fine"}'),
    ]:
        if marker in prompt:
            return ScriptedReply(content=reply)
    return ScriptedReply(content="nothing scripted")


def cases():
    return {
        name: qa(f"When should Fox shine? ({name})", f"Shine out of jump to stop approaches ({name}).")
        for name in ("case-pass", "case-fail", "case-json", "case-unparsable", "case-500")
    }


def test_judge_records_checks_drops_fails_and_keeps_raw_replies(tmp_path):
    examples = cases()
    no_context = qa("What is a shine?", "A reflector.", context=None)
    doc = Document(id="d", kind="text", text="x", provenance=Provenance(source="s"))
    stream = [examples["case-pass"], doc, examples["case-fail"], no_context] + [
        examples[n] for n in ("case-json", "case-unparsable", "case-500")
    ]
    with LoopbackChatServer(judge_script) as server:
        stage = Judge({"teacher": teacher(server, tmp_path, concurrency=4), "judge": "faithful"})
        kept, rejects, entries = run(stage, stream)
        sent = list(server.requests)
    assert kept[1] is doc
    assert [e.id for e in kept if isinstance(e, Example)] == [
        examples["case-pass"].id,
        examples["case-500"].id,
    ]
    passed = kept[0].checks["judge.faithful"]
    assert passed.passed and passed.detail == "the chunk says the shine comes out on frame one"
    assert passed.data["reply"].startswith("PASS")
    assert kept[2].checks["judge.faithful"].passed and kept[2].checks["judge.faithful"].detail == "fine"
    assert dict(rejects.counts) == {
        "judge.faithful: fail": 2,
        "judge.faithful: no source context to judge against": 1,
        "judge.faithful: unparsable reply": 1,
    }
    by_id = {e["record"]["example"]["id"]: e for e in entries}
    fail = by_id[examples["case-fail"].id]
    assert fail["detail"] == "the answer adds a 3-frame window the chunk never gives"
    assert fail["record"]["reply"].startswith("Verdict: FAIL")
    assert fail["record"]["example"]["checks"]["judge.faithful"]["passed"] is False
    assert by_id[examples["case-json"].id]["detail"] == "invents a number"
    assert by_id[examples["case-unparsable"].id]["record"]["reply"] == "Hmm, hard to say."
    assert [s["record"]["reply"] for s in rejects.reply_samples][:1] == [fail["record"]["reply"]]
    # The prompt carries the chunk, question and answer; the example without context was not sent;
    # the 500 was retried once.
    assert all(CONTEXT in prompt_of(b) for b in sent)
    assert sum("case-500" in prompt_of(b) for b in sent) == 2
    assert len(sent) == 6 and not any("What is a shine?" in prompt_of(b) for b in sent)
    assert all(b["temperature"] == 0.0 for b in sent)
    figures = stage.summary()
    assert figures.pop("teacher")["answered"] == 5
    assert figures == {"passed": 2, "failed": 2, "unparsable": 1, "no_context": 1}


def test_judge_tags_instead_of_dropping_and_keeps_unparsable_when_asked(tmp_path):
    examples = cases()
    stream = [examples[n] for n in ("case-pass", "case-fail", "case-unparsable")]
    with LoopbackChatServer(judge_script) as server:
        stage = Judge(
            {
                "teacher": teacher(server, tmp_path),
                "judge": "faithful",
                "on_fail": "tag",
                "on_unparsable": "keep",
                "name": "faith",
            }
        )
        kept, rejects, _ = run(stage, stream)
    assert [e.id for e in kept] == [e.id for e in stream] and rejects.total == 0
    assert [e.checks["faith"].passed for e in kept] == [True, False, False]
    assert kept[2].checks["faith"].detail == "unparsable reply"
    assert kept[2].checks["faith"].data == {"reply": "Hmm, hard to say."}


def test_no_reply_after_retries_is_dropped_with_the_error(tmp_path):
    def script(body, seen):
        return ScriptedReply(status=503, raw_body=b"down")

    with LoopbackChatServer(script) as server:
        stage = Judge({"teacher": teacher(server, tmp_path, max_retries=1)})
        kept, rejects, entries = run(stage, [cases()["case-pass"]])
        assert len(server.requests) == 2
    assert kept == [] and dict(rejects.counts) == {"judge.faithful: no reply from the teacher": 1}
    assert "HTTP 503" in entries[0]["detail"] and entries[0]["record"]["reply"] is None


def test_a_rerun_is_answered_from_the_cache(tmp_path):
    examples = list(cases().values())
    with LoopbackChatServer(judge_script) as server:
        first = run(Judge({"teacher": teacher(server, tmp_path)}), examples)[0]
        count = len(server.requests)
        again = run(Judge({"teacher": teacher(server, tmp_path)}), examples)[0]
        assert len(server.requests) == count
    assert again == first


def test_outside_entities_preset_and_custom_template(tmp_path):
    seen = []

    def script(body, _):
        seen.append(prompt_of(body))
        return ScriptedReply(content='{"verdict": "fail", "reason": "mentions a real commentator"}')

    example = qa("Who explains the shine best?", "A well-known commentator covers it.", context=None)
    with LoopbackChatServer(script) as server:
        stage = Judge(
            {
                "teacher": teacher(server, tmp_path),
                "judge": "outside_entities",
                "game": "Super Smash Bros. Melee",
            }
        )
        kept, rejects, _ = run(stage, [example])
        assert not kept and dict(rejects.counts) == {"judge.outside_entities: fail": 1}
        assert "Super Smash Bros. Melee" in seen[0] and "A well-known commentator" in seen[0]
        template = tmp_path / "mine.j2"
        template.write_text(
            "Game {{ game }} / task {{ task }} / {{ meta.get('topic', 'none') }}: {{ answer }}"
        )
        custom = Judge(
            {
                "teacher": teacher(server, tmp_path),
                "judge": "custom",
                "prompt_template": str(template),
                "system": "Be strict.",
            }
        )
        run(custom, [example])
        assert seen[-1] == "Game the game / task guide.qa / none: A well-known commentator covers it."
        assert server.requests[-1]["messages"][0] == {"role": "system", "content": "Be strict."}
    with pytest.raises(ValidationError, match="prompt_template"):
        Judge({"teacher": teacher(server, tmp_path), "judge": "custom"})


# --- rewrite -------------------------------------------------------------------------------

GOOD = "Fox should shine out of jump to stop an approach, since the shine comes out on frame one."


def rewrite_script(body, _):
    text = prompt_of(body).split("Text to fix:\n")[-1]
    if "case-good" in text:
        return ScriptedReply(content=f"Fixed: {GOOD}")
    if "case-question" in text:
        return ScriptedReply(content="When should Fox shine out of jump?")
    if "case-empty" in text:
        return ScriptedReply(content="   ")
    if "case-short" in text:
        return ScriptedReply(content="Shine.")
    if "case-still" in text:
        return ScriptedReply(
            content="The author says Fox should shine out of jump to stop an approach early."
        )
    return ScriptedReply(content="unexpected")


def rewrite_case(name: str, question: str = "When should Fox shine?") -> Example:
    return qa(question, f"The guide says Fox should shine out of jump to stop an approach ({name}).")


def test_rewrite_replaces_the_answer_and_recomputes_the_id(tmp_path):
    good = rewrite_case("case-good")
    clean = qa("What is a shine?", "A reflector move that comes out on frame one.")
    with LoopbackChatServer(rewrite_script) as server:
        stage = Rewrite({"teacher": teacher(server, tmp_path), "game": "Melee"})
        kept, rejects, _ = run(stage, [good, clean])
        assert len(server.requests) == 1, "only answers that mention their source are sent"
        assert "Melee" in prompt_of(server.requests[0]) and "When should Fox shine?" in prompt_of(
            server.requests[0]
        )
    assert rejects.total == 0 and kept[1] is clean
    new = kept[0]
    assert new.messages[1].content == GOOD and new.messages[0] == good.messages[0]
    assert new.meta["before_rewrite"] == [
        {"turn": 1, "role": "assistant", "content": good.messages[1].content}
    ]
    assert new.meta["rewritten_from"] == good.id and new.meta["context"] == CONTEXT
    assert new.id == Example.create(new.task, new.messages).id != good.id
    assert new.checks["rewrite"].passed and new.checks["rewrite"].data == {"reply": f"Fixed: {GOOD}"}
    figures = stage.summary()
    assert figures.pop("teacher")["requests_sent"] == 1
    assert figures == {"sent": 1, "rewritten": 1, "kept_original": 0}


@pytest.mark.parametrize(
    ("case", "detail"),
    [
        (
            "case-empty",
            "no reply from the teacher: gave up after 7 attempts: reply unusable: content empty",
        ),
        ("case-short", "the rewrite is much shorter (8% of the original)"),
        ("case-still", "the rewrite still mentions the source"),
    ],
)
def test_a_bad_rewrite_keeps_the_original(tmp_path, case, detail):
    example = rewrite_case(case)
    with LoopbackChatServer(rewrite_script) as server:
        kept, rejects, _ = run(Rewrite({"teacher": teacher(server, tmp_path)}), [example])
    assert rejects.total == 0 and len(kept) == 1
    result = kept[0]
    assert result.id == example.id and result.messages == example.messages
    assert "before_rewrite" not in result.meta
    assert result.checks["rewrite"].passed is False and result.checks["rewrite"].detail.startswith(detail)
    assert "reply" in result.checks["rewrite"].data


def test_rewrite_of_questions_when_asked(tmp_path):
    example = rewrite_case("case-good", question="What does the guide say about shining (case-question)?")
    with LoopbackChatServer(rewrite_script) as server:
        kept, _, _ = run(
            Rewrite({"teacher": teacher(server, tmp_path), "turns": ["user", "assistant"]}), [example]
        )
        assert len(server.requests) == 2
    new = kept[0]
    assert [m.content for m in new.messages] == ["When should Fox shine out of jump?", GOOD]
    assert [b["turn"] for b in new.meta["before_rewrite"]] == [0, 1]
    assert (
        new.checks["rewrite"].detail == "rewrote 2 turn(s)"
        and len(new.checks["rewrite"].data["replies"]) == 2
    )


def test_rewrite_config_checks_the_regex():
    with pytest.raises(ValidationError, match="regular expression"):
        Rewrite({"teacher": {"model": "m"}, "match": "(unclosed"})


def test_clean_reply():
    assert clean_reply('<think>hm</think>\nRewritten answer: "Shield drop."') == "Shield drop."
    assert clean_reply("A: Tech in place.") == "Tech in place."
    assert clean_reply("Approach carefully.") == "Approach carefully."


def test_reject_records_are_json(tmp_path):
    with LoopbackChatServer(judge_script) as server:
        _, _, entries = run(Judge({"teacher": teacher(server, tmp_path)}), [cases()["case-fail"]])
    assert json.loads(json.dumps(entries))[0]["record"]["reply"].startswith("Verdict: FAIL")


def test_judge_and_rewrite_with_a_tiny_local_model_record_or_reject_everything(tmp_path):
    pytest.importorskip("torch", reason="the in-process teacher needs torch (modsmith[train])")
    from tiny_model import make_tiny_chat_model

    model = make_tiny_chat_model(tmp_path / "model")
    local = {
        "backend": "transformers",
        "model": str(model),
        "cache": None,
        "max_new_tokens": 12,
        "batch_size": 4,
    }
    examples = [rewrite_case(f"case-{i}") for i in range(5)]
    kept, rejects, entries = run(Judge({"teacher": local, "on_unparsable": "drop"}), examples)
    assert len(kept) + rejects.total == len(examples)
    assert all("judge.faithful" in e.checks for e in kept)
    assert all(isinstance(e["record"]["reply"], str) for e in entries)
    rewritten, rejects, _ = run(Rewrite({"teacher": local}), examples)
    assert rejects.total == 0 and len(rewritten) == len(examples)
    assert all("rewrite" in e.checks for e in rewritten)
