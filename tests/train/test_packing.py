"""Packing leaves the loss unchanged, and a packed row whose attention crosses examples is caught."""

from __future__ import annotations

import pytest

torch = pytest.importorskip("torch")
pytest.importorskip("transformers")
pytest.importorskip("trl")
from transformers import LlamaConfig, LlamaForCausalLM  # noqa: E402
from trl.trainer.sft_trainer import DataCollatorForLanguageModeling  # noqa: E402

from modsmith.errors import ModsmithError  # noqa: E402
from modsmith.train.packing import (  # noqa: E402
    pack_examples,
    packing_supported,
    padding_free_batch,
)

VOCAB = 97
MAX_LENGTH = 48
TOLERANCE = 1e-4


def tiny_model(attn_implementation: str) -> LlamaForCausalLM:
    torch.manual_seed(0)
    config = LlamaConfig(
        vocab_size=VOCAB,
        hidden_size=32,
        intermediate_size=64,
        num_hidden_layers=2,
        num_attention_heads=4,
        num_key_value_heads=2,
        max_position_embeddings=128,
        # larger than the default 0.02, so that attending across examples moves the loss by ~0.06, not ~3e-4
        initializer_range=0.1,
        attn_implementation=attn_implementation,
    )
    return LlamaForCausalLM(config).to(torch.float32).eval()


