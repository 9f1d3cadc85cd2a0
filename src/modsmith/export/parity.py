"""The parity check of a GGUF export: does the GGUF predict what the Hugging Face model predicts?

Each prompt (a held-out conversation up to its last assistant turn) is rendered with the tokenizer's chat
template and the generation prompt. Its token ids from transformers (`apply_chat_template`) and from
llama.cpp (the GGUF's own tokenizer, on the same rendered text) must agree first: a difference is a
tokenizer mismatch, reported as its own failure. Then both models score the ids, and at every position
the next-token logits are compared: top-1 agreement (the share of positions where both pick the same
token), and the maximum and mean absolute difference of the logits.

A near-tie counts as agreement: when the GGUF's top token is, in the Hugging Face logits, within
`tie_tolerance` (2% by default) of the logits' standard deviation below the top one, f16 rounding alone
can swap the two. A small random model has many such positions (about 2% of them, whose top-2 gap is
below 0.02): without this, a faithful f16 export of one fails the 99% threshold. The exact agreement is
reported beside it.

The threshold (99% top-1 agreement by default) applies to f16, where only rounding separates the two;
a quantized GGUF (q8_0, q4_k_m) is reported without failing.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from modsmith.errors import ModsmithError
from modsmith.example_formats import joined_content
from modsmith.records import Example
from modsmith.train.run_folder import first_line

WHERE = "export.parity"
DEFAULT_THRESHOLD = 0.99
DEFAULT_TIE_TOLERANCE = 0.02  # of the logits' standard deviation at a position (0: exact agreement only)
ENFORCED_TYPES = ("f16",)
MAX_PROMPT_TOKENS = 512
#: Used when no held-out split can be found: short questions of the kinds modsmith trains on.
BUILT_IN_PROMPTS = [
    "What does this function do? void Actor_Kill(Actor* actor) { actor->draw = NULL; }",
    "Which memory addresses hold the player's health during a battle?",
    "Write a Unity MonoBehaviour that rotates its object around the y axis.",
    "How do I wavedash out of shield?",
    "Explain the macro SEGMENTED_TO_VIRTUAL.",
    "Where is the second small key in the water temple?",
    "What is a display list?",
    "Summarise what an overlay is in the decomp.",
]


@dataclass
class ParityReport:
    """How closely a GGUF's next-token logits follow the Hugging Face model's."""

    gguf: Path
    gguf_type: str
    prompts: int
    positions: int
    top1_agreement: float
    exact_top1_agreement: float
    max_abs_diff: float
    mean_abs_diff: float
    threshold: float
    tokenizer_mismatches: list[str] = field(default_factory=list)
    prompt_source: str = ""

    @property
    def enforced(self) -> bool:
        """Whether the threshold applies (f16); quantized files are only reported."""
        return self.gguf_type in ENFORCED_TYPES

    @property
    def passed(self) -> bool:
        if self.tokenizer_mismatches:
            return False
        return not self.enforced or self.top1_agreement >= self.threshold

    def lines(self) -> list[str]:
        source = f" ({self.prompt_source})" if self.prompt_source else ""
        head = f"parity of {self.gguf.name} ({self.gguf_type}) on {self.prompts} prompts{source}:"
        lines = [head]
        if self.tokenizer_mismatches:
            lines.append(f"  FAILED: tokenizer mismatch on {len(self.tokenizer_mismatches)} prompt(s)")
            lines += [f"    {mismatch}" for mismatch in self.tokenizer_mismatches[:3]]
        lines += [
            f"  top-1 agreement {self.top1_agreement:.2%} over {self.positions} positions "
            f"(exactly the same token: {self.exact_top1_agreement:.2%}; near-ties count as agreeing)",
            f"  logits: max abs difference {self.max_abs_diff:.4g}, mean {self.mean_abs_diff:.4g}",
        ]
        if not self.enforced:
            lines.append(f"  reported only: the {self.threshold:.0%} threshold applies to f16")
        elif not self.tokenizer_mismatches:
            verdict = "passed" if self.passed else "FAILED"
            lines.append(f"  {verdict} (threshold {self.threshold:.0%} top-1 agreement)")
        return lines


def held_out_prompts(model_dir: Path, count: int, prompts_file: Path | None = None) -> tuple[list, str]:
    """Up to `count` prompts and where they came from: every example of `prompts_file` (an examples JSONL
    or a dataset folder's held-out file), else the held-out split of the training run the merged model
    came from (`merge_info.json` names the adapter, whose `train_config.json` names the dataset), else a
    few built-in modding questions."""
    from modsmith.train.sft_data import read_split

    if prompts_file is not None:
        train, valid = read_split(Path(prompts_file), 0.0, 0)
        examples, source = [*valid, *train], str(prompts_file)
        if not any(map(example_prompt, examples)):
            raise ModsmithError("no example with a prompt in it", where=str(prompts_file))
    else:
        examples, source = _run_held_out(Path(model_dir))
    prompts = [prompt for prompt in map(example_prompt, examples) if prompt][:count]
    if not prompts:  # `source` says why the run's held-out split gave none
        built_in = [[{"role": "user", "content": text}] for text in BUILT_IN_PROMPTS[:count]]
        return built_in, f"built-in prompts: {source or 'the held-out split has no prompts'}"
    return prompts, source


def _run_held_out(model_dir: Path) -> tuple[list[Example], str]:
    """The held-out examples of the run the merged model in `model_dir` came from and their source; or
    none, and why (not merged by modsmith, the run or its dataset moved or unreadable)."""
    from modsmith.export.merge import MERGE_INFO_FILE
    from modsmith.train.run_folder import RUN_CONFIG_FILE
    from modsmith.train.sft_data import read_split

    if not (model_dir / MERGE_INFO_FILE).is_file():
        return [], f"no {MERGE_INFO_FILE} names the training run (give --prompts)"
    try:
        adapter = Path(json.loads((model_dir / MERGE_INFO_FILE).read_text(encoding="utf-8"))["adapter"])
        run = json.loads((adapter / RUN_CONFIG_FILE).read_text(encoding="utf-8"))
        dataset = Path(run["dataset"])
        _, valid = read_split(dataset, float(run.get("valid_fraction", 0.15)), int(run.get("seed", 0)))
    except ModsmithError as exc:
        return [], f"the run's dataset is unreadable: {exc.one_line()}"
    except (OSError, ValueError, KeyError, TypeError) as exc:
        return [], f"the training run is not found: {first_line(exc)}"
    return valid, f"the held-out split of {dataset}"


def example_prompt(example: Example) -> list[dict[str, str]]:
    """The conversation an answer is predicted from: the messages before the last assistant turn."""
    messages = list(example.messages)
    last = max((i for i, m in enumerate(messages) if m.role == "assistant"), default=len(messages))
    return [{"role": message.role, "content": joined_content(message)} for message in messages[:last]]


def check_parity(
    model_dir: Path,
    gguf_file: Path,
    gguf_type: str,
    prompts: list[list[dict[str, str]]],
    threshold: float = DEFAULT_THRESHOLD,
    tie_tolerance: float = DEFAULT_TIE_TOLERANCE,
) -> ParityReport:
    """Compare the Hugging Face model in `model_dir` and `gguf_file` on `prompts` (see the module)."""
    import numpy as np

    if not prompts:
        raise ModsmithError("the parity check has no prompts", where=WHERE)
    tokenizer, model = _hf_model(model_dir)
    rendered = [_render(tokenizer, prompt) for prompt in prompts]
    longest = min(max(len(ids) for _, ids in rendered), MAX_PROMPT_TOKENS)
    llm = _gguf_model(gguf_file, n_ctx=longest + 8)
    mismatches: list[str] = []
    agree = exact = positions = 0
    max_diff, diff_sum, diff_count = 0.0, 0.0, 0
    try:
        for index, (text, ids) in enumerate(rendered):
            gguf_ids = llm.tokenize(text.encode("utf-8"), add_bos=False, special=True)
            if gguf_ids != ids:
                first = next((i for i, (a, b) in enumerate(zip(ids, gguf_ids, strict=False)) if a != b), None)
                first = min(len(ids), len(gguf_ids)) if first is None else first
                mismatches.append(
                    f"prompt {index}: {len(ids)} ids from transformers, {len(gguf_ids)} from the GGUF, "
                    f"first difference at token {first}"
                )
                continue
            ids = ids[:MAX_PROMPT_TOKENS]
            expected = _hf_logits(model, ids)
            llm.reset()
            llm.eval(ids)
            found = np.asarray(llm.scores[: len(ids)], dtype=np.float32)
            width = min(expected.shape[1], found.shape[1])
            expected, found = expected[:, :width], found[:, :width]
            picked = found.argmax(axis=1)
            exact += int((expected.argmax(axis=1) == picked).sum())
            margin = tie_tolerance * expected.std(axis=1)
            picked_logit = expected[np.arange(len(ids)), picked]
            agree += int((picked_logit >= expected.max(axis=1) - margin).sum())
            positions += len(ids)
            difference = np.abs(expected - found)
            max_diff = max(max_diff, float(difference.max()))
            diff_sum += float(difference.sum())
            diff_count += difference.size
    finally:
        llm.close()
    return ParityReport(
        gguf=Path(gguf_file),
        gguf_type=gguf_type,
        prompts=len(prompts),
        positions=positions,
        top1_agreement=agree / positions if positions else 0.0,
        exact_top1_agreement=exact / positions if positions else 0.0,
        max_abs_diff=max_diff,
        mean_abs_diff=diff_sum / diff_count if diff_count else 0.0,
        threshold=threshold,
        tokenizer_mismatches=mismatches,
    )


def _hf_model(model_dir: Path) -> tuple[Any, Any]:
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    try:
        tokenizer = AutoTokenizer.from_pretrained(model_dir)
        model = AutoModelForCausalLM.from_pretrained(model_dir, dtype=torch.float32)
    except (OSError, ValueError) as exc:
        raise ModsmithError(f"cannot load the model: {first_line(exc)}", where=str(model_dir)) from None
    if not getattr(tokenizer, "chat_template", None):
        raise ModsmithError("the model's tokenizer has no chat template", where=str(model_dir))
    return tokenizer, model.eval()


def _render(tokenizer: Any, prompt: list[dict[str, str]]) -> tuple[str, list[int]]:
    """The prompt through the chat template: its text and transformers' token ids of it."""
    try:
        text = tokenizer.apply_chat_template(prompt, add_generation_prompt=True, tokenize=False)
        encoded = tokenizer.apply_chat_template(
            prompt, add_generation_prompt=True, tokenize=True, return_dict=True
        )
    except Exception as exc:  # jinja2 errors and the template's own raise_exception()
        raise ModsmithError(f"the chat template refused a prompt: {first_line(exc)}", where=WHERE) from None
    return text, list(encoded["input_ids"])


def _hf_logits(model: Any, ids: list[int]) -> Any:
    import torch

    with torch.no_grad():
        output = model(input_ids=torch.tensor([ids]), use_cache=False)
    return output.logits[0].float().numpy()


def _gguf_model(gguf_file: Path, n_ctx: int) -> Any:
    try:
        from llama_cpp import Llama
    except ImportError:
        raise ModsmithError(
            "the parity check needs llama-cpp-python", where=WHERE, hint="run `make gguf` (the gguf extra)"
        ) from None
    try:
        return Llama(
            model_path=str(gguf_file),
            n_ctx=n_ctx,
            n_batch=n_ctx,
            logits_all=True,
            n_gpu_layers=0,
            verbose=False,
        )
    except (ValueError, RuntimeError) as exc:
        raise ModsmithError(
            f"llama.cpp cannot load the GGUF: {first_line(exc)}", where=str(gguf_file)
        ) from None
