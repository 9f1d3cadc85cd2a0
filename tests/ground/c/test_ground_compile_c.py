"""The C compile check against the mini decomp: profiles, wrapping, failure classes, PCH, the pool."""

from __future__ import annotations

import os
import random
import shutil
import stat
import subprocess
from pathlib import Path

import pytest

from modsmith.errors import ModsmithError
from modsmith.ground.c.c_check_pool import CCheckPool, build_pch, header_names, pch_loads, pch_probe
from modsmith.ground.c.c_diagnostics import ASSET_MESSAGE
from modsmith.ground.c.compile_c import c_compile_check, compiler_argv
from modsmith.ground.c.profiles import PROFILE_DIR, load_profile, shipped_profiles
from modsmith.ground.sandbox import SandboxLimits

# The check flags of zeldaret/oot's Makefile for gc-eu-mq-dbg, as shared/FACTS.md records them.
FACTS_FLAGS = """-nostdinc -fno-builtin -fsyntax-only -funsigned-char -std=gnu90 -m32 -D_LANGUAGE_C
-DNON_MATCHING -DAVOID_UB -DPLATFORM_N64=0 -DPLATFORM_GC=1 -DPLATFORM_IQUE=0 -DOOT_VERSION=GC_EU_MQ_DBG
-DOOT_REVISION=15 -DOOT_REGION=REGION_EU -DLIBULTRA_VERSION=LIBULTRA_VERSION_L -DLIBULTRA_PATCH=0
-DDEBUG_FEATURES=1 -D_MIPS_ISA_MIPS2=2 -D_MIPS_ISA=_MIPS_ISA_MIPS2 -D_ABIO32=1 -D_MIPS_SIM=_ABIO32
-D_MIPS_SZINT=32 -D_MIPS_SZLONG=32 -D_MIPS_SZPTR=32 -DF3DEX_GBI_2 -DF3DEX_GBI_PL -DGBI_DOWHILE -DGBI_DEBUG
-Wall -Wextra -Wno-format-security -Wno-unknown-pragmas -Wno-unused-parameter -Wno-unused-variable
-Wno-missing-braces -Werror=implicit-int -Werror=implicit-function-declaration -Werror=int-conversion
-Werror=incompatible-pointer-types""".split()
FACTS_INCLUDES = ["include", "include/libc", "src", "build/gc-eu-mq-dbg", ".", "extracted/gc-eu-mq-dbg"]

HAS_MIPS = shutil.which("mips-linux-gnu-gcc") is not None

VALID_FUNCTION = """\
void EnTest_Wobble(Actor* thisx, PlayState* play) {
    Actor_SetScale(thisx, 0.02f);
    thisx->rot.y += 0x100;
    Math_StepToF(&thisx->speed, 2.0f, 0.5f);
}
"""

ACTOR_DRAW = """\
#include "global.h"

void EnTest_DrawCopy(Actor* thisx, PlayState* play) {
    OPEN_DISPS(play->state.gfxCtx, "z_en_test.c", 50);
    Matrix_Translate(thisx->pos.x, thisx->pos.y, thisx->pos.z, MTXMODE_NEW);
    MATRIX_FINALIZE_AND_LOAD(POLY_OPA_DISP++, play->state.gfxCtx, "z_en_test.c", 52);
    CLOSE_DISPS(play->state.gfxCtx, "z_en_test.c", 53);
}
"""


def write_profile(path: Path, base: str, **overrides) -> Path:
    """A copy of a shipped profile with the mini decomp's include dirs (and `overrides`)."""
    text = (PROFILE_DIR / f"{base}.yaml").read_text()
    lines = []
    for line in text.splitlines():
        key = line.split(":", 1)[0]
        if key == "name":
            line = f"name: test-{base}"
        elif key == "include_dirs":
            line = "include_dirs: [include, include/libc, src, extracted/test]"
        elif key == "generated_dirs":
            line = 'generated_dirs: [extracted/test, "assets/*"]'
        if key not in overrides:
            lines.append(line)
    lines += [f"{key}: {value}" for key, value in overrides.items()]
    path.write_text("\n".join(lines) + "\n")
    return path


