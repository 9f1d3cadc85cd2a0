"""The memory plan: its estimate by part, the verdict, the changes it suggests, and its validation."""

from __future__ import annotations

import pytest
from transformers import LlamaConfig, PretrainedConfig

from modsmith.errors import ModsmithError
from modsmith.train.fit_plan import plan
from modsmith.train.memory_plan import (
    CUDA_CONTEXT_BYTES,
    GIB,
    NF4_BYTES_PER_PARAM,
    MemoryEstimate,
    TrainShape,
    estimate_peak_memory,
    lora_parameters,
)


def llama_3_2_1b() -> LlamaConfig:
    """The published Llama-3.2-1B config's sizes (no weights)."""
    return LlamaConfig(
        hidden_size=2048,
        num_hidden_layers=16,
        num_attention_heads=32,
        num_key_value_heads=8,
        head_dim=64,
        intermediate_size=8192,
        vocab_size=128256,
        tie_word_embeddings=True,
    )


def tiny_config(**changes) -> LlamaConfig:
    sizes = dict(
        hidden_size=64,
        num_hidden_layers=2,
        num_attention_heads=4,
        num_key_value_heads=2,
        intermediate_size=176,
        vocab_size=512,
    )
    return LlamaConfig(**{**sizes, **changes})


def test_parts_add_up_to_the_total():
    estimate = estimate_peak_memory(TrainShape.from_model_config(llama_3_2_1b(), micro_batch=2))
    assert estimate.total == sum(getattr(estimate, part) for part in MemoryEstimate.PARTS)
    assert all(getattr(estimate, part) > 0 for part in MemoryEstimate.PARTS)
    assert estimate.cuda_context == CUDA_CONTEXT_BYTES


def test_llama_3_2_1b_lora_is_in_a_sane_range():
    shape = TrainShape.from_model_config(llama_3_2_1b(), lora_rank=16, max_length=2048)
    # 1.24 B parameters as Meta publishes; peft reports 11,272,192 trainable for r 16 on all linear layers.
    assert shape.model.parameters == 1_235_814_400
    assert lora_parameters(shape) == 11_272_192
    estimate = estimate_peak_memory(shape)
    assert estimate.weights == 2 * 1_235_814_400  # bf16
    assert estimate.lora == estimate.gradients == 4 * 11_272_192  # fp32 adapters and their gradients
    assert estimate.optimizer == 2 * estimate.lora  # two fp32 AdamW moments
    # Logits: 2048 tokens x 128,256 x (4 fp32 log-probs + 2 x 4 fp32 gradients) = 2.94 GiB.
    assert estimate.logits == 2048 * 128256 * 12
    # Activations: ~117 KB per token per layer x 2048 x 16: gate, silu and up (3 x 8192 x 2 bytes = 49 KB),
    # each fp32 adapter's own bf16 copy of its input (41 KB), norms' fp32 inputs (16 KB), attention (10 KB).
    assert 3 * GIB < estimate.activations < 4 * GIB
    # With the 0.6 GiB CUDA context about 9.6 GiB: too much for the GBA story's 8 GB card without
    # checkpointing, which keeps one layer input per layer (128 MiB in all) and recomputes one layer.
    assert 9 * GIB < estimate.total < 10 * GIB
    checkpointed = estimate_peak_memory(shape.model_copy(update={"gradient_checkpointing": True}))
    assert 6 * GIB < checkpointed.total < 7 * GIB


def test_gradient_checkpointing_lowers_activations_only():
    off = TrainShape.from_model_config(llama_3_2_1b(), micro_batch=4)
    on = off.model_copy(update={"gradient_checkpointing": True})
    before, after = estimate_peak_memory(off), estimate_peak_memory(on)
    assert after.activations < before.activations / 5
    assert (after.weights, after.logits, after.optimizer) == (before.weights, before.logits, before.optimizer)


def test_qlora_shrinks_the_quantized_weights_about_4x():
    # A 7B-like shape, whose weights are mostly the decoder's linear layers.
    config = LlamaConfig(
        hidden_size=4096,
        num_hidden_layers=32,
        num_attention_heads=32,
        num_key_value_heads=32,
        intermediate_size=11008,
        vocab_size=32000,
    )
    lora = TrainShape.from_model_config(config, method="lora")
    qlora = lora.model_copy(update={"method": "qlora"})
    assert 2 / NF4_BYTES_PER_PARAM == pytest.approx(3.88, abs=0.01)
    ratio = estimate_peak_memory(lora).weights / estimate_peak_memory(qlora).weights
    assert 3.3 < ratio < 3.9  # the embeddings and head stay bf16
    # The 1B model's tied 128k embedding is a fifth of it and stays bf16, so the saving is smaller.
    small = TrainShape.from_model_config(llama_3_2_1b())
    small_ratio = (
        estimate_peak_memory(small).weights
        / estimate_peak_memory(small.model_copy(update={"method": "qlora"})).weights
    )
    assert 2 < small_ratio < 3


def test_full_fine_tuning_trains_and_stores_every_weight():
    full = estimate_peak_memory(TrainShape.from_model_config(llama_3_2_1b(), method="full"))
    assert full.lora == 0
    assert full.gradients == full.weights  # bf16 gradients for bf16 weights
    assert full.optimizer == 2 * full.weights
    eight_bit = estimate_peak_memory(
        TrainShape.from_model_config(llama_3_2_1b(), method="full", optimizer="adamw_8bit")
    )
    assert eight_bit.optimizer < full.optimizer / 1.9


