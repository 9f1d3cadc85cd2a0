"""Fits before it starts: estimate a fine-tune's peak GPU memory, and say what to change when it won't fit.

`TrainShape` holds what the estimate needs (the base model's sizes, read from its transformers config,
and the run's method, rank, length, batch and precision); `estimate_peak_memory` splits the peak into
weights, LoRA parameters, gradients, optimizer state, activations, logits and the CUDA context;
`fit_plan.plan` compares it with the device's free memory and, when it does not fit, tries the usual
changes in order until it does.

The model is a Llama-style decoder (Llama, Qwen, Mistral, OLMo, Gemma): grouped-query attention,
a gated MLP (gate, up, down), RMSNorm. Biases are not counted (they are a few thousand parameters).
The estimate assumes SDPA or flash attention on unpadded (packed or padding-free) batches, LoRA dropout 0,
and that nothing upcasts the frozen non-quantized weights to fp32 (peft's prepare_model_for_kbit_training
would; TRL's SFTTrainer does not call it). It leaves out allocator fragmentation: keep some margin.
benchmarks/bench_memory_plan.py checks it part by part against memory measured on CPU.
"""

from __future__ import annotations

from typing import Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from modsmith.errors import ModsmithError

GIB = 1024**3
MIB = 1024**2

LINEAR_MODULES = ("q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj")
"""The linear layers of a decoder layer; "all linear layers" for LoRA (the output head is not adapted)."""

DTYPE_BYTES = {"bf16": 2, "fp16": 2, "fp32": 4}

NF4_BYTES_PER_PARAM = 0.5 + 1 / 64 + 4 / (64 * 256)
"""bitsandbytes NF4 with double quantization, per quantized weight: 4 bits for the value, plus its share of
the block constants: one absmax per 64 weights, itself quantized to 8 bits (1/64 byte), plus one fp32
second-level constant per 256 absmax blocks (4 / 16384 byte). 0.5159 bytes, 3.88x smaller than bf16."""

OPTIMIZER_8BIT_BYTES_PER_PARAM = 2 + 2 * 4 / 2048
"""bitsandbytes 8-bit AdamW: two 1-byte moments plus one fp32 absmax per 2048-value block for each."""

CUDA_CONTEXT_BYTES = 600 * MIB
"""The CUDA context, cuBLAS workspaces and kernels torch loads: about 0.5-0.7 GiB on recent cards."""


class ModelShape(BaseModel):
    """The sizes of a Llama-style decoder, as its transformers config gives them."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    hidden_size: int = Field(gt=0, description="Width of the residual stream (config.hidden_size).")
    num_layers: int = Field(gt=0, description="Number of decoder layers (config.num_hidden_layers).")
    num_heads: int = Field(gt=0, description="Query heads per layer (config.num_attention_heads).")
    num_kv_heads: int = Field(gt=0, description="Key/value heads per layer (config.num_key_value_heads).")
    head_dim: int = Field(gt=0, description="Width of one head (config.head_dim, else hidden / heads).")
    intermediate_size: int = Field(gt=0, description="Width of the gated MLP (config.intermediate_size).")
    vocab_size: int = Field(gt=0, description="Vocabulary size; the logits are this wide.")
    tie_word_embeddings: bool = Field(description="The output head shares the input embedding's weights.")

    @model_validator(mode="after")
    def _heads_group(self) -> ModelShape:
        if self.num_heads % self.num_kv_heads:
            raise ValueError(
                f"num_heads {self.num_heads} is not a multiple of num_kv_heads {self.num_kv_heads}"
            )
        return self

    @classmethod
    def from_config(cls, config: Any) -> ModelShape:
        """Read the sizes from a transformers `PretrainedConfig` (the text part, for multimodal models)."""
        text = config.get_text_config() if hasattr(config, "get_text_config") else config
        name = type(config).__name__
        needed = (
            "hidden_size",
            "num_hidden_layers",
            "num_attention_heads",
            "intermediate_size",
            "vocab_size",
        )
        missing = [key for key in needed if getattr(text, key, None) is None]
        if missing:
            raise ModsmithError(
                f"no {', '.join(missing)} in the model config; the memory plan knows Llama-style decoders",
                where=name,
            )
        heads = text.num_attention_heads
        data = {
            "hidden_size": text.hidden_size,
            "num_layers": text.num_hidden_layers,
            "num_heads": heads,
            "num_kv_heads": getattr(text, "num_key_value_heads", None) or heads,
            "head_dim": getattr(text, "head_dim", None) or text.hidden_size // heads,
            "intermediate_size": text.intermediate_size,
            "vocab_size": text.vocab_size,
            "tie_word_embeddings": bool(getattr(text, "tie_word_embeddings", False)),
        }
        return validated(cls, data, where=name)

    def linear_shapes(self) -> dict[str, tuple[int, int]]:
        """(in, out) features of each linear layer of one decoder layer."""
        h, i = self.hidden_size, self.intermediate_size
        q, kv = self.num_heads * self.head_dim, self.num_kv_heads * self.head_dim
        return {
            "q_proj": (h, q),
            "k_proj": (h, kv),
            "v_proj": (h, kv),
            "o_proj": (q, h),
            "gate_proj": (h, i),
            "up_proj": (h, i),
            "down_proj": (i, h),
        }

    @property
    def linear_parameters(self) -> int:
        """Parameters in the decoder layers' linear layers (what 4-bit quantization shrinks)."""
        return self.num_layers * sum(a * b for a, b in self.linear_shapes().values())

    @property
    def other_parameters(self) -> int:
        """Embedding, output head (unless tied) and the RMSNorm weights: kept in the compute dtype."""
        embeddings = self.vocab_size * self.hidden_size * (1 if self.tie_word_embeddings else 2)
        return embeddings + (2 * self.num_layers + 1) * self.hidden_size

    @property
    def parameters(self) -> int:
        """All parameters, computed from the sizes (no weights needed)."""
        return self.linear_parameters + self.other_parameters


