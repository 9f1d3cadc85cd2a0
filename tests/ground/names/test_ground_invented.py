"""Code spans in examples, invented-name detection against the mini decomp, and its rename history."""

from __future__ import annotations

import json
import pickle
import re
import subprocess
from pathlib import Path

import pytest

from modsmith.errors import ModsmithError
from modsmith.ground.code_spans import CodeSpan, code_spans, file_spans, guess_language, spans_in_text
from modsmith.ground.names import c_screen
from modsmith.ground.names.builtin_names import C_BUILTIN_NAMES, CSHARP_BUILTIN_NAMES, unity_stub_names
from modsmith.ground.names.invented import check_names
from modsmith.ground.names.rename_history import RenameHistory
from modsmith.ground.names.suggestions import name_similarity, suggest
from modsmith.ground.names.symbol_index import SymbolIndex
from modsmith.records import Example, Message


def answer(text: str, question: str = "How do I draw my actor?") -> Example:
    return Example.create(
        "test", [Message(role="user", content=question), Message(role="assistant", content=text)]
    )


def c_block(code: str) -> list[CodeSpan]:
    return [CodeSpan(code, "c", "block", 1, 0, 1)]


@pytest.fixture(scope="module")
def index(decomp_repo, tmp_path_factory):
    root, _ = decomp_repo
    built = SymbolIndex.build(root, tmp_path_factory.mktemp("index") / "index.sqlite")
    yield built
    built.close()


@pytest.fixture(scope="module")
def history(decomp_repo, index):
    root, _ = decomp_repo
    found = RenameHistory(root, index)
    yield found
    found.close()


def invented(report) -> dict[str, object]:
    return {i.name: i for i in report.invented}


# --- code spans -------------------------------------------------------------------------------


def test_fenced_blocks_get_their_language_from_the_info_string():
    text = (
        "```c\nint a;\n```\n```cpp\nint b;\n```\n```h\nint c;\n```\n"
        "```csharp\nint d;\n```\n```cs\nint e;\n```\n```C#\nint f;\n```\n"
        "```python\nprint(1)\n```\n~~~c\nint g;\n~~~\n"
    )
    spans = spans_in_text(text)
    assert [(s.text, s.lang) for s in spans] == [
        ("int a;\n", "c"),
        ("int b;\n", "c"),
        ("int c;\n", "c"),
        ("int d;\n", "csharp"),
        ("int e;\n", "csharp"),
        ("int f;\n", "csharp"),
        ("print(1)\n", None),
        ("int g;\n", "c"),
    ]
    assert all(s.kind == "block" for s in spans)


def test_unlabelled_blocks_are_guessed_and_an_unclosed_fence_runs_to_the_end():
    text = (
        "```\nusing UnityEngine;\npublic class A : MonoBehaviour {\n    void Start() { }\n}\n```\n"
        '```\n#include "global.h"\ns32 x = this->actor.params;\n```\n'
        "```\nmake setup\n```\n"
        "````\nvoid Foo(void) {\n```\nstill inside\n"
    )
    spans = spans_in_text(text)
    assert [s.lang for s in spans] == ["csharp", "c", None, "c"]
    assert spans[-1].text == "void Foo(void) {\n```\nstill inside\n"
    assert guess_language("x = 1;") == "c" and guess_language("x = 1;", default=None) is None


def test_spans_know_their_message_offset_and_line():
    text = "Intro with `Matrix_Finalize()`.\n\n```c\nActor_Kill(&this->actor);\n```\nThen `CLAMP(x, 0, 1)`.\n"
    example = answer(text)
    spans = code_spans(example)
    assert [(s.kind, s.text, s.message_index, s.start_line) for s in spans] == [
        ("inline", "Matrix_Finalize()", 1, 1),
        ("block", "Actor_Kill(&this->actor);\n", 1, 4),
        ("inline", "CLAMP(x, 0, 1)", 1, 6),
    ]
    for span in spans:
        assert text[span.start_offset : span.start_offset + len(span.text)] == span.text
    assert code_spans(example, roles=("user",)) == []


