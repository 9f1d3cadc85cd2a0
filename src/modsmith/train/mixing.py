"""Mixing the training split of several datasets: weights, then caps, then target shares.

The steps, in order, on the training examples only (each dataset split as `sft_data.read_split` does):

1. **weights**, per dataset: weight `w` draws each example `w` times on average: `floor(w)` copies of
   every example, plus one more copy of a seeded `round(frac(w) * n)` of them (2: every example twice;
   0.5: a seeded half; 0: none);
2. **caps** (`task_caps`, then `source_caps`): a group keeps at most N of its drawn examples;
3. **shares** (`task_shares` or `source_shares`, never both): the largest training split in which each
   named group is its fraction, every example outside the named groups together the rest (1 - their
   sum), found by dropping examples only, never by drawing more. So caps bound what shares can keep,
   and the final split meets both (shares to within one example of rounding).

A key of a caps or shares mapping names a group: the examples whose task (or source) is that name, or
matches it as a glob (`code.*`). An exact name wins over a glob, then the first glob in the order given,
so each example is in at most one group of a mapping, and a glob's group is cut as a whole. Whenever a
group is cut to k, k is shared in proportion to their counts among its strata, a stratum being one task
of one source in one dataset (so a cut keeps the mix of all it does not aim at: a source share keeps
the tasks' proportions within the source, a cut keeps the weighted mix of the datasets), and within each
stratum the examples of the lowest rank stay: rank is (copy number, sha256 of the seed, the step and
the example's id), so first copies go before repeats, each step draws afresh (a cut never favours what
an earlier cut kept), and the choice is the same in every process and on every machine.

An example's **source** is the folder name of its first provenance's `source` (the repository or guide
folder it was read from, e.g. `oot` for .../zeldaret/oot), or the dataset it came from (its path as
given) when it has no provenance.

The held-out split is not mixed: it is every dataset's held-out examples once each (whatever the
weight, a weight of 0 included: duplicated evaluation rows mean nothing), so the held-out loss is
measured on the natural distribution of the held-out source files.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from fnmatch import fnmatchcase
from pathlib import PurePosixPath
from typing import Any

from modsmith.formats.split import group_hash
from modsmith.records import Example

STEPS = ("weight", "cap", "share")
#: The report table's columns before `kept`: the training examples available, then each step's change.
COLUMNS = ("available", *STEPS)


@dataclass(frozen=True)
class MixSource:
    """One dataset of a mix: its name (path as given), weight, training and held-out examples."""

    name: str
    weight: float
    train: list[Example]
    valid: list[Example] = field(default_factory=list)


@dataclass(frozen=True)
class MixSettings:
    """The caps (group -> at most N examples) and target shares (group -> fraction of the training split),
    as `SFTSettings` validates them (caps 0 or more, shares from 0 to 1 summing to 1 at most, one kind)."""

    task_caps: dict[str, int] = field(default_factory=dict)
    task_shares: dict[str, float] = field(default_factory=dict)
    source_caps: dict[str, int] = field(default_factory=dict)
    source_shares: dict[str, float] = field(default_factory=dict)


@dataclass
class _Drawn:
    """One drawn copy of an example: where it came from, its task and source, and the step that cut it."""

    example: Example
    dataset: int
    key: str  # dataset number, example id and its occurrence: the same on every machine
    copy: int
    task: str
    source: str
    cut_by: str | None = None


def example_source(example: Example, dataset_name: str) -> str:
    """The folder name of the first provenance's `source`, else the dataset the example came from."""
    if not example.provenance:
        return dataset_name
    source = example.provenance[0].source.replace("\\", "/").rstrip("/")
    return PurePosixPath(source).name or source


def group_of(name: str, keys: Iterable[str]) -> str | None:
    """The key of a caps/shares mapping that `name` falls under: itself, else the first matching glob."""
    keys = list(keys)
    if name in keys:
        return name
    return next((key for key in keys if fnmatchcase(name, key)), None)


def proportional_counts(counts: dict[str, int], keep: int) -> dict[str, int]:
    """`keep` shared among `counts` in proportion to them (largest remainder, ties by name)."""
    total = sum(counts.values())
    if keep >= total:
        return dict(counts)
    exact = {name: count * keep / total for name, count in counts.items()}
    result = {name: math.floor(value) for name, value in exact.items()}
    by_remainder = sorted(exact, key=lambda name: (-(exact[name] - result[name]), name))
    for name in by_remainder[: keep - sum(result.values())]:
        result[name] += 1
    return result


