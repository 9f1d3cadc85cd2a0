"""Same inputs, same bytes, in any process: a recipe run over the sample code (its dataset
included), the symbol index of a code base and the grounding report come out byte for byte equal
from separate processes with different hash seeds (set order, the order of anything hashed), and
none of them is empty. A run repeated in one process cannot see hash-seed order: it has one seed."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from modsmith.records import Example, Message, write_jsonl

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
SAMPLE_DECOMP = EXAMPLES / "sample_decomp"
SAMPLE_UNITY = EXAMPLES / "sample_unity"
PROFILE = SAMPLE_DECOMP / "modsmith-profile.yaml"
SEEDS = ("0", "1", "2")

#: answers that invent names, so the grounding report has invented names and compile failures to list
C_ANSWER = """void EnSample_Update(Actor* thisx, PlayState* play) {
    Actor* other = Actor_FindNearby(play, thisx, 0, 1, 100.0f);
    Math_StepToF(&thisx->speedXZ, 0.0f, 1.0f);
    thisx->worldPoss.y += Math_Vec3f_DistXYZ(&thisx->world.pos, &other->world.pos);
    Actor_MoveForwardd(thisx);
}"""
CSHARP_ANSWER = """using UnityEngine;

public class Spinner : MonoBehaviour
{
    public float speed = 90f;
    void Update()
    {
        transform.Rotatee(Vector3.up, speed * Time.deltaTime);
    }
}"""


def in_processes(argv: list[str], folder: Path) -> list[Path]:
    """Run `argv` once per hash seed, each in its own folder (its cwd) with its own modsmith cache."""
    folders = []
    for seed in SEEDS:
        cwd = folder / f"seed-{seed}"
        cwd.mkdir(parents=True)
        env = {**os.environ, "PYTHONHASHSEED": seed, "MODSMITH_CACHE": str(cwd / "cache")}
        done = subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True, timeout=600)
        assert done.returncode == 0, done.stderr
        folders.append(cwd)
    return folders


def answer(code: str, lang: str) -> Example:
    return Example.create(
        "code.implement",
        [
            Message(role="user", content="Write it."),
            Message(role="assistant", content=f"```{lang}\n{code}\n```"),
        ],
    )


def run_files(run_dir: Path) -> dict[str, bytes]:
    """Every file a run wrote, by path; stats.json without its timing, the one thing that may vary."""
    files = {}
    for path in sorted(run_dir.rglob("*")):
        if not path.is_file() or path.name.startswith(".lock"):
            continue
        data = path.read_bytes()
        if path.name == "stats.json":
            stats = json.loads(data)
            assert stats.pop("seconds") >= 0
            data = json.dumps(stats, indent=2).encode()
        files[path.relative_to(run_dir).as_posix()] = data
    return files


@pytest.fixture(scope="module")
def sample_runs(tmp_path_factory) -> list[dict[str, bytes]]:
    """The files of one recipe run over the sample code, grounded, from each hash seed's process."""
    folder = tmp_path_factory.mktemp("determinism")
    answers = folder / "answers.jsonl"
    write_jsonl(answers, [answer(C_ANSWER, "c"), answer(CSHARP_ANSWER, "csharp")])
    recipe = folder / "sample.yaml"
    recipe.write_text(
        "name: sample\noutput: runs\nstages:\n"
        f"  - {{stage: ingest.code, id: decomp, with: {{root: {SAMPLE_DECOMP}}}}}\n"
        f"  - {{stage: ingest.code, id: unity, with: {{root: {SAMPLE_UNITY}}}}}\n"
        "  - {stage: synth.tasks, id: tasks}\n"
        f"  - {{stage: ingest.examples, id: answers, with: {{paths: [{answers}]}}}}\n"
        "  - {stage: curate.exact_dedup, id: dedup}\n"
        f"  - {{stage: ground.check, id: ground-c, with: {{repo: {SAMPLE_DECOMP}, profile: {PROFILE}, "
        "languages: [c], workers: 2}}\n"
        f"  - {{stage: ground.check, id: ground-cs, with: {{repo: {SAMPLE_UNITY}, languages: [csharp], "
        "workers: 2}}\n"
        "export: {formats: [alpaca, sharegpt, openai], valid_fraction: 0.2}\n"
    )
    folders = in_processes([sys.executable, "-m", "modsmith.cli", "run", str(recipe)], folder)
    return [run_files(cwd / "runs" / "sample") for cwd in folders]


def test_a_recipe_run_over_the_sample_code_is_byte_identical_across_hash_seeds(sample_runs):
    first = sample_runs[0]
    stages = ["01-decomp", "02-unity", "03-tasks", "04-answers", "05-dedup", "06-ground-c", "07-ground-cs"]
    assert sorted({name.split("/")[0] for name in first}) == [*stages, "dataset"]
    assert first["dataset/valid.sharegpt.jsonl"] and first["dataset/README.md"]
    for stage in stages:
        assert first[f"{stage}/data.jsonl"].count(b"\n") > 2, f"{stage} wrote no records"
    assert first["03-tasks/rejected.jsonl"], "synth.tasks drops what it has no task for, with reasons"
    for other in sample_runs[1:]:
        assert other.keys() == first.keys()
        for name, data in first.items():
            assert other[name] == data, f"{name} differs between hash seeds"


def test_the_grounding_report_is_byte_identical_across_hash_seeds(sample_runs):
    for other in sample_runs[1:]:
        for stage in ("06-ground-c", "07-ground-cs"):
            for name in ("report.json", "report.md"):
                assert other[f"{stage}/{name}"] == sample_runs[0][f"{stage}/{name}"], f"{stage}/{name}"
    c_report = json.loads(sample_runs[0]["06-ground-c/report.json"])
    cs_report = json.loads(sample_runs[0]["07-ground-cs/report.json"])
    assert c_report["checks"]["compile_c"]["passed"] > 10 and cs_report["checks"]["compile_csharp"]["failed"]
    assert {"Actor_MoveForwardd", "worldPoss"} <= {item["name"] for item in c_report["invented"]}
    assert "Rotatee" in {item["name"] for item in cs_report["invented"]}


BUILD_INDEX = """
import sys
from modsmith.ground.c.profiles import load_profile
from modsmith.ground.names.symbol_index import SymbolIndex

repo, db, profile = sys.argv[1:]
SymbolIndex.build(repo, db, profile=load_profile(profile)).close()
"""


def index_rows(db: Path) -> dict[str, list[tuple]]:
    """Every row of an index file in the order it was stored, but the build's time."""
    conn = sqlite3.connect(db)
    try:
        return {
            "meta": conn.execute("SELECT * FROM meta WHERE key != 'built' ORDER BY rowid").fetchall(),
            "files": conn.execute("SELECT * FROM files ORDER BY rowid").fetchall(),
            "symbols": conn.execute("SELECT * FROM symbols ORDER BY rowid").fetchall(),
        }
    finally:
        conn.close()


def test_the_symbol_index_build_is_identical_across_hash_seeds(tmp_path):
    folders = in_processes(
        [sys.executable, "-c", BUILD_INDEX, str(SAMPLE_DECOMP), "index.sqlite", str(PROFILE)], tmp_path
    )
    indexes = [index_rows(cwd / "index.sqlite") for cwd in folders]
    symbols = indexes[0]["symbols"]
    origins = {row[-1] for row in symbols}
    assert len(symbols) > 100 and origins == {"source", "profile"}, origins
    assert len(indexes[0]["files"]) > 5
    assert indexes[1] == indexes[0] and indexes[2] == indexes[0]
