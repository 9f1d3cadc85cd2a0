"""The symbols the code-ingest stage extracts: the details of C declarations, C edge cases in temp
files, and C# on examples/sample_unity."""

from __future__ import annotations

import pytest
from code_samples import SAMPLE_UNITY, by_name, names, run_stage

from modsmith.ingest.code import iter_code_documents
from modsmith.records import Document, Provenance

# --- details of C symbols --------------------------------------------------------------------


def test_k_and_r_definition_is_one_function_with_its_parameters(docs):
    doc = by_name(docs, "Math_Vec3f_DistXYZ", "function")
    assert doc.meta["params"] == ["a", "b"]
    assert doc.meta["signature"] == "f32 Math_Vec3f_DistXYZ(a, b)\n    Vec3f* a;\n    Vec3f* b;"
    assert doc.text.startswith("f32 Math_Vec3f_DistXYZ(a, b)") and doc.text.endswith("}")
    assert "return SQ(dx) + SQ(dy) + SQ(dz);" in doc.text
    assert doc.meta["doc"].startswith("Old-style definition kept from an early draft")


def test_pointer_returning_functions_and_prototypes(docs):
    spawn = by_name(docs, "Actor_Spawn", "function")
    assert spawn.meta["signature"] == (
        "Actor* Actor_Spawn(PlayState* play, s16 actorId, f32 x, f32 y, f32 z, s16 params)"
    )
    assert spawn.meta["params"] == ["play", "actorId", "x", "y", "z", "params"]
    proto = by_name(docs, "Math_Vec3f_Copy", "prototype")
    assert proto.text == "Vec3f* Math_Vec3f_Copy(Vec3f* dst, Vec3f* src);"
    assert proto.meta["signature"] == "Vec3f* Math_Vec3f_Copy(Vec3f* dst, Vec3f* src)"
    assert proto.meta["params"] == ["dst", "src"]
    assert by_name(docs, "Matrix_GetCurrent", "prototype").meta["params"] == []
    assert by_name(docs, "Actor_GetCategoryName", "function").meta["signature"].startswith("const char* ")


def test_static_storage_is_recorded(docs):
    assert by_name(docs, "ActorList_FindFreeSlot", "function").meta["storage"] == "static"
    assert by_name(docs, "EnSample_Idle", "prototype").meta["storage"] == "static"
    assert by_name(docs, "Actor_Kill", "function").meta["storage"] is None


def test_long_function_is_one_document_with_its_size(docs):
    doc = by_name(docs, "Message_GetNextTextId", "function")
    first, last = doc.provenance.lines
    assert doc.meta["lines"] == last - first + 1 >= 150
    assert doc.meta["bytes"] == len(doc.text.encode())
    assert doc.text.count("\n") == last - first
    assert doc.text.startswith("u16 Message_GetNextTextId(u16 textId, u32 flags) {")
    assert doc.text.endswith("    return nextId;\n}")
    assert [d.meta["symbol"] for d in docs if d.provenance.path == doc.provenance.path] == [
        "MESSAGE_NONE",
        "Message_GetNextTextId",
    ]


def test_function_like_and_object_like_macros(docs):
    clamp = by_name(docs, "CLAMP", "macro")
    assert clamp.meta["function_like"] is True
    assert clamp.meta["params"] == ["x", "min", "max"]
    assert clamp.meta["signature"] == "#define CLAMP(x, min, max)"
    assert clamp.meta["value"] == "((x) < (min) ? (min) : (x) > (max) ? (max) : (x))"
    pi = by_name(docs, "SAMPLE_PI", "macro")
    assert pi.meta["function_like"] is False and pi.meta["params"] is None
    assert pi.meta["signature"] == "#define SAMPLE_PI" and pi.meta["value"] == "3.14159265f"
    assert pi.text == "#define SAMPLE_PI 3.14159265f"


def test_multi_line_macro_keeps_its_continuations(docs):
    lerp = by_name(docs, "VEC3F_LERP", "macro")
    assert lerp.provenance.lines == (19, 24)
    assert lerp.meta["params"] == ["dst", "a", "b", "t"]
    assert lerp.text.startswith("#define VEC3F_LERP(dst, a, b, t)") and lerp.text.endswith("} while (0)")
    assert lerp.text.count("\\\n") == 5
    assert lerp.meta["value"].startswith("do {") and lerp.meta["value"].endswith("} while (0)")
    assert lerp.meta["doc"].startswith("Linear interpolation between two vectors")


