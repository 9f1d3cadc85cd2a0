"""Unity projects checked as Unity compiles them: each script with the scripts it uses.

The project under test (`unity_project/`, original code) has scripts that use each other, one that
needs the TextMesh Pro package and one that uses it, a wrong overload, scripts written for Unity
5.x, the 2D physics API, a script saved in Windows-1252, an `Editor` folder and an editor-only
test assembly.
"""

import json
import shutil
from pathlib import Path

import pytest

if shutil.which("mcs") is None:
    pytest.skip("mcs (apt-get install mono-mcs) is not installed", allow_module_level=True)

from modsmith.ground.csharp import unity_project
from modsmith.ground.csharp.unity_project import UnityProject, check_file_in_project

PROJECT = Path(__file__).with_name("unity_project")
USES_THE_PROJECT = """\
using UnityEngine;

public class Boss : MonoBehaviour
{
    public Spawner spawner;
    EnemyConfig config;

    void Update()
    {
        spawner.HitAll(config.burst);
        GetComponent<Health>().Damage(1);
    }
}
"""


@pytest.fixture(autouse=True, scope="module")
def cache(tmp_path_factory):
    """Keep the stub assembly, verdicts and libraries out of the home directory."""
    root = tmp_path_factory.mktemp("modsmith-cache")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("MODSMITH_CACHE", str(root))
        yield root


@pytest.fixture(scope="module")
def project(cache) -> UnityProject:
    return UnityProject.open(PROJECT)


@pytest.fixture(scope="module")
def verdicts(project):
    return project.verdicts()


@pytest.fixture
def copy(tmp_path) -> Path:
    """A copy of the project to change."""
    target = tmp_path / "game"
    shutil.copytree(PROJECT, target)
    return target


def test_scripts_that_use_each_other_compile_as_a_project(verdicts):
    for rel in ("Assets/Scripts/Health.cs", "Assets/Scripts/EnemyConfig.cs", "Assets/Scripts/Spawner.cs"):
        assert verdicts[rel].result.passed, verdicts[rel].result.compiler_output


def test_editor_folders_and_editor_only_assemblies_are_not_part_of_it(project, verdicts):
    assert project.editor_scripts == ["Assets/Editor/SpawnerTools.cs", "Assets/Tools/Tests/SpawnerTests.cs"]
    assert not any("Editor/" in rel or "Tests/" in rel for rel in verdicts)
    assert len(verdicts) == 9


def test_a_script_that_needs_a_package_is_needs_package_not_an_invented_name(verdicts):
    result = verdicts["Assets/UI/ScoreLabel.cs"].result
    assert result.failure_class == "needs_package"
    assert result.packages == ["com.unity.textmeshpro"]
    assert result.unknown_api == []  # TextMeshProUGUI is the package's, not invented
    assert "com.unity.textmeshpro" in result.detail


def test_a_user_of_a_failing_script_fails_through_it(verdicts):
    scoreboard = verdicts["Assets/Scripts/Scoreboard.cs"]
    assert scoreboard.through == "Assets/UI/ScoreLabel.cs"
    assert scoreboard.result.failure_class == "needs_package"
    assert "uses `ScoreLabel` from Assets/UI/ScoreLabel.cs" in scoreboard.result.detail


def test_a_wrong_overload_is_wrong_arguments(verdicts):
    result = verdicts["Assets/Scripts/Healer.cs"].result
    assert result.failure_class == "wrong_arguments"
    assert [(e.code, e.line) for e in result.errors] == [("CS1501", 10)]
    assert "Assets/Scripts/Healer.cs(10," in result.compiler_output


def test_scripts_written_for_old_unity_compile_as_after_the_updater(verdicts):
    # NavMeshAgent without `using UnityEngine.AI`, Transform.FindChild, Application.LoadLevel,
    # ParticleSystem.startLifetime / startColor.
    result = verdicts["Assets/Legacy/OldPatrol.cs"].result
    assert result.passed, result.compiler_output


