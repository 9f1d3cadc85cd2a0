"""`modsmith bench train`: training throughput of a plain baseline against modsmith's defaults.

Both variants run the real training path, `train_sft` with an `SFTRunConfig`, on the same base and data:

* the base is a named architecture shape (`model_shapes`) with random weights and a byte-level BPE
  tokenizer trained here (its ids index a model whose vocabulary may be bigger), saved in a temp folder;
* the data are synthetic chat examples whose token lengths are drawn from a seeded, right-skewed
  distribution (`low + (max_length - low) * Beta(1.2, 4)`, low = 32), so padded batches carry real padding;
* the baseline is TRL's plain setup: `packing=False, liger=False, attention="sdpa"` (padded batches);
  the defaults are `SFTRunConfig`'s own (packing, liger and attention on auto). Everything else is shared:
  `per_device_batch=batch`, no accumulation, no evaluation, no checkpoint before the end.

Each variant runs in its own process, so its peak memory is its own: `torch.cuda.max_memory_allocated` on
CUDA, the process's peak RSS (`ru_maxrss`, with torch and the libraries in it) on CPU. Counting is exact:
the child wraps `Trainer.get_batch_samples` (the public hook through which the training loop fetches each
optimizer step's batches) and counts, per step, the tokens of every collated batch: all of them, and the
non-padding ones (`attention_mask`'s ones; a padding-free packed batch has none to pad), with each
example's length (a padded row's mask sum, or the runs between position-id restarts). The first
`WARMUP_STEPS` are not timed: the clock runs from the log of the last warm-up step to the log of the last
step (each log reads the loss, which waits for the device).
"""

from __future__ import annotations

import json
import math
import random
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from modsmith.errors import ModsmithError
from modsmith.records import Example, Message, Provenance, write_jsonl
from modsmith.train.model_shapes import ArchitectureShape, model_parameter_counts, named_shape

WHERE = "bench train"
WARMUP_STEPS = 2
SHORTEST_EXAMPLE = 32
#: The baseline's changes to the run config: TRL's plain path (no packing, padded batches, no fused kernels).
VARIANTS: dict[str, dict[str, Any]] = {
    "baseline": {"packing": False, "liger": False, "attention": "sdpa"},
    "defaults": {},
}
#: Dense bf16 tensor-core peak FLOP/s by a piece of `torch.cuda.get_device_name()`, most specific first.
PEAK_BF16_FLOPS = (
    ("H100 PCIe", 756e12),
    ("H100", 989e12),
    ("H200", 989e12),
    ("GH200", 989e12),
    ("A100", 312e12),
    ("L40S", 362e12),
    ("RTX 4090", 165e12),
    ("L4", 121e12),
)


@dataclass(frozen=True)
class BenchSettings:
    """One benchmark: the architecture shape, the row length, the timed steps, rows per step, the seed."""

    shape: str = "tiny"
    max_length: int = 128
    steps: int = 4
    batch: int = 4
    seed: int = 0
    allow_cpu: bool = False


def run_bench(settings: BenchSettings, on_progress=None) -> dict[str, Any]:
    """Both variants' measures, their ratios and the FLOPs formula; `on_progress` gets a line per phase."""
    import torch

    shape = named_shape(settings.shape)
    on_cuda = torch.cuda.is_available()
    if shape.name != "tiny" and not on_cuda and not settings.allow_cpu:
        raise ModsmithError(
            f"the {shape.name} shape is benchmarked on a CUDA GPU and none is available",
            where=WHERE,
            hint="use --shape tiny here, or --allow-cpu to run it on the CPU anyway (hours)",
        )
    if settings.max_length < 2 * SHORTEST_EXAMPLE or settings.steps < 1 or settings.batch < 1:
        raise ModsmithError(
            f"max_length must be at least {2 * SHORTEST_EXAMPLE}, steps and batch at least 1",
            where=WHERE,
        )
    say = on_progress or (lambda line: None)
    with tempfile.TemporaryDirectory(prefix="modsmith-bench-") as folder:
        work = Path(folder)
        say(f"building a random {shape.name} model and a tokenizer")
        counts = save_random_base(shape, work / "base", settings.seed)
        examples = write_synthetic_examples(work / "examples.jsonl", work / "base", settings)
        variants = {}
        for name, overrides in VARIANTS.items():
            say(f"training the {name} ({WARMUP_STEPS} warm-up + {settings.steps} timed steps)")
            variants[name] = _run_child(work, name, settings, overrides, examples)
    device = torch.cuda.get_device_name() if on_cuda else "cpu"
    peak = peak_flops(device) if on_cuda else None
    lora_r = _config_default("lora_r")
    touched = counts["non_embedding"] + counts["lora"]
    for measured in variants.values():
        attended = measured["attended_length"]
        per_token = 6 * touched + 12 * shape.layers * shape.hidden_size * attended
        measured["flops_per_token"] = per_token
        measured["mfu"] = measured["tokens_per_s"] * per_token / peak if peak else None
    base, ours = variants["baseline"], variants["defaults"]
    return {
        "settings": asdict(settings),
        "device": device,
        "peak_flops": peak,
        "memory_measure": "torch.cuda.max_memory_allocated" if on_cuda else "peak RSS of the process",
        "parameters": {**counts, "lora_r": lora_r, "touched_per_token": touched},
        "flops_formula": (
            f"FLOPs/token = 6*N + 12*L*H*T with N = {touched:,} (non-embedding base "
            f"{counts['non_embedding']:,} + LoRA {counts['lora']:,}), L = {shape.layers}, "
            f"H = {shape.hidden_size}, T = the token-weighted mean "
            "example length sum(l^2)/sum(l) (attention stays within each example); PaLM-style, "
            "embeddings and recomputation not counted, frozen weights counted as if trained"
        ),
        "shared": f"LoRA r {lora_r} on all linear layers, gradient checkpointing "
        f"{'on' if _config_default('gradient_checkpointing') else 'off'}, {settings.batch} rows a step, "
        "no accumulation, no evaluation",
        "variants": variants,
        "ratios": {
            "tokens_per_s": ours["tokens_per_s"] / base["tokens_per_s"],
            "peak_memory": ours["peak_memory_bytes"] / base["peak_memory_bytes"],
        },
    }


