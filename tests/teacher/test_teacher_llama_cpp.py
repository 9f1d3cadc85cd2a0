"""The teacher client against a real llama.cpp server (llama-cpp-python) serving a tiny random model.

Whatever the model says (it is random: any text, often garbage), every request must end in a reply
or an error string, the cache must hold exactly the answered requests, and a rerun sends nothing.
Skipped without the gguf extra (see conftest.py).
"""

from __future__ import annotations

from modsmith.teacher.client import ChatRequest, TeacherClient, TeacherConfig

SYSTEM = "You write short questions and answers about a game."
PROMPTS = [
    [{"role": "user", "content": "What does the crystal switch do?"}],
    [{"role": "system", "content": SYSTEM}, {"role": "user", "content": "Write one Q/A pair about rolling."}],
    [{"role": "user", "content": "Explain: s32 Lantern_GetFuel(Lantern* this);"}],
    [{"role": "user", "content": ""}],
    [{"role": "user", "content": "Réponds en français : où est la clé ? ✨ 鍵"}],
    [
        {"role": "user", "content": "Where is the second key?"},
        {"role": "assistant", "content": "Behind the waterfall."},
        {"role": "user", "content": "And the third one?"},
    ],
    [{"role": "user", "content": 'Reply with JSON: {"question": ..., "answer": ...}'}],
    [{"role": "user", "content": "```c\nvoid Crate_Spawn(void) {\n```\nFix the code fence."}],
    [{"role": "system", "content": SYSTEM}, {"role": "user", "content": "The spawner makes crates. " * 20}],
    [{"role": "user", "content": "Say nothing at all."}],
]


def _client(base_url: str, cache: str) -> TeacherClient:
    config = TeacherConfig(
        base_url=base_url,
        model="tiny",
        api_key_env=None,
        cache=cache,
        concurrency=4,
        timeout=60,
        max_retries=2,
        params={"temperature": 0.9, "max_tokens": 24, "seed": 3},
    )
    return TeacherClient(config)


def _requests() -> list[ChatRequest]:
    return [ChatRequest(messages, tag=i) for i, messages in enumerate(PROMPTS)]


def test_every_request_ends_in_a_reply_and_a_rerun_sends_nothing(llama_cpp_server, tmp_path):
    cache = str(tmp_path / "teacher.sqlite")
    client = _client(llama_cpp_server, cache)
    results = list(client.chat_many(_requests()))

    assert [r.request.tag for r in results] == list(range(len(PROMPTS)))
    for result in results:
        assert (result.content is None) != (result.error is None), result
        assert result.error is None, f"request {result.request.tag}: {result.error}"
        assert isinstance(result.content, str) and not result.cached
        assert result.usage["prompt_tokens"] > 0 and result.finish_reason in ("stop", "length")
    assert client.usage.answered == len(PROMPTS) and client.usage.failed == 0
    assert client.usage.completion_tokens == sum(r.usage["completion_tokens"] for r in results) > 0
    assert client.cache.keys() == {client.key(r.request) for r in results}
    client.close()

    again = _client(llama_cpp_server, cache)
    rerun = list(again.chat_many(_requests()))
    assert again.usage.requests_sent == 0 and again.usage.cache_hits == len(PROMPTS)
    assert [r.content for r in rerun] == [r.content for r in results]
    assert all(r.cached for r in rerun)
    again.close()


def test_a_prompt_longer_than_the_context_is_that_requests_error(llama_cpp_server, tmp_path):
    client = _client(llama_cpp_server, str(tmp_path / "teacher.sqlite"))
    too_long = [{"role": "user", "content": "crate " * 5000}]  # the server runs with a 4096-token context
    requests = [ChatRequest(PROMPTS[0], tag="before"), ChatRequest(too_long, tag="long")]
    requests.append(ChatRequest(PROMPTS[2], tag="after"))
    results = list(client.chat_many(requests))
    assert [r.request.tag for r in results] == ["before", "long", "after"]
    assert results[1].content is None and "context" in results[1].error
    assert results[0].error is None and results[2].error is None
    assert client.cache.keys() == {client.key(results[0].request), client.key(results[2].request)}


def test_llama_cpp_tokenizes_the_tiny_model_like_sentencepiece(tiny_gguf):
    import llama_cpp
    import sentencepiece as spm

    sp = spm.SentencePieceProcessor(model_file=str(tiny_gguf.parent / "hf" / "tokenizer.model"))
    llm = llama_cpp.Llama(model_path=str(tiny_gguf), vocab_only=True, verbose=False)
    for text in [
        "The drawbridge lowers once the switch is struck.",
        "s32 Lantern_GetFuel(Lantern* this) { return 0; }",
        "Zebra 鍵 ✨ naïve",  # characters the tokenizer never saw: byte fallback
    ]:
        assert llm.tokenize(text.encode(), add_bos=False, special=False) == sp.encode(text), text
    assert (llm.token_bos(), llm.token_eos()) == (1, 2)
    # The chat template's markup becomes single tokens: <|user|> 4, </s> 2, <|assistant|> 5.
    prompt = llm.tokenize(b"<|user|>Hi there</s><|assistant|>", add_bos=True, special=True)
    assert [t for t in prompt if t <= 5] == [1, 4, 2, 5]