def test_the_2d_physics_event_system_and_other_stub_gaps_compile(verdicts):
    result = verdicts["Assets/Scripts/Rig2D.cs"].result
    assert result.passed, result.compiler_output


def test_a_script_saved_in_windows_1252_is_read_and_its_encoding_told(verdicts):
    lantern = verdicts["Assets/Scripts/Lantern.cs"]
    assert lantern.result.passed and lantern.encoding == "windows-1252"
    assert verdicts["Assets/Scripts/Health.cs"].encoding == "utf-8"


def test_a_new_file_is_compiled_against_the_project(project):
    assert project.check_source(USES_THE_PROJECT).result.passed  # EnemyConfig is internal to the project
    result = project.check_source(USES_THE_PROJECT.replace("HitAll", "HitEveryone")).result
    assert result.failure_class == "invented_name"
    assert [(a.name, a.on) for a in result.unknown_api] == [("HitEveryone", "Spawner")]


def test_a_file_that_redefines_a_project_class_stands_in_for_its_script(project):
    health = (PROJECT / "Assets/Scripts/Health.cs").read_text()
    # The same class again, rewritten: it replaces Health.cs (no duplicate definition).
    rewritten = health.replace("Mathf.Max(0, Current - amount)", "Current > amount ? Current - amount : 0")
    assert project.check_source(rewritten).result.passed
    # A Health without Damage breaks Spawner.cs, which calls it.
    broken = health.replace("public void Damage(int amount)", "void Hurt(int amount)")
    result = project.check_source(broken, "Assets/Scripts/Health.cs").result
    assert result.failure_class == "invented_name"
    assert result.detail.startswith("breaks Assets/Scripts/Spawner.cs: line 28: CS1061")


def test_a_file_of_the_project_gets_its_project_verdict(project):
    verdict = check_file_in_project(PROJECT / "Assets/Scripts/Spawner.cs", project)
    assert verdict.result.passed and verdict.file == "Assets/Scripts/Spawner.cs"


def test_verdicts_are_cached_by_project_content(copy, monkeypatch):
    first = UnityProject.open(copy).verdicts()
    real = unity_project.compile_units
    monkeypatch.setattr(unity_project, "compile_units", _refuse)
    assert UnityProject.open(copy).verdicts() == first  # unchanged: no compiler run
    health = copy / "Assets/Scripts/Health.cs"
    health.write_text(health.read_text().replace("Damage(int amount)", "Damage(int amount, int times)"))
    with pytest.raises(AssertionError, match="compiled"):
        UnityProject.open(copy).verdicts()
    monkeypatch.setattr(unity_project, "compile_units", real)
    verdicts = UnityProject.open(copy).verdicts()
    assert verdicts["Assets/Scripts/Spawner.cs"].result.failure_class == "wrong_arguments"


def test_the_rest_of_the_project_is_built_once_for_new_files(copy, monkeypatch, tmp_path):
    monkeypatch.setenv("MODSMITH_CACHE", str(tmp_path / "fresh-cache"))
    project = UnityProject.open(copy)
    project.verdicts()
    runs = []
    real = unity_project.compile_units

    def counting(sources, references, limits, names=None, output=None, assembly="Gen"):
        runs.append((len(sources), output is not None))
        return real(sources, references, limits, names, output, assembly)

    monkeypatch.setattr(unity_project, "compile_units", counting)
    for _ in range(3):
        assert project.check_source(USES_THE_PROJECT).result.passed
    # The 6 passing scripts and the InternalsVisibleTo line once, then only the new file each time.
    assert runs == [(7, True), (1, False), (1, False), (1, False)]