def test_only_identifier_like_inline_spans_are_kept():
    text = (
        "Use `Matrix_Finalize()`, `MATRIX_NEWMTX`, `PlayState`, `this->actor.worldPos`, "
        "`Transform::Rotate`, `gSaveContext`, but not `pos`, `true`, `make setup`, `z_en_test.c`, "
        "`UnityEngine.dll`, `0x80`, `s32` or `#include`."
    )
    kept = [s.text for s in spans_in_text(text)]
    assert kept == [
        "Matrix_Finalize()",
        "MATRIX_NEWMTX",
        "PlayState",
        "this->actor.worldPos",
        "Transform::Rotate",
        "gSaveContext",
    ]


def test_a_source_file_is_one_block(tmp_path):
    c_file = tmp_path / "z_en_mine.c"
    c_file.write_text("void EnMine_Init(void) {\n}\n")
    cs_file = tmp_path / "Mine.cs"
    cs_file.write_text("class Mine { }\n")
    assert file_spans(c_file) == [CodeSpan("void EnMine_Init(void) {\n}\n", "c", "block", 0, 0, 1)]
    assert file_spans(cs_file)[0].lang == "csharp"
    with pytest.raises(ModsmithError, match="not a C or C# file"):
        file_spans(tmp_path / "notes.txt")
    with pytest.raises(ModsmithError, match="cannot read"):
        file_spans(tmp_path / "missing.c")


# --- known names ------------------------------------------------------------------------------


def test_an_existing_function_is_known_with_file_line_and_commit(index, decomp_repo):
    _, commits = decomp_repo
    report = check_names(
        c_block("DebugDisplay_AddObject(0, 0, 0, 0, 0, 0, 1, 1, 1, NULL, 0, gfxCtx);\n"), index
    )
    assert report.passed and report.commit == commits["new"]
    known = {k.name: k for k in report.known}
    assert (known["DebugDisplay_AddObject"].file, known["DebugDisplay_AddObject"].line) == (
        "include/debug_display.h",
        7,
    )
    assert known["DebugDisplay_AddObject"].kind == "prototype"
    assert known["NULL"].file == "include/libc/stddef.h"


def test_stdlib_keywords_and_compiler_builtins_are_known(index):
    code = (
        "void Copy(Actor* dst, Actor* src) {\n"
        "    memcpy(dst, src, sizeof(Actor));\n"
        "    if (__builtin_expect(dst == NULL, 0)) {\n"
        "        return;\n"
        "    }\n"
        "    __builtin_trap();\n"
        '    printf("%d\\n", (int)sizeof(*dst));\n'
        "}\n"
    )
    report = check_names(c_block(code), index)
    assert report.passed, report.invented
    kinds = {k.name: k.kind for k in report.known}
    assert kinds["memcpy"] == "builtin" and kinds["__builtin_expect"] == "builtin"
    assert "sizeof" not in kinds and "return" not in kinds  # keywords are not listed
    assert {"memcpy", "sizeof", "__builtin_expect", "NULL", "size_t"} <= C_BUILTIN_NAMES


def test_names_the_snippet_declares_are_never_reported(index):
    code = (
        "#define MY_SCALE 0.01f\n"
        "#define MY_HELPER(x) ((x) * MY_SCALE + UNDEFINED_IN_A_MACRO_BODY)\n"
        "typedef enum { MYSTATE_IDLE, MYSTATE_RUN } MyState;\n"
        "typedef struct MyData { s32 myCounter; Vec3f myTarget; } MyData;\n"
        "static MyData sMyData;\n"
        "static void MyActor_Helper(MyData* data, s32 Count) {\n"
        "    s32 i;\n"
        "    for (i = 0; i < Count; i++) {\n"
        "        data->myCounter += MY_HELPER(i);\n"
        "    }\n"
        "    data->myTarget.x = 0.0f;\n"
        "done:\n"
        "    return;\n"
        "}\n"
        "void MyActor_Update(Actor* thisx, PlayState* play) {\n"
        "    MyState state = MYSTATE_RUN;\n"
        "    MyActor_Helper(&sMyData, state);\n"
        "}\n"
    )
    report = check_names(c_block(code), index)
    assert report.passed, report.invented


