"""The symbol index: what it stores for the mini decomp and small C/C# trees, rebuilds, errors."""

from __future__ import annotations

import os
import pickle
import shutil
import subprocess
from pathlib import Path

import pytest

from modsmith.errors import ModsmithError
from modsmith.ground.names.symbol_index import SymbolIndex, default_index_path


def write(root: Path, rel: str, text: str) -> Path:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def index(decomp_repo, tmp_path_factory):
    root, _ = decomp_repo
    built = SymbolIndex.build(root, tmp_path_factory.mktemp("index") / "index.sqlite")
    yield built
    built.close()


def only(index: SymbolIndex, name: str, kind: str):
    found = [e for e in index.lookup(name) if e.kind == kind]
    assert len(found) == 1, f"{name} {kind}: {index.lookup(name)}"
    return found[0]


# --- what is stored ---------------------------------------------------------------------------


def test_the_index_records_the_repo_and_its_commit(index, decomp_repo):
    root, commits = decomp_repo
    assert index.repo == root.resolve()
    assert index.commit == commits["new"]
    assert index.languages == {"c"}
    assert index.file_count() == 15


def test_every_kind_of_c_symbol_is_indexed(index):
    stats = index.stats()
    for kind in (
        "function",
        "prototype",
        "macro",
        "struct",
        "typedef",
        "enum",
        "enum_constant",
        "global",
        "field",
    ):
        assert stats.get(kind, 0) > 0, f"no {kind} in {stats}"
    assert sum(stats.values()) == sum(1 for name in index.names() for _ in index.lookup(name))


def test_a_prototype_has_its_file_line_signature_and_arity(index):
    entry = only(index, "DebugDisplay_AddObject", "prototype")
    assert (entry.file, entry.line, entry.end_line) == ("include/debug_display.h", 7, 8)
    assert entry.where == "include/debug_display.h:7"
    assert entry.signature.startswith("void DebugDisplay_AddObject(f32 posX")
    assert entry.arity == 12


def test_function_definitions_and_prototypes_are_both_kept(index):
    kinds = {(e.kind, e.file) for e in index.lookup("Matrix_Finalize")}
    assert kinds == {("prototype", "include/sys_matrix.h"), ("function", "src/code/sys_matrix.c")}
    assert {e.arity for e in index.lookup("Matrix_Finalize")} == {3}
    assert only(index, "Matrix_Push", "function").arity == 0  # `(void)`


def test_macros_have_arity_only_when_function_like(index):
    assert only(index, "CLAMP", "macro").arity == 3
    assert only(index, "MATRIX_FINALIZE_AND_LOAD", "macro").arity == 4
    assert only(index, "G_MTX_LOAD", "macro").arity is None
    assert only(index, "CLAMP", "macro").signature == "#define CLAMP(x, min, max)"


def test_file_scope_variables_are_globals_with_storage_and_type(index):
    pool = only(index, "sMtxPool", "global")
    assert (pool.file, pool.line, pool.signature, pool.type) == (
        "src/code/sys_matrix.c",
        3,
        "static Mtx sMtxPool[32]",
        "Mtx",
    )
    profile = only(index, "EnTest_Profile", "global")
    assert profile.type == "ActorProfile"
    assert profile.signature == "ActorProfile EnTest_Profile"


def test_struct_fields_have_their_container_and_type(index):
    assert index.fields_of("Actor") == {
        "id", "category", "flags", "params", "pos", "rot", "scale", "speed", "parent",
    }  # fmt: skip
    assert index.fields_of("Vec3f") == {"x", "y", "z"}
    field = [e for e in index.lookup("actor") if e.kind == "field"][0]
    assert (field.container, field.type) == ("EnTest", "Actor")
    assert index.member_type("EnTest", "actor") == "Actor"
    assert index.member_type("Actor", "pos") == "Vec3f"
    assert index.member_type("Actor", "worldPos") is None
    assert index.has_field("pos") and index.has_field("gfxCtx")
    assert not index.has_field("worldPos") and not index.has_field("Actor_Kill")


def test_enum_constants_know_their_enum(index):
    entry = only(index, "MTXMODE_NEW", "enum_constant")
    assert (entry.container, entry.file) == ("MatrixMode", "include/sys_matrix.h")