def _keep_lowest(items: list[_Drawn], keep: int, step: str, seed: int) -> list[_Drawn]:
    """The items beyond `keep`: `keep` shared in proportion among the strata (a task of a source in one
    dataset, so a cut keeps the mix of whatever it does not aim at), and within each the lowest ranks
    staying (first copies before repeats, then a seeded hash fresh for `step`)."""
    strata: dict[str, list[_Drawn]] = {}
    for item in items:
        strata.setdefault(f"{item.task}\0{item.source}\0{item.dataset}", []).append(item)
    quota = proportional_counts({name: len(group) for name, group in strata.items()}, keep)
    beyond = []
    for name, group in strata.items():
        group.sort(key=lambda item: (item.copy, group_hash(seed, f"{step}\0{item.key}")))
        beyond += group[quota[name] :]
    return beyond


def _cut(items: list[_Drawn], keep: int, attr: str, step: str, seed: int) -> None:
    for item in _keep_lowest(items, keep, f"{attr} {step}", seed):
        item.cut_by = step


def _groups(items: list[_Drawn], keys: dict[str, Any], attr: str) -> dict[str | None, list[_Drawn]]:
    groups: dict[str | None, list[_Drawn]] = {}
    for item in items:
        if item.cut_by is None:
            groups.setdefault(group_of(getattr(item, attr), keys), []).append(item)
    return groups


def _apply_caps(items: list[_Drawn], caps: dict[str, int], attr: str, seed: int) -> None:
    for key, group in _groups(items, caps, attr).items():
        if key is not None and len(group) > caps[key]:
            _cut(group, caps[key], attr, "cap", seed)


def _apply_shares(
    items: list[_Drawn], shares: dict[str, float], attr: str, seed: int, warnings: list[str]
) -> None:
    groups = _groups(items, shares, attr)
    rest = groups.pop(None, [])
    present = {key: share for key, share in shares.items() if groups.get(key)}
    given = sum(present.values())
    if not rest and 0 < given < 1 - 1e-9:
        warnings.append(f"{attr}_shares sum to {given:g} but every example is in a named group: scaled to 1")
        present = {key: share / given for key, share in present.items()}
        given = 1.0
    rest_share = max(0.0, 1.0 - given)
    limits = [len(groups[key]) / share for key, share in present.items() if share > 0]
    if rest_share > 1e-9:
        limits.append(len(rest) / rest_share)
    total = min(limits, default=0.0)  # the largest training split every share fits in
    for group, share in [(groups[key], share) for key, share in present.items()] + [(rest, rest_share)]:
        keep = min(len(group), math.floor(share * total + 0.5 + 1e-9))
        if keep < len(group):
            _cut(group, keep, attr, "share", seed)


def _draw(sources: list[MixSource], seed: int) -> list[_Drawn]:
    """Every copy the weights draw: floor(weight) of each example, one more of a seeded part of them
    (shared among the tasks in proportion, so a weight keeps the dataset's task mix)."""
    drawn = []
    for number, source in enumerate(sources):
        seen: Counter[str] = Counter()
        whole = math.floor(source.weight)
        items = []
        for example in source.train:
            seen[example.id] += 1  # a repeated id gets its own key
            key = f"{number}\0{example.id}\0{seen[example.id]}"
            items.append(
                _Drawn(example, number, key, whole, example.task, example_source(example, source.name))
            )
        part = math.floor((source.weight - whole) * len(items) + 0.5)
        left_out = {id(item) for item in _keep_lowest(items, part, "weight", seed)}
        for item in items:
            copies = range(whole + (id(item) not in left_out))
            drawn += [replace(item, copy=copy) for copy in copies]
    return drawn


def mix_examples(
    sources: list[MixSource], settings: MixSettings, seed: int = 0
) -> tuple[list[Example], MixReport]:
    """The mixed training examples of `sources` (in dataset, then file order, repeats side by side) and
    the report of the mix."""
    drawn = _draw(sources, seed)
    warnings: list[str] = []
    _apply_caps(drawn, settings.task_caps, "task", seed)
    _apply_caps(drawn, settings.source_caps, "source", seed)
    if settings.task_shares:
        _apply_shares(drawn, settings.task_shares, "task", seed, warnings)
    if settings.source_shares:
        _apply_shares(drawn, settings.source_shares, "source", seed, warnings)
    report = MixReport.build(sources, settings, seed, drawn, warnings)
    return [item.example for item in drawn if item.cut_by is None], report


@dataclass
class MixRow:
    """One task's (source's) examples through the mix: available, the change by each step, kept."""

    available: int = 0
    weight: int = 0
    cap: int = 0
    share: int = 0
    kept: int = 0
    held_out: int = 0

    def as_dict(self, train_total: int) -> dict[str, Any]:
        return {**self.__dict__, "share_of_train": round(self.kept / train_total, 4) if train_total else 0.0}


