"""Check `train.memory_plan`'s estimate against memory measured on CPU for tiny Llama models.

    python benchmarks/bench_memory_plan.py    # 3 shapes x (fp32, bf16) x gradient checkpointing off/on

Each shape is a LlamaForCausalLM with random weights (SDPA attention), a peft LoRA on all linear layers
(dropout 0) and torch AdamW, trained on random full-length tokens (no padding mask). fp32 runs plainly;
bf16 casts the base model to bf16 (peft keeps the adapters in fp32) and runs forward under CPU autocast,
as Trainer does on a GPU. After a first step, a second one is measured; not process RSS, which the CPU
allocator blurs, but tensor bytes:

- weights, lora, gradients, optimizer: storage bytes of the frozen base parameters (tied ones once), of
  the adapters, of their `.grad` and of AdamW's state;
- activations (estimate: saved_activation_bytes): the peak, over forward and backward, of the live
  bytes of the tensors autograd saves for backward (vocabulary-wide ones left out), counted with
  `torch.autograd.graph.saved_tensors_hooks`: each storage once, parameters excluded, a tensor counted
  until autograd releases it (checkpointing is reentrant, so the recomputed layer's saved tensors pass
  through the same hooks);
- activations + logits, total: torch profiler's memory timeline (`profile_memory=True`) at its peak:
  all CPU tensor memory, and the part of it that is not parameters, gradients or optimizer state.

The CUDA context is not measured (there is none on CPU); the estimate's total leaves it out here.
"""

from __future__ import annotations

import argparse
import itertools
from contextlib import nullcontext

import torch
from peft import LoraConfig, get_peft_model
from torch.profiler import ProfilerActivity, profile
from torch.profiler._memory_profiler import _CATEGORY_TO_INDEX, Category, MemoryProfileTimeline
from transformers import LlamaConfig, LlamaForCausalLM

from modsmith.train.memory_plan import (
    MemoryEstimate,
    TrainShape,
    estimate_peak_memory,
    saved_activation_bytes,
)

SHAPES = [
    # hidden, layers, heads, kv heads, intermediate, vocab, max length, micro batch, LoRA rank
    (64, 2, 4, 2, 176, 512, 128, 2, 8),
    (128, 4, 8, 4, 344, 2048, 256, 2, 16),
    (256, 4, 8, 2, 688, 4096, 512, 2, 16),
]
ROWS = ["weights", "lora", "gradients", "optimizer", "activations", "activations + logits", "total"]


class _Saved:
    """What a pack hook returns: holds the tensor and tells the meter when autograd lets it go."""

    __slots__ = ("tensor", "meter", "key")

    def __init__(self, tensor: torch.Tensor, meter: SavedTensorMeter, key: int):
        self.tensor, self.meter, self.key = tensor, meter, key

    def __del__(self) -> None:
        self.meter.release(self.key)


class SavedTensorMeter:
    """Live and peak bytes of the tensors autograd saves, split into vocabulary-wide ones and the rest."""

    def __init__(self, vocab_size: int, parameter_storages: set[int]):
        self.vocab_size = vocab_size
        self.skip = parameter_storages
        self.holders: dict[int, list] = {}  # storage -> [bytes, holders, vocabulary-wide]
        self.live = {False: 0, True: 0}
        self.peak = {False: 0, True: 0}

    def pack(self, tensor: torch.Tensor) -> object:
        storage = tensor.untyped_storage()
        key = storage.data_ptr()
        if key in self.skip or storage.nbytes() == 0:
            return tensor
        entry = self.holders.get(key)
        if entry is None:
            wide = tensor.dim() > 0 and tensor.shape[-1] == self.vocab_size
            entry = self.holders[key] = [storage.nbytes(), 0, wide]
            self.live[wide] += entry[0]
            self.peak[wide] = max(self.peak[wide], self.live[wide])
        entry[1] += 1
        return _Saved(tensor, self, key)

    @staticmethod
    def unpack(saved: object) -> torch.Tensor:
        return saved.tensor if isinstance(saved, _Saved) else saved

    def release(self, key: int) -> None:
        entry = self.holders[key]
        entry[1] -= 1
        if entry[1] == 0:
            self.live[entry[2]] -= entry[0]
            del self.holders[key]


def storage_bytes(tensors) -> int:
    seen: dict[int, int] = {}
    for tensor in tensors:
        storage = tensor.untyped_storage()
        seen[storage.data_ptr()] = storage.nbytes()
    return sum(seen.values())


