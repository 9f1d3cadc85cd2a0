import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from modsmith.errors import ModsmithError
from modsmith.records import Document, Example, Message, Provenance, read_records
from modsmith.run import execute_stage, run_recipe
from modsmith.stage import RecordStage, Stage, StageConfig

FUNC = """\
/**
 * Updates counter {i} of the widget and clamps it to the limit.
 */
s32 Widget_Update{i}(s32 value, s32 limit) {{
    s32 next = value + {i};
    if (next > limit) {{
        next = limit;
    }}
    return next;
}}
"""


def make_tree(root: Path, files: int, functions: int = 8) -> Path:
    for n in range(files):
        folder = root / "src" / f"dir{n % 20}"
        folder.mkdir(parents=True, exist_ok=True)
        body = "".join(FUNC.format(i=n * 100 + k) for k in range(functions))
        (folder / f"file{n}.c").write_text(f'#include "widget.h"\n#define WIDGET_{n}_MAX {n}\n{body}')
    return root


def write_recipe(path: Path, root: Path, output: Path, name: str = "r") -> Path:
    path.write_text(
        f"name: {name}\noutput: {output}\nstages:\n"
        f"  - stage: ingest.code\n    with:\n      root: {root}\n"
        f"  - stage: synth.tasks\n    with:\n      tasks: [code.explain, code.macro]\n"
    )
    return path


def stage_files(run_dir: Path) -> dict[str, str]:
    return {p.parent.name: p.read_text() for p in sorted(run_dir.glob("*/data.jsonl"))}


def test_run_writes_stage_dirs_and_skips_unchanged(tmp_path):
    root = make_tree(tmp_path / "repo", 5, 2)
    recipe = write_recipe(tmp_path / "r.yaml", root, tmp_path / "runs")
    first = run_recipe(recipe)
    assert [s.skipped for s in first.stages] == [False, False]
    stage_dir = first.run_dir / "01-ingest.code"
    stats = json.loads((stage_dir / "stats.json").read_text())
    assert stats["records_out"] == first.stages[0].records_out > 0
    assert (stage_dir / "rejected.jsonl").exists()
    assert first.stages[1].records_out == 5 * 2 + 5  # explain per function, macro per file

    second = run_recipe(recipe)
    assert [s.skipped for s in second.stages] == [True, True]

    (root / "src" / "dir0" / "file0.c").write_text("#define ONLY_ONE 1\n")
    third = run_recipe(recipe)
    assert [s.skipped for s in third.stages] == [False, False]
    assert third.stages[1].records_out == 4 * 2 + 4 + 1


def test_config_change_reruns_only_from_that_stage(tmp_path):
    root = make_tree(tmp_path / "repo", 3, 1)
    recipe = write_recipe(tmp_path / "r.yaml", root, tmp_path / "runs")
    run_recipe(recipe)
    recipe.write_text(recipe.read_text().replace("[code.explain, code.macro]", "[code.macro]"))
    again = run_recipe(recipe)
    assert [s.skipped for s in again.stages] == [True, False]
    assert again.stages[1].records_out == 3


def test_empty_stage_stops_with_reasons_and_keeps_previous_output(tmp_path):
    root = make_tree(tmp_path / "repo", 2, 1)
    recipe = write_recipe(tmp_path / "r.yaml", root, tmp_path / "runs")
    result = run_recipe(recipe)
    data = result.run_dir / "02-synth.tasks" / "data.jsonl"
    before = data.read_text()
    recipe.write_text(recipe.read_text().replace("[code.explain, code.macro]", "[guide.section]"))
    with pytest.raises(ModsmithError) as err:
        run_recipe(recipe)
    message = err.value.one_line()
    assert "synth.tasks produced no records" in message and "no selected task for function" in message
    assert data.read_text() == before


