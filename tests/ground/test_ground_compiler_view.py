"""The names check sees what the compiler sees, and never contradicts it.

On `compiler_view_decomp/` (a small original code base in the decomp layout, see its README): names
made by X-macro tables, member aliases, pasted arguments, fields declared through a macro body,
a `thisx` declared with two types, enum constants under `#if`, profile `-D` names and function
locals; then names the profile's compiler accepts, rejects or never reaches.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from modsmith.ground.c.profiles import load_profile
from modsmith.ground.check_command import check_file
from modsmith.ground.check_config import GroundCheckConfig
from modsmith.ground.code_spans import CodeSpan
from modsmith.ground.grounding import Grounding
from modsmith.ground.names.invented import check_names
from modsmith.ground.names.symbol_index import SymbolIndex

SAMPLE = Path(__file__).with_name("compiler_view_decomp")
BIRD = "src/overlays/actors/ovl_En_Bird/z_en_bird.c"
HOP = "src/overlays/actors/ovl_En_Hop/z_en_hop.c"
PERCH = "src/overlays/actors/ovl_En_Perch/z_en_perch.c"
PROFILE = """\
name: {name}
description: the compiler_view_decomp test code base
compiler: gcc
std: gnu90
flags: [-nostdinc, -fsyntax-only, -Wall, -Wextra, -Wno-unused-parameter, -Wno-unused-variable,
        -Wno-missing-braces, -Werror=implicit-int, -Werror=implicit-function-declaration,
        -Werror=int-conversion, -Werror=incompatible-pointer-types]
