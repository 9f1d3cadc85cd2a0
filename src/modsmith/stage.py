"""What every stage is: a pydantic config and one method from records to records.

A stage knows nothing of files, the CLI or other stages. It reports each record it drops to a
`Rejects` with a reason; the runner decides where that goes (rejected.jsonl, a summary table).

Every stage declares the records it works on (`handles`, `document_kinds`); any other record is
passed through untouched when its type is in `passes_through`, else rejected with a reason naming
the stage and the record ("synth.code_qa: does not handle text documents"), never dropped.
`RecordStage` owns the loop: a stage built on it decides one record at a time (`process_one`).
A `SourceStage` reads material from outside the run, after passing on the records before it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict

from modsmith.records import Document, DocumentKind, Example, Record

#: Config fields, of a stage or of a model nested in its config, that name an input outside the run
#: (a file or folder). Recipes check they exist before anything runs; a stage's fingerprint covers
#: what they hold, so a stage reruns when its repo, profile or template changed; and no output may
#: be written over one. A list or mapping holds several paths; null or "" gives none.
INPUT_PATH_FIELDS = frozenset(
    {
        "paths", "root", "repo", "index", "unity_managed", "tokenizer", "profile",
        "prompt_template", "nl_to_ir_template", "ir_to_csharp_template", "templates",
    }
)  # fmt: skip
#: Mappings whose keys are input paths (a training run's `mix_datasets`: PATH=WEIGHT).
INPUT_PATH_KEY_FIELDS = frozenset({"mix_datasets"})


def config_input_paths(model: BaseModel, loc: tuple = ()) -> Iterator[tuple[tuple, str, str]]:
    """(location, field name, path) of every input path named in a config, nested models included."""
    for name in type(model).model_fields:
        value = getattr(model, name)
        if isinstance(value, BaseModel):
            yield from config_input_paths(value, (*loc, name))
            continue
        if name in INPUT_PATH_KEY_FIELDS and isinstance(value, dict):
            items = [((*loc, name, key), key) for key in value]
        elif name not in INPUT_PATH_FIELDS:
            continue
        elif isinstance(value, dict):
            items = [((*loc, name, key), item) for key, item in value.items()]
        elif isinstance(value, list):
            items = [((*loc, name, index), item) for index, item in enumerate(value)]
        else:
            items = [((*loc, name), value)]
        for where, given in items:
            if isinstance(given, str) and given:
                yield where, name, given


class StageConfig(BaseModel):
    """Base of every stage config: unknown keys are errors."""

    model_config = ConfigDict(extra="forbid")


class Rejects:
    """Collects what a stage dropped, with reasons; forwards each one to an optional sink."""

    def __init__(self, sink: Callable[[dict[str, Any]], None] | None = None, samples_per_reason: int = 3):
        self.counts: Counter[str] = Counter()
        self.samples: dict[str, list[dict[str, Any]]] = {}
        #: Raw teacher replies of dropped records (the first few), to show why a stage dropped them.
        self.reply_samples: list[dict[str, Any]] = []
        self._sink = sink
        self._samples_per_reason = samples_per_reason

    def add(self, item: BaseModel | dict[str, Any] | str, reason: str, detail: str = "") -> None:
        """Record that `item` (a record, or a dict/str naming what was skipped) was dropped."""
        if isinstance(item, BaseModel):
            item = item.model_dump(exclude_none=True)
        elif isinstance(item, str):
            item = {"what": item}
        entry = {"reason": reason, "detail": detail, "record": item}
        self.counts[reason] += 1
        kept = self.samples.setdefault(reason, [])
        if len(kept) < self._samples_per_reason:
            kept.append(entry)
        if item.get("reply") is not None and len(self.reply_samples) < self._samples_per_reason:
            self.reply_samples.append(entry)
        if self._sink is not None:
            self._sink(entry)

    @property
    def total(self) -> int:
        return sum(self.counts.values())


class Stage:
    """Base class: subclasses set `name`, `Config` and what they handle, and implement `process`
    (or build on `RecordStage` and implement `process_one`)."""

    name: ClassVar[str]
    Config: ClassVar[type[StageConfig]]
    #: A stage that reads material from outside the run (a repo, a folder of guides).
    is_source: ClassVar[bool] = False
    #: Stop the run when the stage drops more than this share of what it saw (a recipe can override).
    max_drop_share: ClassVar[float | None] = None
    #: The record types the stage works on, and of documents the kinds (None: every kind).
    handles: ClassVar[tuple[type[Record], ...]] = (Example,)
    document_kinds: ClassVar[frozenset[DocumentKind] | None] = None
    #: Of the records it does not work on, the types it passes through untouched; the others are
    #: rejected with a reason naming the stage and the record.
    passes_through: ClassVar[tuple[type[Record], ...]] = (Document,)

    def __init__(self, config: StageConfig | dict[str, Any] | None = None):
        if not isinstance(config, StageConfig):
            config = self.Config.model_validate(config or {})
        self.config = config

    def process(self, records: Iterable[Record], rejects: Rejects) -> Iterator[Record]:
        raise NotImplementedError

    @classmethod
    def handles_record(cls, record: Record) -> bool:
        """Whether the stage works on this record (else `unhandled` says what becomes of it)."""
        if not isinstance(record, cls.handles):
            return False
        kinds = cls.document_kinds
        return not isinstance(record, Document) or kinds is None or record.kind in kinds

    def unhandled(self, record: Record, rejects: Rejects) -> Iterator[Record]:
        """A record the stage does not handle: yielded untouched, or rejected with a reason."""
        if isinstance(record, self.passes_through):
            yield record
        else:
            what = f"{record.kind} documents" if isinstance(record, Document) else "examples"
            rejects.add(record, f"{self.name}: does not handle {what}")

    def source_fingerprint(self) -> str:
        """A hash of the outside material a source stage reads, so unchanged sources are skipped."""
        return ""

    def outside_paths(self) -> list[Path]:
        """Files and folders outside the run that the stage reads (its config's input paths)."""
        return [Path(given).expanduser() for _, _, given in config_input_paths(self.config)]

    def summary(self) -> dict[str, Any]:
        """Extra figures for stats.json (files read, bytes, ...)."""
        return {}

    def reports(self) -> dict[str, str]:
        """Files a run writes next to the stage's data (file name -> text), e.g. a check report."""
        return {}

    def hold_out_like(self, valid_fraction: float, seed: int) -> str | None:
        """In a recipe with an export: a stage that holds examples out itself (training) takes the export's
        split, so its held-out examples are the exported valid split's. Returns why it cannot (its config
        names another split), else None. Most stages hold nothing out."""
        return None

    def finish(self, data_path: Path, work_dir: Path) -> dict[str, Any]:
        """Work on the stage's whole output once it is written: a training stage trains on it. Gets the
        output file and the stage's own folder (in a run, `NN-<stage>/`); returns figures for the run's
        report and stats.json. Most stages do everything in `process` and return nothing here."""
        return {}


class RecordStage(Stage):
    """A stage that decides one record at a time, as datatrove's filters do: the loop, and what
    becomes of the records the stage does not handle, are here; `process_one` is the decision.

    A stage that keeps state over the stream (what it has seen) sets it up in `process` and then
    yields from `super().process`.
    """

    def process(self, records: Iterable[Record], rejects: Rejects) -> Iterator[Record]:
        for record in records:
            if self.handles_record(record):
                yield from self.process_one(record, rejects)
            else:
                yield from self.unhandled(record, rejects)

    def process_one(self, record: Record, rejects: Rejects) -> Iterable[Record]:
        """What comes out for one handled record: itself, a changed copy, several, or nothing (then
        with a reason in `rejects`)."""
        raise NotImplementedError


class SourceStage(Stage):
    """A stage that reads material from outside the run (a repo, a folder of guides): the records
    before it pass through first, untouched, then come the records `read` makes."""

    is_source = True
    handles = ()
    passes_through = (Document, Example)

    def process(self, records: Iterable[Record], rejects: Rejects) -> Iterator[Record]:
        for record in records:
            yield from self.unhandled(record, rejects)
        yield from self.read(rejects)

    def read(self, rejects: Rejects) -> Iterator[Record]:
        """The records made from the outside material; what cannot be read goes to `rejects`."""
        raise NotImplementedError