PROFILES = [
    pytest.param("oot-gc-eu-mq-dbg", id="gcc"),
    pytest.param(
        "hackeroot-ntsc-1.2",
        id="mips-gcc",
        marks=pytest.mark.skipif(not HAS_MIPS, reason="mips-linux-gnu-gcc not installed"),
    ),
]


@pytest.fixture(params=PROFILES)
def profile(request, tmp_path):
    return load_profile(write_profile(tmp_path / "profile.yaml", request.param))


@pytest.fixture
def repo(decomp_repo):
    return decomp_repo[0]


def check(snippet, repo, profile, **kwargs):
    return c_compile_check(
        snippet, repo, profile, limits=SandboxLimits(cpu_seconds=10, wall_seconds=30), **kwargs
    )


# --- profiles --------------------------------------------------------------------------------------


def test_shipped_profiles_load_with_the_flags_facts_gives(repo):
    assert shipped_profiles() == ["hackeroot-ntsc-1.2", "oot-gc-eu-mq-dbg", "oot-ntsc-1.2"]
    oot = load_profile("oot-gc-eu-mq-dbg")
    argv = compiler_argv("gcc", oot, repo)
    for flag in FACTS_FLAGS:
        assert flag in argv, flag
    assert oot.include_dirs == FACTS_INCLUDES
    retail = load_profile("oot-ntsc-1.2")
    assert {
        "PLATFORM_N64=1",
        "OOT_VERSION=NTSC_1_2",
        "OOT_REVISION=2",
        "OOT_REGION=REGION_JP",
        "LIBULTRA_VERSION=LIBULTRA_VERSION_I",
        "LIBULTRA_PATCH=1",
        "DEBUG_FEATURES=0",
        "NDEBUG",
        "F3DEX_GBI_2",
    } <= set(retail.defines)
    assert not {"F3DEX_GBI_PL", "GBI_DOWHILE", "GBI_DEBUG"} & set(retail.defines)
    hacker = load_profile("hackeroot-ntsc-1.2")
    assert hacker.compiler == "mips-linux-gnu-gcc" and hacker.std == "gnu11"
    assert {"COMPILER_GCC", "NON_MATCHING", "AVOID_UB", "OOT_VERSION=NTSC_1_2"} <= set(hacker.defines)


def test_shipped_oot_profile_passes_the_fixture_actor(repo):
    oot = load_profile("oot-gc-eu-mq-dbg")
    name = "src/overlays/actors/ovl_En_Test/z_en_test.c"
    result = check((repo / name).read_text(), repo, oot, file_name=name)
    assert result.passed, result.compiler_output
    assert result.failure_class is None and not result.wrapped
    lone = check(VALID_FUNCTION, repo, oot)
    assert lone.passed, lone.compiler_output
    assert lone.standard_includes == ["global.h", "ultra64.h", "gfx.h", "sys_matrix.h", "debug_display.h"]


