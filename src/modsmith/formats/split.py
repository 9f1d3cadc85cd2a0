"""A deterministic train/valid split by group, so no source file feeds both sides.

Each group goes to valid when hash(seed, group key) in [0, 1) falls below the fraction, so adding or
removing examples never moves other groups. Train is never empty, and with two or more groups (and a
fraction above 0) neither is valid: if hashing put every group on one side, the group nearest the
boundary is moved across. A single group all goes to train.

For a file, split in two passes: `plan_split` over a first read collects the group keys, then
`plan.side(example)` on a second read says where each example goes.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Literal

from modsmith.errors import ModsmithError
from modsmith.records import Example

GroupBy = Literal["source_file", "source", "example"]
Side = Literal["train", "valid"]
SPLIT_SIDES: tuple[Side, ...] = ("train", "valid")


def group_key(example: Example, group_by: GroupBy = "source_file") -> str:
    """The group an example belongs to: its first provenance's file, else its own id.

    A file is named by its path inside the source (and the source's folder name only when there is
    no path), so the split is the same on every machine, wherever the checkout lives.
    """
    if group_by not in ("source_file", "source", "example"):
        raise ModsmithError(f"unknown group_by '{group_by}'", hint="use source_file, source or example")
    if group_by == "example" or not example.provenance:
        return f"id:{example.id}"
    first = example.provenance[0]
    source = PurePosixPath(first.source.replace("\\", "/")).name or first.source
    if group_by == "source":
        return f"source:{source}"
    return f"file:{first.path}" if first.path else f"file:{source}"


def group_hash(seed: int, key: str) -> float:
    """A stable number in [0, 1) for (seed, key)."""
    digest = hashlib.sha256(f"{seed}\0{key}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


@dataclass(frozen=True)
class SplitPlan:
    """Which groups go to valid; everything else goes to train."""

    valid_groups: frozenset[str]
    group_by: GroupBy
    train_group_count: int

    def side(self, example: Example) -> Side:
        return "valid" if group_key(example, self.group_by) in self.valid_groups else "train"


def assign_groups(keys: Iterable[str], valid_fraction: float = 0.15, seed: int = 0) -> frozenset[str]:
    """The keys that go to valid."""
    if not 0 <= valid_fraction < 1:
        raise ModsmithError(
            f"valid_fraction must be in [0, 1), got {valid_fraction}",
            hint="e.g. 0.15, or 0 for no valid split",
        )
    hashed = sorted((group_hash(seed, key), key) for key in set(keys))
    valid = {key for value, key in hashed if value < valid_fraction}
    if hashed and len(valid) == len(hashed):
        valid.discard(hashed[-1][1])  # never an empty train side: the largest hash goes back
    if len(hashed) >= 2 and valid_fraction > 0 and not valid:
        valid.add(hashed[0][1])  # smallest hash: the train group nearest the boundary
    return frozenset(valid)


def plan_split(
    examples: Iterable[Example],
    valid_fraction: float = 0.15,
    seed: int = 0,
    group_by: GroupBy = "source_file",
) -> SplitPlan:
    """First pass: collect the group keys of `examples` and decide each group's side."""
    keys = {group_key(example, group_by) for example in examples}
    valid = assign_groups(keys, valid_fraction, seed)
    return SplitPlan(valid_groups=valid, group_by=group_by, train_group_count=len(keys) - len(valid))