def peak_flops(device_name: str) -> float | None:
    """The dense bf16 peak of a known GPU by name, else None."""
    return next((flops for piece, flops in PEAK_BF16_FLOPS if piece in device_name), None)


def save_random_base(shape: ArchitectureShape, folder: Path, seed: int) -> dict[str, int]:
    """Save a random model of `shape` and a tokenizer trained here into `folder`; its parameter counts."""
    import torch
    from transformers import AutoModelForCausalLM
    from transformers.utils import logging

    logging.disable_progress_bar()
    tokenizer = build_tokenizer(seed)
    torch.manual_seed(seed)
    dtype = torch.bfloat16 if shape.name != "tiny" else torch.float32
    config = shape.model_config()
    config.pad_token_id = tokenizer.pad_token_id
    model = AutoModelForCausalLM.from_config(config, dtype=dtype)
    model.save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    counts = model_parameter_counts(model)
    head = model.get_output_embeddings()
    counts["lora"] = sum(
        _config_default("lora_r") * (module.in_features + module.out_features)
        for module in model.modules()
        if isinstance(module, torch.nn.Linear) and module is not head
    )
    return counts


def _config_default(name: str) -> Any:
    from modsmith.train.sft_config import SFTRunConfig

    return SFTRunConfig.model_fields[name].default


#: Syllables of the made-up words the synthetic examples are written in.
SYLLABLES = ["ka", "lo", "mi", "ru", "sen", "ta", "vo", "zel", "dra", "ni", "pe", "qu", "tor", "ba", "gi"]


def _words(seed: int, count: int = 300) -> list[str]:
    rng = random.Random(seed)
    return sorted({"".join(rng.choice(SYLLABLES) for _ in range(rng.randint(1, 3))) for _ in range(count)})


def build_tokenizer(seed: int, vocab_size: int = 400) -> Any:
    """A byte-level BPE tokenizer trained on the made-up words, with ChatML tokens and a pad token."""
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import PreTrainedTokenizerFast

    tokenizer = Tokenizer(models.BPE())
    tokenizer.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tokenizer.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=vocab_size,
        special_tokens=["<pad>", "<|im_start|>", "<|im_end|>"],
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        show_progress=False,
    )
    words = ["system user assistant", *_words(seed)]  # the role names too, as a real vocabulary has them
    tokenizer.train_from_iterator([" ".join(words[i : i + 20]) for i in range(0, len(words), 20)], trainer)
    return PreTrainedTokenizerFast(tokenizer_object=tokenizer, pad_token="<pad>")


def example_lengths(settings: BenchSettings) -> list[int]:
    """Target token lengths of the examples: seeded, skewed to short, between 32 and `max_length`."""
    rng = random.Random(settings.seed)
    low, high = SHORTEST_EXAMPLE, settings.max_length
    mean = low + (high - low) * 1.2 / 5.2
    rows = (settings.steps + WARMUP_STEPS) * settings.batch
    count = math.ceil(rows * high / mean * 1.2) + settings.batch  # enough for packed rows, without reuse
    return [low + round((high - low) * rng.betavariate(1.2, 4.0)) for _ in range(count)]


