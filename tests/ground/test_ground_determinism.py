"""Same inputs, same bytes: the C and C# grounding of one dataset, run in separate processes with
different hash seeds (set and dict order, tree-sitter capture order), comes out byte for byte equal."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from modsmith.records import Example, Message, write_jsonl

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
needs_compilers = pytest.mark.skipif(
    shutil.which("gcc") is None or shutil.which("mcs") is None, reason="needs gcc and mono-mcs"
)

CSHARP_ANSWERS = [
    """public void Move(Vector3 direction, float deltaTime)
{
    direction = Vector3.ClampMagnitude(direction, 1f);
    if (direction.sqrMagnitude > 0.001f)
    {
        Quaternion target = Quaternion.LookRotation(direction);
        transform.rotation = Quaternion.RotateTowards(transform.rotation, target, turnSpeed * deltaTime);
    }
    controller.SimpleMove(direction * walkSpeed);
    IsGrounded = controller.isGrounded;
}""",
    """using UnityEngine;

public class Spinner : MonoBehaviour
{
    public float speed = 90f;
    void Update()
    {
        Vector3 axis = Vector3.up;
        transform.Rotatee(axis, speed * Time.deltaTime);
        ScoreBoard.Instance.AddPoints(Mathf.RoundToInt(speed));
        var body = GetComponent<Rigidbody>();
        body.AddForce(Vector3.forward * Quaternion.identity.y, ForceMode.Impulse);
        CoinPickup.CollectedCountt += CoinKind.Silverr.GetHashCode();
    }
}""",
]
C_ANSWERS = [
    """void EnSample_Update(Actor* thisx, PlayState* play) {
    Actor* other = Actor_FindNearby(play, thisx, 0, 1, 100.0f);
    Math_StepToF(&thisx->speedXZ, 0.0f, 1.0f);
    thisx->worldPoss.y += Math_Vec3f_DistXYZ(&thisx->world.pos, &other->world.pos);
    Actor_MoveForwardd(thisx);
    Matrix_Translate(0.0f, 0.0f, 0.0f, MTXMODE_APPLYY);
}""",
    """void EnSample_Draw(Actor* thisx, PlayState* play) {
    Vec3f* a;
    {
        MtxF* a = Matrix_GetCurrent();
        a->xx = 1.0f;
    }
    Actor_Kill(thisx, 1);
    GfxPrint_Printf(play, "%d", Actor_IsFacingg(thisx, 0));
}""",
]

GROUND = """
import json, sys
from modsmith.ground.check import GroundCheck
from modsmith.records import Example, read_jsonl
from modsmith.stage import Rejects

data, c_repo, c_profile, cs_repo = sys.argv[1:]
records = list(read_jsonl(data, Example))
for config in (
    {"repo": c_repo, "profile": c_profile, "languages": ["c"], "workers": 2},
    {"repo": cs_repo, "languages": ["csharp"], "workers": 2},
):
    stage = GroundCheck(config)
    records = list(stage.process(records, Rejects()))
    sys.stdout.write(stage.report.to_json())
for record in records:
    sys.stdout.write(json.dumps(record.model_dump(mode="json"), ensure_ascii=False) + "\\n")
"""


def answer(code: str, lang: str) -> Example:
    return Example.create(
        "code.implement",
        [
            Message(role="user", content="Write it."),
            Message(role="assistant", content=f"```{lang}\n{code}\n```"),
        ],
    )


def ground_in_a_process(data: Path, cache: Path, seed: str) -> bytes:
    env = {**os.environ, "PYTHONHASHSEED": seed, "MODSMITH_CACHE": str(cache)}
    args = [str(EXAMPLES / "sample_decomp"), str(EXAMPLES / "sample_decomp" / "modsmith-profile.yaml")]
    done = subprocess.run(
        [sys.executable, "-c", GROUND, str(data), *args, str(EXAMPLES / "sample_unity")],
        capture_output=True,
        env=env,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr.decode(errors="replace")
    return done.stdout


@needs_compilers
def test_grounding_is_byte_identical_across_processes_and_hash_seeds(tmp_path):
    data = tmp_path / "answers.jsonl"
    write_jsonl(
        data, [answer(code, "csharp") for code in CSHARP_ANSWERS] + [answer(c, "c") for c in C_ANSWERS]
    )
    outputs = [ground_in_a_process(data, tmp_path / f"cache-{seed}", seed) for seed in ("1", "2", "3")]
    assert outputs[0] == outputs[1] == outputs[2]

    records = [json.loads(line) for line in outputs[0].decode().splitlines() if line.startswith('{"id"')]
    checks = [r["checks"] for r in records]
    assert len(checks) == 4 and all(c.get("names") for c in checks)
    known = [k["name"] for c in checks for k in c["names"]["data"]["known"]]
    invented = [i for c in checks for i in c["names"]["data"]["invented"]]
    assert {"Vector3", "Quaternion", "Actor_FindNearby", "Math_StepToF"} <= set(known)
    assert {"Rotatee", "Actor_MoveForwardd", "worldPoss", "Actor_IsFacingg"} <= {i["name"] for i in invented}
    assert any(i["suggestions"] for i in invented)
    assert [bool(c.get("compile_csharp")) for c in checks] == [True, True, False, False]
    assert [bool(c.get("compile_c")) for c in checks] == [False, False, True, True]
