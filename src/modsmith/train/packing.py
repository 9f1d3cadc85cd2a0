"""Packing tokenized examples into full rows without changing the loss.

Packing puts several short examples into one row of at most `max_length` tokens (TRL's `pack_dataset`,
Best Fit Decreasing), and padding-free batching flattens the rows into one sequence whose `position_ids`
restart at 0 at each example (TRL's `DataCollatorForLanguageModeling(padding_free=True)`, as `SFTTrainer`
does). The loss stays that of the examples trained one by one when two things hold:

* attention stays inside each example, and
* no label crosses a boundary: the last token of one example predicts nothing of the next (the collator
  sets the label of every position-0 token to -100, which the loss's one-token shift turns into "predict
  nothing").

What is true for the installed versions (transformers 5.23, trl 1.16, torch 2.13), read from
`transformers/masking_utils.py` and checked by `tests/train/test_packing.py`:

* `create_causal_mask` calls `find_packed_sequence_indices(position_ids)` and, when positions restart,
  builds a block-diagonal causal mask, for every attention implementation in
  `ALL_MASK_ATTENTION_FUNCTIONS`: `eager` and `sdpa` (on CPU too), `flex_attention`, and the
  `flash_attention_*` kernels, which instead read the boundaries from `position_ids` or the collator's
  `cu_seq_lens_*` (on CUDA). So eager and sdpa on CPU do keep packed examples apart from reset position
  ids alone; no hand-built 4D mask is needed.
* It does so only when the batch has **no `attention_mask`** and the forward has **no KV cache**. An
  all-ones attention mask, or `use_cache=True` (the config's default, which makes the model create an
  empty `DynamicCache`), silently turns the packed row back into one causal sequence in which each example
  attends to the ones before it. `padding_free_batch` therefore returns no attention mask and
  `use_cache=False` (`SFTTrainer.compute_loss` sets `use_cache=False` too).
* The `wrapped` strategy cuts examples across rows and is refused here; `bfd` truncates an example longer
  than `max_length` (as unpacked training with that `max_length` does), `bfd_split` continues it in
  another row.
"""

from __future__ import annotations

from typing import Any

from modsmith.errors import ModsmithError

#: Attention implementations whose masks (or varlen kernels) keep packed examples apart, given reset
#: position ids.
PACKED_ATTENTION_IMPLEMENTATIONS = frozenset(
    {"eager", "sdpa", "flex_attention", "flash_attention_2", "flash_attention_3", "flash_attention_4"}
)
PACKING_STRATEGIES = ("bfd", "bfd_split")


def packing_supported(model: Any) -> bool:
    """Whether `model`'s attention keeps the examples of a packed row apart when given reset `position_ids`.

    True for the implementations in `PACKED_ATTENTION_IMPLEMENTATIONS` (see the module doc); False for any
    other (a custom or hub kernel), where packing must stay off.
    """
    config = getattr(model, "config", None)
    implementation = getattr(config, "_attn_implementation", None)
    return implementation in PACKED_ATTENTION_IMPLEMENTATIONS


#: Attention implementations that attend within each packed example without a dense mask over the row
#: (variable-length kernels): a pass may hold several packed rows at no extra attention cost.
VARLEN_ATTENTION_IMPLEMENTATIONS = frozenset({"flash_attention_2", "flash_attention_3", "flash_attention_4"})


def rows_per_pass(
    attention: str | None, packing: bool, per_device_batch: int, grad_accumulation: int
) -> tuple[int, int]:
    """(rows per forward pass, passes per optimizer step) for a run whose model uses the `attention`
    implementation: as configured, except when packed rows would be attended through a dense mask.
    Padding-free packing joins a pass's rows into one row, and sdpa or eager attention then builds a
    block-diagonal mask over all of it: attention costs the square of `per_device_batch` x `max_length`.
    There each pass takes one packed row and the passes per step grow by `per_device_batch`, so an
    optimizer step still sees the same rows (and the loss, normalised over the step's tokens, is the same)."""
    if not packing or per_device_batch == 1 or attention in VARLEN_ATTENTION_IMPLEMENTATIONS:
        return per_device_batch, grad_accumulation
    return 1, per_device_batch * grad_accumulation


def pack_examples(
    tokenized: list[dict[str, list[int]]], max_length: int, strategy: str = "bfd"
) -> list[dict[str, list[int]]]:
    """Pack tokenized examples (`input_ids` and `labels`) into rows of at most `max_length` tokens with TRL.

    Each row has `input_ids`, `labels` and `seq_lengths` (the lengths of the examples in it, in order),
    from which `padding_free_batch` builds `position_ids` that restart at 0 for each example. Empty
    examples are dropped.
    """
    from datasets import Dataset
    from trl.data_utils import pack_dataset

    if strategy not in PACKING_STRATEGIES:
        raise ModsmithError(
            f"packing strategy {strategy!r} is not one of {', '.join(PACKING_STRATEGIES)}",
            where="train.packing",
            hint="'wrapped' cuts examples apart and changes the loss",
        )
    if not isinstance(max_length, int) or max_length < 1:
        raise ModsmithError(
            f"max_length must be a positive integer, got {max_length!r}", where="train.packing"
        )
    for index, example in enumerate(tokenized):
        if "input_ids" not in example or "labels" not in example:
            raise ModsmithError(f"example {index} has no input_ids or no labels", where="train.packing")
        if len(example["input_ids"]) != len(example["labels"]):
            counts = f"{len(example['input_ids'])} input_ids but {len(example['labels'])} labels"
            raise ModsmithError(f"example {index} has {counts}", where="train.packing")
    if not tokenized:
        return []
    columns = {
        "input_ids": [list(example["input_ids"]) for example in tokenized],
        "labels": [list(example["labels"]) for example in tokenized],
    }
    packed = pack_dataset(Dataset.from_dict(columns), seq_length=max_length, strategy=strategy)
    return [dict(row) for row in packed]


def padding_free_batch(rows: list[dict[str, list[int]]]) -> dict[str, Any]:
    """One padding-free batch for `model(**batch)`: the rows flattened into one sequence, shape (1, tokens).

    Built by TRL's collator: `input_ids`, `labels` (-100 on each example's first token), `position_ids`
    restarting at 0 for each example, the `cu_seq_lens_*`/`max_length_*` boundaries that flash-attention
    kernels read, no `attention_mask`, and `use_cache=False` so that the model derives the block-diagonal
    mask (see the module doc). Rows without `seq_lengths` count as one example each.
    """
    from trl.trainer.sft_trainer import DataCollatorForLanguageModeling

    if not rows:
        raise ModsmithError("no rows to batch", where="train.packing")
    with_lengths = ["seq_lengths" in row for row in rows]
    if any(with_lengths) and not all(with_lengths):
        rows = [
            row if "seq_lengths" in row else {**row, "seq_lengths": [len(row["input_ids"])]} for row in rows
        ]
    collator = DataCollatorForLanguageModeling(pad_token_id=0, padding_free=True)
    batch = collator(rows)
    batch["use_cache"] = False
    return batch
