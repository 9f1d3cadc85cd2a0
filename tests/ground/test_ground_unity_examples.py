"""C# in examples grounded against a Unity project: compiled with the project's scripts.

The project is written here (original code): `Creature` and `SoundBoard` are used by `Trap`; an
editor script (left out of the game's assembly) and a script that needs TextMesh Pro stand beside
them. An example using the project's classes compiles; one calling a method nobody declares is an
invented name; the project mode's classes (`wrong_arguments`, `needs_package`) come through.
"""

import json
import shutil
from pathlib import Path

import pytest

if shutil.which("mcs") is None:
    pytest.skip("mcs (apt-get install mono-mcs) is not installed", allow_module_level=True)

from modsmith.ground.check_config import GroundCheckConfig
from modsmith.ground.code_spans import CodeSpan
from modsmith.ground.grounding import Grounding
from modsmith.records import Example, Message, Provenance, write_jsonl
from modsmith.run import run_recipe

SCRIPTS = {
    "Assets/Scripts/Creature.cs": """\
using UnityEngine;

public class Creature : MonoBehaviour
{
    public int hitPoints = 3;

    public bool Alive { get { return hitPoints > 0; } }

    public void TakeHit(int amount)
    {
        hitPoints -= amount;
        if (!Alive) Destroy(gameObject);
    }
}
""",
    "Assets/Scripts/SoundBoard.cs": """\
using UnityEngine;

public class SoundBoard : MonoBehaviour
{
    public static SoundBoard Instance;

    void Awake() { Instance = this; }

    public void Play(string cue) { Debug.Log("cue " + cue); }
}
""",
    "Assets/Scripts/Trap.cs": """\
using UnityEngine;

public class Trap : MonoBehaviour
{
    public int damage = 1;

    void OnTriggerEnter(Collider other)
    {
        Spring(other.GetComponent<Creature>());
    }

    void Spring(Creature victim)
    {
        if (victim == null) return;
        victim.TakeHit(damage);
    }
}
""",
    "Assets/UI/Banner.cs": """\
using TMPro;
using UnityEngine;

public class Banner : MonoBehaviour
{
    public TextMeshProUGUI label;
}
""",
    "Assets/Editor/TrapInspector.cs": """\
using UnityEditor;

[CustomEditor(typeof(Trap))]
public class TrapInspector : Editor
{
}
""",
}

USES_THE_PROJECT = """\
using UnityEngine;

public class Spikes : MonoBehaviour
{
    void OnTriggerStay(Collider other)
    {
        var creature = other.GetComponent<Creature>();
        if (creature != null && creature.Alive)
        {
            creature.TakeHit(1);
            SoundBoard.Instance.Play("spikes");
        }
    }
}"""
A_FRAGMENT_USING_THE_PROJECT = """\
void OnCollisionEnter(Collision hit)
{
    hit.gameObject.GetComponent<Creature>().TakeHit(2);
}"""
INVENTED_METHOD = USES_THE_PROJECT.replace("creature.TakeHit(1);", "creature.Explode();")
WRONG_ARGUMENTS = USES_THE_PROJECT.replace("creature.TakeHit(1);", "creature.TakeHit(1, true);")
NEEDS_PACKAGE = """\
using TMPro;
using UnityEngine;

public class Counter : MonoBehaviour
{
    public TextMeshProUGUI text;
    public Creature watched;

    void Update() { text.text = watched.hitPoints.ToString(); }
}"""
SPRING_REWRITTEN = """\
    void Spring(Creature victim)
    {
        if (victim == null) return;
        victim.TakeHit(damage * 2);
        SoundBoard.Instance.Play("trap");
    }"""


@pytest.fixture(autouse=True)
def cache(tmp_path, monkeypatch):
    """Keep the stub assembly, verdicts and libraries out of the home directory."""
    monkeypatch.setenv("MODSMITH_CACHE", str(tmp_path / "cache"))


@pytest.fixture
def game(tmp_path) -> Path:
    root = tmp_path / "game"
    for rel, text in SCRIPTS.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    return root


def _block(code: str) -> list[CodeSpan]:
    return [CodeSpan(text=code, lang="csharp", kind="block", message_index=1, start_offset=0)]


