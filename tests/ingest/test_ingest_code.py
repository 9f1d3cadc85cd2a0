"""The code-ingest stage on examples/sample_decomp, examples/sample_unity and small temp trees."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from modsmith.errors import ModsmithError
from modsmith.ingest.code import IngestCode, ingest_code, iter_code_documents
from modsmith.records import Document, Provenance, content_id
from modsmith.stage import Rejects

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
SAMPLE_DECOMP = EXAMPLES / "sample_decomp"
SAMPLE_UNITY = EXAMPLES / "sample_unity"
LATIN1_FILE = "src/code/z_legacy_notes.c"


def run_stage(root: Path, **config) -> tuple[list[Document], Rejects, dict]:
    stage = IngestCode(root=str(root), **config)
    rejects = Rejects()
    docs = list(stage.process([], rejects))
    return docs, rejects, stage.summary()


def write(root: Path, rel: str, text: str | bytes) -> Path:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def by_name(docs: list[Document], name: str, kind: str | None = None) -> Document:
    found = [d for d in docs if d.meta["symbol"] == name and (kind is None or d.meta["symbol_kind"] == kind)]
    assert len(found) == 1, f"expected one {kind or 'symbol'} {name!r}, found {len(found)}"
    return found[0]


def names(docs: list[Document], kind: str) -> set[str]:
    return {d.meta["symbol"] for d in docs if d.meta["symbol_kind"] == kind}


@pytest.fixture(scope="module")
def sample_root(tmp_path_factory) -> Path:
    """A copy of sample_decomp with the git-ignored build output that git cannot carry."""
    root = tmp_path_factory.mktemp("decomp") / "sample_decomp"
    shutil.copytree(SAMPLE_DECOMP, root, ignore=shutil.ignore_patterns("build"))
    write(root, "build/z_generated.c", "void Generated_ShouldNotBeIngested(void) {\n}\n")
    write(root, "build/z_generated.o", b"\x7fELF\x00\x00")
    return root


@pytest.fixture(scope="module")
def sample(sample_root):
    return run_stage(sample_root)


@pytest.fixture(scope="module")
def docs(sample) -> list[Document]:
    return sample[0]


# --- what is found ---------------------------------------------------------------------------


def test_every_symbol_of_the_sample_is_found(docs):
    assert names(docs, "function") == {
        "ActorList_FindFreeSlot",
        "Actor_Spawn",
        "Actor_Kill",
        "Actor_FindNearby",
        "Actor_MoveForward",
        "Actor_GetCategoryName",
        "Actor_DebugPrint",
        "Matrix_GetCurrent",
        "Matrix_Push",
        "Matrix_Pop",
        "Matrix_Translate",
        "Math_Vec3f_Copy",
        "Math_Vec3f_DistXYZ",
        "Math_Atan2S",
        "Math_StepToF",
        "Math_EaseInQuad",
        "Math_GetEasing",
        "Message_GetNextTextId",
        "EnSample_SetupAction",
        "EnSample_Init",
        "EnSample_Destroy",
        "EnSample_Idle",
        "EnSample_Wander",
        "EnSample_Update",
        "EnSample_Draw",
        "Legacy_Unused",  # from the file saved in Latin-1
    }
    assert {
        "Actor_Spawn",
        "Actor_Kill",
        "Actor_FindNearby",
        "Actor_WorldDistXZ",
        "Actor_IsFacing",
        "Actor_MoveForward",
        "Actor_GetCategoryName",
        "Actor_DebugPrint",
        "Matrix_GetCurrent",
        "Matrix_Push",
        "Math_AssertFail",
        "EnSample_Init",
        "EnSample_Idle",
        "EnSample_Wander",
    } <= names(docs, "prototype")
    assert {
        "NULL",
        "ARRAY_COUNT",
        "SAMPLE_PI",
        "SQ",
        "CLAMP",
        "VEC3F_LERP",
        "MATH_ASSERT",
        "ACTOR_FLAGS_DEFAULT",
        "FLAGS",
        "THIS",
        "EN_SAMPLE_GET_TYPE",
        "MESSAGE_NONE",
        "Z64ACTOR_H",
    } <= names(docs, "macro")
    assert names(docs, "struct") == {"Vec3f", "Vec3s", "MtxF", "Actor", "ActorProfile", "EnSample"}
    assert names(docs, "union") == {"FloatBits"}
    assert names(docs, "enum") == {"ActorCategory", "ActorFlagBits", "EnSampleState"}
    assert {"s8", "u32", "f32", "PlayState", "ActorFunc", "EasingFunc", "EnSampleActionFunc"} <= names(
        docs, "typedef"
    )
    assert {"ACTORCAT_SWITCH", "ACTORCAT_MAX", "ACTOR_FLAG_HOSTILE", "EN_SAMPLE_STATE_TALK"} <= names(
        docs, "enum_constant"
    )


def _ctags_tags(root: Path, files: list[str]) -> list[tuple[str, str, int, str]]:
    if shutil.which("ctags") is None:
        pytest.skip("universal-ctags (ctags) is not installed; the cross-check needs it")
    done = subprocess.run(
        ["ctags", "--kinds-c=+p", "-x", "--language-force=C", *files],
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
    )
    tags = []
    for line in done.stdout.splitlines():
        name, kind, lineno, path, _ = line.split(None, 4)
        tags.append((name, kind, int(lineno), path))
    return tags


def test_every_function_prototype_and_macro_ctags_finds_is_ingested(sample_root, docs):
    every = [p.relative_to(sample_root).as_posix() for p in sample_root.rglob("*.[ch]")]
    files = sorted(f for f in every if not f.startswith("build/"))
    assert {d.provenance.path for d in docs if d.lang == "c"} == set(files)
    tags = [t for t in _ctags_tags(sample_root, files) if t[1] in ("function", "prototype", "macro")]
    assert len(tags) > 60

    ours = [d for d in docs if d.meta["symbol_kind"] in ("function", "prototype", "macro")]

    def covered(tag) -> bool:
        name, kind, line, path = tag
        return any(
            d.meta["symbol"] == name
            and d.meta["symbol_kind"] == kind
            and d.provenance.path == path
            and d.provenance.lines[0] <= line <= d.provenance.lines[1]
            for d in ours
        )

    missing = sorted(t for t in tags if not covered(t))
    assert not missing, f"found by ctags but not ingested (name, kind, line, file): {missing}"
    theirs = {(name, kind, path) for name, kind, _, path in tags}
    extra = sorted({(d.meta["symbol"], d.meta["symbol_kind"], d.provenance.path) for d in ours} - theirs)
    assert not extra, f"ingested but not found by ctags: {extra}"


def test_types_enums_and_constants_agree_with_ctags(sample_root, docs):
    files = sorted({d.provenance.path for d in docs if d.lang == "c"})
    tags = _ctags_tags(sample_root, files)
    typedef_names = names(docs, "typedef") | {d.meta.get("typedef") for d in docs if d.meta.get("typedef")}
    wanted = {"struct": "struct", "union": "union", "enum": "enum", "enumerator": "enum_constant"}
    missing = []
    for name, kind, line, path in tags:
        if name.startswith("__anon"):
            continue
        if kind == "typedef":
            if name not in typedef_names:
                missing.append((name, kind, line, path))
        elif kind in wanted:
            doc = [d for d in docs if d.meta["symbol"] == name and d.meta["symbol_kind"] == wanted[kind]]
            if not any(
                d.provenance.path == path and d.provenance.lines[0] <= line <= d.provenance.lines[1]
                for d in doc
            ):
                missing.append((name, kind, line, path))
    assert not missing, f"found by ctags but not ingested: {missing}"


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


def test_document_shape_ids_and_provenance(sample_root, docs):
    source = str(sample_root.resolve())
    for doc in docs:
        assert doc.kind == "code"
        assert doc.provenance.source == source and doc.provenance.commit is None
        first, last = doc.provenance.lines
        parts = (source, doc.provenance.path, doc.meta["symbol_kind"], doc.meta["symbol"], first)
        assert doc.id == content_id(*parts)
        assert doc.meta["lines"] == last - first + 1
        encoding = doc.meta.get("encoding", "utf-8")
        file_lines = (sample_root / doc.provenance.path).read_text(encoding=encoding).splitlines()
        assert doc.text in "\n".join(file_lines[first - 1 : last]), doc.meta["symbol"]
        assert doc.text == doc.text.strip()
    assert len({d.id for d in docs}) == len(docs)


def test_output_is_deterministic_and_inputs_pass_through(sample_root, docs):
    marker = Document(id="x", kind="text", text="upstream", provenance=Provenance(source="elsewhere"))
    again = list(IngestCode(root=str(sample_root)).process([marker], Rejects()))
    assert again[0] is marker
    assert [d.id for d in again[1:]] == [d.id for d in docs]
    paths = [d.provenance.path for d in docs]
    assert paths == sorted(paths)


# --- what is skipped -------------------------------------------------------------------------


def test_gitignored_files_are_skipped_and_a_latin1_file_is_decoded(sample):
    docs, rejects, summary = sample
    assert not [d for d in docs if d.provenance.path.startswith("build/")]
    assert "Generated_ShouldNotBeIngested" not in {d.meta["symbol"] for d in docs}
    assert rejects.counts == {}
    # not code: .gitignore, README.md, the .bin and the compile profile
    assert summary["skipped"] == {"not code": 4}
    assert summary["decoded"] == {"windows-1252": 1}
    assert summary["files_seen"] == 13 and summary["files_parsed"] == 9
    assert summary["symbols"]["function"] == 26
    assert summary["bytes"] == sum(p.stat().st_size for p in (SAMPLE_DECOMP / "include").glob("*.h")) + sum(
        p.stat().st_size for p in (SAMPLE_DECOMP / "src").rglob("*.[ch]")
    )
    legacy = by_name(docs, "Legacy_Unused")
    assert legacy.provenance.path == LATIN1_FILE and legacy.meta["encoding"] == "windows-1252"
    assert "encoding" not in by_name(docs, "Actor_Spawn", "function").meta  # UTF-8, the default


@pytest.mark.parametrize(
    ("comment", "codec", "encoding"),
    [
        ("// caf\u00e9 \u00e0 la cr\u00e8me", "latin-1", "windows-1252"),  # the same bytes in both
        ("// \u201cquoted\u201d \u20ac5 \u2013 done", "cp1252", "windows-1252"),
        ("// control \x81 byte", "latin-1", "latin-1"),  # 0x81 is undefined in Windows-1252
        ("// utf-16 \u00e9", "utf-16", "utf-16"),  # with its byte-order mark
    ],
)
def test_source_in_another_encoding_is_decoded_with_its_encoding_recorded(tmp_path, comment, codec, encoding):
    write(tmp_path, "old.c", f"{comment}\nint Old_Value(void) {{\n    return 1;\n}}\n".encode(codec))
    docs, rejects, summary = run_stage(tmp_path)
    old = by_name(docs, "Old_Value")
    assert old.meta["encoding"] == encoding and summary["decoded"] == {encoding: 1}
    assert old.text.startswith("int Old_Value(void)") and old.provenance.lines == (2, 4)
    assert rejects.counts == {}


def test_binary_source_file_is_rejected(tmp_path):
    write(tmp_path, "good.c", "int ok(void) { return 1; }\n")
    write(tmp_path, "blob.h", b"#define X 1\n\x00\x01\x02")
    docs, rejects, summary = run_stage(tmp_path)
    assert [d.meta["symbol"] for d in docs] == ["ok"]
    assert rejects.counts == {"binary file": 1}
    assert rejects.samples["binary file"][0]["record"] == {"path": "blob.h"}
    assert summary["skipped"] == {"binary file": 1}


def test_nested_gitignore_and_negation(tmp_path):
    write(tmp_path, ".gitignore", "vendor/\n*.gen.c\n")
    write(tmp_path, "src/.gitignore", "!keep.gen.c\nlocal_*.c\n")
    write(tmp_path, "src/main.c", "int main_fn(void) { return 0; }\n")
    write(tmp_path, "src/other.gen.c", "int gen_fn(void) { return 0; }\n")
    write(tmp_path, "src/keep.gen.c", "int kept_fn(void) { return 0; }\n")
    write(tmp_path, "src/local_tweaks.c", "int local_fn(void) { return 0; }\n")
    write(tmp_path, "lib/local_ok.c", "int lib_fn(void) { return 0; }\n")
    write(tmp_path, "vendor/dep.c", "int vendor_fn(void) { return 0; }\n")
    write(tmp_path, ".git/hooks/x.c", "int git_fn(void) { return 0; }\n")
    docs, _, _ = run_stage(tmp_path)
    assert names(docs, "function") == {"main_fn", "kept_fn", "lib_fn"}
    docs, _, _ = run_stage(tmp_path, respect_gitignore=False)
    assert names(docs, "function") == {"main_fn", "gen_fn", "kept_fn", "local_fn", "lib_fn", "vendor_fn"}


def test_include_and_exclude_globs(sample_root):
    docs, _, _ = run_stage(sample_root, include=["include/"])
    assert {d.provenance.path for d in docs} == {
        "include/sample_types.h",
        "include/z64actor.h",
        "include/z64math.h",
    }
    docs, _, _ = run_stage(sample_root, include=["*.h"], exclude=["include/z64math.h"])
    assert {d.provenance.path for d in docs} == {
        "include/sample_types.h",
        "include/z64actor.h",
        "src/overlays/actors/ovl_En_Sample/z_en_sample.h",
    }
    docs, _, _ = run_stage(sample_root, exclude=["src/overlays/", LATIN1_FILE])
    paths = {d.provenance.path for d in docs}
    assert "src/code/z_actor_util.c" in paths
    assert not [p for p in paths if p.startswith("src/overlays/")]


def test_too_large_and_unselected_language_are_skipped(tmp_path):
    write(tmp_path, "small.c", "int a(void) { return 0; }\n")
    write(tmp_path, "big.c", "int b(void) { return 0; }\n" + "// padding\n" * 100)
    write(tmp_path, "Thing.cs", "class Thing { }\n")
    docs, rejects, summary = run_stage(tmp_path, max_file_bytes=200, languages=["c"])
    assert [d.meta["symbol"] for d in docs] == ["a"]
    assert rejects.counts == {"too large": 1}
    assert summary["skipped"] == {"too large": 1, "language not selected": 1}


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
    return list(ingest_code(SAMPLE_UNITY))


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


# --- repository-level behaviour --------------------------------------------------------------


def test_commit_is_recorded_for_a_git_repository(sample_root, tmp_path):
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    root = tmp_path / "repo"
    shutil.copytree(sample_root, root)
    git = [
        "git",
        "-C",
        str(root),
        "-c",
        "user.name=Test",
        "-c",
        "user.email=test@example.com",
        "-c",
        "commit.gpgsign=false",
    ]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-q", "-m", "sample"], check=True)
    done = subprocess.run([*git, "rev-parse", "HEAD"], check=True, capture_output=True, text=True)
    head = done.stdout.strip()
    docs, _, summary = run_stage(root)
    assert docs and {d.provenance.commit for d in docs} == {head}
    assert summary["commit"] == head


def test_source_fingerprint_follows_the_files(tmp_path):
    write(tmp_path, "a.c", "int a(void) { return 0; }\n")
    stage = IngestCode(root=str(tmp_path))
    first = stage.source_fingerprint()
    assert stage.source_fingerprint() == first
    write(tmp_path, "a.c", "int a(void) { return 10; }\n")
    assert stage.source_fingerprint() != first
    second = stage.source_fingerprint()
    write(tmp_path, "notes/ignored.c", "int b(void);\n")
    write(tmp_path, ".gitignore", "notes/\n")
    third = stage.source_fingerprint()
    (tmp_path / "notes" / "ignored.c").write_text("int c(void);\n")
    assert stage.source_fingerprint() == third != second


def test_missing_root_is_a_user_error(tmp_path):
    missing = tmp_path / "nope"
    with pytest.raises(ModsmithError) as caught:
        list(IngestCode(root=str(missing)).process([], Rejects()))
    assert caught.value.message == "no such directory"
    assert caught.value.where == str(missing)


def test_tree_without_parsable_files_is_a_user_error(tmp_path):
    write(tmp_path, "README.md", "# nothing here\n")
    write(tmp_path, "old.c", b"/* caf\xe9 */\n\x00\x01")
    with pytest.raises(ModsmithError) as caught:
        list(IngestCode(root=str(tmp_path)).process([], Rejects()))
    assert "no parsable C or C# files" in caught.value.message
    assert "1 binary file" in caught.value.message and "1 not code" in caught.value.message
    assert caught.value.where == str(tmp_path)
