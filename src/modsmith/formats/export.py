"""Example JSONL -> train/valid files in training formats plus a dataset card, and back.

`export_dataset` reads the examples file twice (streamed): once to decide the split by group, once
to write `train.<format>.jsonl` / `valid.<format>.jsonl` for each format. The whole folder is built
beside the target and swapped in at the end: a failure or a kill leaves the previous dataset whole,
and every format of a dataset always comes from the same split.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from modsmith.errors import ModsmithError
from modsmith.example_formats import TO_FORMAT, ConversionError, import_examples
from modsmith.formats.card import CardStats, write_dataset_card
from modsmith.formats.chat_text import chat_text, load_chat_tokenizer, token_counter
from modsmith.formats.split import SPLIT_SIDES, plan_split
from modsmith.output_paths import refuse_output_over_inputs, replaced_folder
from modsmith.records import Example, JsonlWriter, read_jsonl, write_jsonl

FORMATS = ("alpaca", "sharegpt", "openai", "text")
#: The files a dataset folder holds; a folder with anything else is not replaced.
DATASET_FILES = re.compile(
    rf"(?:{'|'.join(SPLIT_SIDES)})\.(?:{'|'.join(FORMATS)})\.jsonl|README\.md|token_lengths\.png|imported\.jsonl"
)


def _check_formats(formats: Sequence[str], tokenizer: str | None) -> list[str]:
    chosen = list(dict.fromkeys(formats))
    if not chosen:
        raise ModsmithError("no export format given", hint=f"choose from {', '.join(FORMATS)}")
    for fmt in chosen:
        if fmt not in FORMATS:
            raise ModsmithError(f"unknown export format '{fmt}'", hint=f"choose from {', '.join(FORMATS)}")
    if "text" in chosen and tokenizer is None:
        raise ModsmithError(
            "the text format needs a tokenizer", hint="pass the local folder of the model's tokenizer"
        )
    return chosen


def export_dataset(
    examples_path: str | Path,
    out_dir: str | Path,
    formats: Sequence[str] = ("sharegpt",),
    valid_fraction: float = 0.15,
    seed: int = 0,
    tokenizer: str | Path | None = None,
    keep_meta: bool = False,
    source_format: str = "modsmith",
) -> dict[str, Any]:
    """Split the examples by source file, write every format for both splits, write the card.

    `source_format` other than "modsmith" imports an Alpaca / ShareGPT / OpenAI file first (kept
    as `imported.jsonl` in the dataset). `out_dir` is replaced whole, or left as it was.
    """
    examples_path, out_dir = Path(examples_path), Path(out_dir)
    refuse_output_over_inputs([out_dir], [examples_path, tokenizer], folders=True)
    chosen = _check_formats(formats, tokenizer)
    loaded = load_chat_tokenizer(tokenizer) if tokenizer is not None else None
    stats = (
        CardStats() if loaded is None else CardStats(token_counter(loaded), f"the tokenizer in {tokenizer}")
    )
    with replaced_folder(out_dir, owned=DATASET_FILES) as staging:
        source = examples_path
        if source_format != "modsmith":
            source = staging / "imported.jsonl"
            write_jsonl(source, import_examples(examples_path, fmt=source_format))
        plan = _write_splits(source, staging, chosen, stats, loaded, keep_meta, valid_fraction, seed)
        write_dataset_card(staging, stats, title=out_dir.name)
    return {
        "out_dir": str(out_dir),
        "examples": sum(stats.splits.values()),
        "imported": str(out_dir / "imported.jsonl") if source_format != "modsmith" else None,
        "splits": {side: stats.splits[side] for side in SPLIT_SIDES},
        "groups": {"train": plan.train_group_count, "valid": len(plan.valid_groups)},
        "files": {name: lines for name, _, _, lines in stats.files},
        "rejected": {fmt: dict(reasons) for fmt, reasons in stats.rejected.items()},
        "card": str(out_dir / "README.md"),
    }


def _write_splits(source, out_dir, chosen, stats, loaded, keep_meta, valid_fraction, seed):
    plan = plan_split(read_jsonl(source, Example), valid_fraction, seed)

    def convert(fmt: str, example: Example) -> dict[str, Any]:
        if fmt == "text":
            return chat_text(example, loaded)
        return TO_FORMAT[fmt](example, keep_meta=keep_meta)

    with ExitStack() as stack:
        writers = {
            (fmt, side): stack.enter_context(JsonlWriter(out_dir / f"{side}.{fmt}.jsonl"))
            for fmt in chosen
            for side in SPLIT_SIDES
        }
        for example in read_jsonl(source, Example):
            side = plan.side(example)
            stats.add(example, side)
            for fmt in chosen:
                try:
                    writers[fmt, side].write(convert(fmt, example))
                except ConversionError as exc:
                    stats.add_rejected(fmt, exc.reason)
    for (fmt, side), writer in writers.items():
        stats.add_file(writer.path.name, fmt, side, writer.count)
    return plan
