"""Named architecture shapes for `modsmith bench train`: real models' sizes, built with random weights.

The numbers are those of the models' published `config.json` (no download: a shape is only its sizes):

* `qwen2.5-0.5b`: Qwen/Qwen2.5-0.5B, 0.49B parameters (0.36B without the embedding), QKV bias, tied
  embeddings;
* `llama-3.2-1b`: meta-llama/Llama-3.2-1B, 1.24B parameters, tied embeddings, llama3 RoPE scaling;
* `tiny`: a 2-layer Llama small enough for a CPU test, not a real model.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from modsmith.errors import ModsmithError


@dataclass(frozen=True)
class ArchitectureShape:
    """The sizes of a decoder-only model: enough to build it with random weights and count its FLOPs."""

    name: str
    model_type: str  # "llama" or "qwen2": the transformers config class
    hidden_size: int
    layers: int
    heads: int
    kv_heads: int
    intermediate_size: int
    vocab_size: int
    tied_embeddings: bool
    rope: dict[str, Any]
    max_positions: int
    rms_norm_eps: float
    head_dim: int | None = None
    real_parameters: float | None = None  # what the model card says, for the test of the shape
    extra: dict[str, Any] = field(default_factory=dict)

    def model_config(self, vocab_size: int | None = None) -> Any:
        """The transformers config of this shape (`vocab_size` overrides the shape's, for a tiny model)."""
        from transformers import LlamaConfig, Qwen2Config

        config_class = {"llama": LlamaConfig, "qwen2": Qwen2Config}[self.model_type]
        options: dict[str, Any] = {
            "vocab_size": vocab_size or self.vocab_size,
            "hidden_size": self.hidden_size,
            "intermediate_size": self.intermediate_size,
            "num_hidden_layers": self.layers,
            "num_attention_heads": self.heads,
            "num_key_value_heads": self.kv_heads,
            "max_position_embeddings": self.max_positions,
            "rms_norm_eps": self.rms_norm_eps,
            "tie_word_embeddings": self.tied_embeddings,
            "rope_parameters": dict(self.rope),
            **self.extra,
        }
        if self.head_dim is not None:
            options["head_dim"] = self.head_dim
        return config_class(**options)


SHAPES: dict[str, ArchitectureShape] = {
    shape.name: shape
    for shape in (
        ArchitectureShape(
            name="tiny",
            model_type="llama",
            hidden_size=64,
            layers=2,
            heads=4,
            kv_heads=2,
            intermediate_size=128,
            vocab_size=512,
            tied_embeddings=False,
            rope={"rope_type": "default", "rope_theta": 10000.0},
            max_positions=4096,
            rms_norm_eps=1e-6,
        ),
        ArchitectureShape(
            name="qwen2.5-0.5b",
            model_type="qwen2",
            hidden_size=896,
            layers=24,
            heads=14,
            kv_heads=2,
            intermediate_size=4864,
            vocab_size=151936,
            tied_embeddings=True,
            rope={"rope_type": "default", "rope_theta": 1000000.0},
            max_positions=32768,
            rms_norm_eps=1e-6,
            real_parameters=0.49e9,
            extra={"use_sliding_window": False, "max_window_layers": 24},
        ),
        ArchitectureShape(
            name="llama-3.2-1b",
            model_type="llama",
            hidden_size=2048,
            layers=16,
            heads=32,
            kv_heads=8,
            intermediate_size=8192,
            vocab_size=128256,
            tied_embeddings=True,
            rope={
                "rope_type": "llama3",
                "rope_theta": 500000.0,
                "factor": 32.0,
                "low_freq_factor": 1.0,
                "high_freq_factor": 4.0,
                "original_max_position_embeddings": 8192,
            },
            max_positions=131072,
            rms_norm_eps=1e-5,
            head_dim=64,
            real_parameters=1.24e9,
        ),
    )
}


def named_shape(name: str) -> ArchitectureShape:
    """The shape called `name`; an unknown name is an error listing the known ones."""
    if name not in SHAPES:
        raise ModsmithError(
            f"no architecture shape named {name!r}",
            where="bench train --shape",
            hint=f"one of {', '.join(SHAPES)}",
        )
    return SHAPES[name]


def parameter_counts(shape: ArchitectureShape) -> dict[str, int]:
    """All parameters of the shape (tied ones once) and those outside the embeddings, built on `meta`."""
    import torch
    from transformers import AutoModelForCausalLM

    with torch.device("meta"):
        model = AutoModelForCausalLM.from_config(shape.model_config())
    return model_parameter_counts(model)


def model_parameter_counts(model: Any) -> dict[str, int]:
    """`total` parameters (each storage once) and `non_embedding` ones (no input or output embedding)."""
    embeddings = {id(model.get_input_embeddings().weight), id(model.get_output_embeddings().weight)}
    seen: set[int] = set()
    total = non_embedding = 0
    for parameter in model.parameters():
        if id(parameter) in seen:
            continue
        seen.add(id(parameter))
        total += parameter.numel()
        if id(parameter) not in embeddings:
            non_embedding += parameter.numel()
    return {"total": total, "non_embedding": non_embedding}
