"""Replies that are not answers, odd Retry-After headers, bad base URLs, and concurrency under faults."""

import json
import threading

import pytest
from pydantic import ValidationError

from modsmith.errors import ModsmithError
from modsmith.recipe import load_recipe
from modsmith.records import Document, Provenance
from modsmith.run import stage_registry
from modsmith.stage import Rejects
from modsmith.synth import GuideQA
from modsmith.teacher import client as teacher_client
from modsmith.teacher.cache import ResponseCache
from modsmith.teacher.client import ChatRequest, TeacherClient, TeacherConfig
from modsmith.teacher.loopback import LoopbackChatServer, ScriptedReply, echo_script, with_faults


def _client(server, tmp_path, **overrides):
    settings = {"backoff": 0.01, "backoff_max": 0.2, "max_retries": 1} | overrides
    config = TeacherConfig(
        base_url=server.base_url, model="m", cache=str(tmp_path / "cache.sqlite"), **settings
    )
    return TeacherClient(config)


def _requests(names):
    return [ChatRequest([{"role": "user", "content": name}], tag=name) for name in names]


def _body(choices=None, **top):
    return json.dumps({"choices": choices, **top} if choices is not None else top).encode()


def _message(content, finish_reason="stop"):
    return _body(
        [{"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": finish_reason}]
    )


#: A reply body the server sends while misbehaving, and the reason the client must give for it.
UNUSABLE = {
    "null": (_message(None), "content null"),
    "number": (_message(42), "content not text"),
    "list": (_message(["a", "b"]), "content not text"),
    "object": (_message({"text": "hi"}), "content not text"),
    "empty": (_message(""), "content empty"),
    "blank": (_message(" \n\t"), "content empty"),
    "cut-off": (_message("", finish_reason="length"), "content empty (cut off at the token limit)"),
    "no-content": (
        _body([{"index": 0, "message": {"role": "assistant"}, "finish_reason": "stop"}]),
        "content null",
    ),
    "no-message": (_body([{"index": 0, "finish_reason": "stop"}]), "no message"),
    "message-text": (_body([{"index": 0, "message": "hi"}]), "no message"),
    "no-choices": (_body(id="x"), "no choices"),
    "empty-choices": (_body([]), "no choices"),
    "choices-null": (json.dumps({"choices": None}).encode(), "no choices"),
    "body-list": (b"[1, 2]", "no choices"),
    "not-json": (b"<html>busy</html>", "body not JSON"),
}


def _switchable(state):
    """Misbehaves (per the request's name) while state["bad"] is true; answers properly after."""

    def script(body, seen):
        name = body["messages"][-1]["content"]
        if state["bad"] and name in UNUSABLE:
            return ScriptedReply(raw_body=UNUSABLE[name][0])
        return ScriptedReply(content=f"ok {name}")

    return script


def test_unusable_replies_are_failures_never_cached_and_a_rerun_recovers_them(tmp_path):
    names = ["good", *UNUSABLE]
    state = {"bad": True}
    with LoopbackChatServer(_switchable(state)) as server:
        client = _client(server, tmp_path)
        results = list(client.chat_many(_requests(names)))
        assert [r.request.tag for r in results] == names
        assert results[0].content == "ok good" and results[0].error is None
        for name, result in zip(names[1:], results[1:], strict=True):
            what = UNUSABLE[name][1]
            assert result.content is None, name
            assert result.failure_reason == f"teacher reply unusable: {what}", name
            assert result.error.startswith(f"gave up after 2 attempts: reply unusable: {what}: "), name
        assert client.usage.failed == len(UNUSABLE) and client.usage.answered == 1
        assert ResponseCache(tmp_path / "cache.sqlite").keys() == {client.key(results[0].request)}
        asked = len(server.requests)
        assert asked == 1 + 2 * len(UNUSABLE)

        state["bad"] = False
        again = _client(server, tmp_path)
        results = list(again.chat_many(_requests(names)))
        assert [r.content for r in results] == [f"ok {n}" for n in names]
        assert len(server.requests) - asked == len(UNUSABLE), "only the unanswered ones are asked again"
        assert again.usage.cache_hits == 1


def test_a_poisoned_cache_entry_is_asked_again(tmp_path):
    """Caches written by earlier versions hold "" (from null), numbers and lists: they are not answers."""
    names = ["was-null", "was-number", "was-list", "fine"]
    with LoopbackChatServer() as server:
        client = _client(server, tmp_path)
        cached = {"was-null": "", "was-number": 7, "was-list": ["x"], "fine": "cached answer"}
        for request in _requests(names):
            reply = {"content": cached[request.tag], "finish_reason": "stop", "usage": {}}
            client.cache.put(client.key(request), client.endpoint, "m", {"messages": request.messages}, reply)
        results = list(client.chat_many(_requests(names)))
        assert [r.content for r in results] == [
            "echo: was-null",
            "echo: was-number",
            "echo: was-list",
            "cached answer",
        ]
        # concurrent workers send them in any order
        assert sorted(b["messages"][-1]["content"] for b in server.requests) == sorted(names[:3])
        client.close()
        rerun = _client(server, tmp_path)
        assert [r.content for r in rerun.chat_many(_requests(names))] == [r.content for r in results]
        assert len(server.requests) == 3 and rerun.usage.cache_hits == 4


