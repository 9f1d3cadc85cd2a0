"""Answers to the evaluation prompts: from local weights with transformers, or from an endpoint.

Local: one loaded model serves both the base and the tuned model. The adapter folder's tokenizer (with
the chat template the run saved) renders each prompt with `add_generation_prompt=True`; prompts go to
`generate` `batch_size` at a time, left-padded, greedy or sampled with a seed (`set_seed(seed + batch)`),
with the repetition penalty. The base answers with the adapter switched off (peft's `disable_adapter()`),
so the base weights are loaded once. An endpoint (any OpenAI-compatible server) gets the same prompts
through the teacher client, `concurrency` requests at once.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from modsmith.errors import ModsmithError
from modsmith.teacher import ChatRequest, TeacherClient
from modsmith.train.chat_format import ensure_chat_template

WHERE = "evaluation.generate"
#: `on_progress(done, total, what)`: how far generation has come.
Progress = Callable[[int, int, str], None]


@dataclass(frozen=True)
class Prompt:
    """One evaluation prompt: its messages up to the answer, the reference answer (the dataset's assistant
    turn, when there is one) and the example it came from (for the held-out loss and the grounding)."""

    id: str
    task: str
    messages: list[dict[str, str]]
    reference: str | None = None
    example: Any = None  # a records.Example, or None for a prompts-file line


@dataclass(frozen=True)
class Answer:
    """One model's answer to one prompt; `error` says why an endpoint gave none."""

    prompt: Prompt
    model: str
    text: str
    tokens: int
    seconds: float
    error: str | None = None


@dataclass(frozen=True)
class GenerationSettings:
    max_new_tokens: int = 256
    batch_size: int = 16
    greedy: bool = True
    temperature: float = 0.7
    top_p: float = 0.95
    seed: int = 0
    repetition_penalty: float = 1.0


class LocalModels:
    """A base model and, with an adapter folder, its LoRA adapter on it: "tuned" is the model as loaded,
    "base" the same model inside `disable_adapter()`."""

    def __init__(self, model: Any, tokenizer: Any, has_adapter: bool):
        self.model, self.tokenizer, self.has_adapter = model, tokenizer, has_adapter

    @classmethod
    def load(cls, base: str, adapter: Path | None = None) -> LocalModels:
        import torch
        from transformers import AutoModelForCausalLM, AutoTokenizer

        from modsmith.train.sft_model import grow_embeddings

        source = str(adapter) if adapter is not None else base
        try:
            tokenizer = AutoTokenizer.from_pretrained(source)
            dtype = torch.bfloat16 if torch.cuda.is_available() else torch.float32
            model = AutoModelForCausalLM.from_pretrained(base, dtype=dtype)
        except (OSError, ValueError) as exc:
            message = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise ModsmithError(f"cannot load the model: {message}", where=source) from None
        ensure_chat_template(tokenizer)  # a base alone without one gets the ChatML default, as training does
        grow_embeddings(model, tokenizer)
        if adapter is not None:
            from peft import PeftModel

            model = PeftModel.from_pretrained(model, str(adapter))
        if torch.cuda.is_available():
            model = model.to("cuda")
        model.eval()
        return cls(model, tokenizer, adapter is not None)

    @contextmanager
    def serving(self, name: str) -> Iterator[Any]:
        """The model that answers as `name` ("base" or "tuned")."""
        if name == "tuned" and not self.has_adapter:
            raise ModsmithError("there is no tuned model without an adapter folder", where=WHERE)
        with self.model.disable_adapter() if name == "base" and self.has_adapter else nullcontext():
            yield self.model

    def stop_ids(self) -> list[int]:
        """The tokens that end an answer: the tokenizer's eos (the template's end of turn) and the model's."""
        configured = getattr(self.model.generation_config, "eos_token_id", None)
        configured = configured if isinstance(configured, list) else [configured]
        return sorted({self.tokenizer.eos_token_id, *configured} - {None})