def test_names_are_sorted_and_filtered_by_kind(index):
    assert index.names() == sorted(set(index.names()))
    assert "CLAMP" in index.names(["macro"]) and "CLAMP" not in index.names(["function"])
    assert index.names(["typedef"]) == sorted(
        e for e in index.names() if any(x.kind == "typedef" for x in index.lookup(e))
    )
    assert index.exists("PlayState") and not index.exists("GlobalContext")
    assert index.lookup("GlobalContext") == []


def test_an_index_survives_pickling_by_reopening_its_file(index):
    copy = pickle.loads(pickle.dumps(index))
    try:
        assert copy.db_path == index.db_path
        assert copy.lookup("CLAMP") == index.lookup("CLAMP")
    finally:
        copy.close()


def test_globals_and_fields_agree_with_ctags(index, decomp_repo):
    if shutil.which("ctags") is None:
        pytest.skip("universal-ctags (ctags) is not installed; the cross-check needs it")
    root, _ = decomp_repo
    files = sorted(p.relative_to(root).as_posix() for p in root.rglob("*.[ch]"))
    done = subprocess.run(
        ["ctags", "--kinds-c=+x", "-x", "--language-force=C", *files],
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
    )
    wanted = {"variable": "global", "externvar": "global", "member": "field"}
    theirs = set()
    for line in done.stdout.splitlines():
        name, kind, lineno, path, _ = line.split(None, 4)
        if kind in wanted:
            theirs.add((name, wanted[kind], path, int(lineno)))
    ours = {
        (e.name, e.kind, e.file, e.line)
        for name in index.names(["global", "field"])
        for e in index.lookup(name)
        if e.kind in ("global", "field")
    }
    assert len(theirs) > 40
    assert ours == theirs


def test_struct_tag_and_typedef_names_both_reach_the_fields(tmp_path):
    write(
        tmp_path,
        "include/thing.h",
        "typedef struct Thing_s {\n"
        "    s32 count;\n"
        "    union { f32 asFloat; s32 asInt; };\n"
        "    struct Inner { s16 depth; } inner;\n"
        "#if DEBUG_FEATURES\n"
        "    s32 debugOnly;\n"
        "#endif\n"
        "} Thing;\n"
        "typedef Thing ThingAlias;\n"
        "extern Thing gThings[4], *gCurrentThing;\n",
    )
    with SymbolIndex.build(tmp_path, tmp_path / "index.sqlite") as built:
        expected = {"count", "asFloat", "asInt", "inner", "debugOnly"}
        assert built.fields_of("Thing_s") == expected
        assert built.fields_of("Thing") == expected
        assert built.fields_of("ThingAlias") == expected  # through the typedef
        assert built.fields_of("Inner") == {"depth"}
        assert built.member_type("Thing", "inner") == "Inner"
        assert {(e.kind, e.type) for e in built.lookup("Thing")} == {("typedef", "Thing_s")}
        assert [(e.kind, e.type) for e in built.lookup("gCurrentThing")] == [("global", "Thing")]
        assert [e.signature for e in built.lookup("gThings")] == ["extern Thing gThings[4]"]


def test_variadic_macros_and_functions_have_arity_minus_one(tmp_path):
    write(
        tmp_path,
        "log.h",
        "#define LOG(fmt, ...) osSyncPrintf(fmt, __VA_ARGS__)\n"
        "#define TRACE(fmt, args...) osSyncPrintf(fmt, ##args)\n"
        "void osSyncPrintf(const char* fmt, ...);\n"
        "void Legacy();\n",
    )
    with SymbolIndex.build(tmp_path, tmp_path / "index.sqlite") as built:
        assert [e.arity for e in built.lookup("LOG")] == [-1]
        assert [e.arity for e in built.lookup("TRACE")] == [-1]
        assert [e.arity for e in built.lookup("osSyncPrintf")] == [-1]
        assert [e.arity for e in built.lookup("Legacy")] == [None]  # `f()`: unspecified


