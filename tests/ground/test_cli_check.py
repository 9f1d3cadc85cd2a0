"""`modsmith check` on the mini decomp: why each name is invented, and the size cap of the check."""

from __future__ import annotations

import json
import shutil

import pytest

from modsmith.records import Example, Message, read_jsonl, write_jsonl

pytestmark = pytest.mark.skipif(shutil.which("gcc") is None, reason="needs gcc")

#: Two names the mini decomp lacks: a member `Actor` does not have and a macro it never had.
INVENTED = """#include "global.h"

void EnFoo_Wander(Actor* thisx, PlayState* play) {
    thisx->wanderRadius = 40.0f;
    FOO_SPIN_ALL(play);
}
"""
#: Valid code, padded with a comment to a known size.
VALID = """#include "global.h"

void EnFoo_Rest(Actor* thisx, PlayState* play) {
    Actor_SetScale(thisx, 0.01f);
    thisx->speed = 0.0f;
}
"""


def padded(size: int) -> str:
    """VALID, with a comment that brings it to `size` bytes."""
    filler = size - len(VALID) - len("/*  */\n")
    return VALID + "/* " + "x" * filler + " */\n"


def test_each_invented_name_is_printed_with_why(modsmith, decomp_repo, tmp_path):
    repo, _ = decomp_repo
    source = tmp_path / "en_foo.c"
    source.write_text(INVENTED)
    result = modsmith("check", str(source), "--repo", str(repo), "--no-rename-history")
    assert result.returncode == 1, result.stderr
    lines = result.stdout.splitlines()
    member = next(i for i, line in enumerate(lines) if line.startswith("  invented member wanderRadius"))
    why = lines[member + 1]
    assert why.startswith("    `wanderRadius` is not a member of `Actor`")
    assert "the compiler rejects it too" in why and "'Actor' has no member named 'wanderRadius'" in why
    macro = next(i for i, line in enumerate(lines) if line.startswith("  invented macro FOO_SPIN_ALL"))
    assert "`FOO_SPIN_ALL` (macro) is not declared in the repository" in lines[macro + 1]
    assert "implicit declaration of function 'FOO_SPIN_ALL'" in lines[macro + 1]


def test_a_file_over_the_size_cap_is_too_large(modsmith, decomp_repo, tmp_path):
    repo, _ = decomp_repo
    source = tmp_path / "en_foo_rest.c"
    source.write_text(padded(3000))
    args = ["check", str(source), "--repo", str(repo), "--no-rename-history", "--json"]
    over = modsmith(*args, "--max-source-bytes", "2048")
    assert over.returncode == 1, over.stderr
    verdict = json.loads(over.stdout)
    assert verdict["failure_class"] == "too_large" and "2048" in verdict["detail"].replace(",", "")
    under = modsmith(*args, "--max-source-bytes", "4096")
    assert under.returncode == 0, under.stdout + under.stderr
    assert json.loads(under.stdout)["passed"]


def test_an_example_over_the_size_cap_is_too_large(modsmith, decomp_repo, tmp_path):
    repo, _ = decomp_repo
    answer = f"Here it is:\n\n```c\n{padded(3000)}```\n"
    example = Example.create(
        "code.implement",
        [Message(role="user", content="Make it rest."), Message(role="assistant", content=answer)],
    )
    dataset = tmp_path / "examples.jsonl"
    write_jsonl(dataset, [example])
    for cap, passed in (("2048", False), ("4096", True)):
        out = tmp_path / f"checked-{cap}.jsonl"
        args = ["check", str(dataset), "--repo", str(repo), "--no-rename-history", "-o", str(out)]
        result = modsmith(*args, "--max-source-bytes", cap)
        assert result.returncode == (0 if passed else 1), result.stderr
        (checked,) = read_jsonl(out, Example)
        compiled = checked.checks["compile_c"]
        assert compiled.passed is passed
        if not passed:
            assert compiled.data["failure_class"] == "too_large" and "2048" in compiled.detail


def test_a_cap_below_what_the_sandbox_accepts_is_a_usage_error(modsmith, tmp_path):
    source = tmp_path / "x.c"
    source.write_text(VALID)
    result = modsmith("check", str(source), "--repo", str(tmp_path), "--max-source-bytes", "10")
    assert result.returncode == 2 and "Traceback" not in result.stderr
