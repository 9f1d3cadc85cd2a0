"""`modsmith bench train`: both variants measured through the real run, exact token counts, real shapes.

The end-to-end test runs the real command in a subprocess (two training processes of the tiny shape); the
others check the parts the numbers rest on: the named shapes' parameter counts (built on `meta`), the
per-example lengths read from collated batches, the synthetic lengths, the GPU peak table.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

torch = pytest.importorskip("torch")
pytest.importorskip("trl")
pytest.importorskip("peft")


#: What the report prints, whatever the numbers.
PRINTED = (
    "baseline",
    "defaults",
    "defaults/baseline",
    "tokens/s (non-padding)",
    "padding share",
    "peak memory: peak RSS of the process",
    "FLOPs/token = 6*N + 12*L*H*T",
    "MFU: n/a (no peak figure for cpu)",
)


def bench(*args: str | Path) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "modsmith.cli", "bench", "train", *map(str, args)]
    return subprocess.run(command, capture_output=True, text=True, timeout=600)


def test_the_tiny_shape_reports_both_variants_and_their_ratios(tmp_path):
    numbers = tmp_path / "bench.json"
    done = bench("--shape", "tiny", "--max-length", 96, "--steps", 2, "--batch", 4, "--json", numbers)
    assert done.returncode == 0, done.stderr[-2000:]
    out = done.stdout
    for text in PRINTED:
        assert text in out
    report = json.loads(numbers.read_text())
    base, ours = report["variants"]["baseline"], report["variants"]["defaults"]
    assert (base["packing"], ours["packing"]) == (False, True)
    assert base["padding_share"] > 0.05  # padded batches of skewed lengths
    assert ours["padding_share"] < 0.01  # packed, padding-free rows
    for variant in (base, ours):
        assert variant["timed_steps"] == 2
        assert variant["tokens_per_s"] > 0 and variant["tokens"] > 0
        assert variant["tokens_with_padding"] >= variant["tokens"]
        assert 32 <= variant["attended_length"] <= 96
        assert variant["peak_memory_bytes"] > 0
        assert variant["mfu"] is None  # no peak figure for a CPU
    assert report["ratios"]["tokens_per_s"] == pytest.approx(ours["tokens_per_s"] / base["tokens_per_s"])
    assert report["ratios"]["peak_memory"] == pytest.approx(
        ours["peak_memory_bytes"] / base["peak_memory_bytes"]
    )
    assert f"{report['ratios']['tokens_per_s']:.2f}x" in out
    assert f"{report['ratios']['peak_memory']:.2f}x" in out
    # a packed row holds several examples: more real tokens per step than a padded batch of 4 examples
    assert ours["tokens"] > base["tokens"]


@pytest.mark.skipif(torch.cuda.is_available(), reason="the refusal is for machines without CUDA")
def test_a_named_shape_without_cuda_is_refused(tmp_path):
    done = bench("--shape", "qwen2.5-0.5b", "--json", tmp_path / "bench.json")
    assert done.returncode == 2
    assert "error:" in done.stderr and "CUDA" in done.stderr and "--allow-cpu" in done.stderr
    assert not (tmp_path / "bench.json").exists()


@pytest.mark.parametrize(
    ("name", "total", "non_embedding"),
    [("qwen2.5-0.5b", 0.49e9, 0.36e9), ("llama-3.2-1b", 1.24e9, None)],
)
def test_named_shapes_have_the_real_models_parameter_counts(name, total, non_embedding):
    from modsmith.train.model_shapes import named_shape, parameter_counts

    shape = named_shape(name)
    counts = parameter_counts(shape)
    assert counts["total"] == pytest.approx(total, rel=0.02)
    assert shape.real_parameters == total
    if non_embedding is not None:
        assert counts["non_embedding"] == pytest.approx(non_embedding, rel=0.02)


def test_an_unknown_shape_names_the_known_ones():
    from modsmith.errors import ModsmithError
    from modsmith.train.model_shapes import named_shape

    with pytest.raises(ModsmithError, match="no architecture shape") as raised:
        named_shape("gpt-5")
    assert "qwen2.5-0.5b" in raised.value.hint


def test_example_lengths_are_read_exactly_from_padded_and_packed_batches():
    from trl.trainer.sft_trainer import DataCollatorForLanguageModeling

    from modsmith.train.throughput_bench import _example_lengths

    rows = [{"input_ids": list(range(1, n + 1))} for n in (5, 2, 7)]
    padded = DataCollatorForLanguageModeling(pad_token_id=0)(rows)
    assert padded["input_ids"].numel() == 21  # 3 rows padded to 7
    assert _example_lengths(padded) == [5, 2, 7]
    packed_rows = [
        {"input_ids": list(range(1, 8)), "seq_lengths": [5, 2]},
        {"input_ids": list(range(1, 8)), "seq_lengths": [7]},
    ]
    packed = DataCollatorForLanguageModeling(pad_token_id=0, padding_free=True)(packed_rows)
    assert "attention_mask" not in packed
    assert _example_lengths(packed) == [5, 2, 7]


def test_synthetic_lengths_are_seeded_bounded_and_skewed_short():
    from modsmith.train.throughput_bench import BenchSettings, example_lengths

    settings = BenchSettings(max_length=2048, steps=10, batch=4, seed=3)
    lengths = example_lengths(settings)
    assert lengths == example_lengths(settings)
    assert lengths != example_lengths(BenchSettings(max_length=2048, steps=10, batch=4, seed=4))
    assert min(lengths) >= 32 and max(lengths) <= 2048
    assert sorted(lengths)[len(lengths) // 2] < 1024  # most are short: padding a batch costs
    assert len(set(lengths)) > len(lengths) // 4


def test_the_peak_table_matches_device_names():
    from modsmith.train.throughput_bench import peak_flops

    assert peak_flops("NVIDIA H100 80GB HBM3") == 989e12
    assert peak_flops("NVIDIA H100 PCIe") == 756e12
    assert peak_flops("NVIDIA H200") == 989e12
    assert peak_flops("NVIDIA A100-SXM4-80GB") == 312e12
    assert peak_flops("NVIDIA L40S") == 362e12
    assert peak_flops("NVIDIA L4") == 121e12
    assert peak_flops("Some Future GPU") is None


def test_bench_help_imports_no_training_library():
    code = (
        "import sys; from modsmith.cli import app; "
        "print(any(name in sys.modules for name in ('torch', 'transformers', 'trl')))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.stdout.strip() == "False", done.stderr