def test_locals_with_api_looking_names_are_not_reported(index):
    code = (
        "void EnTest_Draw(Actor* thisx, PlayState* play) {\n"
        "    Vec3f sPos;\n"
        "    f32 Scale = 1.0f;\n"
        "    void (*Callback)(Actor*) = Actor_Kill;\n"
        "    sPos.x = Scale;\n"
        "    Callback(thisx);\n"
        "}\n"
    )
    assert check_names(c_block(code), index).passed


# --- invented names ---------------------------------------------------------------------------


def test_a_renamed_function_is_reported_with_its_new_name_and_commit(index, history, decomp_repo):
    _, commits = decomp_repo
    code = 'gSPMatrix(POLY_OPA_DISP++, Matrix_NewMtx(play->state.gfxCtx, "z_en_test.c", 52), G_MTX_LOAD);\n'
    report = check_names(c_block(code), index, history)
    found = invented(report)["Matrix_NewMtx"]
    assert found.usage == "call"
    assert found.renamed_to == "Matrix_Finalize"
    assert found.renamed_in == f"{commits['new'][:12]} (2024-09-01)"
    assert found.suggestions[0] == "Matrix_Finalize"
    assert "renamed to `Matrix_Finalize`" in found.detail
    assert not report.passed


def test_a_macro_that_never_existed_is_reported_without_a_rename(index, history):
    report = check_names(c_block("MATRIX_NEWMTX(POLY_OPA_DISP++, play->state.gfxCtx);\n"), index, history)
    found = invented(report)["MATRIX_NEWMTX"]
    assert found.usage == "macro"
    assert found.renamed_to is None and found.renamed_in is None
    assert "not in the git history" in found.detail
    assert "MATRIX_FINALIZE_AND_LOAD" in found.suggestions


def test_an_old_type_name_is_reported_as_renamed_and_its_parameter_is_not(index, history):
    code = "void EnTest_Update(Actor* thisx, GlobalContext* globalCtx) {\n    Actor_Kill(thisx);\n}\n"
    report = check_names(c_block(code), index, history)
    assert set(invented(report)) == {"GlobalContext"}
    found = invented(report)["GlobalContext"]
    assert (found.usage, found.renamed_to, found.line) == ("type", "PlayState", 1)


def test_an_invented_member_of_a_real_struct_is_reported_with_the_struct(index):
    report = check_names(c_block("this->actor.worldPos.x = 0.0f;\n"), index)
    found = invented(report)["worldPos"]
    assert found.usage == "member"
    assert found.detail.startswith("`worldPos` is not a member of `Actor`")
    assert found.suggestions[0] == "pos"


def test_a_member_of_another_struct_is_reported_on_the_struct_it_is_used_on(index):
    code = (
        "void EnTest_Spin(EnTest* this, PlayState* play) {\n"
        "    this->timer = 1;\n"
        "    this->actor.timer = 2;\n"
        "}\n"
    )
    report = check_names(c_block(code), index)
    assert list(invented(report)) == ["timer"]
    found = invented(report)["timer"]
    assert found.line == 3 and "(it is a member of EnTest)" in found.detail
    assert any(k.name == "timer" and k.usage == "member" for k in report.known)
    assert len({k.name for k in report.known}) == len(report.known)  # each known name listed once


def test_a_member_after_a_cast_is_checked_against_the_cast_type(index):
    code = (
        "void F(Actor* thisx) {\n"
        "    ((EnTest*)thisx)->spinSpeed = 1.0f;\n"
        "    ((Actor*)thisx)->spinSpeed = 2.0f;\n"
        "}\n"
    )
    report = check_names(c_block(code), index)
    assert [(i.name, i.line) for i in report.invented] == [("spinSpeed", 3)]