def test_a_macro_body_with_comments_keeps_the_macros_name(tmp_path):
    write(
        tmp_path,
        "door.h",
        "#define HINGE_BASE                 \\\n"
        "    /* 0x0000 */ Actor actor;      \\\n"
        "    /* 0x014C */ s16 swingTimer // counts down while the door swings\n"
        "typedef struct Hinge {\n    HINGE_BASE;\n} Hinge;\n",
    )
    with SymbolIndex.build(tmp_path, tmp_path / "index.sqlite") as built:
        assert [(e.kind, e.line, e.end_line) for e in built.lookup("HINGE_BASE")] == [("macro", 1, 3)]
        assert built.lookup("s16") == [] and built.lookup("swingTimer") == []


def test_enum_constants_under_if_are_indexed_from_every_branch(tmp_path):
    write(
        tmp_path,
        "lang.h",
        "typedef enum Lang {\n#if JP\n    LANG_JP,\n#else\n    LANG_EN,\n#endif\n    LANG_MAX\n} Lang;\n",
    )
    with SymbolIndex.build(tmp_path, tmp_path / "index.sqlite") as built:
        found = {(e.name, e.container) for e in built.lookup("LANG_JP") + built.lookup("LANG_EN")}
        assert found == {("LANG_JP", "Lang"), ("LANG_EN", "Lang")}


def test_locals_of_a_function_the_parser_could_not_close_are_not_globals(tmp_path):
    write(
        tmp_path,
        "split.c",
        "void Split_Run(Actor* thisx) {\n    s16 count;\n#if FAST\n    if (thisx->a > 0) {\n#else\n"
        "    if (thisx->a < 0) {\n#endif\n        count = 1;\n    }\n}\n\ns32 gSplitTotal = 0;\n",
    )
    with SymbolIndex.build(tmp_path, tmp_path / "index.sqlite") as built:
        assert built.lookup("count") == []
        assert [(e.kind, e.line, e.arity) for e in built.lookup("Split_Run")] == [("function", 1, 1)]
        assert [e.kind for e in built.lookup("gSplitTotal")] == ["global"]


def test_macros_record_the_parameters_they_paste(tmp_path):
    write(
        tmp_path,
        "paste.h",
        "#define COLOR(kind, c) COLOR_##kind##_##c\n"
        "#define FG(c) COLOR(FORE, c)\n"
        "#define NAME(x) #x\n"
        "#define LOG(fmt, ...) print(fmt, ##__VA_ARGS__)\n"
        "#define TWICE(x) ((x) + (x))\n",
    )
    with SymbolIndex.build(tmp_path, tmp_path / "index.sqlite") as built:
        pasted = built.pasted_params()
        assert (pasted["COLOR"], pasted["FG"], pasted["NAME"]) == ({0, 1}, {0}, {0})
        assert "LOG" not in pasted and "TWICE" not in pasted


def test_a_csharp_tree_is_indexed_with_classes_and_members(tmp_path):
    write(
        tmp_path,
        "Assets/Scripts/Spinner.cs",
        "using UnityEngine;\n"
        "namespace Game {\n"
        "    public class Spinner : MonoBehaviour {\n"
        "        public float speed = 90f;\n"
        "        public Vector3 Axis { get; set; }\n"
        "        void Update() { Spin(Time.deltaTime); }\n"
        "        public void Spin(float dt) { transform.Rotate(Axis, speed * dt); }\n"
        "    }\n"
        "    public interface ISpinnable { void Spin(float dt); }\n"
        "    public enum SpinMode { Idle, Fast }\n"
        "}\n",
    )
    with SymbolIndex.build(tmp_path, tmp_path / "index.sqlite") as built:
        assert built.languages == {"csharp"}
        kinds = {(e.name, e.kind) for name in built.names() for e in built.lookup(name)}
        assert {
            ("Spinner", "class"),
            ("speed", "field"),
            ("Axis", "property"),
            ("Spin", "method"),
            ("ISpinnable", "interface"),
            ("SpinMode", "enum"),
            ("Fast", "enum_constant"),
        } <= kinds
        assert built.fields_of("Spinner") == {"speed", "Axis"}
        spin = [e for e in built.lookup("Spin") if e.container == "Spinner"][0]
        assert (spin.file, spin.line, spin.lang) == ("Assets/Scripts/Spinner.cs", 7, "csharp")