def test_a_run_that_fits_says_so_with_its_margin():
    shape = TrainShape.from_model_config(llama_3_2_1b(), gradient_checkpointing=True)
    result = plan(shape, free_bytes=24 * GIB)
    assert result.fits and not result.suggestions
    assert result.margin_bytes == 24 * GIB - result.estimate.total
    text = "\n".join(result.lines())
    assert "verdict: fits" in text and "free GPU memory 24.00 GiB" in text
    for part in ("weights", "lora", "gradients", "optimizer", "activations", "logits", "cuda context"):
        assert f"  {part}" in text


def test_a_run_that_does_not_fit_gets_changes_in_order_that_make_it_fit():
    shape = TrainShape.from_model_config(llama_3_2_1b(), method="full", micro_batch=8, grad_accumulation=2)
    result = plan(shape, free_bytes=8 * GIB)  # the GBA story's RTX 2070 Super
    assert not result.fits and result.margin_bytes < 0
    changes = [suggestion.change for suggestion in result.suggestions]
    assert changes[0] == "turn gradient checkpointing on"
    assert changes[1].startswith("train 4-bit")
    assert changes[2].startswith("micro batch 8 -> ")
    totals = [result.estimate.total] + [suggestion.estimate.total for suggestion in result.suggestions]
    assert totals == sorted(totals, reverse=True) and len(set(totals)) == len(totals)  # each one reduces
    assert [suggestion.fits for suggestion in result.suggestions] == [False, False, True]
    last = result.suggestions[-1].shape
    assert last.effective_batch == shape.effective_batch and last.micro_batch < shape.micro_batch
    text = "\n".join(result.lines())
    assert "does not fit" in text and "3. micro batch 8 -> " in text and "(fits)" in text


def test_shorter_max_length_is_the_last_resort():
    shape = TrainShape.from_model_config(
        llama_3_2_1b(), method="qlora", gradient_checkpointing=True, max_length=8192
    )
    result = plan(shape, free_bytes=3 * GIB)
    assert [s.change for s in result.suggestions] == [
        f"max length 8192 -> {result.suggestions[0].shape.max_length}"
    ]
    assert result.suggestions[0].fits and result.suggestions[0].shape.max_length < 8192


def test_a_run_nothing_can_save_says_so():
    result = plan(TrainShape.from_model_config(llama_3_2_1b()), free_bytes=1 * GIB)
    assert result.suggestions and not result.suggestions[-1].fits
    assert "even with all of these it does not fit" in result.lines()[-1]


def test_the_estimate_counts_a_real_models_parameters():
    from peft import LoraConfig, get_peft_model
    from transformers import LlamaForCausalLM

    config = tiny_config(tie_word_embeddings=False)
    model = get_peft_model(LlamaForCausalLM(config), LoraConfig(r=8, target_modules="all-linear"))
    trainable, total = model.get_nb_trainable_parameters()
    shape = TrainShape.from_model_config(config, lora_rank=8)
    assert lora_parameters(shape) == trainable
    assert shape.model.parameters == total - trainable


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"target_modules": ["q_proj", "qkv"]}, "target_modules: unknown target modules ['qkv']"),
        ({"lora_rank": 0}, "lora_rank: Input should be greater than 0"),
        ({"method": "dora"}, "method: Input should be 'full', 'lora' or 'qlora'"),
        ({"micro_btach": 2}, "micro_btach: Extra inputs are not permitted"),
    ],
)
def test_bad_settings_are_one_clear_line(settings, message):
    with pytest.raises(ModsmithError) as caught:
        TrainShape.from_model_config(tiny_config(), **settings)
    assert message in caught.value.one_line()
    assert caught.value.one_line().startswith("train plan: ")


def test_a_config_the_plan_cannot_read_names_what_is_missing():
    with pytest.raises(ModsmithError, match="no hidden_size, num_hidden_layers.* in the model config"):
        TrainShape.from_model_config(PretrainedConfig())
    with pytest.raises(ModsmithError, match="num_heads 6 is not a multiple of num_kv_heads 4"):
        TrainShape.from_model_config(
            tiny_config(hidden_size=96, num_attention_heads=6, num_key_value_heads=4)
        )


@pytest.mark.parametrize("checkpointing", [False, True])
def test_the_estimate_is_within_5_percent_of_a_measured_cpu_peak(checkpointing):
    """torch profiler's memory timeline gives the peak of all tensor memory over one LoRA training step."""
    import torch
    from peft import LoraConfig, get_peft_model
    from torch.profiler import ProfilerActivity, profile
    from torch.profiler._memory_profiler import MemoryProfileTimeline
    from transformers import LlamaForCausalLM

    torch.manual_seed(0)
    config = tiny_config(tie_word_embeddings=False, attn_implementation="sdpa")
    model = get_peft_model(LlamaForCausalLM(config), LoraConfig(r=8, target_modules="all-linear"))
    if checkpointing:
        model.gradient_checkpointing_enable(gradient_checkpointing_kwargs={"use_reentrant": True})
        model.enable_input_require_grads()
    optimizer = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad])

    def step():
        tokens = torch.randint(0, config.vocab_size, (2, 128))
        model(input_ids=tokens, labels=tokens).loss.backward()
        optimizer.step()
        optimizer.zero_grad(set_to_none=False)

    step()
    with profile(
        activities=[ProfilerActivity.CPU], profile_memory=True, record_shapes=True, with_stack=True
    ) as prof:
        step()
    _, sizes = MemoryProfileTimeline(prof._memory_profile())._coalesce_timeline(torch.device("cpu"))
    measured = max(sum(size) for size in sizes)
    shape = TrainShape.from_model_config(
        config, lora_rank=8, max_length=128, micro_batch=2, dtype="fp32", gradient_checkpointing=checkpointing
    )
    estimate = estimate_peak_memory(shape)
    assert estimate.total - estimate.cuda_context == pytest.approx(measured, rel=0.05)