def write_synthetic_examples(path: Path, base: Path, settings: BenchSettings) -> Path:
    """A modsmith examples JSONL of user/assistant pairs of about `example_lengths` tokens each."""
    from transformers import AutoTokenizer

    from modsmith.train.chat_format import ensure_chat_template

    tokenizer = AutoTokenizer.from_pretrained(base)
    ensure_chat_template(tokenizer)  # as the run does, to know what the template adds around the turns
    empty = [{"role": "user", "content": ""}, {"role": "assistant", "content": ""}]
    overhead = len(tokenizer.apply_chat_template(empty, tokenize=True, return_dict=True)["input_ids"])
    words = _words(settings.seed)
    cost = {word: len(tokenizer(" " + word, add_special_tokens=False)["input_ids"]) for word in words}
    rng = random.Random(settings.seed + 1)

    def text(tokens: int) -> str:
        chosen, used = [], 0
        while used < tokens:
            word = rng.choice(words)
            chosen.append(word)
            used += cost[word]
        return " ".join(chosen)

    examples = []
    for index, length in enumerate(example_lengths(settings)):
        content = length - overhead
        question = max(4, content // 5)
        messages = [
            Message(role="user", content=text(question)),
            Message(role="assistant", content=text(max(4, content - question))),
        ]
        provenance = [Provenance(source="bench", path=f"synthetic/{index}.txt")]
        examples.append(Example.create(task="bench.synthetic", messages=messages, provenance=provenance))
    write_jsonl(path, examples)
    return path


def run_config(work: Path, name: str, settings: BenchSettings, overrides: dict[str, Any], examples: Path):
    """The `SFTRunConfig` of one variant: the shared settings and the variant's overrides."""
    from modsmith.train.sft_config import SFTRunConfig

    return SFTRunConfig(
        dataset=examples,
        base=str(work / "base"),
        output_dir=work / name,
        max_steps=WARMUP_STEPS + settings.steps,
        per_device_batch=settings.batch,
        grad_accumulation=1,
        max_length=settings.max_length,
        warmup_ratio=0.0,
        valid_fraction=0.0,
        keep_best=False,
        logging_steps=1,
        save_steps=10**9,
        seed=settings.seed,
        **overrides,
    )


def _run_child(work: Path, name: str, settings, overrides, examples: Path) -> dict[str, Any]:
    config = run_config(work, name, settings, overrides, examples)
    spec = work / f"{name}.spec.json"
    result = work / f"{name}.result.json"
    spec.write_text(json.dumps({"config": config.model_dump(mode="json"), "result": str(result)}))
    command = [sys.executable, "-m", "modsmith.train.throughput_bench", str(spec)]
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0 or not result.is_file():
        tail = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["no output"]
        raise ModsmithError(f"the {name} run failed: {tail[0]}", where=WHERE)
    return json.loads(result.read_text(encoding="utf-8"))


def measure_variant(config: Any) -> dict[str, Any]:
    """Train `config` in this process and measure it (see the module doc): tokens, time, memory."""
    import torch
    from transformers import Trainer

    from modsmith.train.sft import train_sft

    steps: dict[int, dict[str, int]] = {}
    fetch = Trainer.get_batch_samples

    def counted(trainer, epoch_iterator, num_batches, device):
        batches, items = fetch(trainer, epoch_iterator, num_batches, device)
        step = steps.setdefault(trainer.state.global_step + 1, dict.fromkeys(("all", "real", "l", "l2"), 0))
        for batch in batches:
            lengths = _example_lengths(batch)
            step["all"] += batch["input_ids"].numel()
            step["real"] += sum(lengths)
            step["l"] += sum(lengths)
            step["l2"] += sum(length * length for length in lengths)
        return batches, items

    logged: dict[int, float] = {}

    def on_log(line: dict[str, Any]) -> None:
        if "loss" in line:
            logged[line["step"]] = time.perf_counter()

    Trainer.get_batch_samples = counted
    try:
        if torch.cuda.is_available():
            torch.cuda.reset_peak_memory_stats()
        result = train_sft(config, on_log=on_log)
    finally:
        Trainer.get_batch_samples = fetch
    if torch.cuda.is_available():
        peak = torch.cuda.max_memory_allocated()
    else:
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # KiB on Linux
    last = max(logged)
    timed = [steps[step] for step in range(WARMUP_STEPS + 1, last + 1)]
    seconds = logged[last] - logged[WARMUP_STEPS]
    real = sum(step["real"] for step in timed)
    every = sum(step["all"] for step in timed)
    return {
        "packing": result.packing,
        "timed_steps": len(timed),
        "seconds": seconds,
        "tokens": real,
        "tokens_with_padding": every,
        "tokens_per_s": real / seconds,
        "padding_share": (every - real) / every,
        "attended_length": sum(step["l2"] for step in timed) / sum(step["l"] for step in timed),
        "peak_memory_bytes": peak,
    }


def _example_lengths(batch: dict[str, Any]) -> list[int]:
    """The real tokens of each example in a collated batch: padded rows, or a padding-free packed row."""
    if "attention_mask" in batch:
        return [int(count) for count in batch["attention_mask"].sum(dim=1).tolist()]
    positions = batch["position_ids"].flatten().tolist()
    starts = [index for index, position in enumerate(positions) if position == 0] + [len(positions)]
    return [end - start for start, end in zip(starts, starts[1:], strict=False)]


def _child_main(spec_path: str) -> None:
    from modsmith.train.sft_config import SFTRunConfig

    spec = json.loads(Path(spec_path).read_text(encoding="utf-8"))
    measured = measure_variant(SFTRunConfig.model_validate(spec["config"]))
    Path(spec["result"]).write_text(json.dumps(measured), encoding="utf-8")


if __name__ == "__main__":
    _child_main(sys.argv[1])
