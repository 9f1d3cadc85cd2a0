"""The stage contract, for every registered stage: a record the stage does not handle is passed
through untouched or rejected with a reason naming the stage and what the record is; never lost.

`UNHANDLED` says, per stage, which probe records it does not handle and what becomes of each. A new
stage must be added to it (the first test says so), and what a stage declares (`handles`,
`document_kinds`, `passes_through`) must agree with it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from modsmith.records import Document, Example, Message, Provenance
from modsmith.run import stage_registry
from modsmith.stage import Rejects
from modsmith.teacher.loopback import LoopbackChatServer

SOURCE = Provenance(source="probe", path="probe.txt", lines=(1, 1))
PROBES = {
    "example": Example.create(
        "probe.example",
        [
            Message(role="user", content="What does the probe example ask about?"),
            Message(role="assistant", content="It asks nothing: it is here to be passed on or rejected."),
        ],
        [SOURCE],
    ),
    **{
        kind: Document(
            id=f"probe-{kind}",
            kind=kind,
            text=text,
            lang=lang,
            provenance=SOURCE,
            meta={"symbol": "Probe_Update", "symbol_kind": "function", "lines": 1} if kind == "code" else {},
        )
        for kind, lang, text in [
            ("code", "c", "void Probe_Update(void) {\n}"),
            ("text", "markdown", "A guide chunk: wait two frames before the jump, then hold the stick."),
            ("spec", "text", "Make the cube spin around its vertical axis."),
            ("trace", None, "frame 1: x=0\nframe 2: x=1"),
        ]
    },
}
DOCUMENTS = ("code", "text", "spec", "trace")

# Per stage: the probes it does not handle, "pass" (comes out untouched) or "reject" (with a reason).
SOURCES = {probe: "pass" for probe in PROBES}
CURATE = {probe: "pass" for probe in DOCUMENTS}


def synth(handled: tuple[str, ...]) -> dict[str, str]:
    """A synth stage: examples pass through, documents of another kind are rejected."""
    return {"example": "pass", **{kind: "reject" for kind in DOCUMENTS if kind not in handled}}


UNHANDLED: dict[str, dict[str, str]] = {
    "ingest.code": SOURCES,
    "ingest.text": SOURCES,
    "ingest.spec": SOURCES,
    "ingest.examples": SOURCES,
    "synth.tasks": synth(("code", "text")),
    "synth.guide_qa": synth(("text",)),
    "synth.code_qa": synth(("code",)),
    "synth.code_debug": synth(("code",)),
    "synth.unity_ir": synth(("spec",)),
    "curate.heuristics": CURATE,
    "curate.exact_dedup": CURATE,
    "curate.near_dedup": CURATE,
    "curate.semantic_dedup": CURATE,
    "curate.judge": CURATE,
    "curate.rewrite": CURATE,
    "ground.check": CURATE,
    "train.sft": SOURCES,  # every record passes on: it trains on the examples once they are written
}
STAGES = sorted(stage_registry())


@pytest.fixture(scope="module")
def teacher_server():
    """A loopback teacher: reachable, but no stage should ask it about a record it does not handle."""
    with LoopbackChatServer() as server:
        yield server


def small_config(name: str, folder: Path, teacher_url: str, examples: Path) -> dict:
    """The least config each stage needs, with tiny local inputs for the source stages."""
    teacher = {"base_url": teacher_url, "model": "probe", "cache": None, "max_retries": 0}
    if name == "ingest.code":
        (folder / "src").mkdir()
        (folder / "src" / "probe.c").write_text("int Probe_Count(int n) {\n    return n + 1;\n}\n")
        return {"root": str(folder / "src")}
    if name == "ingest.text":
        guide = folder / "guide.md"
        guide.write_text("# Jumping\n\nWait two frames after landing, then press jump and hold the stick.\n")
        return {"paths": [str(guide)]}
    if name == "ingest.spec":
        requests = folder / "requests.txt"
        requests.write_text("Make the lamp blink every second.\n")
        return {"paths": [str(requests)]}
    if name == "ingest.examples":
        data = folder / "examples.jsonl"
        data.write_text(Example.create("given", [Message(role="user", content="q")]).model_dump_json() + "\n")
        return {"paths": [str(data)]}
    if name == "ground.check":
        decomp = examples / "sample_decomp"
        return {"repo": str(decomp), "profile": str(decomp / "modsmith-profile.yaml"), "languages": ["c"]}
    if name == "train.sft":
        return {"base": "a/hub-model"}  # nothing is loaded until `finish`
    if "teacher" in stage_registry()[name].Config.model_fields:
        return {"teacher": teacher}
    return {}


def run_with_probes(name, probes, tmp_path, teacher_server, examples_dir):
    cls = stage_registry()[name]
    stage = cls(
        cls.Config.model_validate(small_config(name, tmp_path, teacher_server.base_url, examples_dir))
    )
    entries: list[dict] = []
    rejects = Rejects(sink=entries.append)
    out = list(stage.process(iter([PROBES[p] for p in probes]), rejects))
    return stage, out, entries


def test_every_registered_stage_is_in_the_table():
    assert sorted(UNHANDLED) == STAGES, "add the new stage to UNHANDLED: which records it does not handle"


@pytest.mark.parametrize("name", STAGES)
def test_no_stage_loses_a_record_it_does_not_handle(name, tmp_path, teacher_server, examples_dir):
    probes = list(UNHANDLED[name])
    asked_before = len(teacher_server.requests)
    stage, out, entries = run_with_probes(name, probes, tmp_path, teacher_server, examples_dir)
    for probe in probes:
        record = PROBES[probe]
        came_out = sum(1 for r in out if r == record)
        rejected = sum(1 for e in entries if e["record"] == record.model_dump(exclude_none=True))
        assert came_out + rejected == 1, (
            f"{name} lost the {probe} record (out {came_out}, rejected {rejected})"
        )
    if not stage.is_source:
        assert len(out) + len(entries) == len(probes), (
            f"{name}: in {len(probes)}, out {len(out)}, rejected {len(entries)}"
        )
    assert len(teacher_server.requests) == asked_before, (
        f"{name} asked the teacher about what it does not handle"
    )


@pytest.mark.parametrize("name", STAGES)
def test_each_unhandled_record_passes_or_is_rejected_naming_the_stage(
    name, tmp_path, teacher_server, examples_dir
):
    probes = list(UNHANDLED[name])
    _, out, entries = run_with_probes(name, probes, tmp_path, teacher_server, examples_dir)
    for probe, policy in UNHANDLED[name].items():
        record = PROBES[probe]
        if policy == "pass":
            assert record in out, f"{name} should pass the {probe} record through untouched"
            continue
        (entry,) = [e for e in entries if e["record"] == record.model_dump(exclude_none=True)]
        what = f"{probe} documents" if probe in DOCUMENTS else "examples"
        assert entry["reason"] == f"{name}: does not handle {what}"


@pytest.mark.parametrize("name", STAGES)
def test_what_a_stage_declares_agrees_with_the_table(name):
    cls = stage_registry()[name]
    for probe, record in PROBES.items():
        handled = cls.handles_record(record)
        assert handled == (probe not in UNHANDLED[name]), (
            f"{name} {'handles' if handled else 'does not handle'} {probe}"
        )
        if not handled:
            passes = isinstance(record, cls.passes_through)
            assert passes == (UNHANDLED[name][probe] == "pass"), f"{name}: {probe}"