defines: [DEBUG_MODE=1, REGION_JP={region_jp}]
include_dirs: [include, src, ., extracted/test]
standard_includes: [global.h]
generated_dirs: [extracted/test, "assets/*"]
statement_wrapper: "void modsmith_fragment(Actor* thisx, struct PlayState* play) {{\\n{{body}}\\n}}"
"""

pytestmark = pytest.mark.skipif(shutil.which("gcc") is None, reason="the profile's compiler (gcc) is missing")


def _git(repo: Path, *args: str) -> None:
    env_args = ["-c", "user.name=test", "-c", "user.email=test@example.invalid", "-c", "commit.gpgsign=false"]
    subprocess.run(["git", "-C", str(repo), *env_args, *args], check=True, capture_output=True)


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> tuple[Path, Path]:
    """The sample as a git repository, and the path of its profile (REGION_JP=1)."""
    base = tmp_path_factory.mktemp("compiler_view")
    root = base / "repo"
    shutil.copytree(SAMPLE, root)
    _git(root, "init", "-q", "-b", "main")
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "sample")
    profile = base / "sample-jp.yaml"
    profile.write_text(PROFILE.format(name="sample-jp", region_jp=1), encoding="utf-8")
    return root, profile


@pytest.fixture(scope="module")
def cache(tmp_path_factory, sample):
    """A private modsmith cache for the module (index, precompiled headers)."""
    folder = tmp_path_factory.mktemp("cache")
    patch = pytest.MonkeyPatch()
    patch.setenv("MODSMITH_CACHE", str(folder))
    yield folder
    patch.undo()


@pytest.fixture(scope="module")
def names_only(sample, cache):
    root, profile = sample
    grounding = Grounding.open(
        GroundCheckConfig(repo=str(root), profile=str(profile), checks=["names"], rename_history=False)
    )
    yield grounding
    grounding.close()


@pytest.fixture(scope="module")
def with_compiler(sample, cache):
    root, profile = sample
    grounding = Grounding.open(
        GroundCheckConfig(repo=str(root), profile=str(profile), rename_history=False, workers=2)
    )
    yield grounding
    grounding.close()


def invented(grounding: Grounding, root: Path, rel: str) -> dict[str, dict]:
    verdict = check_file(root / rel, grounding)
    return {item["name"]: item for item in verdict.invented}


def block(code: str) -> list[CodeSpan]:
    return [CodeSpan(code, "c", "block", 0, 0, 1)]


def only(index: SymbolIndex, name: str, kind: str):
    found = [e for e in index.lookup(name) if e.kind == kind]
    assert len(found) == 1, f"{name} {kind}: {index.lookup(name)}"
    return found[0]


# --- item 1: an index of what the compiler sees ------------------------------------------------


def test_x_macro_constants_are_indexed_at_their_table_line(names_only):
    index = names_only.index
    sfx = only(index, "SFX_BIRD_CHIRP", "enum_constant")
    assert (sfx.file, sfx.line, sfx.container) == ("include/tables/sfx_table.h", 2, "SfxId")
    actor = only(index, "ACTOR_EN_BIRD", "enum_constant")
    assert (actor.file, actor.line, actor.container) == ("include/tables/actor_table.h", 6, "ActorId")
    obj = only(index, "OBJECT_BIRD", "enum_constant")
    assert (obj.file, obj.line) == ("include/tables/object_table.h", 3)


def test_x_macro_names_are_not_invented(names_only):
    code = (
        "Actor_PlaySfx(thisx, SFX_BIRD_FLAP);\n"
        "if (thisx->id == ACTOR_EN_PERCH) { thisx->params = OBJECT_PERCH; }\n"
    )
    report = check_names(block(code), names_only.index)
    assert report.passed, report.summary()
    known = {k.name: k for k in report.known}
    assert (known["SFX_BIRD_FLAP"].file, known["SFX_BIRD_FLAP"].line) == ("include/tables/sfx_table.h", 3)


def test_define_aliases_are_members(names_only, sample):
    root, _ = sample
    code = "void f(EnBird* this) {\n    this->rHopTimer = 1;\n    this->vWingAngle = 2.0f;\n}\n"
    report = check_names(
        block('#include "z_en_bird.h"\n#define rHopTimer timers[2]\n' + code), names_only.index
    )
    assert report.passed, report.summary()
    own = "void f(EnBird* this) {\n    this->rLocalAlias = 1;\n}\n"
    report = check_names(block("#define rLocalAlias timers[4]\n" + own), names_only.index)
    assert report.passed, report.summary()
    assert "rHopTimer" not in invented(names_only, root, BIRD)
    assert "vWingAngle" not in invented(names_only, root, BIRD)


def test_a_member_alias_does_not_hide_a_missing_member(names_only):
    report = check_names(block("void f(EnBird* this) {\n    this->wingParam9 = 1;\n}\n"), names_only.index)
    assert [i.name for i in report.invented] == ["wingParam9"]


def test_pasted_and_stringified_arguments_are_not_names(names_only):
    code = (
        "s32 hue = TERM_TEXT(GREEN);\n"
        "s32 dark = TERM_CODE(DARK, BLUE);\n"
        "const char* label = TERM_LABEL(WhateverItIsCalled);\n"
        "gfxMix(play->polyOpa, TEXEL, PRIM, SHADE, ZERO);\n"
    )
    report = check_names(block(code), names_only.index)
    assert report.passed, report.summary()


def test_a_pasted_argument_does_not_hide_the_other_arguments(names_only):
    report = check_names(block("s32 hue = TERM_TEXT(GREEN) + TERM_HUE_PURPLE;\n"), names_only.index)
    assert [i.name for i in report.invented] == ["TERM_HUE_PURPLE"]


def test_an_argument_that_is_also_code_is_checked(names_only):
    assert "DEBUG_CHECK" not in names_only.index.pasted_params()
    report = check_names(block("DEBUG_CHECK(thisx->params == BIRD_KIND_MADE_UP);\n"), names_only.index)
    assert [i.name for i in report.invented] == ["BIRD_KIND_MADE_UP"]


def test_a_snippets_own_pasting_macro_is_followed(names_only):
    code = "#define MY_HUE(h) TERM_HUE_##h\ns32 hue = MY_HUE(RED);\n"
    assert check_names(block(code), names_only.index).passed


def test_fields_declared_through_a_macro_body(names_only):
    index = names_only.index
    assert {"actor", "perchTimer", "perchKind"} <= index.fields_of("PerchBase")
    assert {"actor", "perchTimer", "perchKind", "wingParam1", "timers"} <= index.fields_of("EnBird")
    field = [e for e in index.lookup("perchTimer") if e.container == "EnBird"][0]
    assert field.file == "src/overlays/actors/ovl_En_Bird/z_en_bird.h"
    assert not [e for e in index.lookup("s16") if e.kind == "macro"]
    report = check_names(block("void f(EnBird* this) {\n    this->perchTimer = this->perchKind;\n}\n"), index)
    assert report.passed, report.summary()


def test_a_variable_takes_its_type_from_its_own_scope(names_only, sample):
    root, _ = sample
    assert "wingParam1" not in invented(names_only, root, BIRD)
    code = (
        "static void A(EnBird* thisx) {\n    thisx->wingParam1 = 0.0f;\n}\n"
        "void B(Actor* thisx, PlayState* play) {\n    thisx->world.x = 0.0f;\n}\n"
    )
    assert check_names(block(code), names_only.index).passed
    wrong = "static void A(Actor* thisx) {\n    thisx->wingParam1 = 0.0f;\n}\nvoid B(EnBird* thisx) {\n}\n"
    report = check_names(block(wrong), names_only.index)
    assert [(i.name, i.line) for i in report.invented] == [("wingParam1", 2)]


def test_enum_constants_under_if_follow_the_profile(names_only, sample, tmp_path):
    entry = only(names_only.index, "LANGUAGE_JAPANESE", "enum_constant")
    assert (entry.file, entry.container) == ("include/save.h", "Language")
    song = only(names_only.index, "SFX_BIRD_SONG_JP", "enum_constant")
    assert (song.file, song.line, song.origin) == ("include/tables/sfx_table.h", 6, "profile")
    assert check_names(block("u8 l = LANGUAGE_JAPANESE;\n"), names_only.index).passed
    root, _ = sample
    other = tmp_path / "sample-en.yaml"
    other.write_text(PROFILE.format(name="sample-en", region_jp=0), encoding="utf-8")
    index = SymbolIndex.build(root, tmp_path / "en.sqlite", profile=load_profile(other))
    try:
        assert index.lookup("SFX_BIRD_SONG_JP") == []  # the table's entry under `#if REGION_JP`
        assert only(index, "SFX_BIRD_FLAP", "enum_constant").line == 3
    finally:
        index.close()


def test_profile_defines_are_names(names_only, sample):
    root, _ = sample
    entry = only(names_only.index, "DEBUG_MODE", "macro")
    assert entry.file == "<profile sample-jp>"
    assert check_names(block("if (DEBUG_MODE) {\n    thisx->params = 1;\n}\n"), names_only.index).passed
    assert invented(names_only, root, BIRD) == {}


def test_function_locals_are_never_globals(names_only):
    index = names_only.index
    assert not [e for e in index.lookup("hopCount") if e.kind == "global"]
    assert not [e for e in index.lookup("sBounceOffset") if e.kind == "global"]
    assert only(index, "gSplitBracesCount", "global").file == "src/code/z_split_braces.c"
    assert only(index, "SplitBraces_Update", "function").line == 5
    report = check_names(block("sBounceOffset.x = 1.0f;\n"), index)
    assert [i.name for i in report.invented] == ["sBounceOffset"]


def test_host_programs_are_not_read_through_the_profile(names_only):
    assert [e.kind for e in names_only.index.lookup("PACKER_COUNTER")] == ["macro"]  # as written
    assert names_only.index.lookup("chunkCount") == []  # what the profile's preprocessor would make


def test_the_index_is_cached_per_profile(sample, cache, tmp_path):
    from modsmith.ground.names.symbol_index import default_index_path

    root, profile = sample
    assert default_index_path(root, "sample-jp") != default_index_path(root, "sample-en")
    assert default_index_path(root, "sample-jp") != default_index_path(root)
    first = SymbolIndex.build(root, tmp_path / "i.sqlite", profile=load_profile(profile))
    first.close()
    again = SymbolIndex.build(root, tmp_path / "i.sqlite", profile=load_profile(profile))
    try:
        assert again.last_build.preprocessed is False  # nothing changed: the preprocessor did not run
        assert only(again, "SFX_BIRD_CHIRP", "enum_constant").origin == "profile"
    finally:
        again.close()


# --- item 2: never contradict the compiler ------------------------------------------------------


def test_the_whole_sample_has_no_invented_names(with_compiler, sample):
    root, _ = sample
    for rel in (BIRD, HOP, "src/code/z_split_braces.c"):
        verdict = check_file(root / rel, with_compiler)
        assert verdict.checks["compile_c"].passed, verdict.compiler_output
        found = {i["name"] for i in verdict.invented}
        assert found <= {"EnHop_WobbleStep"}, (rel, found)
        assert verdict.arity_errors == []


def test_names_the_compiler_accepts_are_not_invented(names_only, with_compiler, sample):
    root, _ = sample
    assert {"EnHop_RiseStep", "EnHop_FallStep"} <= set(invented(names_only, root, HOP))
    verdict = check_file(root / HOP, with_compiler)
    known = {k["name"]: k for k in verdict.known}
    assert known["EnHop_RiseStep"]["kind"] == "compiler"
    assert "EnHop_RiseStep" not in {i["name"] for i in verdict.invented}


def test_a_name_in_code_the_compiler_skips_says_where(with_compiler, sample):
    root, _ = sample
    found = invented(with_compiler, root, HOP)
    assert set(found) == {"EnHop_WobbleStep"}
    assert found["EnHop_WobbleStep"]["compiler"] == "unreached"
    assert "#if 0" in found["EnHop_WobbleStep"]["detail"]


def test_a_name_the_compiler_rejects_stays_invented(with_compiler, sample, tmp_path):
    root, _ = sample
    text = (
        (root / BIRD)
        .read_text()
        .replace("EnBird_Flap(this);", "EnBird_Flap(this);\n    Actor_Teleport(thisx);")
    )
    copy = root / "src/overlays/actors/ovl_En_Bird/z_en_bird_copy.c"
    copy.write_text(text)
    try:
        verdict = check_file(copy, with_compiler)
    finally:
        copy.unlink()
    found = {i["name"]: i for i in verdict.invented}
    assert set(found) == {"Actor_Teleport"}
    assert found["Actor_Teleport"]["compiler"] == "rejected"
    assert "implicit declaration" in found["Actor_Teleport"]["detail"]


def test_a_file_the_compiler_cannot_read_says_why(with_compiler, sample):
    root, _ = sample
    text = (
        (root / PERCH).read_text().replace("Actor_PlaySfx(thisx, SFX_PERCH_CREAK);", "Perch_Wobble(thisx);")
    )
    copy = root / "src/overlays/actors/ovl_En_Perch/z_en_perch_copy.c"
    copy.write_text(text)
    try:
        verdict = check_file(copy, with_compiler)
    finally:
        copy.unlink()
    assert verdict.checks["compile_c"].data["failure_class"] == "missing_asset"
    found = {i["name"]: i for i in verdict.invented}
    assert set(found) == {"Perch_Wobble"}
    assert found["Perch_Wobble"]["compiler"] == "unreached"
    assert "could not be compiled" in found["Perch_Wobble"]["detail"]
    assert "assets/objects/object_perch/object_perch.h" in found["Perch_Wobble"]["detail"]


def test_an_arity_error_the_compiler_accepts_is_dropped(names_only, with_compiler):
    code = (
        '#include "global.h"\n'
        "void Bird_Shrink(Actor* thisx) {\n"
        "    Actor_SetScale(thisx, 0.0f\n"
        "#if !DEBUG_MODE\n"
        "                   , 1\n"
        "#endif\n"
        "    );\n"
        "}\n"
    )
    alone = check_names(block(code), names_only.index)
    assert [(a.name, a.given) for a in alone.arity_errors] == [("Actor_SetScale", 3)]
    checks = with_compiler.check_spans(block(code))
    assert checks["compile_c"].passed
    assert checks["names"].passed, checks["names"].detail


def test_examples_in_the_stage_are_reconciled_too(with_compiler):
    code = (
        "#define MAKE(n) static s32 n##_Count(void) { return 1; }\n"
        "MAKE(Bird)\n"
        "s32 g(void) { return Bird_Count(); }\n"
    )
    checks = with_compiler.check_many([block('#include "global.h"\n' + code)])[0]
    assert checks["compile_c"].passed
    assert checks["names"].passed, checks["names"].detail
    known = {k["name"]: k for k in checks["names"].data["known"]}
    assert known["Bird_Count"]["kind"] == "compiler"
    assert (known["s32"]["kind"], known["s32"]["file"]) == ("typedef", "include/ultra64.h")


# --- hooks for the names a decomp's asset tools generate -----------------------------------------


class _AssetName:
    def __init__(self, name: str, kind: str, c_type: str, line: int):
        self.name, self.kind, self.c_type, self.line = name, kind, c_type, line
        self.xml_file = "assets/xml/objects/object_perch.xml"


def _perch_assets(repo: Path) -> list[_AssetName]:
    return [
        _AssetName("gPerchBranchDL", "DList", "Gfx[]", 3),
        _AssetName("PERCH_LIMB_MAX", "limb_enum_member", "", 7),
    ]


def test_asset_names_from_the_hook_are_indexed_at_their_xml_line(sample, tmp_path):
    root, profile = sample
    index = SymbolIndex.build(
        root, tmp_path / "a.sqlite", profile=load_profile(profile), assets=_perch_assets
    )
    try:
        entry = only(index, "gPerchBranchDL", "global")
        assert (entry.file, entry.line, entry.origin, entry.type) == (
            "assets/xml/objects/object_perch.xml", 3, "asset", "Gfx",
        )  # fmt: skip
        assert only(index, "PERCH_LIMB_MAX", "enum_constant").origin == "asset"
        report = check_names(block("gSPDisplayList(p, gPerchBranchDL);\ns32 n = PERCH_LIMB_MAX;\n"), index)
        assert {i.name for i in report.invented} == {"gSPDisplayList"}
    finally:
        index.close()
    again = SymbolIndex.build(root, tmp_path / "a.sqlite", profile=load_profile(profile))
    try:
        assert again.lookup("gPerchBranchDL") == []  # without the hook, the asset names go
    finally:
        again.close()


def test_generated_headers_are_read_through_the_preprocessor(sample, tmp_path):
    root, profile = sample
    generated = tmp_path / "generated"
    header = generated / "assets/objects/object_perch/object_perch.h"
    header.parent.mkdir(parents=True)
    header.write_text(
        '#ifndef OBJECT_PERCH_H\n#define OBJECT_PERCH_H\n\n#include "gfx.h"\n\n'
        "extern Gfx gPerchBranchDL[];\n\n#endif\n"
    )
    index = SymbolIndex.build(
        root, tmp_path / "g.sqlite", profile=load_profile(profile), extra_include_dirs=(generated,)
    )
    try:
        entry = only(index, "gPerchBranchDL", "global")
        assert (entry.file, entry.line, entry.type) == (
            "assets/objects/object_perch/object_perch.h",
            6,
            "Gfx",
        )
    finally:
        index.close()


def test_names_after_the_compilers_error_limit_are_unreached(with_compiler):
    body = "".join(f"    thisx->params = thisx->missing{i};\n" for i in range(25))
    code = f'#include "global.h"\nvoid Bird_Many(Actor* thisx) {{\n{body}    Actor_Vanish(thisx);\n}}\n'
    checks = with_compiler.check_spans(block(code))
    found = {i["name"]: i for i in checks["names"].data["invented"]}
    assert found["missing0"]["compiler"] == "rejected"
    assert found["Actor_Vanish"]["compiler"] == "unreached"
    assert "stopped after 20 errors" in found["Actor_Vanish"]["detail"]


def test_a_function_compiled_in_its_own_file_is_judged_at_its_own_lines(with_compiler, sample):
    from modsmith.ground.grounding import source_place
    from modsmith.records import Provenance

    root, _ = sample
    lines = (root / HOP).read_text().splitlines()
    first = next(i for i, line in enumerate(lines, 1) if line.startswith("void EnHop_Update"))
    last = next(i for i in range(first, len(lines) + 1) if lines[i - 1] == "}")
    place = source_place(root, Provenance(source=str(root), path=HOP, lines=(first, last)), "EnHop_Update")
    code = (
        "void EnHop_Update(Actor* thisx, PlayState* play) {\n"
        "    EnHop_RiseStep(thisx);\n"
        "    EnHop_Teleport(thisx);\n"
        "}\n"
    )
    checks = with_compiler.check_many([block(code)], places=[place])[0]
    found = {i["name"]: i for i in checks["names"].data["invented"]}
    assert set(found) == {"EnHop_Teleport"}  # EnHop_RiseStep: made by a macro of that file
    assert found["EnHop_Teleport"]["compiler"] == "rejected"
    assert "line 3: implicit declaration" in found["EnHop_Teleport"]["detail"]


def test_modsmith_index_with_a_profile_builds_the_index_check_uses(sample, modsmith, tmp_path):
    root, profile = sample
    plain = modsmith("index", str(root), "-o", str(tmp_path / "plain.sqlite"))
    assert plain.returncode == 0, plain.stderr
    seen = modsmith("index", str(root), "--profile", str(profile), "-o", str(tmp_path / "seen.sqlite"))
    assert seen.returncode == 0, seen.stderr
    with SymbolIndex.open(tmp_path / "plain.sqlite") as index:
        assert not [e for e in index.lookup("SFX_BIRD_CHIRP") if e.kind == "enum_constant"]
    with SymbolIndex.open(tmp_path / "seen.sqlite") as index:
        only(index, "SFX_BIRD_CHIRP", "enum_constant")