@dataclass
class MixReport:
    """What the mix did, per dataset, task and source; `lines()` for a console or card, `as_dict()` JSON."""

    seed: int
    settings: MixSettings
    datasets: list[dict[str, Any]]
    tasks: dict[str, MixRow]
    sources: dict[str, MixRow]
    targets: list[dict[str, Any]]
    warnings: list[str]

    @property
    def train_total(self) -> int:
        return sum(row.kept for row in self.tasks.values())

    @property
    def held_out_total(self) -> int:
        return sum(row.held_out for row in self.tasks.values())

    @classmethod
    def build(
        cls,
        sources: list[MixSource],
        settings: MixSettings,
        seed: int,
        drawn: list[_Drawn],
        warnings: list[str],
    ) -> MixReport:
        """The report of `drawn` (every drawn copy, marked with the step that cut it, if one did)."""
        tasks: dict[str, MixRow] = {}
        by_source: dict[str, MixRow] = {}
        for source in sources:
            for example in source.train:
                tasks.setdefault(example.task, MixRow()).available += 1
                by_source.setdefault(example_source(example, source.name), MixRow()).available += 1
            for example in source.valid:
                tasks.setdefault(example.task, MixRow()).held_out += 1
                by_source.setdefault(example_source(example, source.name), MixRow()).held_out += 1
        for item in drawn:
            for row in (tasks[item.task], by_source[item.source]):
                row.weight += 1
                if item.cut_by is None:
                    row.kept += 1
                else:
                    setattr(row, item.cut_by, getattr(row, item.cut_by) - 1)
        for row in (*tasks.values(), *by_source.values()):
            row.weight -= row.available  # drawn minus available: what the weights added (or took)
        datasets = [
            {
                "name": source.name,
                "weight": source.weight,
                "available": len(source.train),
                "kept": sum(1 for item in drawn if item.dataset == number and item.cut_by is None),
                "held_out": len(source.valid),
            }
            for number, source in enumerate(sources)
        ]
        report = cls(seed, settings, datasets, tasks, by_source, [], list(warnings))
        report._add_targets()
        return report

    def _add_targets(self) -> None:
        total = self.train_total
        for kind, rows in (("task", self.tasks), ("source", self.sources)):
            for setting in ("caps", "shares"):
                given: dict[str, Any] = getattr(self.settings, f"{kind}_{setting}")
                for key, value in given.items():
                    names = [name for name in rows if group_of(name, given) == key]
                    kept = sum(rows[name].kept for name in names)
                    if not any(rows[name].available for name in names):
                        self.warnings.append(f"{kind}_{setting}: no training example of {kind} {key!r}")
                    self.targets.append(
                        {
                            "field": f"{kind}_{setting}",
                            "group": key,
                            "asked": value,
                            "kept": kept,
                            "share_of_train": round(kept / total, 4) if total else 0.0,
                        }
                    )

    def as_dict(self) -> dict[str, Any]:
        """The report as JSON-able data (for train_config and the model card)."""
        total = self.train_total
        return {
            "seed": self.seed,
            "train_examples": total,
            "held_out_examples": self.held_out_total,
            "held_out": "not mixed: every dataset's held-out examples once each",
            "settings": {key: dict(value) for key, value in self.settings.__dict__.items()},
            "datasets": self.datasets,
            "tasks": {name: row.as_dict(total) for name, row in sorted(self.tasks.items())},
            "sources": {name: row.as_dict(total) for name, row in sorted(self.sources.items())},
            "targets": self.targets,
            "warnings": self.warnings,
        }

    def lines(self) -> list[str]:
        """A short plain-text table: per dataset, task and source, what each step did and the final share."""
        available = sum(row.available for row in self.tasks.values())
        total = self.train_total
        out = [
            f"training mix (seed {self.seed}): {available} examples -> {total}; "
            f"held-out {self.held_out_total} (not mixed)"
        ]
        out += [
            f"  dataset {item['name']}: weight {item['weight']:g}, {item['available']} -> {item['kept']}"
            for item in self.datasets
        ]
        for title, rows in (("task", self.tasks), ("source", self.sources)):
            width = max([len(title), *(len(name) for name in rows)])
            out.append(_table_row(title, width, [*COLUMNS, "kept", "%", "held-out"]))
            for name, row in sorted(rows.items(), key=lambda pair: (-pair[1].kept, pair[0])):
                steps = [f"{getattr(row, step):+d}" if getattr(row, step) else "-" for step in STEPS]
                percent = f"{100 * row.kept / total:.1f}" if total else "-"
                cells = [str(row.available), *steps, str(row.kept), percent, str(row.held_out)]
                out.append(_table_row(name, width, cells))
        out += [
            f"  {target['field']} {target['group']}={target['asked']:g}: kept {target['kept']} "
            f"({100 * target['share_of_train']:.1f}%)"
            for target in self.targets
        ]
        out += [f"  warning: {warning}" for warning in self.warnings]
        return out


def _table_row(name: str, width: int, cells: list[str]) -> str:
    return f"  {name:<{width}}" + "".join(f" {cell:>9}" for cell in cells)