def peak_by_category(profiler: profile) -> tuple[int, int]:
    """(all tensor bytes, activation-like bytes) at the peak of the profiler's CPU memory timeline."""
    _, sizes = MemoryProfileTimeline(profiler._memory_profile())._coalesce_timeline(torch.device("cpu"))
    peak = max(sizes, key=sum)
    transient = (Category.ACTIVATION, Category.AUTOGRAD_DETAIL, Category.INPUT, Category.TEMPORARY, None)
    return sum(peak), sum(peak[_CATEGORY_TO_INDEX[category] + 1] for category in transient)


def measure(config: LlamaConfig, rank: int, length: int, batch: int, checkpointing: bool, bf16: bool) -> dict:
    torch.manual_seed(0)
    model = LlamaForCausalLM(config)
    if bf16:
        model = model.to(torch.bfloat16)  # peft then keeps the adapters in fp32
    model = get_peft_model(
        model, LoraConfig(r=rank, lora_alpha=2 * rank, lora_dropout=0.0, target_modules="all-linear")
    )
    if checkpointing:
        model.gradient_checkpointing_enable(gradient_checkpointing_kwargs={"use_reentrant": True})
        model.enable_input_require_grads()
    model.train()
    trainable = [p for p in model.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW(trainable, lr=1e-4)
    named = dict(model.named_parameters())
    base = [p for name, p in named.items() if "lora_" not in name]
    meter = SavedTensorMeter(config.vocab_size, {p.untyped_storage().data_ptr() for p in named.values()})

    def step() -> None:
        tokens = torch.randint(0, config.vocab_size, (batch, length))
        autocast = torch.autocast("cpu", dtype=torch.bfloat16) if bf16 else nullcontext()
        with torch.autograd.graph.saved_tensors_hooks(meter.pack, meter.unpack):
            with autocast:
                loss = model(input_ids=tokens, labels=tokens).loss
            loss.backward()
        optimizer.step()
        optimizer.zero_grad(set_to_none=False)  # gradients stay allocated, as under accumulation

    step()  # the first step creates the gradients and AdamW's state
    with profile(
        activities=[ProfilerActivity.CPU], profile_memory=True, record_shapes=True, with_stack=True
    ) as prof:
        step()
    peak, transient = peak_by_category(prof)
    return {
        "weights": storage_bytes(base),
        "lora": storage_bytes(trainable),
        "gradients": storage_bytes([p.grad for p in trainable]),
        "optimizer": storage_bytes(t for state in optimizer.state.values() for t in state.values()),
        "activations": meter.peak[False],
        "activations + logits": transient,
        "total": peak,
        "parameters": sum(p.numel() for p in {p.untyped_storage().data_ptr(): p for p in base}.values()),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.parse_args()
    torch.set_num_threads(2)
    print("memory plan estimate vs measured on CPU: LoRA on all linear layers, torch AdamW; KiB")
    print(f"{'shape':<58}{'part':<22}{'estimate':>10}{'measured':>10}{'ratio':>7}")
    for hidden, layers, heads, kv_heads, intermediate, vocab, length, batch, rank in SHAPES:
        config = LlamaConfig(
            hidden_size=hidden,
            num_hidden_layers=layers,
            num_attention_heads=heads,
            num_key_value_heads=kv_heads,
            intermediate_size=intermediate,
            vocab_size=vocab,
            tie_word_embeddings=False,
            attn_implementation="sdpa",
        )
        for bf16, checkpointing in itertools.product((False, True), (False, True)):
            shape = TrainShape.from_model_config(
                config,
                method="lora",
                lora_rank=rank,
                max_length=length,
                micro_batch=batch,
                dtype="bf16" if bf16 else "fp32",
                gradient_checkpointing=checkpointing,
            )
            estimate = estimate_peak_memory(shape)
            measured = measure(config, rank, length, batch, checkpointing, bf16)
            assert measured["parameters"] == shape.model.parameters, (
                measured["parameters"],
                shape.model.parameters,
            )
            estimated = {part: getattr(estimate, part) for part in MemoryEstimate.PARTS}
            estimated["activations"] = saved_activation_bytes(shape)
            estimated["activations + logits"] = estimate.activations + estimate.logits
            estimated["total"] = estimate.total - estimate.cuda_context
            label = f"h{hidden} L{layers} V{vocab} s{length} b{batch} r{rank} {shape.dtype}"
            label += " ckpt on" if checkpointing else " ckpt off"
            for part in ROWS:
                est, got = estimated[part], measured[part]
                print(f"{label:<58}{part:<22}{est / 1024:>10.0f}{got / 1024:>10.0f}{est / got:>7.3f}")
                label = ""
    print("parameter counts computed from the configs equal the models' (asserted)")


if __name__ == "__main__":
    main()