def _example(code: str, provenance: Provenance | None = None, symbol: str | None = None) -> Example:
    answer = f"Here it is:\n\n```csharp\n{code}\n```\n"
    return Example.create(
        "code.implement",
        [Message(role="user", content="Write it."), Message(role="assistant", content=answer)],
        provenance=[provenance] if provenance else None,
        meta={"symbol": symbol} if symbol else None,
    )


def test_examples_are_compiled_with_the_scripts_of_their_project(game, tmp_path):
    spring_lines = SCRIPTS["Assets/Scripts/Trap.cs"].splitlines()
    first = next(i for i, line in enumerate(spring_lines, 1) if "void Spring(" in line)
    spring = Provenance(source=str(game), path="Assets/Scripts/Trap.cs", lines=(first, first + 4))
    examples = [
        _example(USES_THE_PROJECT),
        _example(A_FRAGMENT_USING_THE_PROJECT),
        _example(SPRING_REWRITTEN, spring, "Spring"),
        _example(INVENTED_METHOD),
        _example(WRONG_ARGUMENTS),
        _example(NEEDS_PACKAGE),
    ]
    data = tmp_path / "examples.jsonl"
    write_jsonl(data, examples)
    recipe = tmp_path / "r.yaml"
    recipe.write_text(
        f"name: r\noutput: {tmp_path / 'runs'}\nstages:\n"
        f"  - stage: ingest.examples\n    with: {{paths: [{data}]}}\n"
        f"  - stage: ground.check\n    with: {{repo: {game}, profile: null, rename_history: false}}\n"
    )
    result = run_recipe(recipe)
    rows = [json.loads(line) for line in (result.run_dir / "02-ground.check" / "data.jsonl").open()]
    compiled = [row["checks"]["compile_csharp"] for row in rows]
    for check in compiled[:3]:
        assert check["passed"], check["detail"]
        assert check["data"]["against"].startswith("project")
    assert [c["data"].get("failure_class") for c in compiled[3:]] == [
        "invented_name",
        "wrong_arguments",
        "needs_package",
    ]
    assert [u["name"] for u in compiled[3]["data"]["blocks"][0]["unknown"]] == ["Explode"]
    assert "com.unity.textmeshpro" in compiled[5]["detail"]
    assert rows[0]["checks"]["names"]["passed"], rows[0]["checks"]["names"]["detail"]
    # the names check takes the compiler's word: a package's names are the package's, not invented
    names = [row["checks"]["names"] for row in rows]
    assert [i["name"] for i in names[3]["data"]["invented"]] == ["Explode"]
    assert "the compiler rejects it too" in names[3]["data"]["invented"][0]["detail"]
    assert names[5]["passed"], names[5]["detail"]
    known = {k["name"]: k["kind"] for k in names[5]["data"]["known"]}
    assert known["TextMeshProUGUI"] == "package"


def test_the_checks_limits_reach_the_compiler_in_a_project(game):
    config = GroundCheckConfig(repo=str(game), profile=None, checks=["compile"], max_source_bytes=1024)
    grounding = Grounding.open(config)
    padded = USES_THE_PROJECT.replace("{\n    void", "{\n" + "    // padding\n" * 100 + "    void", 1)
    try:
        checked = grounding.check_many([_block(USES_THE_PROJECT), _block(padded)])
    finally:
        grounding.close()
    assert checked[0]["compile_csharp"].passed
    assert checked[1]["compile_csharp"].data["failure_class"] == "too_large"


def test_a_repo_that_is_no_unity_project_still_compiles_blocks_alone(tmp_path):
    plain = tmp_path / "scripts"
    plain.mkdir()
    (plain / "Creature.cs").write_text(SCRIPTS["Assets/Scripts/Creature.cs"])
    grounding = Grounding.open(GroundCheckConfig(repo=str(plain), profile=None, checks=["compile"]))
    try:
        checks = grounding.check_spans(_block(USES_THE_PROJECT))
    finally:
        grounding.close()
    assert checks["compile_csharp"].data["failure_class"] == "invented_name"  # SoundBoard is nowhere
    assert checks["compile_csharp"].data["against"] == "stubs"