def test_a_wrong_argument_count_to_a_macro_or_function_is_an_arity_error(index):
    code = "s32 a = CLAMP(x, 0);\ns32 b = CLAMP(x, 0, 1);\nActor_Kill(a, b);\nMatrix_Push();\n"
    report = check_names(c_block(code), index)
    assert [(e.name, e.expected, e.given, e.file, e.at_line) for e in report.arity_errors] == [
        ("CLAMP", 3, 2, "include/macros.h", 1),
        ("Actor_Kill", 1, 2, "include/z64actor.h", 3),
    ]
    assert report.invented == [] and not report.passed


def test_inline_spans_in_prose_are_checked(index, history):
    text = (
        "Call `Matrix_NewMtx()` and then `DebugDisplay_AddObject()`; clamp with `CLAMP(x, 0)`.\n"
        "The position is `this->actor.worldPos`.\n"
    )
    report = check_names(code_spans(answer(text)), index, history)
    assert [(i.name, i.usage, i.line) for i in report.invented] == [
        ("Matrix_NewMtx", "call", 1),
        ("worldPos", "member", 2),
    ]
    assert invented(report)["Matrix_NewMtx"].renamed_to == "Matrix_Finalize"
    assert [e.name for e in report.arity_errors] == ["CLAMP"]
    assert any(k.name == "DebugDisplay_AddObject" for k in report.known)


def test_a_lone_lowercase_name_in_prose_is_no_api_name(index):
    text = "Fades to `targetVolume` over `fadeTicks`; see `gMadeUpTable` and `MadeUpType`.\n"
    report = check_names(code_spans(answer(text)), index)
    assert [(i.name, i.usage) for i in report.invented] == [
        ("gMadeUpTable", "identifier"),
        ("MadeUpType", "type"),
    ]


def test_a_name_prefix_in_prose_is_known_when_names_start_with_it(index):
    text = "Any of the `ACTOR_FLAG_` flags; not the `ACTOR_FLUG_` ones.\n"
    report = check_names(code_spans(answer(text)), index)
    assert [i.name for i in report.invented] == ["ACTOR_FLUG_"]


def test_prose_quoting_a_shown_definition_is_no_call(index):
    text = (
        "It expands to `CLAMP(v, lo)`: its arguments are the macro's own parameters.\n\n"
        "```c\n#define CLAMP_LOW(v, lo) CLAMP(v, lo)\n```\n"
        "Elsewhere `CLAMP(x, 0)` is a call.\n"
    )
    report = check_names(code_spans(answer(text)), index)
    assert [(e.name, e.given, e.at_line) for e in report.arity_errors] == [("CLAMP", 2, 6)]


def test_each_unknown_name_is_reported_once_at_its_first_use(index):
    text = "First `MATRIX_NEWMTX()`.\n\n```c\nMATRIX_NEWMTX(a);\nMATRIX_NEWMTX(b);\n```\n"
    report = check_names(code_spans(answer(text)), index)
    assert [(i.name, i.message_index, i.line) for i in report.invented] == [("MATRIX_NEWMTX", 1, 1)]


def test_the_report_serialises_to_json(index, history):
    report = check_names(c_block("Matrix_NewMtx(gfxCtx, __FILE__, __LINE__);\n"), index, history)
    data = json.loads(json.dumps(report.to_dict()))
    assert data["passed"] is False
    assert data["invented"][0]["name"] == "Matrix_NewMtx"
    assert data["invented"][0]["renamed_to"] == "Matrix_Finalize"
    assert "Matrix_NewMtx" in report.summary()


def test_extra_known_names_pass(index):
    report = check_names(c_block("OOT_DEBUG_PRINT(x);\n"), index, extra_known={"OOT_DEBUG_PRINT"})
    assert report.passed and report.known[0].kind == "extra"


