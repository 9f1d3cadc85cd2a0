"""The settings of one evaluation (`run_eval`), one pydantic model; each description is a `modsmith eval`
option's help.

What is evaluated: `model`, a training run's adapter folder (its base named in `train_config.json`, its
chat template in its tokenizer: the base and the tuned model are both evaluated) or a base model alone,
and/or an OpenAI-compatible endpoint (`endpoint_url` + `endpoint_model`: a GGUF served by llama.cpp,
Ollama or vLLM). On what: the held-out split of `dataset` (by default the run's own dataset, split as
the run split it) and/or a `prompts` file. The answers are scored with the `ground` checks (`ground`,
the same settings as the `ground.check` stage), chrF, distinct-n, loops and, with `judge_url`, a judge.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from modsmith.ground.check_config import GroundCheckConfig


class EvalConfig(BaseModel):
    """One evaluation of a base model, a tuned adapter and/or an endpoint on held-out examples."""

    model_config = ConfigDict(extra="forbid", protected_namespaces=())

    model: str | None = Field(
        default=None,
        description="A `modsmith train` adapter folder (base and tuned are evaluated) or a base model "
        "alone (a local folder or a hub name).",
    )
    base: str | None = Field(
        default=None,
        description="The base model of the adapter, instead of the one its train_config.json names.",
    )
    dataset: Path | None = Field(
        default=None,
        description="An examples JSONL or a dataset folder whose held-out split is evaluated "
        "(default: the adapter's own training dataset, split as the run split it).",
    )
    valid_fraction: float | None = Field(
        default=None,
        ge=0,
        lt=1,
        description="For an examples JSONL: the share held out, split by source file as training splits it "
        "(default: the adapter's run's, else 0.15).",
    )
    split_seed: int | None = Field(
        default=None, description="Seed of that split (default: the adapter's run's seed, else 0)."
    )
    prompts: Path | None = Field(
        default=None,
        description='More prompts: a text file with one prompt per line, or a JSONL of {"messages": [...]} '
        "(an assistant turn at the end is the reference answer).",
    )
    limit: int | None = Field(default=None, ge=1, description="Evaluate at most this many examples.")
    batch_size: int = Field(default=16, ge=1, description="Prompts per generate call.")
    max_new_tokens: int = Field(default=256, ge=1, description="Longest answer, in tokens.")
    sampling: Literal["greedy", "sample"] = Field(
        default="greedy", description="greedy: the most likely token each step; sample: seeded sampling."
    )
    temperature: float = Field(default=0.7, gt=0, description="Sampling temperature (with sampling sample).")
    top_p: float = Field(
        default=0.95, gt=0, le=1, description="Nucleus sampling mass (with sampling sample)."
    )
    seed: int = Field(default=0, description="Seed of the sampling.")
    repetition_penalty: float = Field(
        default=1.0, gt=0, description="Penalty on tokens already in the text (1: none; 1.1 is common)."
    )
    endpoint_url: str | None = Field(
        default=None,
        description="An OpenAI-compatible API root (…/v1) whose model is evaluated too (or alone).",
    )
    endpoint_model: str | None = Field(default=None, description="The model name the endpoint serves.")
    judge_url: str | None = Field(
        default=None, description="An OpenAI-compatible API root of a judge model scoring answers 1-5."
    )
    judge_model: str | None = Field(default=None, description="The judge's model name.")
    api_key_env: str | None = Field(
        default="OPENAI_API_KEY",
        description="Environment variable holding the endpoint's and the judge's API key; unset: no key.",
    )
    concurrency: int = Field(default=8, ge=1, description="Requests in flight at once to an endpoint.")
    ground: GroundCheckConfig = Field(
        default_factory=GroundCheckConfig,
        description="What the answers' code is checked against, as the ground.check stage does "
        "(repo, profile, languages...).",
    )
    models: list[Literal["base", "tuned"]] = Field(
        default_factory=lambda: ["base", "tuned"],
        description="Which local models to evaluate of an adapter: base, tuned or both.",
    )
    output_dir: Path = Field(
        description="The folder of answers.jsonl, metrics.json and the report (new, empty or an earlier "
        "evaluation's)."
    )

    @model_validator(mode="after")
    def _something_to_evaluate(self) -> EvalConfig:
        if self.model is None and self.endpoint_url is None:
            raise ValueError("give a model (an adapter folder or a base) or an endpoint_url")
        if (self.endpoint_url is None) != (self.endpoint_model is None):
            raise ValueError("endpoint_url and endpoint_model go together")
        if (self.judge_url is None) != (self.judge_model is None):
            raise ValueError("judge_url and judge_model go together")
        if not self.models:
            raise ValueError("name base, tuned or both in models")
        return self
