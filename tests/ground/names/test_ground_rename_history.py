"""Rename history on the mini decomp's longer history (`decomp_repo.HISTORY`): real renames, a
rename chain, tables turned into X-macros, a removal; one pass, cached, the same in every process."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from decomp_repo import make_history_repo

from modsmith.ground.check_config import GroundCheckConfig
from modsmith.ground.code_spans import CodeSpan
from modsmith.ground.grounding import Grounding
from modsmith.ground.names.invented import check_names
from modsmith.ground.names.rename_history import RenameHistory
from modsmith.ground.names.symbol_index import SymbolIndex

ROOT = Path(__file__).resolve().parents[3]
GONE = [
    "Matrix_NewMtx",
    "GlobalContext",
    "globalCtx",
    "func_80A01234",
    "EnTest_SetupSpin",
    "EnTest_UnusedHelper",
    "NA_SE_EV_TEST_PLANT_CUT",
    "NA_SE_EV_TEST_DOOR_OPEN",
    "OBJECT_TEST_KUSA",
    "MATRIX_NEWMTX",
]


@pytest.fixture(scope="module")
def history_repo(tmp_path_factory) -> tuple[Path, dict[str, str]]:
    root = tmp_path_factory.mktemp("history") / "mini_decomp"
    return root, make_history_repo(root)


@pytest.fixture(scope="module")
def index(history_repo, tmp_path_factory):
    root, _ = history_repo
    built = SymbolIndex.build(root, tmp_path_factory.mktemp("index") / "index.sqlite")
    yield built
    built.close()


@pytest.fixture
def history(history_repo, index, tmp_path):
    root, _ = history_repo
    found = RenameHistory(root, tmp_path / "renames.sqlite", index=index)
    yield found
    found.close()


def test_a_real_rename_names_its_commit(history, history_repo):
    _, commits = history_repo
    found = history.renamed("Matrix_NewMtx")
    assert (found.new, found.commit, found.date) == (
        "Matrix_Finalize",
        commits["Rename Matrix_NewMtx to Matrix_Finalize"],
        "2024-09-11",
    )
    assert found.subject == "Rename Matrix_NewMtx to Matrix_Finalize"
    for old, new in (("GlobalContext", "PlayState"), ("globalCtx", "play")):
        found = history.renamed(old)
        assert (found.new, found.commit) == (new, commits["PlayState Rename"])


def test_a_rename_chain_leads_to_the_name_in_head(history, history_repo):
    # func_80A01234 -> EnTest_SetupSpin -> EnTest_StartSpinning; a stale comment that still
    # said EnTest_SetupSpin was deleted later, which is no removal of the name
    _, commits = history_repo
    found = history.renamed("func_80A01234")
    assert (found.new, found.via, found.commit) == (
        "EnTest_StartSpinning",
        ("EnTest_SetupSpin",),
        commits["Name EnTest functions"],
    )
    found = history.renamed("EnTest_SetupSpin")
    assert (found.new, found.commit) == (
        "EnTest_StartSpinning",
        commits["Rename EnTest_SetupSpin to EnTest_StartSpinning"],
    )


def test_a_table_turned_into_an_x_macro_renames_nothing(history):
    # "Introduce Sfx Tables" removed `#define NA_SE_EV_TEST_PLANT_CUT 0x2801` (and a comment
    # naming it) where it added `NA_SE_EV_BASE = 0x27FF,`: the name moved into the table
    for name in ("NA_SE_EV_TEST_PLANT_CUT", "NA_SE_EV_TEST_DOOR_OPEN", "NA_SE_EV_TEST_SPLASH"):
        assert history.history(name) is None, name


def test_a_name_moved_into_an_x_macro_table_was_not_removed(history):
    # the enum entry became `DEFINE_OBJECT(object_test_kusa, OBJECT_TEST_KUSA)` and a debug
    # name string table went away in the same commit
    assert history.history("OBJECT_TEST_KUSA") is None
    assert history.history("OBJECT_TEST_TREE") is None


def test_a_removed_name_has_its_commit_and_no_successor(history, history_repo):
    # the helper's place now holds `static s16 sTestUnusedTimer = 0;`, which is no rename
    _, commits = history_repo
    found = history.history("EnTest_UnusedHelper")
    assert (found.new, found.commit) == (None, commits["Remove an unused helper"])
    assert history.renamed("EnTest_UnusedHelper") is None


def test_names_that_exist_or_never_existed_have_no_history(history):
    for name in ("Matrix_Finalize", "EnTest_StartSpinning", "PlayState", "MATRIX_NEWMTX", "sObjectNames_"):
        assert history.history(name) is None, name


def test_the_history_is_read_in_one_pass_whatever_is_asked(history_repo, index, tmp_path):
    root, _ = history_repo
    one = RenameHistory(root, tmp_path / "one.sqlite", index=index)
    one.history("Matrix_NewMtx")
    many = RenameHistory(root, tmp_path / "many.sqlite", index=index)
    for name in GONE:
        many.history(name)
    assert one.git_runs == many.git_runs <= 3  # list HEAD's files, read them, one `git log -p`
    build = many.build()
    assert (build.status, build.commits) == ("done", 8)
    assert build.renames == sum(1 for e in many.entries() if e.new)
    one.close()
    many.close()


def test_a_new_process_answers_from_the_cache_without_git(history_repo, index, tmp_path, monkeypatch):
    root, _ = history_repo
    cache = tmp_path / "renames.sqlite"
    first = RenameHistory(root, cache, index=index)
    answers = {name: first.history(name) for name in GONE}
    first.close()
    monkeypatch.setenv("PATH", str(tmp_path / "no-git-here"))
    again = RenameHistory(root, cache, index=index)
    assert {name: again.history(name) for name in GONE} == answers
    assert again.git_runs == 0
    again.close()


def test_the_cache_follows_head(history_repo, tmp_path):
    root, _ = history_repo
    repo = tmp_path / "repo"
    shutil.copytree(root, repo)
    cache = tmp_path / "renames.sqlite"
    before = RenameHistory(repo, cache)
    assert before.history("EnTest_StartSpinning") is None
    before.close()
    source = repo / "src" / "overlays" / "actors" / "ovl_En_Test" / "z_en_test.c"
    source.write_text(source.read_text().replace("EnTest_StartSpinning", "EnTest_BeginSpin"))
    git = ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@example.invalid"]
    subprocess.run([*git, "commit", "-q", "-a", "-m", "Rename EnTest_StartSpinning"], check=True)
    after = RenameHistory(repo, cache)
    assert after.renamed("EnTest_StartSpinning").new == "EnTest_BeginSpin"
    assert after.renamed("func_80A01234").new == "EnTest_BeginSpin"
    after.close()


def test_the_old_names_found_in_an_answer_get_the_current_name(history_repo, index, history):
    code = "void EnTest_Init(Actor* thisx, PlayState* play) {\n    func_80A01234((EnTest*)thisx);\n}\n"
    report = check_names([CodeSpan(code, "c", "block", 1, 0, 1)], index, history)
    found = {i.name: i for i in report.invented}["func_80A01234"]
    assert found.renamed_to == "EnTest_StartSpinning"


DUMP = """
import json, sys
from modsmith.ground.names.rename_history import RenameHistory
from modsmith.ground.names.symbol_index import SymbolIndex
index = SymbolIndex.build(sys.argv[1], sys.argv[2])
history = RenameHistory(sys.argv[1], None, index=index)
print(json.dumps([[e.old, e.new, e.commit, list(e.via)] for e in history.entries()]))
"""


def test_the_same_history_gives_the_same_answers_in_every_process(history_repo, tmp_path):
    root, _ = history_repo
    outputs = []
    for seed in ("0", "1", "4242"):
        env = {**os.environ, "PYTHONHASHSEED": seed, "MODSMITH_CACHE": str(tmp_path / "cache")}
        done = subprocess.run(
            [sys.executable, "-c", DUMP, str(root), str(tmp_path / f"index-{seed}.sqlite")],
            capture_output=True,
            text=True,
            env=env,
            check=True,
        )
        outputs.append(json.loads(done.stdout))
    assert outputs[0] == outputs[1] == outputs[2]
    assert ["func_80A01234", "EnTest_StartSpinning"] in [entry[:2] for entry in outputs[0]]


def test_a_history_too_long_to_read_answers_nothing_and_is_not_read_again(history_repo, index, tmp_path):
    root, _ = history_repo
    cache = tmp_path / "renames.sqlite"
    hurried = RenameHistory(root, cache, index=index, timeout=0.0)
    assert hurried.history("Matrix_NewMtx") is None
    assert hurried.build().status == "timeout"
    hurried.close()
    again = RenameHistory(root, cache, index=index, timeout=0.0)
    assert again.history("Matrix_NewMtx") is None and again.git_runs == 0
    again.close()
    patient = RenameHistory(root, cache, index=index)
    assert patient.renamed("Matrix_NewMtx").new == "Matrix_Finalize"  # a longer limit reads it
    patient.close()


def test_the_config_field_turns_rename_history_off(history_repo):
    root, _ = history_repo
    on = Grounding.open(GroundCheckConfig(repo=str(root), checks=["names"]))
    off = Grounding.open(GroundCheckConfig(repo=str(root), checks=["names"], rename_history=False))
    try:
        assert on.history is not None and off.history is None
    finally:
        on.close()
        off.close()


@pytest.mark.skipif(shutil.which("gcc") is None, reason="needs gcc")
def test_check_no_rename_history_reads_no_history(history_repo, tmp_path):
    root, _ = history_repo
    bad = tmp_path / "bad.c"
    bad.write_text(
        '#include "global.h"\nvoid EnFoo_Init(Actor* thisx, PlayState* play) {\n    func_80A01234(0);\n}\n'
    )
    env = {**os.environ, "MODSMITH_CACHE": str(tmp_path / "cache")}

    def check(*flags: str) -> dict:
        done = subprocess.run(
            [sys.executable, "-m", "modsmith.cli", "check", str(bad), "--repo", str(root), "--json", *flags],
            capture_output=True,
            text=True,
            env=env,
            cwd=ROOT,
            timeout=300,
        )
        assert done.returncode == 1, done.stderr
        return json.loads(done.stdout)["invented"][0]

    off = check("--no-rename-history")
    assert off["name"] == "func_80A01234" and off["renamed_to"] is None
    assert not list((tmp_path / "cache").rglob("*.renames.sqlite"))
    assert check()["renamed_to"] == "EnTest_StartSpinning"
    assert list((tmp_path / "cache").rglob("*.renames.sqlite"))