def test_the_screen_and_tree_sitter_agree(index, monkeypatch):
    """Every snippet checked twice: with the screen reading uses off the text, and with every
    suspect sent to tree-sitter. The findings must be the same."""
    snippets = [
        "this->actor.worldPos.x = Matrix_NewMtx(gfx);\n",
        "void F(EnTest* this) {\n    this->actor.timer = CLAMP(this->timer, 0);\n"
        "    GlobalContext* g = NULL;\n}\n",
        "s32 x = MATRIX_NEWMTX(a) + UNKNOWN_CONSTANT * 2;\nActor_Kill(x, x);\n",
        "void G(Actor* a) {\n    a->rot.y = MTXMODE_NEWW;\n    Math_StepToF(&a->speed, 0.0f);\n}\n",
        "void H(PlayState* play) {\n    Actor* p = play->player;\n    p->pos.w = p->scale.x;\n}\n",
    ]

    def findings(code: str):
        report = check_names(c_block(code), index)
        return (
            sorted((i.name, i.usage, i.line, tuple(i.suggestions)) for i in report.invented),
            sorted((e.name, e.given, e.at_line) for e in report.arity_errors),
        )

    screened = [findings(code) for code in snippets]
    assert all(found != ([], []) for found in screened)
    monkeypatch.setattr(c_screen.CScreen, "clear_uses", lambda self: None)
    assert [findings(code) for code in snippets] == screened


def test_the_screen_misses_nothing_tree_sitter_finds(index, monkeypatch):
    """The same snippets once as checked, once with every identifier made a suspect and sent to
    tree-sitter: what the regex screen lets through unsuspected must hold up."""
    snippets = [
        "void F(Actor* a, s32 n) {\n    Actor *p, *q;\n    q = a;\n    q->pos.x = n * SCALE_FACTOR;\n}\n",
        "x = f(a * NOT_DECLARED);\ny = speed * OTHER_UNKNOWN;\n",
        "void G(void) {\n    Vec3f v = { .x = 1.0f, .yy = 2.0f };\n    gSaveContext.health = 3;\n}\n",
        "typedef struct { s32 a; } Local;\nLocal l;\nl.a = 1;\nl.zz = 2;\nstruct Fwd;\nstruct Fwd* f;\n",
        '// Fake_InComment()\nconst char* s = "Fake_InString(1)";\n#define M(a) Fake_InMacroBody(a)\n',
        "#ifdef FAKE_FLAG\ns32 v = cond ? Fake_A(1) : CLAMP(1, 2, 3);\n#endif\n",
        "static ActorFunc sFuncs[] = { EnTest_Init, EnTest_Fake, NULL };\nvoid K(a, b)\n    s32 a;\n{\n}\n",
        "typedef signedd char s8x;\n"
        "u32 x = sizeof(EnFake) + sizeof(struct FakeTag) + offsetof(Actor, pos);\n",
        "this->actor.world.rot.y = Math_Atan2S(x, z);\nthis->unk_1A0 = func_80A12345(this, play);\n",
        "EnTest* this = (EnTest*)thisx;\nthis->actor.flags |= FLAG_FAKE;\n"
        "Actor_SetScale(&this->actor, 0.01f, 1);\n",
    ]

    def findings(code: str):
        report = check_names(c_block(code), index)
        return (
            sorted((i.name, i.usage, i.line) for i in report.invented),
            sorted((e.name, e.given, e.at_line) for e in report.arity_errors),
        )

    screened = [findings(code) for code in snippets]
    screen_init = c_screen.CScreen.__init__

    def suspect_everything(self, code, *args, **kwargs):
        screen_init(self, code, *args, **kwargs)
        for name in set(re.findall(r"\b[A-Za-z_]\w*", code)):
            self.suspects.setdefault(name, set()).update({"name", "member", "arity"})

    monkeypatch.setattr(c_screen.CScreen, "__init__", suspect_everything)
    monkeypatch.setattr(c_screen.CScreen, "clear_uses", lambda self: None)
    assert [findings(code) for code in snippets] == screened
    assert screened[1][0] == [("NOT_DECLARED", "macro", 1), ("OTHER_UNKNOWN", "macro", 2), ("f", "call", 1)]
    assert screened[3] == ([("zz", "member", 4)], [])