def test_symbols_inside_preprocessor_blocks_are_found(docs):
    both = [d for d in docs if d.meta["symbol"] == "MATH_ASSERT"]
    assert sorted(d.meta["value"] for d in both) == [
        "((cond) ? (void)0 : Math_AssertFail(#cond, __FILE__, __LINE__))",
        "((void)0)",
    ]
    assert by_name(docs, "Actor_DebugPrint", "function").provenance.path == "src/code/z_actor_util.c"
    assert by_name(docs, "Math_AssertFail", "prototype").meta["params"] == ["expr", "file", "line"]


def test_doc_comments_are_attached_and_not_part_of_the_text(docs):
    spawn = by_name(docs, "Actor_Spawn", "function")
    assert spawn.meta["doc"] == (
        "Places a new actor at (x, y, z) and links it into the list.\n"
        "Returns NULL when there is no room left."
    )
    assert "/**" not in spawn.text
    nearby = by_name(docs, "Actor_FindNearby", "function")
    assert nearby.meta["doc"] == (
        "Finds the closest actor of the given id and category within `range` units of `origin`.\n"
        "Returns NULL when none is close enough."
    )
    assert by_name(docs, "Actor_Kill", "function").meta["doc"] is None
    assert by_name(docs, "SQ", "macro").meta["doc"] == "Squares a value; the argument is evaluated twice."
    assert by_name(docs, "Vec3f", "struct").meta["doc"] == "A position or direction in world space."
    # The file header comment sits above an #include, so it documents nothing.
    assert by_name(docs, "FLAGS", "macro").meta["doc"] is None


def test_enum_constants_have_container_value_and_trailing_doc(docs):
    npc = by_name(docs, "ACTORCAT_NPC")
    assert npc.meta["container"] == "ActorCategory" and npc.meta["value"] == "4"
    assert npc.meta["doc"] == "talkative folk"
    assert npc.text == "ACTORCAT_NPC = 4"
    switch = by_name(docs, "ACTORCAT_SWITCH")
    assert switch.meta["value"] is None
    assert switch.meta["doc"] is None  # `/* 0x00 */` is an offset marker, not a doc
    always = by_name(docs, "ACTOR_FLAG_UPDATE_ALWAYS")
    assert always.meta["doc"] == "Keeps updating even when far from the camera."
    assert by_name(docs, "ACTOR_FLAG_HOSTILE").meta["container"] == "ActorFlagBits"
    enum = by_name(docs, "ActorCategory", "enum")
    assert enum.meta["typedef"] == "ActorCategory" and enum.meta["constants"][0] == "ACTORCAT_SWITCH"


def test_structs_record_typedef_and_fields(docs):
    actor = by_name(docs, "Actor", "struct")
    assert actor.meta["typedef"] == "Actor"
    assert actor.meta["fields"] == ["id", "category", "flags", "pos", "rot", "speed", "parent", "next"]
    assert actor.text.startswith("typedef struct Actor {") and actor.text.endswith("} Actor;")
    assert by_name(docs, "Vec3s", "struct").meta["typedef"] == "Vec3s"  # anonymous struct, typedef name
    # `struct Actor;` (a forward declaration) is not a second struct document
    assert len([d for d in docs if d.meta["symbol"] == "Actor" and d.meta["symbol_kind"] == "struct"]) == 1


# --- C edge cases in temp files --------------------------------------------------------------


def _c_docs(code: str) -> list[Document]:
    return list(iter_code_documents("t.c", code.encode(), "c", Provenance(source="/repo", commit="abc")))


def test_blank_line_breaks_a_doc_comment_and_trailing_macro_comment():
    docs = _c_docs(
        "// A stray note.\n\n"
        "int Detached(void) { return 0; }\n"
        "int a; // about a\n"
        "int After(void);\n"
        "#define LIMIT 8 // at most eight\n"
        '#define PATH "a//b" /* not split inside strings */\n'
    )
    assert by_name(docs, "Detached").meta["doc"] is None
    assert by_name(docs, "After").meta["doc"] is None  # `// about a` belongs to the line above
    limit = by_name(docs, "LIMIT")
    assert limit.meta["value"] == "8" and limit.meta["doc"] == "at most eight"
    path = by_name(docs, "PATH")
    assert path.meta["value"] == '"a//b"' and path.meta["doc"] == "not split inside strings"
    assert docs[0].provenance == Provenance(source="/repo", path="t.c", lines=(3, 3), commit="abc")


