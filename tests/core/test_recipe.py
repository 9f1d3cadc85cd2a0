import os
import re
import signal
import subprocess
import sys

import pytest
from pydantic import BaseModel

from modsmith.errors import ModsmithError
from modsmith.recipe import ExportSpec, load_recipe
from modsmith.run import stage_registry
from modsmith.stage import INPUT_PATH_FIELDS


@pytest.fixture(autouse=True)
def in_tmp(tmp_path, monkeypatch):
    """Recipe paths are relative to where the run starts: here, a folder holding `somewhere/`."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "somewhere").mkdir()


def _recipe(tmp_path, text):
    path = tmp_path / "r.yaml"
    path.write_text(text)
    return path


GOOD = """\
name: t
stages:
  - stage: ingest.code
    with:
      root: somewhere
  - stage: synth.tasks
    with:
      tasks: [code.macro]
export:
  formats: [alpaca]
"""


def test_valid_recipe_builds_stages(tmp_path):
    recipe, stages = load_recipe(_recipe(tmp_path, GOOD), stage_registry())
    assert [s.name for s in stages] == ["ingest.code", "synth.tasks"]
    assert stages[1].config.tasks == ["code.macro"]
    assert recipe.export.formats == ["alpaca"]


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        (GOOD.replace("      root: somewhere", "      root: somewhere\n      rooot: x"), 6, "unknown key"),
        (GOOD.replace("tasks: [code.macro]", "tasks: [code.macros]"), 8, "stages.1.with.tasks.0"),
        (GOOD.replace("stage: synth.tasks", "stage: synth.task"), 6, "did you mean synth.tasks"),
        (GOOD.replace("name: t", "name: t\nflavour: x"), 2, "unknown key"),
        (GOOD.replace("      root: somewhere\n", "      include: [a]\n"), 4, "missing required key"),
        (GOOD.replace("formats: [alpaca]", "formats: alpaca"), 10, "export.formats"),
        ("name: t\nstages: [\n", 3, "not valid YAML"),
    ],
)
def test_invalid_recipe_names_the_yaml_line(tmp_path, text, line, words):
    path = _recipe(tmp_path, text)
    with pytest.raises(ModsmithError) as err:
        load_recipe(path, stage_registry())
    assert err.value.where == f"{path}:{line}", err.value.one_line()
    assert words in err.value.one_line()


def test_missing_recipe(tmp_path):
    with pytest.raises(ModsmithError, match="recipe not found"):
        load_recipe(tmp_path / "none.yaml", stage_registry())


def test_environment_variables_expand_with_defaults(tmp_path, monkeypatch):
    text = GOOD.replace("root: somewhere", "root: ${MODSMITH_TEST_ROOT:-fallback}/src")
    (tmp_path / "fallback" / "src").mkdir(parents=True)
    (tmp_path / "oot" / "src").mkdir(parents=True)
    monkeypatch.delenv("MODSMITH_TEST_ROOT", raising=False)
    _, stages = load_recipe(_recipe(tmp_path, text), stage_registry())
    assert stages[0].config.root == "fallback/src"
    monkeypatch.setenv("MODSMITH_TEST_ROOT", str(tmp_path / "oot"))
    _, stages = load_recipe(_recipe(tmp_path, text), stage_registry())
    assert stages[0].config.root == f"{tmp_path}/oot/src"


def test_missing_environment_variable_names_the_line(tmp_path, monkeypatch):
    monkeypatch.delenv("MODSMITH_NOPE", raising=False)
    path = _recipe(tmp_path, GOOD.replace("root: somewhere", "root: ${MODSMITH_NOPE}"))
    with pytest.raises(ModsmithError, match="MODSMITH_NOPE is not set") as err:
        load_recipe(path, stage_registry())
    assert err.value.where == f"{path}:5"


@pytest.mark.parametrize(
    ("value", "unset", "empty", "set_"),
    [
        ("${MODSMITH_V:-fb}", "fb", "fb", "val"),  # `:-`: the default when unset or empty, as in sh
        ("${MODSMITH_V-fb}", "fb", "", "val"),  # `-`: the default only when unset
        ("${MODSMITH_V}", None, "", "val"),
    ],
)
def test_environment_defaults_follow_the_shell(tmp_path, monkeypatch, value, unset, empty, set_):
    (tmp_path / "fb").mkdir()
    (tmp_path / "val").mkdir()
    path = _recipe(tmp_path, GOOD.replace("root: somewhere", f"root: '{value}'"))
    for environment, expected in [(None, unset), ("", empty), ("val", set_)]:
        if environment is None:
            monkeypatch.delenv("MODSMITH_V", raising=False)
        else:
            monkeypatch.setenv("MODSMITH_V", environment)
        if expected is None:
            with pytest.raises(ModsmithError, match="MODSMITH_V is not set"):
                load_recipe(path, stage_registry())
            continue
        recipe, _ = load_recipe(path, stage_registry())
        assert recipe.stages[0].config["root"] == expected, environment


# ---------------------------------------------------------------- hostile YAML


def _bomb(levels: int) -> str:
    lines = ["name: t", "lol0: &l0 [x, x, x, x, x, x, x, x, x, x]"]
    for level in range(1, levels + 1):
        lines.append(f"lol{level}: &l{level} [" + ", ".join([f"*l{level - 1}"] * 10) + "]")
    return "\n".join(lines) + "\n" + GOOD.replace("name: t\n", "")


CHILD = """
import resource, sys
resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))  # a regression dies here, not in swap
from modsmith.errors import ModsmithError
from modsmith.recipe import ExportSpec, load_recipe
from modsmith.stage import INPUT_PATH_FIELDS
from modsmith.run import stage_registry
try:
    load_recipe(sys.argv[1], stage_registry())