# --- preprocessor directives ------------------------------------------------------------------

DIRECTIVES = {
    "include-next": "#include_next <stdio.h>\n",
    "include-next-quoted": '#include_next "sys/Fake_Header.h"\n',
    "import": "#import <Foo/Bar.h>\n#import <stdio.h>\n",
    "line": '#line 12 "Fake.Source.c"\n',
    "line-marker": '# 1 "Fake.Source.c" 2\n',
    "pragma": "#pragma GCC poison Matrix_Fake\n#pragma once\n#pragma GCC push_options\n",
    "error-text": "#error Need Fake_Thing.h before MATRIX_FAKE(x)\n",
    "warning-text": "#warning Use NewFake_Api(a) in place of old.h\n",
    "ident": "#ident Fake.Ident\n#sccs Fake.Sccs\n",
    "assert": "#assert machine(Fake_Machine.cpu)\n#unassert machine\n",
    "undef": "#undef Fake_Macro\n",
    "embed": "#embed <Fake.Data.bin>\n",
    "comment-before-hash": "/* a */ #include <fake.h>\n",
    "comment-spanning-lines-before-hash": "/* a\n */ #include_next <stdio.h>\n",
    "comment-after-hash": "# /* a */ include <fake.h>\n",
    "digraph": "  %:include <fake.h>\n",
    "trigraph": "??=include <fake.h>\n",
    "splice": "#include \\\n  <fake.h>\n",
    "splice-in-name": "#inc\\\nlude_next <stdio.h>\n",
    "comment-spanning-lines-in-directive": "#include <a.h> /* a\n b */ Fake_Tail(x.h);\n",
    "byte-order-mark": "\ufeff#include_next <stdio.h>\n",
    "lone-cr": "#include <a.h>\r#include_next <stdio.h>\r",
    "crlf": "#include <a.h>\r\n#include_next <stdio.h>\r\n",
    "elifdef": "#ifdef A\n#elifdef FAKE_FLAG\n#endif\n",
    "elifndef": "#if 0\n#elifndef FAKE_FLAG2\n#endif\n",
    "if-condition": "#if defined(FAKE) && Fake_Func(2) > FAKE_LIMIT\n#endif\n",
    "computed-include": "#include FAKE_PATH(fake.h)\n",
}


@pytest.mark.parametrize("code", DIRECTIVES.values(), ids=DIRECTIVES.keys())
def test_nothing_in_a_directive_is_a_name_use(index, code):
    report = check_names(c_block(code), index)
    assert (report.invented, report.known) == ([], [])


def test_code_around_directives_is_still_checked_at_its_lines(index):
    code = (
        "#include_next <stdio.h>\n"
        "#if defined(FAKE_FLAG)\n"
        "s32 x = Fake_Call(1);\n"
        "#elifndef OTHER_FLAG\n"
        "#define MY_MACRO(a) ((a) + 1)\n"
        "#endif\n"
        "/* c */ #pragma once\n"
        "s32 y = MY_MACRO(2) + Other_Fake;\n"
        '%:include "z64.h"\n'
        "void F(Actor* a) { a->fakeMember = 0; }\n"
    )
    report = check_names(c_block(code), index)
    assert [(i.name, i.line) for i in report.invented] == [
        ("Fake_Call", 3),
        ("Other_Fake", 8),
        ("fakeMember", 10),
    ]


def test_csharp_directives_hold_no_name_uses(unity_index):
    code = (
        "#define FAKE_SYMBOL\n#undef OTHER_FAKE\n#pragma warning disable CS0168, FakeWarning\n"
        '#region Fake Region.Name\n#nullable enable\n#line 1 "Fake.cs"\n'
        "class Turner {\n"
        "#if UNITY_EDITOR && FakeSymbol\n"
        "    void F() { Spinner.Fake(); }\n"
        "#elif OtherFake\n"
        "#endif\n"
        "#error Fake Thing.Here\n"
        "}\n#endregion Fake.End\n"
    )
    spans = [CodeSpan(code, "csharp", "block", 1, 0, 1)]
    report = check_names(spans, unity_index, extra_known=unity_stub_names())
    assert [(i.name, i.usage, i.line) for i in report.invented] == [("Fake", "call", 9)]