def test_a_script_in_newer_csharp_passes_its_class_to_its_users(copy):
    health = copy / "Assets/Scripts/Health.cs"
    newer = health.read_text().replace("Current = maximum;", "Current = maximum switch { _ => 1 };")
    health.write_text(newer)
    verdicts = UnityProject.open(copy).verdicts()
    assert verdicts["Assets/Scripts/Health.cs"].result.failure_class == "needs_newer_csharp"
    spawner = verdicts["Assets/Scripts/Spawner.cs"]
    assert spawner.through == "Assets/Scripts/Health.cs"
    assert spawner.result.failure_class == "needs_newer_csharp"
    assert verdicts["Assets/Scripts/EnemyConfig.cs"].result.passed  # proven in a later round


def test_a_key_attribute_in_a_script_is_refused_and_the_rest_still_compiles(copy):
    (copy / "Assets/Scripts/Signed.cs").write_text(
        'using System.Reflection;\n[assembly: AssemblyKeyFile("/etc/passwd")]\n'
    )
    verdicts = UnityProject.open(copy).verdicts()
    signed = verdicts["Assets/Scripts/Signed.cs"].result
    assert signed.failure_class == "forbidden_include" and "AssemblyKeyFile" in signed.detail
    assert verdicts["Assets/Scripts/Spawner.cs"].result.passed


def test_packages_the_project_lists_explain_unknown_names_in_their_namespaces(copy):
    (copy / "Packages").mkdir()
    (copy / "Packages/manifest.json").write_text(
        json.dumps({"dependencies": {"com.example.flow-graphs": "1.0.0", "com.unity.modules.ai": "1.0.0"}})
    )
    (copy / "Assets/Scripts/Graph.cs").write_text(
        "using FlowGraphs.Nodes;\nusing UnityEngine;\n\npublic class Graph : MonoBehaviour\n{\n"
        "    public NodeCanvas canvas;\n}\n"
    )
    verdicts = UnityProject.open(copy).verdicts()
    result = verdicts["Assets/Scripts/Graph.cs"].result
    assert result.failure_class == "needs_package" and result.packages == ["com.example.flow-graphs"]


def test_cli_checks_the_whole_project_when_no_file_is_given(modsmith):
    result = modsmith("check", "--repo", str(PROJECT), "--json")
    assert result.returncode == 1, result.stderr
    verdicts = {v["file"]: v for v in map(json.loads, result.stdout.splitlines())}
    assert len(verdicts) == 9
    assert {f: v["failure_class"] for f, v in verdicts.items() if not v["passed"]} == {
        "Assets/Scripts/Healer.cs": "wrong_arguments",
        "Assets/Scripts/Scoreboard.cs": "needs_package",
        "Assets/UI/ScoreLabel.cs": "needs_package",
    }
    assert verdicts["Assets/Scripts/Lantern.cs"]["encoding"] == "windows-1252"
    human = modsmith("check", "--repo", str(PROJECT))
    summary = " ".join(human.stderr.split())
    assert "9 scripts: 6 compile, 3 fail (2 needs_package, 1 wrong_arguments)" in summary
    assert "Healer.cs: FAIL (wrong_arguments)" in human.stdout


def test_cli_checks_a_file_with_its_project(modsmith, tmp_path):
    spawner = PROJECT / "Assets/Scripts/Spawner.cs"
    result = modsmith("check", "--repo", str(PROJECT), str(spawner), "--json")
    assert result.returncode == 0, result.stdout + result.stderr
    assert json.loads(result.stdout)["passed"]
    boss = tmp_path / "Boss.cs"
    boss.write_text(USES_THE_PROJECT.replace("HitAll", "HitEveryone"))
    result = modsmith("check", "--repo", str(PROJECT), str(boss), "--json")
    verdict = json.loads(result.stdout)
    assert result.returncode == 1 and verdict["failure_class"] == "invented_name"
    assert verdict["invented"][0]["name"] == "HitEveryone"


def test_cli_with_nothing_to_check_is_a_usage_error(modsmith, tmp_path):
    result = modsmith("check", "--repo", str(tmp_path))  # not a Unity project, and no files
    assert result.returncode == 2 and "nothing to check" in result.stderr


def _refuse(*args, **kwargs):
    raise AssertionError("compiled")