def test_function_pointers_and_else_branches():
    docs = _c_docs(
        "int (*gCallback)(int);\n"
        "void (*GetCallback(int x))(void);\n"
        "extern void First(void), Second(int n);\n"
        "#ifdef FAST\n"
        "static inline int Pick(void) { return 1; }\n"
        "#elif SLOW\n"
        "int Pick(void) { return 2; }\n"
        "#else\n"
        "int Pick(void) { return 3; }\n"
        "#endif\n"
        "enum { LOOSE_A, LOOSE_B = 3 };\n"
    )
    assert "gCallback" not in {d.meta["symbol"] for d in docs}
    assert by_name(docs, "GetCallback", "prototype").meta["params"] == ["x"]
    assert by_name(docs, "Second").meta["signature"] == "extern void Second(int n)"
    assert by_name(docs, "First").meta["signature"] == "extern void First(void)"
    picks = [d for d in docs if d.meta["symbol"] == "Pick"]
    assert [d.provenance.lines[0] for d in picks] == [5, 7, 9]
    assert picks[0].meta["storage"] == "static"
    loose = by_name(docs, "LOOSE_B")
    assert loose.meta["container"] is None and loose.meta["value"] == "3"


def test_bom_and_crlf_line_endings():
    docs = _c_docs(
        "\ufeff/** Doc. */\r\nint A(void)\r\n{\r\n    return 1;\r\n}\r\n"
        "#define M(x) \\\r\n    ((x) + 1) // t\r\n"
    )
    func, macro = docs
    assert func.meta["doc"] == "Doc." and func.provenance.lines == (2, 5)
    assert func.text == "int A(void)\r\n{\r\n    return 1;\r\n}"
    assert macro.provenance.lines == (6, 7) and macro.text.endswith("// t")
    assert macro.meta["value"] == "((x) + 1)" and macro.meta["doc"] == "t"


# --- C# --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def cs_docs() -> list[Document]:
    return run_stage(SAMPLE_UNITY)[0]


def test_csharp_classes_methods_properties_fields(cs_docs):
    assert names(cs_docs, "class") == {"PlayerMover", "CoinPickup", "ScoreBoard"}
    assert names(cs_docs, "struct") == {"Target"}
    assert names(cs_docs, "enum") == {"CoinKind"}
    mover = by_name(cs_docs, "PlayerMover", "class")
    assert mover.lang == "csharp"
    assert mover.meta["namespace"] == "SampleGame.Player"
    assert mover.meta["signature"] == "public class PlayerMover : MonoBehaviour"
    assert mover.meta["doc"] == "Moves the player character on the ground plane from keyboard or stick input."
    move = by_name(cs_docs, "Move", "method")
    assert move.meta["container"] == "PlayerMover"
    assert move.meta["params"] == ["direction", "deltaTime"]
    assert move.meta["signature"] == "public void Move(Vector3 direction, float deltaTime)"
    assert move.meta["doc"] == "Moves and turns the player towards direction."
    assert move.text.startswith("public void Move(") and move.text.endswith("}")
    assert by_name(cs_docs, "MaxDistance").meta["storage"] == "static"
    grounded = by_name(cs_docs, "IsGrounded", "property")
    assert grounded.meta["container"] == "PlayerMover"
    assert grounded.meta["doc"] == "True while the player is touching the ground."
    walk = by_name(cs_docs, "walkSpeed", "field")
    assert walk.meta["container"] == "PlayerMover"
    assert walk.meta["doc"] == "Walking speed in metres per second."
    assert walk.text == "[SerializeField] private float walkSpeed = 4.5f;"
    assert by_name(cs_docs, "turnSpeed", "field").meta["doc"] == "degrees per second"
    assert by_name(cs_docs, "ScoreChanged", "field").meta["event"] is True
    assert by_name(cs_docs, "ScoreBoard", "class").meta["namespace"] is None
    assert by_name(cs_docs, "Level", "field").meta["container"] == "Target"
    gold = by_name(cs_docs, "Gold", "enum_constant")
    assert gold.meta["container"] == "CoinKind" and gold.meta["value"] == "20"
    assert len([d for d in cs_docs if d.meta["symbol"] == "Update"]) == 2


def test_csharp_file_scoped_namespace_and_nested_types():
    code = (
        "namespace Mods.Core;\n"
        '/// <summary>Outer <see cref="Inner"/> holder.</summary>\n'
        "public class Outer {\n"
        "    public class Inner { public int Value { get; set; } }\n"
        "    public Outer(int seed) { }\n"
        "    public interface IHook { void Run(); }\n"
        "}\n"
    )
    docs = list(iter_code_documents("a.cs", code.encode(), "csharp", Provenance(source="/r")))
    outer = by_name(docs, "Outer", "class")
    assert outer.meta["namespace"] == "Mods.Core" and outer.meta["doc"] == "Outer Inner holder."
    assert by_name(docs, "Inner", "class").meta["container"] == "Outer"
    assert by_name(docs, "Value", "property").meta["container"] == "Inner"
    assert by_name(docs, "Outer", "method").meta["params"] == ["seed"]
    assert by_name(docs, "Run", "method").meta["container"] == "IHook"
    assert by_name(docs, "IHook", "interface").meta["container"] == "Outer"
