import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from modsmith.errors import ModsmithError
from modsmith.run import run_recipe

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