def test_kill_mid_stage_then_rerun_equals_uninterrupted(tmp_path):
    root = make_tree(tmp_path / "repo", 1200, 8)
    clean = run_recipe(write_recipe(tmp_path / "clean.yaml", root, tmp_path / "clean"))
    expected = stage_files(clean.run_dir)

    recipe = write_recipe(tmp_path / "k.yaml", root, tmp_path / "killed")
    stage_dir = tmp_path / "killed" / "r" / "01-ingest.code"
    proc = subprocess.Popen(
        [sys.executable, "-m", "modsmith.cli", "run", str(recipe)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )

    def partial_data() -> list[Path]:
        return [p for p in stage_dir.glob(".data.jsonl.*.tmp") if p.stat().st_size > 20000]

    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not partial_data():
        time.sleep(0.02)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert partial_data(), "the run finished before it could be killed mid-stage"
    assert not (stage_dir / "data.jsonl").exists()
    assert not (stage_dir / "stats.json").exists()

    rerun = run_recipe(recipe)
    assert [s.skipped for s in rerun.stages] == [False, False]
    assert stage_files(rerun.run_dir) == expected


def test_drop_share_limit_stops_with_a_reason_table_and_keeps_rejects(tmp_path):
    root = make_tree(tmp_path / "repo", 3, 2)
    (root / "src" / "dir0" / "file0.c").write_text("void Undocumented(void) {\n}\n#define EMPTY\n")
    recipe = write_recipe(tmp_path / "r.yaml", root, tmp_path / "runs")
    recipe.write_text(recipe.read_text() + "    max_drop_share: 0.1\n")
    with pytest.raises(ModsmithError) as err:
        run_recipe(recipe)
    assert "dropped" in err.value.message and "max_drop_share 10%" in err.value.message
    assert "code.explain: no doc comment" in err.value.details
    stage_dir = tmp_path / "runs" / "r" / "02-synth.tasks"
    assert not (stage_dir / "data.jsonl").exists()
    rejected = [json.loads(line) for line in (stage_dir / "rejected.jsonl").read_text().splitlines()]
    assert {r["reason"] for r in rejected} >= {"code.explain: no doc comment"}


def test_stages_can_read_named_earlier_stages(tmp_path):
    root = make_tree(tmp_path / "repo", 3, 2)
    recipe = tmp_path / "dag.yaml"
    recipe.write_text(
        f"name: dag\noutput: {tmp_path / 'runs'}\nstages:\n"
        f"  - {{stage: ingest.code, id: code, with: {{root: {root}}}}}\n"
        "  - {stage: synth.tasks, id: macros, with: {tasks: [code.macro]}}\n"
        "  - {stage: synth.tasks, id: explain, inputs: [code], with: {tasks: [code.explain]}}\n"
        "  - {stage: curate.exact_dedup, inputs: [macros, explain]}\n"
    )
    result = run_recipe(recipe)
    assert [s.records_out for s in result.stages][1:] == [3, 6, 9]
    assert sorted(p.name for p in result.run_dir.iterdir() if not p.name.startswith(".")) == [
        "01-code",
        "02-macros",
        "03-explain",
        "04-curate.exact_dedup",
    ]
    assert [s.skipped for s in run_recipe(recipe).stages] == [True] * 4


@pytest.mark.parametrize(
    ("inputs", "message"),
    [
        ("[nowhere]", "input 'nowhere' is not an earlier stage"),
        ("[later]", "input 'later' is not an earlier stage"),
    ],
)
def test_bad_inputs_name_the_line(tmp_path, inputs, message):
    recipe = tmp_path / "bad.yaml"
    recipe.write_text(
        "name: bad\nstages:\n  - {stage: ingest.code, with: {root: .}}\n"
        f"  - stage: synth.tasks\n    inputs: {inputs}\n  - {{stage: synth.tasks, id: later}}\n"
    )
    with pytest.raises(ModsmithError, match=message) as err:
        run_recipe(recipe)
    assert err.value.where == f"{recipe}:5"


# -- what a stage's drops leave behind ------------------------------------------------------------


def texts(count: int) -> list[Document]:
    return [
        Document(id=f"d{n}", kind="text", text="x" * n, provenance=Provenance(source="here"))
        for n in range(count)
    ]


class Dropping(Stage):
    """Keeps every `keep_every`-th document `dN` (none with 0). Of the others, the odd ones go with
    the teacher's reply (as the LLM stages drop what they cannot parse), the even ones are too short."""

    name = "test.dropping"

    class Config(StageConfig):
        keep_every: int = 3

    def process(self, records, rejects):
        for record in records:
            n = int(record.id[1:])
            if self.config.keep_every and n % self.config.keep_every == 0:
                yield record
            elif n % 2:
                reply = f"reply {n}: " + "no verdict here. " * 50
                rejects.add({"id": record.id, "reply": reply}, "judge: no verdict in the reply")
            else:
                rejects.add(record, "too short", f"{len(record.text)} characters")


def test_every_drop_reaches_rejected_jsonl_and_the_first_few_are_shown(tmp_path):
    data, rejected = tmp_path / "data.jsonl", tmp_path / "rejected.jsonl"
    result = execute_stage(Dropping(), texts(30), data, rejected)
    assert (result.records_in, result.records_out, result.dropped) == (30, 10, 20)
    assert result.reasons == {"judge: no verdict in the reply": 10, "too short": 10}
    assert [json.loads(line)["id"] for line in data.read_text().splitlines()] == [
        f"d{n}" for n in range(0, 30, 3)
    ]
    lines = [json.loads(line) for line in rejected.read_text().splitlines()]
    assert len(lines) == 20
    assert lines[1] == {
        "reason": "too short",
        "detail": "2 characters",
        "record": texts(3)[2].model_dump(exclude_none=True),
    }
    # the summary holds the first few of each reason, and the first teacher replies: not every drop
    assert [s["record"]["id"] for s in result.samples["too short"]] == ["d2", "d4", "d8"]
    assert [s["record"]["id"] for s in result.reply_samples] == ["d1", "d5", "d7"]


def test_a_stage_that_drops_everything_shows_the_teachers_first_replies(tmp_path):
    with pytest.raises(ModsmithError) as err:
        execute_stage(
            Dropping({"keep_every": 0}), texts(12), tmp_path / "data.jsonl", tmp_path / "rejected.jsonl"
        )
    assert "test.dropping produced no records: dropped 12" in err.value.message
    report = err.value.details
    assert report.startswith("  count  reason\n      6  too short\n      6  judge: no verdict in the reply\n")
    assert [line for line in report.splitlines() if line.startswith("---")] == [
        "--- dropped reply 1 (judge: no verdict in the reply):",
        "--- dropped reply 2 (judge: no verdict in the reply):",
        "--- dropped reply 3 (judge: no verdict in the reply):",
    ]
    assert "reply 1: no verdict here." in report and "reply 7:" not in report  # only the first three
    assert report.count(" [...]") == 3  # each long reply is cut
    assert not (tmp_path / "data.jsonl").exists() and (tmp_path / "rejected.jsonl").exists()


def test_without_replies_the_report_shows_the_dropped_records(tmp_path):
    only_short = [doc for n, doc in enumerate(texts(9)) if n % 2 == 0 and n % 3]  # d2, d4, d8
    with pytest.raises(ModsmithError) as err:
        execute_stage(Dropping(), only_short, tmp_path / "data.jsonl", tmp_path / "rejected.jsonl")
    report = err.value.details
    assert "--- dropped record 1 (too short): 2 characters" in report
    assert '"id": "d4"' in report and "--- dropped record 3 (too short): 8 characters" in report
    assert "dropped reply" not in report


def test_a_skipped_stage_reports_what_its_run_did(tmp_path):
    root = make_tree(tmp_path / "repo", 3, 2)
    (root / "src" / "dir0" / "file0.c").write_text("void Undocumented(void) {\n}\n#define ONE 1\n")
    recipe = write_recipe(tmp_path / "r.yaml", root, tmp_path / "runs")
    first = run_recipe(recipe)
    again = run_recipe(recipe)
    assert [s.skipped for s in again.stages] == [True, True]
    counts = [(s.records_in, s.records_out, s.reasons) for s in first.stages]
    assert [(s.records_in, s.records_out, s.reasons) for s in again.stages] == counts
    assert first.stages[1].reasons == {"code.explain: no doc comment": 1}
    assert [s.output for s in again.stages] == [s.output for s in first.stages]


def test_the_dataset_is_exported_from_the_last_stage(tmp_path):
    root = make_tree(tmp_path / "repo", 4, 2)
    recipe = write_recipe(tmp_path / "r.yaml", root, tmp_path / "runs")
    recipe.write_text(recipe.read_text() + "export:\n  formats: [alpaca]\n  valid_fraction: 0.25\n")
    result = run_recipe(recipe)
    assert result.export["examples"] == result.stages[-1].records_out == 4 * 2 + 4
    dataset = result.run_dir / "dataset"
    lines = [
        json.loads(line)
        for name in ("train.alpaca.jsonl", "valid.alpaca.jsonl")
        for line in (dataset / name).read_text().splitlines()
    ]
    assert len(lines) == 12 and all(line["instruction"] and line["output"] for line in lines)


# -- what a stage does with records it does not handle ---------------------------------------------


class Shouting(RecordStage):
    """Upper-cases text documents; passes examples through; rejects the other kinds of document."""

    name = "test.shouting"
    handles = (Document,)
    document_kinds = frozenset({"text"})
    passes_through = (Example,)

    class Config(StageConfig):
        pass

    def process_one(self, record, rejects):
        yield record.model_copy(update={"text": record.text.upper()})


def test_records_a_stage_does_not_handle_pass_through_or_are_rejected_never_lost(tmp_path):
    code = Document(id="c", kind="code", text="int x;", provenance=Provenance(source="here"))
    example = Example.create("t", [Message(role="user", content="q"), Message(role="assistant", content="a")])
    records = [texts(3)[1], code, example, texts(3)[2]]
    result = execute_stage(Shouting(), records, tmp_path / "data.jsonl", tmp_path / "rejected.jsonl")
    assert result.records_in == result.records_out + result.dropped == 4
    assert list(read_records(tmp_path / "data.jsonl")) == [
        texts(3)[1].model_copy(update={"text": "X"}),
        example,
        texts(3)[2].model_copy(update={"text": "XX"}),
    ]
    assert result.reasons == {"test.shouting: does not handle code documents": 1}
    assert result.samples["test.shouting: does not handle code documents"][0]["record"]["id"] == "c"


def test_a_second_source_adds_its_records_after_those_before_it(tmp_path):
    first_root, second_root = make_tree(tmp_path / "a", 2, 1), make_tree(tmp_path / "b", 3, 1)
    recipe = tmp_path / "two.yaml"
    recipe.write_text(
        f"name: two\noutput: {tmp_path / 'runs'}\nstages:\n"
        f"  - {{stage: ingest.code, with: {{root: {first_root}}}}}\n"
        f"  - {{stage: ingest.code, with: {{root: {second_root}}}}}\n"
    )
    result = run_recipe(recipe)
    first, second = (
        [json.loads(line) for line in Path(s.output).read_text().splitlines()] for s in result.stages
    )
    assert result.stages[1].records_in == len(first) > 0
    assert second[: len(first)] == first
    added = {record["provenance"]["source"] for record in second[len(first) :]}
    assert added == {str(second_root.resolve())} and len(second) > len(first)


class Strict(Dropping):
    """`Dropping` with a limit of its own, as the teacher stages have."""

    name = "test.strict"
    max_drop_share = 0.5


def test_a_stage_stops_past_its_own_drop_limit_unless_the_recipe_loosens_it(tmp_path):
    data, rejected = tmp_path / "data.jsonl", tmp_path / "rejected.jsonl"
    with pytest.raises(ModsmithError, match="dropped 67% of its input, more than max_drop_share 50%"):
        execute_stage(Strict(), texts(30), data, rejected)
    assert not data.exists() and len(rejected.read_text().splitlines()) == 20
    assert execute_stage(Strict(), texts(30), data, rejected, max_drop_share=0.7).records_out == 10
    assert execute_stage(Strict({"keep_every": 2}), texts(30), data, rejected).dropped == 15  # at the limit


def test_progress_is_reported_for_every_record_written(tmp_path):
    written: list[int] = []
    data = tmp_path / "data.jsonl"
    execute_stage(Dropping(), texts(9), data, tmp_path / "rejected.jsonl", on_record=written.append)
    assert written == [1, 2, 3]