except ModsmithError as exc:
    print(exc.where, exc.message, sep="\\n")
"""


def test_alias_bomb_is_refused_before_it_expands(tmp_path):
    path = _recipe(tmp_path, _bomb(9))  # 10**10 scalars once expanded
    try:
        done = subprocess.run(
            [sys.executable, "-c", CHILD, str(path)], capture_output=True, text=True, timeout=120
        )
    except subprocess.TimeoutExpired:
        pytest.fail("the alias bomb was expanded")
    assert done.returncode == 0, done.stderr[-2000:]
    where, message = done.stdout.splitlines()
    assert where.startswith(f"{path}:") and 3 <= int(where.rsplit(":", 1)[1]) <= 11
    assert "alias" in message and "expand" in message


def test_aliases_within_the_budget_work(tmp_path):
    text = """\
name: t
stages:
  - stage: synth.guide_qa
    with:
      teacher: &teacher {base_url: "http://127.0.0.1:9/v1", model: a, params: {temperature: 0.2}}
  - stage: curate.judge
    with:
      teacher: *teacher
  - stage: curate.rewrite
    with:
      teacher:
        <<: *teacher
        model: b
"""
    _, stages = load_recipe(_recipe(tmp_path, text), stage_registry())
    assert [s.config.teacher.model for s in stages] == ["a", "a", "b"]
    assert stages[2].config.teacher.params == {"temperature": 0.2}


@pytest.mark.parametrize(
    ("text", "second", "first"),
    [
        ("name: t\n" + GOOD, 2, 1),
        (GOOD.replace("      root: somewhere\n", "      root: somewhere\n      root: somewhere\n"), 6, 5),
        (GOOD.replace("tasks: [code.macro]", "{tasks: [code.macro], tasks: []}"), 8, 8),
        (GOOD.replace("formats: [alpaca]", "formats: [alpaca]\n  seed: 1\n  formats: [alpaca]"), 12, 10),
    ],
)
def test_duplicate_keys_name_both_lines(tmp_path, text, second, first):
    path = _recipe(tmp_path, text)
    with pytest.raises(ModsmithError) as err:
        load_recipe(path, stage_registry())
    assert err.value.where == f"{path}:{second}", err.value.one_line()
    assert "duplicate key" in err.value.message and f"line {first}" in err.value.message


# ---------------------------------------------------------------- paths named in a recipe

TEACHER = "{model: m}"
MISSING_PATHS = [
    ("ingest.code", "root: nowhere", 0),
    ("ingest.text", "paths:\n        - somewhere\n        - nowhere", 2),
    ("ingest.text", "paths: [somewhere]\n      tokenizer: nowhere/tokenizer.json", 1),
    ("ingest.spec", "paths: [nowhere.txt]", 0),
    ("ingest.examples", "paths: [somewhere, nowhere.jsonl]", 0),
    ("ground.check", "repo: nowhere", 0),
    ("ground.check", "index: nowhere.sqlite", 0),
    ("ground.check", "profile: nowhere/profile.yaml", 0),
    ("ground.check", "profile: no-such-profile", 0),
    ("ground.check", "unity_managed: nowhere", 0),
    ("synth.code_debug", f"teacher: {TEACHER}\n      profile: nowhere.yaml", 1),
    ("synth.code_debug", f"teacher: {TEACHER}\n      prompt_template: nowhere.j2", 1),
    ("synth.code_qa", f"teacher: {TEACHER}\n      templates:\n        code.explain: nowhere.j2", 2),
    ("synth.guide_qa", f"teacher: {TEACHER}\n      prompt_template: nowhere.j2", 1),
    ("synth.unity_ir", f"teacher: {TEACHER}\n      nl_to_ir_template: nowhere.j2", 1),
    ("synth.unity_ir", f"teacher: {TEACHER}\n      ir_to_csharp_template: nowhere.j2", 1),
    ("synth.unity_ir", f"teacher: {TEACHER}\n      unity_managed: nowhere", 1),
    ("curate.judge", f"teacher: {TEACHER}\n      judge: custom\n      prompt_template: nowhere.j2", 2),
    ("curate.rewrite", f"teacher: {TEACHER}\n      prompt_template: nowhere.j2", 1),
]


@pytest.mark.parametrize(("stage", "config", "offset"), MISSING_PATHS)
def test_missing_path_names_the_recipe_line(tmp_path, stage, config, offset):
    path = _recipe(tmp_path, f"name: t\nstages:\n  - stage: {stage}\n    with:\n      {config}\n")
    with pytest.raises(ModsmithError) as err:
        load_recipe(path, stage_registry())
    assert err.value.where == f"{path}:{5 + offset}", err.value.one_line()
    assert "nowhere" in err.value.message or "no-such-profile" in err.value.message
    assert "no such file or directory" in err.value.message


def test_missing_export_tokenizer_names_the_recipe_line(tmp_path):
    path = _recipe(tmp_path, GOOD + "  tokenizer: nowhere\n")
    with pytest.raises(ModsmithError, match="no such file or directory") as err:
        load_recipe(path, stage_registry())
    assert err.value.where == f"{path}:11"


def test_existing_empty_and_shipped_paths_pass(tmp_path):
    (tmp_path / "guide.md").write_text("# G\n")
    (tmp_path / "ask.j2").write_text("{{ text }}")
    text = f"""\
