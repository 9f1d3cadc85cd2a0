"""The C screen types a variable from the declaration whose scope encloses each use.

A C block (a whole actor file, say) may declare `thisx` as the actor's own struct in one function and
as `Actor*` in the others. A member read through `thisx` is then judged on the type of the `thisx`
in scope, never on the file's last declaration; where the screen cannot tell the scope, it doubts
(and leaves the member to tree-sitter) rather than calling a real member invented.
"""

from __future__ import annotations

import re

import pytest

from modsmith.ground.code_spans import CodeSpan
from modsmith.ground.names.c_index_facts import CIndexFacts
from modsmith.ground.names.c_screen import screen_c_block
from modsmith.ground.names.invented import check_names
from modsmith.ground.names.symbol_index import SymbolIndex

WORD = re.compile(r"\w+")
#: `spinSpeed` is a member of `EnTest` only, `speed` one of `Actor` only, `sceneId` of neither
#: (it is `PlayState`'s): the mini decomp's structs.
SPIN = "static void EnTest_Spin(EnTest* thisx) {\n    thisx->spinSpeed += 0.5f;\n}\n"
HALT = (
    "void EnTest_Halt(Actor* thisx, PlayState* play) {\n"
    "    thisx->speed = 0.0f;\n"
    "    thisx->sceneId = 1;\n"
    "}\n"
)


@pytest.fixture(scope="module")
def index(decomp_repo, tmp_path_factory):
    root, _ = decomp_repo
    built = SymbolIndex.build(root, tmp_path_factory.mktemp("index") / "index.sqlite")
    yield built
    built.close()


def member_types(code: str, index: SymbolIndex) -> tuple[list[tuple[str, str | None, bool]], set[str]]:
    """What the screen makes of each `->member`: (member, struct of its base, doubtful), in text
    order, and the members it suspects."""
    screen = screen_c_block(code, CIndexFacts(index))
    bases = [(WORD.match(code, at).group(), *screen.member_bases[at]) for at in sorted(screen.member_bases)]
    return bases, {name for name, reasons in screen.suspects.items() if "member" in reasons}


@pytest.mark.parametrize("first_spin", [True, False], ids=["spin-first", "halt-first"])
def test_a_shadowed_variable_is_typed_by_its_own_function(index, first_spin):
    code = SPIN + "\n" + HALT if first_spin else HALT + "\n" + SPIN
    sceneid_row = code.splitlines().index("    thisx->sceneId = 1;")
    bases, suspects = member_types(code, index)
    expected = [("spinSpeed", "EnTest", False), ("speed", "Actor", False), ("sceneId", "Actor", False)]
    assert bases == (expected if first_spin else [*expected[1:], expected[0]])
    assert suspects == {"sceneId"}  # only the member neither struct has
    report = check_names([CodeSpan(code, "c", "block", 0, 0, 1)], index)
    assert [(i.name, i.line) for i in report.invented] == [("sceneId", sceneid_row + 1)]


def test_a_variable_in_two_blocks_of_one_function_is_typed_per_block(index):
    code = (
        "{\n    EnTest* thisx = first;\n    thisx->spinSpeed = 1.0f;\n}\n"
        "{\n    Actor* thisx = second;\n    thisx->speed = 2.0f;\n    thisx->sceneId = 3;\n}\n"
    )
    bases, suspects = member_types(code, index)
    assert bases == [("spinSpeed", "EnTest", False), ("speed", "Actor", False), ("sceneId", "Actor", False)]
    assert suspects == {"sceneId"}
    uses = screen_c_block(code, CIndexFacts(index)).clear_uses()
    assert [(u.name, u.row, u.base_type) for u in uses] == [("sceneId", 7, "Actor")]
    report = check_names([CodeSpan(code, "c", "block", 0, 0, 1)], index)
    assert [(i.name, i.line) for i in report.invented] == [("sceneId", 8)]


def test_a_use_whose_scope_cannot_be_told_is_doubted(index):
    # a fragment: the end of a function whose header is not shown, so its braces do not pair up
    code = "    thisx->spinSpeed = 0.0f;\n}\n\n" + HALT + "\n" + SPIN
    screen = screen_c_block(code, CIndexFacts(index))
    at = code.index("spinSpeed")
    assert screen.member_bases[at] == (None, True)
    assert screen.clear_uses() is None  # tree-sitter decides, nothing is called invented on a guess
    report = check_names([CodeSpan(code, "c", "block", 0, 0, 1)], index)
    assert "spinSpeed" not in {i.name for i in report.invented}


def test_a_variable_with_one_type_keeps_it_everywhere(index):
    code = "void EnTest_Stop(Actor* thisx) {\n    thisx->speed = 0.0f;\n}\nvoid EnTest_Go(Actor* thisx) {\n"
    code += "    thisx->spinSpeed = 1.0f;\n}\n"
    bases, suspects = member_types(code, index)
    assert bases == [("speed", "Actor", False), ("spinSpeed", "Actor", False)]
    assert suspects == {"spinSpeed"}