def _docs(count):
    return [
        Document(
            id=f"d{i}",
            kind="text",
            text=f"Part {i}: short hop by tapping jump.",
            provenance=Provenance(source="guides", path="fox.md"),
            meta={"headings": [f"Part {i}"]},
        )
        for i in range(count)
    ]


def test_a_stage_counts_null_replies_and_a_rerun_recovers_every_example(tmp_path):
    pair = '[{"question": "How do I short hop?", "answer": "Tap jump briefly."}]'
    state = {"bad": True}

    def script(body, seen):
        prompt = body["messages"][-1]["content"]
        nulls = ("Part 0:", "Part 4:", "Part 9:")
        if state["bad"] and any(marker in prompt for marker in nulls):
            return ScriptedReply(content=None)
        return ScriptedReply(content=pair)

    with LoopbackChatServer(script) as server:
        teacher = {
            "base_url": server.base_url,
            "model": "m",
            "cache": str(tmp_path / "cache.sqlite"),
            "backoff": 0.01,
            "max_retries": 2,
        }
        rejects = Rejects()
        examples = list(GuideQA({"teacher": teacher}).process(_docs(12), rejects))
        assert len(examples) == 9
        assert rejects.counts == {"teacher reply unusable: content null": 3}
        state["bad"] = False
        rejects = Rejects()
        examples = list(GuideQA({"teacher": teacher}).process(_docs(12), rejects))
        assert len(examples) == 12 and rejects.total == 0


@pytest.mark.parametrize(
    "value",
    ["soon", "-5", "1e12", "inf", "nan", "", "Wed, 21 Oct 2015 07:28:00 GMT", "Mon, 99 Foo 2024 1:2:3"],
)
def test_any_retry_after_header_is_survived(tmp_path, value):
    def script(body, seen):
        if seen == 0:
            return ScriptedReply(status=429, headers={"Retry-After": value}, raw_body=b"{}")
        return ScriptedReply(content="fine")

    with LoopbackChatServer(script) as server:
        (result,) = _client(server, tmp_path).chat_many(_requests(["q"]))
    assert result.content == "fine" and result.attempts == 2


def test_retry_after_that_is_not_advice_falls_back_to_backoff():
    for value in ["soon", "-5", "nan", "", None, "Wed, 21 Oct 2015 07:28:00 GMT", "Mon, 99 Foo 2024 1:2:3"]:
        assert teacher_client.parse_retry_after(value) is None, value
    assert teacher_client.parse_retry_after("3") == 3.0 and teacher_client.parse_retry_after(" 0 ") == 0.0
    assert 3000 < teacher_client.parse_retry_after("Fri, 01 Jan 9999 00:00:00 GMT")
    config = TeacherConfig(model="m", cache=None, backoff=0.5, backoff_max=30.0)
    client = TeacherClient(config)
    for value in ["soon", "-5", "Wed, 21 Oct 2015 07:28:00 GMT"]:
        assert 0.25 <= client.retry_delay(1, teacher_client.parse_retry_after(value)) <= 0.5, value
    for value in ["1e12", "inf", "Fri, 01 Jan 9999 00:00:00 GMT"]:
        assert client.retry_delay(1, teacher_client.parse_retry_after(value)) == 30.0, value
    assert client.retry_delay(3, teacher_client.parse_retry_after("2")) == 2.0


@pytest.mark.parametrize(
    "url", ["", "   ", "localhost:8000", "127.0.0.1:8080/v1", "ftp://host/v1", "http://"]
)
def test_a_bad_base_url_is_a_config_error_before_any_request(url):
    with pytest.raises(ValidationError, match="base_url"):
        TeacherConfig(base_url=url, model="m")
    TeacherConfig(backend="transformers", base_url=url, model="m")  # not used there


def test_a_recipe_with_an_empty_base_url_names_its_line(tmp_path, monkeypatch):
    monkeypatch.setenv("MODSMITH_TEST_TEACHER_URL", "")
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "r.yaml"
    path.write_text(
        "name: t\nstages:\n  - stage: ingest.text\n    with:\n      paths: [guides]\n"
        "  - stage: synth.guide_qa\n    with:\n      teacher:\n        model: m\n"
        "        base_url: ${MODSMITH_TEST_TEACHER_URL}\n"
    )
    (tmp_path / "guides").mkdir()
    with pytest.raises(ModsmithError) as err:
        load_recipe(path, stage_registry())
    assert err.value.where == f"{path}:10", err.value.one_line()
    assert "base_url" in err.value.one_line() and "empty" in err.value.one_line()