def examples() -> list[dict[str, list[int]]]:
    """Eight examples of 5 to 30 tokens; labels mask the first token, or the first half of every third."""
    generator = torch.Generator().manual_seed(1)
    result = []
    for index, length in enumerate([5, 30, 12, 7, 22, 9, 17, 26]):
        ids = torch.randint(1, VOCAB, (length,), generator=generator).tolist()
        labels = [-100] + ids[1:]
        if index % 3 == 0:
            labels[: length // 2] = [-100] * (length // 2)
        result.append({"input_ids": ids, "labels": labels})
    return result


def token_losses(logits: torch.Tensor, labels: torch.Tensor) -> tuple[float, int]:
    """Sum of token losses and number of loss tokens; logits at t predict the label at t + 1 in a row."""
    shifted_logits = logits[:, :-1].reshape(-1, logits.size(-1))
    shifted_labels = labels[:, 1:].reshape(-1)
    losses = torch.nn.functional.cross_entropy(
        shifted_logits, shifted_labels, ignore_index=-100, reduction="sum"
    )
    return losses.item(), int((shifted_labels != -100).sum())


def padded_batch(tokenized: list[dict[str, list[int]]]) -> dict[str, torch.Tensor]:
    return DataCollatorForLanguageModeling(pad_token_id=0)(tokenized)


@torch.no_grad()
def padded_loss(model: LlamaForCausalLM, tokenized: list[dict[str, list[int]]]) -> float:
    """Mean per-token loss of the examples as one right-padded batch with an attention mask."""
    batch = padded_batch(tokenized)
    logits = model(
        input_ids=batch["input_ids"], attention_mask=batch["attention_mask"], use_cache=False
    ).logits
    total, count = token_losses(logits, batch["labels"])
    return total / count


@torch.no_grad()
def alone_loss(model: LlamaForCausalLM, tokenized: list[dict[str, list[int]]]) -> float:
    """Mean per-token loss of the examples, each run through the model on its own."""
    total, count = 0.0, 0
    for example in tokenized:
        logits = model(input_ids=torch.tensor([example["input_ids"]]), use_cache=False).logits
        example_total, example_count = token_losses(logits, torch.tensor([example["labels"]]))
        total, count = total + example_total, count + example_count
    return total / count


@torch.no_grad()
def packed_loss(model: LlamaForCausalLM, batch: dict) -> float:
    labels = batch["labels"]
    logits = model(**{key: value for key, value in batch.items() if key != "labels"}).logits
    total, count = token_losses(logits, labels)
    return total / count


def broken_batches(batch: dict) -> dict[str, dict]:
    """Packed batches whose attention crosses example boundaries, each from a mistake one could make."""
    plain = {"input_ids": batch["input_ids"], "labels": batch["labels"], "use_cache": False}
    return {
        # position ids not reset: one causal sequence over the whole packed row
        "positions not reset": plain,
        # reset positions, but an all-ones attention mask makes transformers skip packed-sequence detection
        "all-ones attention mask": {
            **plain,
            "position_ids": batch["position_ids"],
            "attention_mask": torch.ones_like(batch["input_ids"]),
        },
        # reset positions, but the config's use_cache=True creates a KV cache, which also skips the detection
        "kv cache on": {**plain, "position_ids": batch["position_ids"], "use_cache": True},
    }


@pytest.mark.parametrize("attn_implementation", ["eager", "sdpa"])
def test_packed_loss_equals_unpacked_and_broken_variants_are_caught(attn_implementation):
    model = tiny_model(attn_implementation)
    assert packing_supported(model)
    tokenized = examples()
    rows = pack_examples(tokenized, MAX_LENGTH)
    assert len(rows) < len(tokenized), "nothing was packed together"
    assert any(len(row["seq_lengths"]) > 1 for row in rows)
    batch = padding_free_batch(rows)

    reference = alone_loss(model, tokenized)
    assert padded_loss(model, tokenized) == pytest.approx(reference, abs=TOLERANCE)
    assert packed_loss(model, batch) == pytest.approx(reference, abs=TOLERANCE)
    for mistake, broken in broken_batches(batch).items():
        assert abs(packed_loss(model, broken) - reference) > TOLERANCE, f"not caught: {mistake}"


def test_no_label_crosses_an_example_boundary():
    tokenized = examples()
    rows = pack_examples(tokenized, MAX_LENGTH)
    batch = padding_free_batch(rows)
    starts = batch["position_ids"][0] == 0
    assert int(starts.sum()) == len(tokenized)
    # the token before each example start (the end of the previous example) has no target
    assert (batch["labels"][0][starts] == -100).all()
    assert "attention_mask" not in batch and batch["use_cache"] is False
    # every example is in the batch whole, in some order, with its own labels
    packed = sorted(tuple(row["input_ids"][i : i + n]) for row in rows for i, n in _spans(row["seq_lengths"]))
    assert packed == sorted(tuple(example["input_ids"]) for example in tokenized)
    loss_tokens = sum(sum(label != -100 for label in example["labels"]) for example in tokenized)
    assert int((batch["labels"] != -100).sum()) == loss_tokens


def _spans(lengths: list[int]) -> list[tuple[int, int]]:
    starts = [sum(lengths[:index]) for index in range(len(lengths))]
    return list(zip(starts, lengths, strict=True))


def test_packing_reduces_padding():
    tokenized = examples()
    real_tokens = sum(len(example["input_ids"]) for example in tokenized)
    padded = padded_batch(tokenized)
    padded_pads = int((padded["attention_mask"] == 0).sum())
    rows = pack_examples(tokenized, MAX_LENGTH)
    packed_pads = len(rows) * MAX_LENGTH - real_tokens  # the rows as a (rows, max_length) batch
    # 8 examples padded to 30: 240 slots for 128 tokens; packed into 3 rows of 48: 144 slots
    assert (real_tokens, padded_pads, len(rows), packed_pads) == (128, 112, 3, 16)
    assert packed_pads / (len(rows) * MAX_LENGTH) < padded_pads / padded["input_ids"].numel()
    # padding-free: no padding at all
    assert padding_free_batch(rows)["input_ids"].numel() == real_tokens


def test_packing_supported_only_for_attention_that_honours_position_ids():
    model = tiny_model("sdpa")
    model.config._attn_implementation = "some-hub/kernel"
    assert not packing_supported(model)
    assert not packing_supported(object())


def test_packing_rejects_bad_input():
    with pytest.raises(ModsmithError, match="wrapped"):
        pack_examples(examples(), MAX_LENGTH, strategy="wrapped")
    with pytest.raises(ModsmithError, match="max_length"):
        pack_examples(examples(), 0)
    with pytest.raises(ModsmithError, match="example 0 has 2 input_ids but 1 labels"):
        pack_examples([{"input_ids": [1, 2], "labels": [-100]}], MAX_LENGTH)
    with pytest.raises(ModsmithError, match="no rows"):
        padding_free_batch([])
    assert pack_examples([], MAX_LENGTH) == []
