"""The examples a run trains and evaluates on, and their tokens.

`load_split` reads an examples JSONL (split by source file, `formats.split`, `valid_fraction`) or a
`dataset/` folder from `modsmith format` (its own train/valid files: ShareGPT, OpenAI or Alpaca).
`load_mixed` reads the main dataset and every `mix_datasets` one, each split so, and mixes their training
splits (`mixing.mix_examples`: weights, caps, shares); the held-out splits are joined unmixed.
`tokenize_examples` gives each example its `input_ids` and `labels` (`tokenize_conversation`: loss on
the assistant turns, or on everything), cut at `max_length`; one left with no loss token is dropped and
counted by reason.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from modsmith.errors import ModsmithError
from modsmith.example_formats import import_examples
from modsmith.formats.split import plan_split
from modsmith.records import Example, read_jsonl
from modsmith.train.chat_format import IGNORE_INDEX, tokenize_conversation
from modsmith.train.mixing import MixReport, MixSettings, MixSource, mix_examples
from modsmith.train.sft_config import SFTRunConfig

#: The formats of a dataset folder that keep the conversation, in the order they are looked for.
FOLDER_FORMATS = ("sharegpt", "openai", "alpaca")


@dataclass(frozen=True)
class MixedSplit:
    """The mixed training examples, the held-out examples (unmixed) and the report of the mix."""

    train: list[Example]
    valid: list[Example]
    report: MixReport


def load_mixed(config: SFTRunConfig) -> MixedSplit:
    """`config.dataset` and every `config.mix_datasets` one, each split, their training splits mixed."""
    sources = [MixSource(str(config.dataset), config.dataset_weight, *load_split(config))]
    for name, weight in config.mix_datasets.items():
        if not Path(name).exists():
            raise ModsmithError(
                "no such mix dataset file or folder",
                where=name,
                hint="mix_datasets takes PATH=WEIGHT: an examples JSONL or a dataset folder",
            )
        sources.append(MixSource(name, weight, *read_split(Path(name), config.valid_fraction, config.seed)))
    settings = MixSettings(
        task_caps=config.task_caps,
        task_shares=config.task_shares,
        source_caps=config.source_caps,
        source_shares=config.source_shares,
    )
    train, report = mix_examples(sources, settings, config.seed)
    return MixedSplit(train, [example for source in sources for example in source.valid], report)


def load_split(config: SFTRunConfig) -> tuple[list[Example], list[Example]]:
    """The training and held-out examples of `config.dataset` (a folder's own split, or a grouped split)."""
    return read_split(Path(config.dataset), config.valid_fraction, config.seed)


def read_split(path: Path, valid_fraction: float, seed: int) -> tuple[list[Example], list[Example]]:
    """The training and held-out examples of one dataset: a folder's own split, or a JSONL split by
    source file (`valid_fraction`, `seed`)."""
    if path.is_dir():
        for fmt in FOLDER_FORMATS:
            train_file, valid_file = path / f"train.{fmt}.jsonl", path / f"valid.{fmt}.jsonl"
            if train_file.is_file():
                valid = list(import_examples(valid_file, fmt)) if valid_file.is_file() else []
                return list(import_examples(train_file, fmt)), valid
        names = ", ".join(f"train.{fmt}.jsonl" for fmt in FOLDER_FORMATS)
        raise ModsmithError(
            f"the dataset folder has none of {names}",
            where=str(path),
            hint="export it with `modsmith format` in the sharegpt, openai or alpaca format",
        )
    if not path.is_file():
        what = (
            "not a regular file or folder (a pipe or a device?)"
            if path.exists()
            else "no such file or folder"
        )
        raise ModsmithError(
            f"dataset: {what}", where=str(path), hint="give an examples JSONL or a dataset folder"
        )
    examples = list(read_jsonl(path, Example))
    plan = plan_split(examples, valid_fraction, seed)
    train = [example for example in examples if plan.side(example) == "train"]
    valid = [example for example in examples if plan.side(example) == "valid"]
    return train, valid


def tokenize_examples(
    examples: list[Example], tokenizer: Any, config: SFTRunConfig, dropped: Counter[str]
) -> list[dict[str, list[int]]]:
    """`input_ids` and `labels` of each example; one that cannot carry loss is counted in `dropped`."""
    rows = []
    for example in examples:
        try:
            encoded = tokenize_conversation(
                example.messages, tokenizer, train_on=config.train_on, max_length=config.max_length
            )
        except ModsmithError as exc:
            dropped[exc.message] += 1
            continue
        row = {"input_ids": encoded["input_ids"], "labels": encoded["labels"]}
        if loss_token_count(row) == 0:
            dropped[f"no token to train on within max_length {config.max_length}"] += 1
            continue
        rows.append(row)
    return rows


def loss_token_count(row: dict[str, list[int]]) -> int:
    # The first label is never a target: the loss shifts labels one to the left.
    return sum(1 for label in row["labels"][1:] if label != IGNORE_INDEX)