def test_include_exclude_and_gitignore_choose_the_files(tmp_path):
    write(tmp_path, "include/a.h", "void A_Run(void);\n")
    write(tmp_path, "tools/gen.c", "void Tool_Main(void) {\n}\n")
    write(tmp_path, "build/out.c", "void Built_Thing(void) {\n}\n")
    write(tmp_path, ".gitignore", "build/\n")
    write(tmp_path, "notes.txt", "not code\n")
    with SymbolIndex.build(tmp_path, tmp_path / "all.sqlite") as built:
        assert built.exists("A_Run") and built.exists("Tool_Main") and not built.exists("Built_Thing")
        assert built.file_count() == 2
    with SymbolIndex.build(tmp_path, tmp_path / "some.sqlite", exclude=["tools/"]) as built:
        assert built.exists("A_Run") and not built.exists("Tool_Main")
    with SymbolIndex.build(tmp_path, tmp_path / "headers.sqlite", include=["*.h"]) as built:
        assert built.names(["prototype"]) == ["A_Run"] and built.file_count() == 1


def test_ignored_folders_of_generated_headers_can_be_indexed_too(tmp_path):
    write(tmp_path, ".gitignore", "extracted/\nbuild/\n")
    write(tmp_path, "include/a.h", "void A_Run(void);\n")
    write(
        tmp_path, "extracted/gc-eu-mq-dbg/assets/objects/object_test/object_test.h", "extern Gfx gTestDL[];\n"
    )
    write(tmp_path, "build/gc-eu-mq-dbg/src/a.c", "void Built_Copy(void) {\n}\n")
    with SymbolIndex.build(
        tmp_path, tmp_path / "index.sqlite", include_ignored=["extracted/gc-eu-mq-dbg"]
    ) as built:
        assert [e.file for e in built.lookup("gTestDL")] == [
            "extracted/gc-eu-mq-dbg/assets/objects/object_test/object_test.h"
        ]
        assert built.exists("A_Run") and not built.exists("Built_Copy")
    with pytest.raises(ModsmithError, match="no such folder"):
        SymbolIndex.build(tmp_path, tmp_path / "index.sqlite", include_ignored=["extracted/ntsc-1.2"])
    with pytest.raises(ModsmithError, match="no such folder"):
        SymbolIndex.build(tmp_path / "include", tmp_path / "other.sqlite", include_ignored=[".."])


# --- rebuilding -------------------------------------------------------------------------------


@pytest.fixture()
def tree(tmp_path) -> Path:
    root = tmp_path / "tree"
    write(root, "include/math.h", "f32 Math_Sins(s16 angle);\n#define SQ(x) ((x) * (x))\n")
    write(root, "src/math.c", '#include "math.h"\nf32 Math_Sins(s16 angle) {\n    return 0.0f;\n}\n')
    write(root, "src/old.c", "void Old_Thing(void) {\n}\n")
    return root


def test_rebuilding_an_unchanged_tree_reads_no_file(tree, tmp_path):
    db = tmp_path / "index.sqlite"
    first = SymbolIndex.build(tree, db)
    assert (first.last_build.files, first.last_build.hashed, first.last_build.indexed) == (3, 3, 3)
    first.close()
    actions = []
    with SymbolIndex.build(tree, db, on_file=lambda rel, action: actions.append((rel, action))) as again:
        counts = again.last_build
        assert (counts.hashed, counts.indexed, counts.unchanged, counts.removed) == (0, 0, 3, 0)
        assert sorted(actions) == [
            ("include/math.h", "unchanged"),
            ("src/math.c", "unchanged"),
            ("src/old.c", "unchanged"),
        ]
        assert again.exists("Math_Sins")