def test_bad_profile_yaml_names_the_line(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: mine\ncompiler: gcc\nflags: [-Wall]\nincludes: [include]\n")
    with pytest.raises(ModsmithError) as err:
        load_profile(bad)
    assert err.value.where == f"{bad}:4" and "unknown key" in err.value.message
    bad.write_text("name: mine\ndefines: [A]\nflags:\n  - -Wall\n  - -I/etc\n")
    with pytest.raises(ModsmithError) as err:
        load_profile(bad)
    assert err.value.where == f"{bad}:3" and "include_dirs" in err.value.message
    bad.write_text("name: mine\ninclude_dirs: [../outside]\n")
    with pytest.raises(ModsmithError, match="inside the repository"):
        load_profile(bad)
    bad.write_text("name: mine\nstandard_includes: global.h\n")
    with pytest.raises(ModsmithError) as err:
        load_profile(bad)
    assert err.value.where == f"{bad}:2"


@pytest.mark.parametrize(
    "flag",
    ["-trigraphs", "-ansi", "-traditional-cpp", "-finput-charset=latin1", "-fno-dollars-in-identifiers",
     "-fno-extended-identifiers", "-fpreprocessed", "-Xclang"],
)  # fmt: skip
def test_profiles_refuse_flags_that_change_how_the_source_is_lexed(flag, tmp_path):
    """The include rules lex as `std` says; `-fno-dollars-in-identifiers` would split `x$_Pra` into
    `x`, `$` and `_Pra`, a piece of `_Pragma` they never saw, and `-trigraphs` would read `??=`."""
    bad = tmp_path / "bad.yaml"
    bad.write_text(f"name: mine\nflags: [-Wall, {flag}]\n")
    with pytest.raises(ModsmithError) as err:
        load_profile(bad)
    assert flag in err.value.message and err.value.where == f"{bad}:2"


def test_profile_std_must_be_a_c_standard(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: mine\nstd: c++17\n")  # gcc would warn, ignore it and lex as its default
    with pytest.raises(ModsmithError, match="not a C standard"):
        load_profile(bad)
    bad.write_text("name: mine\nstd: c99\n")
    assert load_profile(bad).std == "c99"


def test_unknown_profile_name_lists_shipped_ones():
    with pytest.raises(ModsmithError) as err:
        load_profile("oot-gc-eu-dbg")
    assert "oot-gc-eu-mq-dbg" in err.value.message and "hackeroot-ntsc-1.2" in err.value.message
    assert "did you mean oot-gc-eu-mq-dbg" in err.value.hint


def test_missing_compiler_names_the_apt_package(repo, tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    hacker = load_profile("hackeroot-ntsc-1.2")
    with pytest.raises(ModsmithError) as err:
        c_compile_check(VALID_FUNCTION, repo, hacker)
    assert err.value.hint == "apt-get install gcc-mips-linux-gnu"
    with pytest.raises(ModsmithError, match="not found"):
        CCheckPool(repo, hacker)


# --- the check ---------------------------------------------------------------------------------------


def test_valid_actor_code_passes(repo, profile):
    result = check(ACTOR_DRAW, repo, profile)
    assert result.passed, result.compiler_output
    assert result.failure_class is None and result.wrapping == "none"
    assert result.note == "a syntax check proves names and types, not linking or behaviour"


def test_lone_function_gets_the_standard_includes(repo, profile):
    result = check(VALID_FUNCTION, repo, profile)
    assert result.passed, result.compiler_output
    assert result.wrapped and result.wrapping == "includes"
    assert result.standard_includes[0] == "global.h"


def test_bare_statements_are_wrapped_in_a_function(repo, profile):
    result = check("Actor_Kill(thisx);\nplay->sceneId = 3;\n", repo, profile)
    assert result.passed, result.compiler_output
    assert result.wrapping == "function" and result.wrapped
    broken = check(
        'Actor_Kill(thisx);\nthisx->speed = Matrix_NewMtx(play->state.gfxCtx, "a.c", 1);\n', repo, profile
    )
    assert broken.failure_class == "invented_name" and broken.names == ["Matrix_NewMtx"]
    assert [d.line for d in broken.diagnostics if d.severity == "error"][0] == 2


def test_renamed_function_is_an_unknown_identifier(repo, profile):
    snippet = VALID_FUNCTION.replace(
        "    thisx->rot.y += 0x100;\n", '    Matrix_NewMtx(play->state.gfxCtx, "z_en_test.c", 9);\n'
    )
    result = check(snippet, repo, profile)
    assert not result.passed
    assert result.failure_class == "invented_name"
    assert result.names == ["Matrix_NewMtx"]
    error = next(d for d in result.diagnostics if d.severity == "error")
    assert (error.file, error.line, error.kind) == ("snippet.c", 3, "invented_name")
    assert "Matrix_NewMtx" in result.detail


def test_invented_member_is_an_invented_name(repo, profile):
    result = check(VALID_FUNCTION.replace("thisx->rot.y", "thisx->worldPos.y"), repo, profile)
    assert result.failure_class == "invented_name"
    assert result.detail == "unknown: Actor.worldPos"
    assert [(m.on, m.name) for m in result.unknown_members] == [("Actor", "worldPos")]
    assert result.names == []


def test_wrong_macro_arity_is_wrong_arguments_not_an_unknown_name(repo, profile):
    snippet = "s32 EnTest_Limit(s32 a, s32 b) {\n    return CLAMP(a, b);\n}\n"
    result = check(snippet, repo, profile)
    assert result.failure_class == "wrong_arguments"
    assert 'macro "CLAMP" requires 3 arguments' in result.detail
    assert "CLAMP" not in result.names


def test_syntax_error(repo, profile):
    result = check(VALID_FUNCTION.replace("0x100;", "0x100"), repo, profile)
    assert result.failure_class == "syntax_error"
    assert result.diagnostics[0].line == 3


def test_missing_asset_header_needs_make_setup(repo, profile):
    snippet = '#include "global.h"\n#include "assets/objects/object_test/object_test.h"\n' + VALID_FUNCTION
    result = check(snippet, repo, profile)
    assert result.failure_class == "missing_asset"
    assert result.detail == f"assets/objects/object_test/object_test.h: {ASSET_MESSAGE}"
    assert "make setup" in result.detail


def test_missing_asset_header_after_setup_is_the_snippets_fault(repo, profile, tmp_path):
    extracted = tmp_path / "decomp"
    shutil.copytree(repo, extracted, symlinks=True)
    (extracted / "extracted" / "test" / "assets").mkdir(parents=True)
    snippet = '#include "global.h"\n#include "assets/objects/object_test/object_test.h"\n' + VALID_FUNCTION
    result = check(snippet, extracted, profile)
    assert result.failure_class == "missing_header"


def test_missing_ordinary_header(repo, profile):
    result = check('#include "z64nothing.h"\n' + VALID_FUNCTION, repo, profile)
    assert result.failure_class == "missing_header"
    assert result.detail.startswith("z64nothing.h:")


def test_diagnostic_lines_are_the_snippets_own(repo, profile):
    snippet = "\n\n" + VALID_FUNCTION.replace("Actor_SetScale", "Actor_SetSize")
    lone = check(snippet, repo, profile)  # wrapped in a prelude: still line 4
    included = check('#include "global.h"\n' + snippet, repo, profile)  # not wrapped: one line further down
    assert lone.wrapped and not included.wrapped
    assert [d.line for d in lone.diagnostics if d.severity == "error"] == [4]
    assert [d.line for d in included.diagnostics if d.severity == "error"] == [5]
    assert "snippet.c:4:" in lone.compiler_output


def test_output_shows_no_host_paths(repo, profile, tmp_path):
    snippet = '#include "global.h"\n#include "overlays/actors/ovl_En_Test/z_en_test.h"\nstruct Nope x;\n'
    snippet += "void EnTest_Bad(EnTest* this) { this->nothing = 1; Unknown_Call(); }\n"
    result = check(snippet, repo, profile)
    assert not result.passed and result.compiler_output
    for secret in (str(repo), os.path.realpath(repo), "/tmp", str(tmp_path), os.path.expanduser("~")):
        assert secret not in result.compiler_output
        assert all(secret not in d.file for d in result.diagnostics)


def test_snippet_file_name_gives_its_directory_for_quote_includes(repo, profile):
    name = "src/overlays/actors/ovl_En_Test/z_en_test.c"
    result = check((repo / name).read_text(), repo, profile, file_name=name)
    assert result.passed, result.compiler_output
    alone = check((repo / name).read_text(), repo, profile)  # as snippet.c its header is not found
    assert alone.failure_class == "missing_header"
    with pytest.raises(ModsmithError):
        check(VALID_FUNCTION, repo, profile, file_name="../../outside.c")


# --- precompiled header and pool --------------------------------------------------------------------

SNIPPETS = [
    VALID_FUNCTION,
    VALID_FUNCTION.replace("EnTest_Wobble", "EnTest_Wobble2").replace("Actor_SetScale", "Matrix_NewMtx"),
    VALID_FUNCTION.replace("EnTest_Wobble", "EnTest_Wobble3").replace("Actor_SetScale", "Matrix_NewMtx"),
    "s32 EnTest_Limit(s32 a, s32 b) {\n    return CLAMP(a, b);\n}\n",
    "void EnTest_Syntax(Actor* thisx) {\n    thisx->speed = 1.0f\n}\n",
    "struct Hidden gHidden;\nstruct Hidden* EnTest_Get(void) { return &gHidden; }\n",
    "static struct Hidden* sPtr;\nvoid EnTest_Use(void) { sPtr = 0; }\n",
    'void EnTest_Open(PlayState* play) {\n    OPEN_DISPS(play->state.gfxCtx, "a.c", 1);\n}\n',
    "void EnTest_After(Actor* thisx) { Actor_Kill(thisx); }\n",
    "void Actor_Kill(Actor* actor);\nvoid EnTest_Redeclare(Actor* a) { Actor_Kill(a); }\n",
    "s32 Actor_Kill(s32 x) { return x; }\n",
    "void EnTest_Ok2(Actor* a, PlayState* play) { a->speed = Math_SinS(play->sceneId); }\n",
    "typedef s32 Counter;\nCounter EnTest_Count(void) { Counter c = 0; return c; }\n",
    "void EnTest_UsesCounter(void) { Counter c = 1; (void)c; }\n",
    "enum { EN_TEST_A, EN_TEST_B };\ns32 EnTest_Enum(void) { return EN_TEST_B; }\n",
    "int gTentative[];\n",
    "void EnTest_Member(Actor* a) { a->worldPos.x = 0; a->home = a->pos; }\n",
    "Actor_Kill(thisx);\n",
    '#include "global.h"\nvoid EnTest_Inc(Actor* a) { Actor_Kill(a); }\n',
    "void EnTest_Unclosed(Actor* a) {\n    if (a->speed > 0) {\n        Actor_Kill(a);\n",
    "void EnTest_Last(Actor* a) { Actor_Kill(a); Invented_Thing(a); }\n",
    "void EnTest_Fmt(Actor* a) { DebugDisplay_AddObject(0, 0, 0, 0, 0, 0, 1, 1, 1, 0, 0, 0); }\n",
]


@pytest.fixture
def pch_cache(tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    monkeypatch.setenv("MODSMITH_CACHE", str(cache))
    return cache


def test_precompiled_header_is_used_and_changes_nothing(repo, profile, pch_cache):
    pch, note = build_pch(repo, profile)
    assert pch is not None, note
    assert pch.is_relative_to(pch_cache / "pch") and (pch.parent / f"{pch.name}.gch").is_file()
    probe = pch_probe(repo, profile, pch)
    assert any(line.startswith("! ") and line.endswith("modsmith_pch.h.gch") for line in probe), probe
    assert pch_loads(repo, profile, pch)
    argv = [*compiler_argv(profile.compiler_path(), profile, repo, pch=pch), "-H", "-x", "c", "-"]
    shown = subprocess.run(argv, input="int x;\n", capture_output=True, text=True, cwd=pch.parent)
    assert f"! {pch}.gch" in shown.stderr.splitlines()  # the compiler itself says it loaded it
    for snippet in SNIPPETS:
        plain, fast = check(snippet, repo, profile), check(snippet, repo, profile, pch=pch)
        assert plain.model_dump(exclude={"pch_used"}) == fast.model_dump(exclude={"pch_used"}), snippet
    assert check(VALID_FUNCTION, repo, profile, pch=pch).pch_used
    assert not check('#include "macros.h"\n' + VALID_FUNCTION, repo, profile, pch=pch).pch_used


def test_precompiled_header_follows_header_changes(repo, profile, pch_cache, tmp_path):
    first, _ = build_pch(repo, profile)
    assert build_pch(repo, profile)[0] == first
    copy = tmp_path / "edited"
    shutil.copytree(repo, copy, symlinks=True)
    with (copy / "include" / "z64math.h").open("a") as header:
        header.write("/* edited */\n")
    assert build_pch(copy, profile)[0] != first


def test_a_compiler_that_refuses_pch_falls_back(repo, tmp_path, pch_cache):
    wrapper = tmp_path / "bin" / "gcc-no-pch"
    wrapper.parent.mkdir()
    gcc = shutil.which("gcc")
    wrapper.write_text(
        f'#!/bin/sh\nfor a in "$@"; do [ "$a" = c-header ] && {{ echo "no PCH here" >&2; exit 1; }}; done\n'
        f'exec {gcc} "$@"\n'
    )
    wrapper.chmod(wrapper.stat().st_mode | stat.S_IXUSR)
    profile = load_profile(write_profile(tmp_path / "p.yaml", "oot-gc-eu-mq-dbg", compiler=str(wrapper)))
    pool = CCheckPool(repo, profile, workers=2)
    assert pool.pch is None and "could not build" in pool.pch_note
    results = list(pool.check_many(SNIPPETS[:4]))
    assert [r.failure_class for r in results] == [
        None,
        "invented_name",
        "invented_name",
        "wrong_arguments",
    ]


def test_pool_results_are_in_order_and_identical_to_one_by_one(repo, profile, pch_cache):
    pool = CCheckPool(repo, profile, workers=3, limits=SandboxLimits(cpu_seconds=10, wall_seconds=30))
    assert pool.pch is not None, pool.pch_note
    snippets = SNIPPETS * 2
    results = list(pool.check_many(iter(snippets)))
    alone = [check(s, repo, profile) for s in snippets]
    assert len(results) == len(snippets)
    for snippet, fast, slow in zip(snippets, results, alone, strict=True):
        assert fast.model_dump(exclude={"pch_used"}) == slow.model_dump(exclude={"pch_used"}), snippet
    assert pool.stats["batch_runs"] > 0 and pool.stats["batched"] >= len(snippets) // 2, pool.stats
    assert pool.stats["batch_runs"] + pool.stats["single_runs"] < len(snippets)  # fewer compiler runs


def test_header_names_know_the_prelude(repo, profile, pch_cache):
    known = header_names(repo, profile)
    assert {"Actor_Kill", "PlayState", "CLAMP", "MTXMODE_NEW", "Matrix_Finalize", "ActorFunc"} <= known.names
    assert "Matrix_NewMtx" not in known.names
    assert {"Actor", "PlayState", "MatrixMode", "GraphicsContext"} <= known.tags
    assert "ActorFunc" not in known.tags


# Pieces of snippets that stress what may share a compiler run: invented names used twice, file-scope
# declarations others use, tags, typedefs, tentative definitions, implicit int, unbalanced macros
# (CLOSE_DISPS alone ends a function early), syntax errors, nested functions, locals shadowing.
MIX_BODY = [
    "Actor_SetScale(a, 0.02f);",
    "a->rot.y += 0x100;",
    "Invented_One(a);",
    "Invented_Two(a, 1);",
    "a->worldPos.x = 1.0f;",
    "a->speed = CLAMP(a->speed, 1.0f);",
    "a->speed = 1.0f",
    "x = UNDEF_CONST;",
    "s32 q = (s32)sizeof(__FILE__) + __LINE__;",
    "OPEN_DISPS(play->state.gfxCtx, __FILE__, __LINE__);",
    "CLOSE_DISPS(play->state.gfxCtx, __FILE__, __LINE__);",
    "gShared = 1;",
    "{ Counter c = 0; (void)c; }",
    "struct Tagged* t = 0; (void)t;",
    'Matrix_NewMtx(play->state.gfxCtx, "x", 1);',
    "if (a->speed > 0) {",
    "}",
    "a->speed = Helper_Local(a);",
    "extern s32 gExternLocal; gExternLocal = 1;",
    "auto void nested(void); void nested(void) { }",
    "typedef f32 LocalF; LocalF lf = 0;",
    "Actor_Kill(a, a);",
    "s32 speed = 1; a->sped = speed;",
    "gVar2 = 3;",
    'OPEN_DISPS(play->state.gfxCtx, "f", 1); Matrix_Push(); CLOSE_DISPS(play->state.gfxCtx, "f", 1);',
]
MIX_TOP = [
    "static s32 sCounter;",
    "s32 gShared;",
    "typedef s32 Counter;",
    "enum { EN_MIX_A, EN_MIX_B };",
    "struct Tagged { s32 a; };",
    "struct Undone gUndone;",
    "int gArr[];",
    "s32 Helper_Local(Actor* a) { return 0; }",
    "void Actor_Kill(Actor* actor);",
    "s32 gInit = UNDEF_TOP;",
    "KnR_func() { return 1; }",
    "UnknownType gVar;",
    "void Proto(struct Newtag* p);",
    "s32 gSized[ARRAY_COUNT(gInitArr)];",
    "s32 gInitArr[] = { CLAMP(1, 0, 2) };",
]


def test_pool_matches_lone_checks_on_generated_mixes(repo, profile, pch_cache):
    rng = random.Random(7)
    snippets = []
    for i in range(90):
        top = "\n".join(rng.choice(MIX_TOP) for _ in range(rng.randint(0, 2)))
        body = "\n    ".join(rng.choice(MIX_BODY) for _ in range(rng.randint(1, 4)))
        snippets.append(
            f"{top}\nvoid EnMix{i % 6}_Func(Actor* a, PlayState* play) {{\n    s32 x;\n    {body}\n}}\n"
        )
    pool = CCheckPool(repo, profile, workers=2, limits=SandboxLimits(cpu_seconds=10, wall_seconds=30))
    for snippet, fast in zip(snippets, pool.check_many(snippets), strict=True):
        alone = check(snippet, repo, profile)
        assert fast.model_dump(exclude={"pch_used"}) == alone.model_dump(exclude={"pch_used"}), snippet
    assert pool.stats["batched"] > len(snippets) // 2, pool.stats


LEAKS = {
    # CLOSE_DISPS alone ends the function: gcc declares gLeak at file scope, tree-sitter sees a local
    "macro-made-declaration": [
        "void EnA_Func(Actor* a, PlayState* play) {\n"
        '    CLOSE_DISPS(play->state.gfxCtx, "f", 1);\n'
        "    s32 gLeak;\n}\n",
        "void EnB_Func(void) { gLeak = 1; }\n",
    ],
    # gcc's "did you mean" draws on everything declared so far in the unit, other snippets included
    "did-you-mean": [
        "void Helper_Alpha(Actor* a) {}\n",
        "void EnB_Func(Actor* a) { Helper_Alphb(a); }\n",
    ],
    # an implicit declaration is reported once per translation unit
    "implicit-declaration": [
        "void EnA_Func(Actor* a) { Invented_Same(a); }\n",
        "void EnB_Func(Actor* a) { Invented_Same(a); }\n",
    ],
    # a tag first mentioned at file scope is declared there; later it is no longer new in a prototype
    "tag": [
        "struct NewTag* gTagged;\n",
        "void EnB_Proto(struct NewTag* p);\nvoid EnB_Func(void) { EnB_Proto(0); }\n",
    ],
    # a file-scope name declared by one snippet and used by another
    "declared-name": [
        "s32 gShared;\n",
        "void EnB_Func(void) { gShared = 2; }\n",
    ],
}


@pytest.mark.parametrize("pair", LEAKS.values(), ids=LEAKS.keys())
def test_pool_keeps_snippets_that_would_leak_apart(pair, repo, profile, pch_cache):
    together = check(pair[0] + pair[1], repo, profile)
    offset = pair[0].count("\n")
    second = [d.message for d in together.diagnostics if d.line and d.line > offset]
    alone = [check(s, repo, profile) for s in pair]
    assert second != [d.message for d in alone[1].diagnostics]  # in one unit, the first changes the second
    pool = CCheckPool(repo, profile, workers=1)
    fast = list(pool.check_many(pair))
    for a, b in zip(fast, alone, strict=True):
        assert a.model_dump(exclude={"pch_used"}) == b.model_dump(exclude={"pch_used"})