class TrainShape(BaseModel):
    """What the memory estimate needs to know about a fine-tune."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    model: ModelShape = Field(description="The base model's sizes (ModelShape.from_config).")
    method: Literal["full", "lora", "qlora"] = Field(
        "lora", description="full: train every weight; lora: frozen bf16 base; qlora: frozen 4-bit NF4 base."
    )
    lora_rank: int = Field(16, gt=0, description="LoRA rank r (ignored for full fine-tuning).")
    target_modules: tuple[str, ...] = Field(
        LINEAR_MODULES,
        min_length=1,
        description="Linear layers that get a LoRA adapter; default all of them.",
    )
    max_length: int = Field(2048, gt=0, description="Tokens per example (or per packed sequence).")
    micro_batch: int = Field(1, gt=0, description="Sequences per forward pass on the device.")
    grad_accumulation: int = Field(1, gt=0, description="Micro batches summed per optimizer step.")
    gradient_checkpointing: bool = Field(
        False, description="Recompute each layer in backward, keep its input."
    )
    dtype: Literal["bf16", "fp16", "fp32"] = Field("bf16", description="Dtype of weights and activations.")
    optimizer: Literal["adamw_torch", "adamw_8bit"] = Field(
        "adamw_torch",
        description="adamw_torch: two moments in the trainable weights' dtype (fp32 for LoRA adapters); "
        "adamw_8bit: bitsandbytes 8-bit AdamW.",
    )

    @field_validator("target_modules")
    @classmethod
    def _known_targets(cls, targets: tuple[str, ...]) -> tuple[str, ...]:
        unknown = sorted(set(targets) - set(LINEAR_MODULES))
        if unknown:
            raise ValueError(f"unknown target modules {unknown}; known: {', '.join(LINEAR_MODULES)}")
        return targets

    @classmethod
    def from_model_config(cls, config: Any, **settings: Any) -> TrainShape:
        """The shape of a run on the model `config` describes, with `settings` for the other fields."""
        return validated(cls, {"model": ModelShape.from_config(config), **settings}, where="train plan")

    @property
    def effective_batch(self) -> int:
        return self.micro_batch * self.grad_accumulation

    def describe(self) -> str:
        rank = "" if self.method == "full" else f" r {self.lora_rank}"
        checkpointing = "on" if self.gradient_checkpointing else "off"
        return (
            f"{self.method}{rank}, {self.dtype}, max length {self.max_length}, micro batch {self.micro_batch}"
            f" x accumulation {self.grad_accumulation}, gradient checkpointing {checkpointing},"
            f" {self.optimizer}"
        )


def validated(cls: type[BaseModel], data: dict[str, Any], *, where: str) -> Any:
    """`cls(**data)`, with a validation error turned into one ModsmithError line naming the field."""
    try:
        return cls.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        field = ".".join(str(part) for part in first["loc"]) or cls.__name__
        message = first["msg"].removeprefix("Value error, ")
        raise ModsmithError(f"{field}: {message}", where=where) from None


class MemoryEstimate(BaseModel):
    """The estimated peak GPU memory of a run, in bytes, by part; `total` is their sum."""

    model_config = ConfigDict(frozen=True)

    weights: int = Field(description="The base model's weights (4-bit NF4 linear layers for qlora).")
    lora: int = Field(description="LoRA adapter weights (fp32 for lora, bf16 for qlora).")
    gradients: int = Field(description="Gradients of the trainable weights only.")
    optimizer: int = Field(description="AdamW's two moments per trainable weight.")
    activations: int = Field(
        description="Tensors the decoder layers save for backward, held beside the logits."
    )
    logits: int = Field(
        description="The loss's fp32 log-probabilities and the two fp32 gradients of backward."
    )
    cuda_context: int = Field(description="Fixed CUDA context and library workspaces.")

    PARTS: ClassVar[tuple[str, ...]] = (
        "weights",
        "lora",
        "gradients",
        "optimizer",
        "activations",
        "logits",
        "cuda_context",
    )

    @property
    def total(self) -> int:
        return sum(getattr(self, part) for part in self.PARTS)


def lora_parameters(shape: TrainShape) -> int:
    """r x (in + out) per adapted linear layer, in every decoder layer; 0 for full fine-tuning."""
    if shape.method == "full":
        return 0
    linears = shape.model.linear_shapes()
    per_layer = sum(shape.lora_rank * sum(linears[name]) for name in shape.target_modules)
    return shape.model.num_layers * per_layer


def adapter_dtype(shape: TrainShape) -> str:
    """The trainable weights' dtype: peft upcasts LoRA adapters to fp32; TRL casts QLoRA's to bf16."""
    return {"full": shape.dtype, "lora": "fp32", "qlora": "bf16"}[shape.method]


def layer_activation_bytes(shape: TrainShape) -> int:
    """Bytes one decoder layer saves for backward, without gradient checkpointing.

    Adapted from Korthikanti et al., "Reducing Activation Recomputation in Large Transformer Models"
    (2022), whose per-layer estimate is s*b*h*(34 + 5*a*s/h) bytes for 16-bit activations. We drop the
    dropout masks (fine-tunes run without dropout) and the 5*a*s/h attention-score term (SDPA / flash
    attention never store the s x s scores), and take the widths from the config. With s = max length,
    b = micro batch, e = bytes per activation, h = hidden, q = heads*head_dim, kv = kv_heads*head_dim,
    I = intermediate, r = LoRA rank, n = adapted linear layers per decoder layer:

        s*b * [ 8h                two RMSNorms: the fp32 copy of their input (saved for backward)
                + inputs          the linear layers' inputs that are saved (below)
                + e*(2q + 2kv)    attention: q, k, v (GQA heads, not repeated), its output
                + 4*heads         attention's fp32 log-sum-exp
                + 3*e*I           gated MLP: gate, silu(gate), up
                + e*r*n ]         LoRA: the rank-r output of each adapter's A (0 for full)

    A frozen linear layer does not save its input; a trained one (or its adapter) does. inputs is
    full: e*(4h + I): both norms' output and normalized input (for the norm weight), the MLP product;
    LoRA with adapters in the activations' dtype: e*h if q/k/v are adapted, e*h if gate/up are, e*I if
    down is (o_proj's input is the attention output, counted above);
    LoRA with fp32 adapters and 16-bit activations: each adapter casts its input and saves its own copy,
    e * (sum of the adapted layers' in_features).
    """
    model = shape.model
    e = DTYPE_BYTES[shape.dtype]
    h, q, kv = model.hidden_size, model.num_heads * model.head_dim, model.num_kv_heads * model.head_dim
    i = model.intermediate_size
    targets = set(shape.target_modules)
    if shape.method == "full":
        inputs = e * (4 * h + i)
    elif adapter_dtype(shape) != shape.dtype:
        linears = model.linear_shapes()
        inputs = e * sum(linears[name][0] for name in targets)
    else:
        attention_in = h if targets & {"q_proj", "k_proj", "v_proj"} else 0
        mlp_in = h if targets & {"gate_proj", "up_proj"} else 0
        inputs = e * (attention_in + mlp_in + (i if "down_proj" in targets else 0))
    attention = e * (2 * q + 2 * kv) + 4 * model.num_heads
    adapters = 0 if shape.method == "full" else e * shape.lora_rank * len(targets)
    return shape.max_length * shape.micro_batch * (8 * h + inputs + attention + 3 * e * i + adapters)


def saved_activation_bytes(shape: TrainShape) -> int:
    """The peak of what the decoder layers and the final norm save for backward (no logits).

    Without checkpointing: layer_activation_bytes per layer, plus the final RMSNorm's fp32 input s*b*4h
    (and, for full fine-tuning, its normalized input and output, 2*s*b*e*h). With it: each layer's input
    (s*b*h*e), plus the larger of the final norm's tensors and one recomputed layer's (less that layer's
    input, already held, when activations are fp32).
    """
    layer_inputs, final_norm, recomputed = _checkpointed_parts(shape)
    if shape.gradient_checkpointing:
        return layer_inputs + max(final_norm, recomputed)
    return shape.model.num_layers * layer_activation_bytes(shape) + final_norm


def _checkpointed_parts(shape: TrainShape) -> tuple[int, int, int]:
    """(all layers' inputs, the final norm's saved tensors, one recomputed layer's less its input)."""
    e, h = DTYPE_BYTES[shape.dtype], shape.model.hidden_size
    tokens = shape.max_length * shape.micro_batch
    final_norm = tokens * (4 * h + (2 * e * h if shape.method == "full" else 0))
    recomputed = layer_activation_bytes(shape) - (tokens * h * e if e == 4 else 0)
    return shape.model.num_layers * tokens * h * e, final_norm, recomputed


def estimate_peak_memory(shape: TrainShape) -> MemoryEstimate:
    """Estimate the peak GPU memory of one training step of `shape`, by part.

    weights: compute-dtype bytes per parameter (2 for bf16); for qlora the decoder layers' linear weights
    take NF4_BYTES_PER_PARAM (0.516) and the embedding, head and norms stay bf16.
    trainable weights are the LoRA adapters (fp32 for lora: peft upcasts them; bf16 for qlora: TRL casts
    them) or, for full fine-tuning, every weight in the compute dtype; gradients take the same bytes;
    adamw_torch keeps two moments of the same bytes, adamw_8bit OPTIMIZER_8BIT_BYTES_PER_PARAM.
    logits: s*b*V*12. In forward the loss holds the logits (e), their fp32 copy and the fp32 log-probs it
    saves; when backward starts, with every activation still held, the log-probs and two fp32 gradients
    (of the log-probs, and of the logits) coexist: 12 bytes a logit either way, once the caller has let
    go of the logits (Trainer does).
    activations: what is held beside the logits at the peak. Without checkpointing that is everything
    saved_activation_bytes counts. With it, the peak is either when backward starts (layer inputs, final
    norm, logits) or while the last layer is recomputed (layer inputs, that layer; the logits are freed
    by then), so activations = layer inputs + max(final norm, recomputed layer - logits), and the parts
    add up to the larger of the two.
    """
    model = shape.model
    e = DTYPE_BYTES[shape.dtype]
    if shape.method == "qlora":
        weights = round(model.linear_parameters * NF4_BYTES_PER_PARAM) + model.other_parameters * e
    else:
        weights = model.parameters * e
    adapters = lora_parameters(shape)
    trainable = model.parameters if shape.method == "full" else adapters
    trainable_bytes = DTYPE_BYTES[adapter_dtype(shape)]
    moment_bytes = OPTIMIZER_8BIT_BYTES_PER_PARAM if shape.optimizer == "adamw_8bit" else 2 * trainable_bytes
    tokens = shape.max_length * shape.micro_batch
    logits = tokens * model.vocab_size * 12
    layer_inputs, final_norm, recomputed = _checkpointed_parts(shape)
    if shape.gradient_checkpointing:
        activations = layer_inputs + max(final_norm, recomputed - logits)
    else:
        activations = saved_activation_bytes(shape)
    return MemoryEstimate(
        weights=weights,
        lora=adapters * trainable_bytes,
        gradients=trainable * trainable_bytes,
        optimizer=round(trainable * moment_bytes),
        activations=activations,
        logits=logits,
        cuda_context=CUDA_CONTEXT_BYTES,
    )
