import pytest

from modsmith.errors import ModsmithError
from modsmith.recipe import load_recipe
from modsmith.run import stage_registry


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
    monkeypatch.delenv("MODSMITH_TEST_ROOT", raising=False)
    _, stages = load_recipe(_recipe(tmp_path, text), stage_registry())
    assert stages[0].config.root == "fallback/src"
    monkeypatch.setenv("MODSMITH_TEST_ROOT", "/repos/oot")
    _, stages = load_recipe(_recipe(tmp_path, text), stage_registry())
    assert stages[0].config.root == "/repos/oot/src"


def test_missing_environment_variable_names_the_line(tmp_path, monkeypatch):
    monkeypatch.delenv("MODSMITH_NOPE", raising=False)
    path = _recipe(tmp_path, GOOD.replace("root: somewhere", "root: ${MODSMITH_NOPE}"))
    with pytest.raises(ModsmithError, match="MODSMITH_NOPE is not set") as err:
        load_recipe(path, stage_registry())
    assert err.value.where == f"{path}:5"
