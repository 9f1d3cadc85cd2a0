"""ground.check reruns when what it reads outside git changed: headers the build writes into a
git-ignored folder the profile names in `generated_dirs` (`make setup`'s `extracted/<version>`).

(A function renamed in the repo between two runs: `test_outside_inputs.py`.)
"""

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from modsmith.records import Example, Message, write_jsonl
from modsmith.run import run_recipe, stage_registry

pytestmark = pytest.mark.skipif(shutil.which("gcc") is None, reason="needs gcc")

ANSWER = """```c
#include "widget.h"
#include "sprite.h"

void Widget_Draw(void) {
    Widget_Update(SPRITE_WIDTH);
    Sprite_Draw(SPRITE_WIDTH);
}
```"""
SPRITE_HEADER = "#define SPRITE_WIDTH 16\nvoid Sprite_Draw(int width);\n"
PROFILE = """\
name: tiny
compiler: gcc
std: gnu99
flags: [-Werror=implicit-function-declaration]
include_dirs: [include, extracted/x]
generated_dirs: [extracted/x]
"""


def git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@t", *args],
        check=True,
        capture_output=True,
    )


@pytest.fixture
def recipe(tmp_path, monkeypatch) -> tuple[Path, Path]:
    """(recipe, repo): a C repo whose `extracted/` is git-ignored, and a recipe grounding one example."""
    monkeypatch.setenv("MODSMITH_CACHE", str(tmp_path / "cache"))
    repo = tmp_path / "repo"
    (repo / "include").mkdir(parents=True)
    (repo / "include" / "widget.h").write_text("void Widget_Update(int value);\n")
    (repo / ".gitignore").write_text("extracted/\n")
    (repo / "extracted" / "x").mkdir(parents=True)
    (repo / "extracted" / "x" / "palette.h").write_text("#define PALETTE_SIZE 4\n")
    git(repo, "init", "-q")
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "first")
    profile = tmp_path / "tiny.yaml"
    profile.write_text(PROFILE)
    example = Example.create(
        "code.implement",
        [Message(role="user", content="Draw the widget."), Message(role="assistant", content=ANSWER)],
    )
    examples = tmp_path / "examples.jsonl"
    write_jsonl(examples, [example])
    path = tmp_path / "r.yaml"
    path.write_text(
        f"name: r\noutput: {tmp_path / 'runs'}\nstages:\n"
        f"  - stage: ingest.examples\n    with: {{paths: [{examples}]}}\n"
        f"  - stage: ground.check\n    with: {{repo: {repo}, profile: {profile}, rename_history: false}}\n"
    )
    return path, repo


def _checks(result) -> dict[str, bool]:
    row = json.loads((result.run_dir / "02-ground.check" / "data.jsonl").read_text())
    return {name: check["passed"] for name, check in row["checks"].items()}


def test_a_header_made_in_a_git_ignored_generated_folder_reruns_the_check(recipe):
    path, repo = recipe
    first = run_recipe(path)
    assert _checks(first)["compile_c"] is False  # sprite.h is not extracted yet
    assert [s.skipped for s in run_recipe(path).stages] == [True, True]

    (repo / "extracted" / "x" / "sprite.h").write_text(SPRITE_HEADER)
    second = run_recipe(path)
    assert [s.skipped for s in second.stages] == [True, False]
    assert _checks(second) == {"names": True, "compile_c": True}
    assert [s.skipped for s in run_recipe(path).stages] == [True, True]

    (repo / "extracted" / "x" / "sprite.h").write_text(SPRITE_HEADER.replace("Sprite_Draw", "Sprite_Render"))
    third = run_recipe(path)
    assert [s.skipped for s in third.stages] == [True, False]
    assert _checks(third) == {"names": False, "compile_c": False}


def test_ground_checks_outside_inputs_are_its_repo_profile_and_the_profiles_generated_folders(recipe):
    path, repo = recipe
    profile = path.parent / "tiny.yaml"
    stage = stage_registry()["ground.check"]({"repo": str(repo), "profile": str(profile)})
    paths = stage.outside_paths()
    assert repo in paths and profile in paths
    assert repo / "extracted" / "x" in paths
