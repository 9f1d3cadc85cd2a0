"""The in-process teacher: a transformers causal LM answering chat requests in batches.

For users without a server. Same interface and cache as `TeacherClient`; the cache endpoint is
`transformers://<model>`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from itertools import islice
from pathlib import Path
from typing import Any

from modsmith.errors import ModsmithError
from modsmith.teacher.cache import ResponseCache, request_key
from modsmith.teacher.client import ChatRequest, ChatResult, TeacherConfig, Usage
from modsmith.teacher.replies import is_answer, unusable_content


class TransformersTeacher:
    """Batched `generate` over chat-templated prompts, left-padded."""

    def __init__(self, config: TeacherConfig, cache: ResponseCache | None = None):
        self.config = config
        local = Path(config.model).expanduser()
        self.model_name = str(local.resolve()) if local.exists() else config.model
        self.endpoint = f"transformers://{self.model_name}"
        self.cache = cache if cache is not None else (ResponseCache(config.cache) if config.cache else None)
        self.usage = Usage()
        self._model = None
        self._tokenizer = None

    def key(self, request: ChatRequest) -> str:
        return request_key(self.endpoint, self.config.model, request.messages, self._params(request))

    def _params(self, request: ChatRequest) -> dict[str, Any]:
        return {**self.config.params, "max_new_tokens": self.config.max_new_tokens, **request.params}

    def chat(self, messages: list[dict[str, str]], **params: Any) -> ChatResult:
        return next(self.chat_many([ChatRequest(messages, params)]))

    def chat_many(self, requests: Iterable[ChatRequest]) -> Iterator[ChatResult]:
        iterator = iter(requests)
        while batch := list(islice(iterator, self.config.batch_size)):
            results: list[ChatResult | None] = []
            missing: list[int] = []
            for request in batch:
                hit = self.cache.get(self.key(request)) if self.cache is not None else None
                if hit is None or not is_answer(hit):
                    missing.append(len(results))
                    results.append(None)
                else:
                    self.usage.cache_hits += 1
                    results.append(
                        ChatResult(
                            request,
                            hit["content"],
                            hit.get("finish_reason"),
                            hit.get("usage", {}),
                            cached=True,
                        )
                    )
            by_params: dict[str, list[int]] = {}
            for index in missing:
                by_params.setdefault(json.dumps(self._params(batch[index]), sort_keys=True), []).append(index)
            for indices in by_params.values():
                for index, result in zip(indices, self._generate([batch[i] for i in indices]), strict=True):
                    results[index] = result
            yield from results

    def _load(self):
        if self._model is None:
            try:
                import torch  # noqa: F401
                from transformers import AutoModelForCausalLM, AutoTokenizer
            except ImportError:
                raise ModsmithError(
                    "the transformers teacher needs torch", hint="pip install 'modsmith[train]'"
                ) from None
            try:
                self._tokenizer = AutoTokenizer.from_pretrained(self.model_name)
                self._model = AutoModelForCausalLM.from_pretrained(self.model_name)
            except OSError as exc:
                raise ModsmithError(
                    f"cannot load the teacher model: {exc}", where=self.config.model
                ) from None
            if not self._tokenizer.chat_template:
                raise ModsmithError(
                    "the teacher's tokenizer has no chat template",
                    where=self.config.model,
                    hint="use an instruct/chat model or set tokenizer.chat_template",
                )
            if self._tokenizer.pad_token is None:
                self._tokenizer.pad_token = self._tokenizer.eos_token
            self._model.eval()
        return self._model, self._tokenizer

    def _generate(self, requests: list[ChatRequest]) -> list[ChatResult]:
        import torch

        model, tokenizer = self._load()
        params = self._params(requests[0])  # chat_many groups requests by their params
        prompts = [
            tokenizer.apply_chat_template(r.messages, add_generation_prompt=True, tokenize=False)
            for r in requests
        ]
        inputs = tokenizer(
            prompts, return_tensors="pt", padding=True, padding_side="left", add_special_tokens=False
        )
        temperature = float(params.get("temperature", 0.0))
        sampling = {"do_sample": temperature > 0}
        if temperature > 0:
            sampling |= {"temperature": temperature, "top_p": float(params.get("top_p", 1.0))}
        torch.manual_seed(int(params.get("seed", 0)))
        with torch.no_grad():
            output = model.generate(
                **inputs,
                max_new_tokens=int(params["max_new_tokens"]),
                pad_token_id=tokenizer.pad_token_id,
                **sampling,
            )
        new_tokens = output[:, inputs["input_ids"].shape[1] :]
        results = []
        for request, tokens, prompt_ids in zip(requests, new_tokens, inputs["attention_mask"], strict=True):
            content = tokenizer.decode(tokens, skip_special_tokens=True)
            finished = (
                bool((tokens == tokenizer.eos_token_id).any())
                if tokenizer.eos_token_id is not None
                else False
            )
            usage = {"prompt_tokens": int(prompt_ids.sum()), "completion_tokens": int(len(tokens))}
            reply = {"content": content, "finish_reason": "stop" if finished else "length", "usage": usage}
            if self.cache is not None and unusable_content(content) is None:  # never cache a non-answer
                self.cache.put(
                    self.key(request),
                    self.endpoint,
                    self.config.model,
                    {"messages": request.messages, "params": self._params(request)},
                    reply,
                )
            self.usage.requests_sent += 1
            self.usage.answered += 1
            self.usage.prompt_tokens += usage["prompt_tokens"]
            self.usage.completion_tokens += usage["completion_tokens"]
            results.append(ChatResult(request, content, reply["finish_reason"], usage, attempts=1))
        return results

    def close(self) -> None:
        if self.cache is not None:
            self.cache.close()
