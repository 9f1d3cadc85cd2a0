"""A stage reruns when what its config names outside the run changed: a repo, a profile, a template."""

import json
import os
import subprocess
import time
from pathlib import Path

import pytest
from pydantic import BaseModel, Field

from modsmith.errors import ModsmithError
from modsmith.outside_inputs import outside_fingerprint
from modsmith.recipe import load_recipe
from modsmith.records import Example, Message, write_jsonl
from modsmith.run import run_recipe, stage_fingerprint
from modsmith.stage import Stage, StageConfig

HEADER = "#ifndef WIDGET_H\n#define WIDGET_H\nvoid Widget_Update(int value);\n#endif\n"


def git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@t", *args],
        check=True,
        capture_output=True,
    )


def make_repo(root: Path) -> Path:
    (root / "include").mkdir(parents=True)
    (root / "include" / "widget.h").write_text(HEADER)
    (root / "src").mkdir()
    (root / "src" / "widget.c").write_text('#include "widget.h"\nvoid Widget_Update(int value) {\n}\n')
    git(root, "init", "-q")
    git(root, "add", ".")
    git(root, "commit", "-qm", "first")
    return root


def test_a_files_content_and_a_folders_files_change_the_fingerprint(tmp_path):
    single = tmp_path / "profile.yaml"
    single.write_text("std: gnu11\n")
    folder = tmp_path / "plain"
    folder.mkdir()
    (folder / "a.txt").write_text("a")
    first = outside_fingerprint([single, folder])
    assert outside_fingerprint([single, folder]) == first
    single.write_text("std: gnu99\n")
    second = outside_fingerprint([single, folder])
    assert second != first
    (folder / "b.txt").write_text("b")
    assert outside_fingerprint([single, folder]) != second
    assert outside_fingerprint([tmp_path / "missing"]) != outside_fingerprint([single])


def test_a_git_work_tree_changes_with_an_edit_a_commit_and_a_new_file(tmp_path):
    repo = make_repo(tmp_path / "repo")
    states = [outside_fingerprint([repo])]
    (repo / "include" / "widget.h").write_text(HEADER.replace("Update", "Tick"))
    states.append(outside_fingerprint([repo]))
    git(repo, "commit", "-qam", "rename")
    states.append(outside_fingerprint([repo]))
    (repo / "src" / "new.c").write_text("int x;\n")
    states.append(outside_fingerprint([repo]))
    (repo / ".gitignore").write_text("build/\n")
    states.append(outside_fingerprint([repo]))
    (repo / "build").mkdir()
    (repo / "build" / "out.o").write_text("ignored")
    states.append(outside_fingerprint([repo]))
    assert len(set(states)) == len(states) - 1  # only the ignored build output changed nothing
    assert states[-1] == states[-2]


def test_ground_check_reruns_after_its_repo_renamed_a_function(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    repo = make_repo(tmp_path / "repo")
    examples = tmp_path / "examples.jsonl"
    answer = "```c\nvoid Widget_Step(void) {\n    Widget_Update(3);\n}\n```"
    example = Example.create(
        "code.implement",
        [Message(role="user", content="Step the widget."), Message(role="assistant", content=answer)],
    )
    write_jsonl(examples, [example])
    recipe = tmp_path / "r.yaml"
    recipe.write_text(
        f"name: r\noutput: {tmp_path / 'runs'}\nstages:\n"
        f"  - stage: ingest.examples\n    with: {{paths: [{examples}]}}\n"
        f"  - stage: ground.check\n    with: {{repo: {repo}, profile: null, checks: [names], "
        "languages: [c], rename_history: false}\n"
    )

    def names_check(result) -> bool:
        data = result.run_dir / "02-ground.check" / "data.jsonl"
        return json.loads(data.read_text())["checks"]["names"]["passed"]

    first = run_recipe(recipe)
    assert names_check(first) is True
    assert [s.skipped for s in run_recipe(recipe).stages] == [True, True]

    time.sleep(0.01)
    header = repo / "include" / "widget.h"
    header.write_text(HEADER.replace("Widget_Update", "Widget_Tick"))
    os.utime(header)
    (repo / "src" / "widget.c").write_text('#include "widget.h"\nvoid Widget_Tick(int value) {\n}\n')
    second = run_recipe(recipe)
    assert [s.skipped for s in second.stages] == [True, False]
    assert names_check(second) is False

    git(repo, "commit", "-qam", "rename Widget_Update to Widget_Tick")
    third = run_recipe(recipe)
    assert [s.skipped for s in third.stages] == [True, False]  # the commit is a change too
    assert names_check(third) is False


def test_a_prompt_template_and_a_profile_are_outside_inputs_of_their_stages(tmp_path):
    from modsmith.run import stage_fingerprint, stage_registry

    template = tmp_path / "qa.j2"
    template.write_text("Write questions about {{ text }}")
    registry = stage_registry()
    guide_qa = registry["synth.guide_qa"](
        {"prompt_template": str(template), "teacher": {"base_url": "http://127.0.0.1:9/v1", "model": "m"}}
    )
    assert template in guide_qa.outside_paths()
    before = stage_fingerprint(guide_qa, "")
    template.write_text("Write answers about {{ text }}")
    assert stage_fingerprint(guide_qa, "") != before

    profile = tmp_path / "profile.yaml"
    profile.write_text("compiler: gcc\n")
    check = registry["ground.check"]({"profile": str(profile)})
    assert profile in check.outside_paths()


class Prompts(BaseModel):
    """A model nested in a stage's config, as the teacher's is."""

    prompt_template: str | None = None
    templates: dict[str, str] = Field(default_factory=dict)


class Templated(Stage):
    name = "test.templated"

    class Config(StageConfig):
        prompts: Prompts = Field(default_factory=Prompts)
        label: str = "not a path"

    def process(self, records, rejects):
        yield from records


def test_paths_in_a_nested_config_are_outside_inputs_too(tmp_path):
    ask, answer = tmp_path / "ask.j2", tmp_path / "answer.j2"
    ask.write_text("Ask about {{ text }}")
    answer.write_text("Answer {{ question }}")
    prompts = {"prompt_template": str(ask), "templates": {"answer": str(answer), "unused": ""}}
    stage = Templated({"prompts": prompts})
    assert stage.outside_paths() == [ask, answer]  # "" names no file
    before = stage_fingerprint(stage, "")
    answer.write_text("Answer {{ question }} briefly")
    assert stage_fingerprint(stage, "") != before

    recipe = tmp_path / "r.yaml"
    recipe.write_text(
        "name: r\nstages:\n  - stage: test.templated\n    with:\n      prompts:\n"
        f"        prompt_template: {ask}\n        templates:\n          answer: {tmp_path / 'nowhere.j2'}\n"
    )
    with pytest.raises(ModsmithError, match="prompts.templates.answer: no such file") as err:
        load_recipe(recipe, {"test.templated": Templated})
    assert err.value.where == f"{recipe}:8"
