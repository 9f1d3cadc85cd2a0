"""The code-ingest stage on examples/sample_decomp and small temp trees: what it finds (against
ctags), what it skips, and what it records of the repository."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from code_samples import LATIN1_FILE, SAMPLE_DECOMP, by_name, names, run_stage, write

from modsmith.errors import ModsmithError
from modsmith.ingest.code import IngestCode
from modsmith.records import Document, Provenance, content_id
from modsmith.stage import Rejects

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


INGEST_IN_A_PROCESS = """
import sys
from modsmith.ingest.code import IngestCode
from modsmith.records import write_jsonl
from modsmith.stage import Rejects

root, out = sys.argv[1:]
dropped = []
stage = IngestCode({"root": root})
write_jsonl(out, [*stage.process([], Rejects(sink=dropped.append)), *dropped, stage.summary()])
"""


def test_output_is_deterministic_and_inputs_pass_through(sample_root, docs, tmp_path):
    marker = Document(id="x", kind="text", text="upstream", provenance=Provenance(source="elsewhere"))
    again = list(IngestCode({"root": str(sample_root)}).process([marker], Rejects()))
    assert again[0] is marker
    assert [d.id for d in again[1:]] == [d.id for d in docs]
    paths = [d.provenance.path for d in docs]
    assert paths == sorted(paths)
    # the same bytes from processes with other hash seeds (one process has one seed: it cannot see set order)
    outputs = []
    for seed in ("0", "1", "2"):
        out = tmp_path / f"seed-{seed}.jsonl"
        argv = [sys.executable, "-c", INGEST_IN_A_PROCESS, str(sample_root), str(out)]
        subprocess.run(argv, env={**os.environ, "PYTHONHASHSEED": seed}, check=True)
        outputs.append(out.read_bytes())
    assert len(docs) > 50 and outputs[0].count(b"\n") >= len(docs) + 1
    assert outputs[1] == outputs[0] and outputs[2] == outputs[0]


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
    stage = IngestCode({"root": str(tmp_path)})
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
        list(IngestCode({"root": str(missing)}).process([], Rejects()))
    assert caught.value.message == "no such directory"
    assert caught.value.where == str(missing)


def test_tree_without_parsable_files_is_a_user_error(tmp_path):
    write(tmp_path, "README.md", "# nothing here\n")
    write(tmp_path, "old.c", b"/* caf\xe9 */\n\x00\x01")
    with pytest.raises(ModsmithError) as caught:
        list(IngestCode({"root": str(tmp_path)}).process([], Rejects()))
    assert "no parsable C or C# files" in caught.value.message
    assert "1 binary file" in caught.value.message and "1 not code" in caught.value.message
    assert caught.value.where == str(tmp_path)