# --- suggestions ------------------------------------------------------------------------------


def test_suggestions_prefer_names_of_the_same_kind_and_words(index):
    assert suggest(index, "Actor_SetScal", "call")[0] == "Actor_SetScale"
    assert suggest(index, "Math_StepTo", "call")[0] == "Math_StepToF"
    assert suggest(index, "worldPos", "member", "Actor") == ["pos"]
    assert "GraphicsContext" in suggest(index, "GlobalContext", "type")
    assert all(not s.endswith("_H") for s in suggest(index, "SYS_MATRIXX", "macro"))  # no include guards
    assert name_similarity("MATRIX_NEWMTX", "Matrix_NewMtx") > name_similarity(
        "MATRIX_NEWMTX", "MATRIX_FINALIZE"
    )
    assert name_similarity("worldPos", "pos") > name_similarity("worldPos", "p")


# --- C# -----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def unity_index(tmp_path_factory):
    root = tmp_path_factory.mktemp("unity")
    (root / "Assets").mkdir()
    (root / "Assets" / "Spinner.cs").write_text(
        "using UnityEngine;\n"
        "public class Spinner : MonoBehaviour {\n"
        "    public float speed = 90f;\n"
        "    public void Spin(float dt) { transform.Rotate(0f, speed * dt, 0f); }\n"
        "}\n"
    )
    built = SymbolIndex.build(root, root / "index.sqlite")
    yield built
    built.close()


def test_a_csharp_method_that_does_not_exist_is_reported(unity_index):
    code = (
        "using UnityEngine;\n"
        "public class Turner : MonoBehaviour {\n"
        "    public Spinner spinner;\n"
        "    void Update() {\n"
        "        spinner.Spin(Time.deltaTime);\n"
        "        transform.Rotatee(Vector3.up, spinner.speed);\n"
        "        var body = GetComponent<Rigidbody>();\n"
        "        List<int> seen = new List<int>();\n"
        "    }\n"
        "}\n"
    )
    spans = [CodeSpan(code, "csharp", "block", 1, 0, 1)]
    report = check_names(spans, unity_index, extra_known=unity_stub_names())
    assert [(i.name, i.usage, i.line) for i in report.invented] == [("Rotatee", "call", 6)]
    assert {"Spin", "speed", "Spinner"} <= {k.name for k in report.known}
    assert check_names(spans, unity_index, extra_known=unity_stub_names() | {"Rotatee"}).passed
    assert {"List", "IEnumerator", "Math", "var", "nameof"} <= CSHARP_BUILTIN_NAMES


def test_each_language_is_checked_only_against_an_index_of_it(index, unity_index):
    assert check_names([CodeSpan("transform.Rotatee();\n", "csharp", "block", 1, 0, 1)], index).passed
    assert check_names(c_block("Matrix_NewMtx(gfx);\n"), unity_index).passed
    assert not check_names(c_block("Matrix_NewMtx(gfx);\n"), index).passed


def test_unity_stub_names_cover_the_common_api():
    names = unity_stub_names()
    assert {"MonoBehaviour", "Transform", "Rotate", "Vector3", "GetComponent", "SerializeField"} <= names
    assert "Rotatee" not in names


# --- rename history ---------------------------------------------------------------------------