name: t
stages:
  - stage: ingest.text
    with: {{paths: [somewhere, guide.md]}}
  - stage: ground.check
    with: {{repo: somewhere, profile: oot-ntsc-1.2, unity_managed: ""}}
  - stage: curate.rewrite
    with: {{teacher: {TEACHER}, prompt_template: ask.j2}}
"""
    _, stages = load_recipe(_recipe(tmp_path, text), stage_registry())
    assert len(stages) == 3


def test_deeply_nested_yaml_is_an_error_not_a_crash(tmp_path):
    path = _recipe(tmp_path, GOOD + "deep: " + "[" * 50_000 + "]" * 50_000 + "\n")
    with pytest.raises(ModsmithError, match="nested too deeply") as err:
        load_recipe(path, stage_registry())
    assert err.value.where == f"{path}:11"


PATH_WORDS = re.compile(r"\b(file|files|folder|folders|path|paths|directory|checkout|template|index)\b", re.I)
NOT_INPUT_PATHS = {
    "cache": "a file the teacher writes",
    "model": "a hub name or a folder: cannot tell which",
    "include": "globs inside `root`",
    "exclude": "globs inside `root`",
    "max_file_bytes": "a size",
    "base": "a hub name or a folder: cannot tell which (train.sft fingerprints a local one)",
    "mix_datasets": "PATH=WEIGHT: its keys are the paths (INPUT_PATH_KEY_FIELDS)",
    "task_caps": "task names",
    "source_caps": "source names",
}


def _config_fields(model, where):
    for name, field in model.model_fields.items():
        if isinstance(field.annotation, type) and issubclass(field.annotation, BaseModel):
            yield from _config_fields(field.annotation, f"{where}.{name}")
        elif "str" in str(field.annotation):
            yield f"{where}.{name}", name, f"{name} {field.description}"


def test_every_field_that_names_an_input_is_checked():
    """A new config field that names a file must be added to INPUT_PATH_FIELDS (or said not to be)."""
    models = [(name, cls.Config) for name, cls in stage_registry().items()] + [("export", ExportSpec)]
    unknown = [
        where
        for stage, model in models
        for where, name, words in _config_fields(model, stage)
        if PATH_WORDS.search(words) and name not in INPUT_PATH_FIELDS and name not in NOT_INPUT_PATHS
    ]
    assert unknown == []


def test_recursive_alias_is_an_error(tmp_path):
    path = _recipe(tmp_path, GOOD + "loop: &loop [a, *loop]\n")
    with pytest.raises(ModsmithError, match="recursive alias") as err:
        load_recipe(path, stage_registry())
    assert err.value.where == f"{path}:11"


def test_recipe_that_is_a_fifo_is_refused_unopened(tmp_path):
    os.mkfifo(tmp_path / "r.yaml")  # reading it would wait for a writer forever

    def blocked(signum, frame):
        raise TimeoutError("load_recipe opened the FIFO and blocked")

    previous = signal.signal(signal.SIGALRM, blocked)
    signal.alarm(20)
    try:
        with pytest.raises(ModsmithError, match="not a regular file"):
            load_recipe(tmp_path / "r.yaml", stage_registry())
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