def test_a_changed_file_is_reindexed_and_a_removed_one_dropped(tree, tmp_path):
    db = tmp_path / "index.sqlite"
    SymbolIndex.build(tree, db).close()
    header = tree / "include" / "math.h"
    header.write_text("f32 Math_SinS(s16 angle);\nf32 Math_CosS(s16 angle);\n")
    stat = header.stat()
    os.utime(header, ns=(stat.st_atime_ns, stat.st_mtime_ns + 5_000_000_000))
    (tree / "src" / "old.c").unlink()
    actions = {}
    with SymbolIndex.build(tree, db, on_file=lambda rel, action: actions.update({rel: action})) as again:
        counts = again.last_build
        assert (counts.hashed, counts.indexed, counts.unchanged, counts.removed) == (1, 1, 1, 1)
        assert actions == {"include/math.h": "indexed", "src/math.c": "unchanged", "src/old.c": "removed"}
        assert again.exists("Math_CosS") and again.exists("Math_SinS")
        assert not again.exists("Old_Thing") and not again.exists("SQ")
        assert [e.file for e in again.lookup("Math_Sins")] == ["src/math.c"]
        assert again.file_count() == 2


def test_a_touched_but_unchanged_file_is_hashed_not_reparsed(tree, tmp_path):
    db = tmp_path / "index.sqlite"
    SymbolIndex.build(tree, db).close()
    path = tree / "src" / "math.c"
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 5_000_000_000))
    with SymbolIndex.build(tree, db) as again:
        assert (again.last_build.hashed, again.last_build.indexed) == (1, 0)
    with SymbolIndex.build(tree, db) as third:  # the new mtime was stored
        assert third.last_build.hashed == 0


def test_the_index_follows_the_repository_commit(tmp_path):
    root = tmp_path / "repo"
    write(root, "a.h", "void A(void);\n")
    git = ["git", "-C", str(root), "-c", "user.name=t", "-c", "user.email=t@example.invalid"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-q", "-m", "one"], check=True)
    head = subprocess.run(
        [*git, "rev-parse", "HEAD"], capture_output=True, text=True, check=True
    ).stdout.strip()
    with SymbolIndex.build(root, tmp_path / "index.sqlite") as built:
        assert built.commit == head
    with SymbolIndex.open(tmp_path / "index.sqlite") as opened:
        assert opened.commit == head and opened.repo == root.resolve()


def test_a_tree_outside_git_has_no_commit(tree, tmp_path):
    plain = tmp_path / "plain"
    shutil.copytree(tree, plain)
    with SymbolIndex.build(plain, tmp_path / "plain.sqlite") as built:
        assert built.repo == plain.resolve()
        assert built.commit is None


def test_the_default_index_path_lives_under_modsmith_cache(tree, tmp_path, monkeypatch):
    monkeypatch.setenv("MODSMITH_CACHE", str(tmp_path / "cache"))
    path = default_index_path(tree)
    assert path.parent == tmp_path / "cache" / "index"
    assert path.suffix == ".sqlite" and len(path.stem) == 16
    assert default_index_path(tree / "src" / "..") == path  # the resolved path is what counts
    with SymbolIndex.build(tree) as built:
        assert built.db_path == path and path.is_file()
    monkeypatch.delenv("MODSMITH_CACHE")
    assert default_index_path(tree).parent == Path.home() / ".cache" / "modsmith" / "index"


# --- errors -----------------------------------------------------------------------------------


def test_a_missing_repo_is_a_user_error(tmp_path):
    with pytest.raises(ModsmithError, match="no such directory") as caught:
        SymbolIndex.build(tmp_path / "nope", tmp_path / "index.sqlite")
    assert caught.value.where == str(tmp_path / "nope")


def test_an_unwritable_index_path_is_a_user_error(tree, tmp_path):
    blocker = write(tmp_path, "file.txt", "a file, not a folder\n")
    with pytest.raises(ModsmithError) as caught:
        SymbolIndex.build(tree, blocker / "index.sqlite")
    assert caught.value.where == str(blocker / "index.sqlite")
    folder = tmp_path / "a_folder.sqlite"
    folder.mkdir()
    with pytest.raises(ModsmithError, match="symbol index"):
        SymbolIndex.build(tree, folder)


def test_opening_a_missing_or_foreign_file_is_a_user_error(tmp_path):
    with pytest.raises(ModsmithError, match="no symbol index"):
        SymbolIndex.open(tmp_path / "missing.sqlite")
    junk = write(tmp_path, "junk.sqlite", "this is not a database\n" * 100)
    with pytest.raises(ModsmithError):
        SymbolIndex.open(junk)
