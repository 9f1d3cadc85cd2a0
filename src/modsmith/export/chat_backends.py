"""A tuned model opened for chatting: a merged model folder, an adapter folder, or a GGUF file.

Each backend streams the reply to a conversation as text pieces, as they are generated, in the model's
own saved chat template:

- a model folder (`config.json`): transformers' `generate` in a thread, read through a
  `TextIteratorStreamer`;
- an adapter folder (`adapter_config.json`, what `train_sft` writes): its base model (the `base` of its
  `train_config.json`, else the adapter config's) with the adapter on top (PEFT), and the tokenizer
  saved with the adapter, whose template the run used; the base's embeddings grow first when that
  tokenizer gained tokens;
- a `.gguf` file: `llama_cpp.Llama.create_chat_completion(stream=True)`, which applies the chat
  template stored in the GGUF.

Temperature 0 means greedy decoding.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from threading import Thread
from typing import Any, Protocol

from modsmith.errors import ModsmithError
from modsmith.train.run_folder import first_line

Messages = Sequence[dict[str, str]]


@dataclass
class Sampling:
    """How replies are drawn."""

    temperature: float = 0.7
    top_p: float = 1.0
    repetition_penalty: float = 1.0
    max_tokens: int = 256
    seed: int | None = None


class ChatModel(Protocol):
    def stream(self, messages: Messages, sampling: Sampling) -> Iterator[str]: ...


def open_chat_model(path: Path, *, n_ctx: int = 4096, base: str | None = None) -> ChatModel:
    """The backend for `path` (see the module docstring; `base` replaces an adapter's own base);
    ModsmithError when it is none of them."""
    if path.is_file() and path.suffix == ".gguf":
        return GGUFChat(path, n_ctx=n_ctx)
    if (path / "adapter_config.json").is_file():
        return TransformersChat.from_adapter(path, base)
    if (path / "config.json").is_file():
        return TransformersChat.from_model(path)
    raise ModsmithError(
        "not a model: expected a .gguf file, an adapter folder (adapter_config.json) or a model folder "
        "(config.json)",
        where=str(path),
    )


class TransformersChat:
    """A transformers model (merged, or a base with an adapter) and its tokenizer."""

    def __init__(self, model: Any, tokenizer: Any, where: str):
        if not getattr(tokenizer, "chat_template", None):
            raise ModsmithError("the model's tokenizer has no chat template", where=where)
        self.model, self.tokenizer, self.where = model.eval(), tokenizer, where

    @classmethod
    def from_model(cls, folder: Path) -> TransformersChat:
        from transformers import AutoModelForCausalLM

        return cls(_loaded(AutoModelForCausalLM.from_pretrained, folder), _tokenizer(folder), str(folder))

    @classmethod
    def from_adapter(cls, folder: Path, base: str | None = None) -> TransformersChat:
        from peft import PeftModel
        from transformers import AutoModelForCausalLM

        from modsmith.export.merge import adapter_base, require_base

        base = require_base(base, "--base") if base else adapter_base(folder)
        tokenizer = _tokenizer(folder)
        model = _loaded(AutoModelForCausalLM.from_pretrained, base)
        if len(tokenizer) > model.get_input_embeddings().weight.shape[0]:
            model.resize_token_embeddings(len(tokenizer))
        try:
            model = PeftModel.from_pretrained(model, folder)
        except (OSError, ValueError, RuntimeError) as exc:
            raise ModsmithError(
                f"cannot load the adapter on {base}: {first_line(exc)}", where=str(folder)
            ) from None
        return cls(model, tokenizer, str(folder))

    def stream(self, messages: Messages, sampling: Sampling) -> Iterator[str]:
        import torch
        from transformers import TextIteratorStreamer, set_seed

        inputs = self.tokenizer.apply_chat_template(
            list(messages), add_generation_prompt=True, return_tensors="pt", return_dict=True
        )
        streamer = TextIteratorStreamer(self.tokenizer, skip_prompt=True, skip_special_tokens=True)
        options: dict[str, Any] = {
            "max_new_tokens": sampling.max_tokens,
            "repetition_penalty": sampling.repetition_penalty,
            "pad_token_id": self.tokenizer.pad_token_id or self.tokenizer.eos_token_id,
            "eos_token_id": self.tokenizer.eos_token_id,
        }
        if sampling.temperature > 0:
            options.update(do_sample=True, temperature=sampling.temperature, top_p=sampling.top_p)
        else:
            options.update(do_sample=False, temperature=None, top_p=None, top_k=None)
        if sampling.seed is not None:
            set_seed(sampling.seed)
        failure: list[BaseException] = []

        def generate() -> None:
            try:
                with torch.no_grad():
                    self.model.generate(**inputs, streamer=streamer, **options)
            except BaseException as exc:  # handed to the reader, which would otherwise wait forever
                failure.append(exc)
                streamer.end()

        thread = Thread(target=generate, daemon=True)
        thread.start()
        for piece in streamer:
            if piece:
                yield piece
        thread.join()
        if failure:
            raise failure[0]


class GGUFChat:
    """A GGUF model in llama.cpp, with the chat template stored in the file."""

    def __init__(self, path: Path, *, n_ctx: int = 4096):
        try:
            from llama_cpp import Llama
        except ImportError:
            raise ModsmithError(
                "chatting with a GGUF needs llama-cpp-python", hint="pip install 'modsmith[gguf]'"
            ) from None
        try:
            self.llama = Llama(model_path=str(path), n_ctx=n_ctx, verbose=False)
        except (ValueError, RuntimeError) as exc:
            raise ModsmithError(
                f"llama.cpp cannot load the model: {first_line(exc)}", where=str(path)
            ) from None

    def stream(self, messages: Messages, sampling: Sampling) -> Iterator[str]:
        chunks = self.llama.create_chat_completion(
            messages=list(messages),
            stream=True,
            temperature=sampling.temperature,
            top_p=sampling.top_p,
            repeat_penalty=sampling.repetition_penalty,
            max_tokens=sampling.max_tokens,
            seed=sampling.seed,
        )
        for chunk in chunks:
            piece = chunk["choices"][0]["delta"].get("content")
            if piece:
                yield piece


def _tokenizer(folder: Path | str) -> Any:
    from transformers import AutoTokenizer

    return _loaded(AutoTokenizer.from_pretrained, folder)


def _loaded(load: Any, where: Path | str) -> Any:
    try:
        return load(where)
    except (OSError, ValueError) as exc:
        raise ModsmithError(f"cannot load it: {first_line(exc)}", where=str(where)) from None