def generate_local(
    models: LocalModels,
    name: str,
    prompts: list[Prompt],
    settings: GenerationSettings,
    on_progress: Progress | None = None,
) -> list[Answer]:
    """`name`'s answers to `prompts`, `settings.batch_size` at a time."""
    import torch
    from transformers import set_seed

    tokenizer = models.tokenizer
    tokenizer.padding_side = "left"
    if tokenizer.pad_token is None:
        tokenizer.pad_token = tokenizer.eos_token
    stops = models.stop_ids()
    options: dict[str, Any] = {
        "max_new_tokens": settings.max_new_tokens,
        "do_sample": not settings.greedy,
        "repetition_penalty": settings.repetition_penalty,
        "pad_token_id": tokenizer.pad_token_id,
        "eos_token_id": stops,
    }
    if not settings.greedy:
        options.update(temperature=settings.temperature, top_p=settings.top_p)
    else:  # a model's generation_config may carry sampling defaults; greedy ignores them
        options.update(temperature=None, top_p=None, top_k=None)
    answers: list[Answer] = []
    with models.serving(name) as model:
        device = next(model.parameters()).device
        for number, start in enumerate(range(0, len(prompts), settings.batch_size)):
            batch = prompts[start : start + settings.batch_size]
            texts = [render_prompt(tokenizer, prompt) for prompt in batch]
            encoded = tokenizer(texts, return_tensors="pt", padding=True, add_special_tokens=False).to(device)
            set_seed(settings.seed + number)
            began = time.perf_counter()
            with torch.inference_mode():
                output = model.generate(**encoded, **options)
            seconds = (time.perf_counter() - began) / len(batch)
            for prompt, row in zip(batch, output[:, encoded["input_ids"].shape[1] :].tolist(), strict=True):
                ids = cut_at_stop(row, stops)
                text = tokenizer.decode(ids, skip_special_tokens=True)
                answers.append(Answer(prompt, name, text, len(ids), seconds))
            if on_progress is not None:
                on_progress(len(answers), len(prompts), f"generating ({name})")
    return answers


def render_prompt(tokenizer: Any, prompt: Prompt) -> str:
    try:
        return tokenizer.apply_chat_template(prompt.messages, add_generation_prompt=True, tokenize=False)
    except Exception as exc:  # jinja2 errors and the template's own raise_exception()
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise ModsmithError(f"the chat template refused prompt {prompt.id}: {first}", where=WHERE) from None


def cut_at_stop(ids: list[int], stops: list[int]) -> list[int]:
    """The answer's tokens: up to its first stop token (what follows is padding)."""
    for index, token in enumerate(ids):
        if token in stops:
            return ids[:index]
    return ids


def endpoint_params(settings: GenerationSettings) -> dict[str, Any]:
    """The request parameters of `settings`: temperature 0 for greedy; the repetition penalty under the
    names vLLM (`repetition_penalty`) and llama.cpp / Ollama (`repeat_penalty`) read, only when set."""
    params: dict[str, Any] = {"max_tokens": settings.max_new_tokens, "seed": settings.seed}
    if settings.greedy:
        params["temperature"] = 0.0
    else:
        params.update(temperature=settings.temperature, top_p=settings.top_p)
    if settings.repetition_penalty != 1.0:
        params.update(
            repetition_penalty=settings.repetition_penalty, repeat_penalty=settings.repetition_penalty
        )
    return params


def generate_endpoint(
    client: TeacherClient,
    prompts: list[Prompt],
    settings: GenerationSettings,
    on_progress: Progress | None = None,
) -> list[Answer]:
    """The endpoint model's answers to `prompts` (named by the client's model), in prompt order."""
    params = endpoint_params(settings)
    requests = [ChatRequest(prompt.messages, dict(params), tag=prompt) for prompt in prompts]
    answers: list[Answer] = []
    began = time.perf_counter()
    for result in client.chat_many(requests):
        seconds = time.perf_counter() - began
        began = time.perf_counter()
        tokens = int(result.usage.get("completion_tokens", 0))
        answers.append(
            Answer(
                result.request.tag, client.config.model, result.content or "", tokens, seconds, result.error
            )
        )
        if on_progress is not None:
            on_progress(len(answers), len(prompts), f"asking {client.config.model}")
    return answers