def test_history_finds_renames_and_nothing_for_names_that_never_existed(decomp_repo, index):
    root, commits = decomp_repo
    found = RenameHistory(root, index=index)
    rename = found.renamed("Matrix_NewMtx")
    assert (rename.old, rename.new, rename.commit, rename.date) == (
        "Matrix_NewMtx",
        "Matrix_Finalize",
        commits["new"],
        "2024-09-01",
    )
    assert rename.subject.startswith("Rename Matrix_NewMtx")
    assert found.renamed("GlobalContext").new == "PlayState"
    assert found.renamed("MATRIX_NEWMTX") is None
    assert found.renamed("Matrix_Finalize") is None  # exists now


def test_history_answers_come_from_the_cache_without_git(decomp_repo, index, tmp_path, monkeypatch):
    root, _ = decomp_repo
    cache = tmp_path / "renames.sqlite"
    first = RenameHistory(root, cache, index=index)
    assert first.renamed("GlobalContext").new == "PlayState"
    assert first.history("MATRIX_NEWMTX") is None
    assert first.git_runs > 0
    first.close()
    monkeypatch.setenv("PATH", str(tmp_path / "no-git-here"))
    again = RenameHistory(root, cache, index=index)
    assert again.renamed("GlobalContext").new == "PlayState"
    assert again.history("MATRIX_NEWMTX") is None
    assert again.git_runs == 0
    assert again.renamed("Matrix_NewMtx").new == "Matrix_Finalize"  # the whole history is cached
    again.close()


def test_a_history_can_be_sent_to_a_worker_process(decomp_repo, index, tmp_path):
    root, _ = decomp_repo
    found = RenameHistory(root, tmp_path / "renames.sqlite", index=index)
    assert found.renamed("GlobalContext").new == "PlayState"
    copy = pickle.loads(pickle.dumps(found))
    assert copy.renamed("Matrix_NewMtx").new == "Matrix_Finalize"
    assert copy.index.db_path == index.db_path
    copy.close()
    copy.index.close()
    found.close()


def test_history_without_git_or_outside_a_repository_is_none(tmp_path, monkeypatch, index):
    plain = tmp_path / "plain"
    plain.mkdir()
    assert RenameHistory(plain).renamed("Anything") is None
    report = check_names(c_block("MATRIX_NEWMTX(a);\n"), index, RenameHistory(plain))
    assert report.invented[0].detail.endswith(
        "is not declared in the repository at commit " + index.commit[:12]
    )
    monkeypatch.setenv("PATH", str(tmp_path / "no-git-here"))
    assert RenameHistory(plain).renamed("Anything") is None


def test_history_follows_a_name_renamed_twice(tmp_path):
    root = tmp_path / "repo"
    root.mkdir()
    git = ["git", "-C", str(root), "-c", "user.name=t", "-c", "user.email=t@example.invalid"]
    subprocess.run([*git, "init", "-q"], check=True)
    header = root / "api.h"
    for name, message in (("Old_Draw", "one"), ("Middle_Draw", "two"), ("New_Draw", "three")):
        header.write_text(f"void {name}(s32 arg);\nvoid Other_Thing(void);\n")
        subprocess.run([*git, "add", "-A"], check=True)
        subprocess.run([*git, "commit", "-q", "-m", message], check=True)
    with SymbolIndex.build(root, tmp_path / "index.sqlite") as built:
        found = RenameHistory(root, built)
        assert found.renamed("Old_Draw").new == "New_Draw"
        assert found.renamed("Middle_Draw").new == "New_Draw"
        found.close()
    assert RenameHistory(root).renamed("Old_Draw").new == "New_Draw"  # `git grep` instead of an index


def test_given_an_index_the_cache_lives_beside_it(decomp_repo, index):
    root, _ = decomp_repo
    found = RenameHistory(root, index)
    assert found.head() == index.commit
    found.renamed("GlobalContext")
    found.close()
    import sqlite3

    cache = index.db_path.with_name(f"{index.db_path.stem}.renames.sqlite")
    with sqlite3.connect(cache) as conn:
        rows = conn.execute("SELECT name, new FROM rename_gone WHERE name = 'GlobalContext'").fetchall()
    assert rows == [("GlobalContext", "PlayState")]
    assert Path(index.db_path).is_file()
