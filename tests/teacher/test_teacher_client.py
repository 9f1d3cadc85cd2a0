import threading
import time

import pytest

from modsmith.errors import ModsmithError
from modsmith.teacher.cache import ResponseCache
from modsmith.teacher.client import ChatRequest, TeacherClient, TeacherConfig
from modsmith.teacher.loopback import LoopbackChatServer, ScriptedReply


def _client(server, tmp_path, **overrides):
    config = TeacherConfig(
        base_url=server.base_url,
        model="m",
        cache=str(tmp_path / "cache.sqlite"),
        backoff=0.01,
        backoff_max=2.0,
        **overrides,
    )
    return TeacherClient(config)


def _requests(names):
    return [ChatRequest([{"role": "user", "content": name}], tag=name) for name in names]


def test_results_in_order_and_rerun_sends_nothing(tmp_path):
    names = [f"q{i}" for i in range(40)]
    with LoopbackChatServer() as server:
        client = _client(server, tmp_path, concurrency=8)
        results = list(client.chat_many(_requests(names)))
        assert [r.tag for r in (x.request for x in results)] == names
        assert [r.content for r in results] == [f"echo: {n}" for n in names]
        assert len(server.requests) == 40 and client.usage.answered == 40
        assert client.usage.completion_tokens == 80
        client.close()
        again = _client(server, tmp_path)
        assert [r.content for r in again.chat_many(_requests(names))] == [f"echo: {n}" for n in names]
        assert len(server.requests) == 40, "a warm cache must not send anything"
        assert again.usage.cache_hits == 40


def _faulty(body, seen):
    text = body["messages"][-1]["content"]
    kind = text.split("-")[0]
    if seen == 0 and kind == "empty":
        return ScriptedReply(content="")  # not an answer: retried, never cached
    if seen == 0 and kind == "429":
        return ScriptedReply(status=429, headers={"Retry-After": "1"}, raw_body=b'{"error": "slow down"}')
    if seen == 0 and kind == "500":
        return ScriptedReply(status=500, raw_body=b"internal error")
    if seen == 0 and kind == "slow":
        return ScriptedReply(content="late", delay=2.0)
    if seen == 0 and kind == "trunc":
        return ScriptedReply(raw_body=b'{"choices": [{"message": {"content": "cut o')
    return ScriptedReply(content=f"ok {text}")


def test_faults_are_retried_and_nothing_is_lost_or_duplicated(tmp_path):
    names = [f"{kind}-{i}" for i in range(4) for kind in ("429", "500", "slow", "trunc", "empty", "plain")]
    arrivals: dict[str, list[float]] = {}
    lock = threading.Lock()

    def script(body, seen):
        with lock:
            arrivals.setdefault(body["messages"][-1]["content"], []).append(time.monotonic())
        return _faulty(body, seen)

    with LoopbackChatServer(script) as server:
        client = _client(server, tmp_path, concurrency=6, timeout=0.5)
        results = list(client.chat_many(_requests(names)))
    assert [r.request.tag for r in results] == names
    for name, result in zip(names, results, strict=True):
        assert result.error is None, (name, result.error)
        assert result.content == f"ok {name}"
        faulty = name.split("-")[0] in ("429", "500", "slow", "trunc", "empty")
        assert len(arrivals[name]) == (2 if faulty else 1), name
        assert result.attempts == (2 if faulty else 1)
    for name in names:
        if name.startswith("429"):
            gap = arrivals[name][1] - arrivals[name][0]
            assert gap >= 0.95, f"Retry-After: 1 was not honoured ({gap:.2f} s)"
    cache = ResponseCache(tmp_path / "cache.sqlite")
    assert cache.keys() == {client.key(r) for r in _requests(names)}


def test_gives_up_after_max_retries_and_caches_nothing(tmp_path):
    with LoopbackChatServer(lambda body, seen: ScriptedReply(status=503, raw_body=b"busy")) as server:
        client = _client(server, tmp_path, max_retries=2)
        (result,) = client.chat_many(_requests(["q"]))
        assert result.content is None and "gave up after 3 attempts: HTTP 503" in result.error
        assert len(server.requests) == 3
    assert len(ResponseCache(tmp_path / "cache.sqlite")) == 0


def test_unauthorized_is_a_user_error(tmp_path):
    with LoopbackChatServer(lambda body, seen: ScriptedReply(status=401, raw_body=b"bad key")) as server:
        client = _client(server, tmp_path, api_key_env="MODSMITH_TEST_KEY")
        with pytest.raises(ModsmithError, match="refused the API key") as err:
            list(client.chat_many(_requests(["q"])))
        assert "MODSMITH_TEST_KEY" in err.value.one_line()


def test_api_key_from_named_environment_variable(tmp_path, monkeypatch):
    with LoopbackChatServer() as server:
        monkeypatch.setenv("MODSMITH_TEST_KEY", "sekrit")
        client = _client(server, tmp_path, api_key_env="MODSMITH_TEST_KEY")
        assert client.chat([{"role": "user", "content": "hi"}]).content == "echo: hi"
        monkeypatch.delenv("MODSMITH_TEST_KEY")
        keyless = _client(server, tmp_path / "other", api_key_env="MODSMITH_TEST_KEY")
        assert keyless.chat([{"role": "user", "content": "hi"}]).content == "echo: hi"
    assert server.headers[0]["authorization"] == "Bearer sekrit"
    assert "authorization" not in server.headers[1]


def test_concurrency_is_bounded(tmp_path):
    state = {"now": 0, "max": 0}
    lock = threading.Lock()

    def script(body, seen):
        with lock:
            state["now"] += 1
            state["max"] = max(state["max"], state["now"])
        time.sleep(0.05)
        with lock:
            state["now"] -= 1
        return ScriptedReply(content="x")

    with LoopbackChatServer(script) as server:
        client = _client(server, tmp_path, concurrency=4)
        assert len(list(client.chat_many(_requests([f"q{i}" for i in range(24)])))) == 24
    assert 2 <= state["max"] <= 4


def test_unreachable_server_reports_every_request(tmp_path):
    config = TeacherConfig(
        base_url="http://127.0.0.1:9/v1", model="m", cache=None, max_retries=1, backoff=0.01
    )
    results = list(TeacherClient(config).chat_many(_requests(["a", "b"])))
    assert [r.request.tag for r in results] == ["a", "b"]  # one result per request, none lost
    for result in results:
        assert result.content is None
        assert "cannot connect" in result.error and "127.0.0.1:9" in result.error, result.error
        assert result.attempts == 2  # the first try and max_retries=1 more


def test_a_refused_request_is_its_own_error_and_the_rest_go_on(tmp_path):
    def script(body, seen):
        if body["messages"][-1]["content"] == "too long":
            return ScriptedReply(status=400, raw_body=b'{"error": {"code": "context_length_exceeded"}}')
        return ScriptedReply(content="fine")

    with LoopbackChatServer(script) as server:
        client = _client(server, tmp_path)
        results = list(client.chat_many(_requests(["a", "too long", "b"])))
        assert [r.content for r in results] == ["fine", None, "fine"]
        assert "context_length_exceeded" in results[1].error and results[1].attempts == 1
        assert len(server.requests) == 3