def test_concurrency_stays_full_while_a_request_waits_out_retry_after(tmp_path):
    """While the first request keeps being told to come back later, every other request is answered
    N at a time: each of them waits in the server until N of them are there at once. The first
    request is answered only once all the others have been, so a client that stops sending while
    the oldest request waits cannot pass; output order is still input order."""
    concurrency, others = 4, 24
    names = ["first", *[f"q{i}" for i in range(others)]]
    together = threading.Barrier(concurrency, timeout=30)
    lock = threading.Lock()
    state = {"answered": 0, "in_flight": 0, "most": 0, "broken": 0, "first_tries": 0}

    def script(body, seen):
        name = body["messages"][-1]["content"]
        if name == "first":
            with lock:
                state["first_tries"] += 1
                done = state["answered"] == others
            if not done:
                return ScriptedReply(status=429, headers={"Retry-After": "0.05"}, raw_body=b"{}")
            return ScriptedReply(content="ok first")
        with lock:
            state["in_flight"] += 1
            state["most"] = max(state["most"], state["in_flight"])
        try:
            together.wait()
        except threading.BrokenBarrierError:
            with lock:
                state["broken"] += 1
        with lock:
            state["in_flight"] -= 1
            state["answered"] += 1
        return ScriptedReply(content=f"ok {name}")

    with LoopbackChatServer(script) as server:
        client = _client(server, tmp_path, concurrency=concurrency, max_retries=200, backoff_max=1.0)
        results = list(client.chat_many(_requests(names)))
    assert [r.request.tag for r in results] == names
    assert [r.content for r in results] == [f"ok {n}" for n in names], results[0].error
    assert state["broken"] == 0 and state["most"] == concurrency
    assert state["first_tries"] >= 2


def test_a_seeded_fault_mix_meets_the_same_faults_and_loses_nothing(tmp_path):
    names = [f"q{i}" for i in range(40)]
    sent = []
    for run in range(2):
        script = with_faults(echo_script, 0.2, 0.1, retry_after="0", seed=7)
        with LoopbackChatServer(script) as server:
            client = _client(server, tmp_path / str(run), concurrency=4, max_retries=20)
            results = list(client.chat_many(_requests(names)))
            load = server.load()
        assert [r.content for r in results] == [f"echo: {n}" for n in names]
        assert 1 <= load["in_flight_most"] <= 4 and 0 < load["in_flight_mean"] <= 4
        sent.append(sorted(json.dumps(b["messages"]) for b in server.requests))
    assert sent[0] == sent[1] and len(sent[0]) > len(names), "the same faults, so the same retries"


def test_the_in_process_teacher_regenerates_a_poisoned_cache_entry(tmp_path):
    pytest.importorskip("torch", reason="the in-process teacher needs torch (modsmith[train])")
    from modsmith.teacher.local_model import TransformersTeacher
    from tiny_model import make_tiny_chat_model

    model = make_tiny_chat_model(tmp_path / "model")
    config = TeacherConfig(
        backend="transformers", model=str(model), cache=str(tmp_path / "c.sqlite"), max_new_tokens=4
    )
    teacher = TransformersTeacher(config)
    (request,) = _requests(["hello"])
    teacher.cache.put(teacher.key(request), teacher.endpoint, "m", {}, {"content": None, "usage": {}})
    result = teacher.chat(request.messages)
    assert not result.cached and teacher.usage.answered == 1 and teacher.usage.cache_hits == 0


def test_max_pending_bounds_what_is_held_while_the_oldest_request_waits(tmp_path):
    """With max_pending 5, only the 4 requests after the waiting first one are sent until it is
    answered; then the rest follow, in input order."""
    names = ["first", *[f"q{i}" for i in range(12)]]
    lock = threading.Lock()
    state = {"answered": 0, "seen_before_first": None}

    def script(body, seen):
        name = body["messages"][-1]["content"]
        with lock:
            if name != "first":
                state["answered"] += 1
                return ScriptedReply(content=f"ok {name}")
            if state["answered"] < 4:
                return ScriptedReply(status=429, headers={"Retry-After": "0.05"}, raw_body=b"{}")
            state["seen_before_first"] = {b["messages"][-1]["content"] for b in server.requests} - {"first"}
            return ScriptedReply(content="ok first")

    with LoopbackChatServer(script) as server:
        client = _client(server, tmp_path, concurrency=2, max_pending=5, max_retries=200, backoff_max=1.0)
        results = list(client.chat_many(_requests(names)))
    assert [r.content for r in results] == [f"ok {n}" for n in names], results[0].error
    assert state["seen_before_first"] == {"q0", "q1", "q2", "q3"}
    with pytest.raises(ValidationError, match="max_pending"):
        TeacherConfig(model="m", concurrency=16, max_pending=8)
