"""`.inc.c` fragments are checked inside the file that includes them (`ground.c_fragments`).

A decomp actor's `z_en_foo.c` includes `z_en_foo_data.inc.c`; the fragment alone does not compile
(it uses the includer's statics, types and macros), so `modsmith check FRAGMENT` compiles the
includer with the fragment's text in place of its include line and reports only what is wrong in
the fragment, at the fragment's own lines. The actors below are original code in the decomp layout.
"""

import shutil
from pathlib import Path

import pytest
from decomp_repo import SOURCE, _git

from modsmith.ground.check_command import check_file
from modsmith.ground.check_config import GroundCheckConfig
from modsmith.ground.grounding import Grounding

pytestmark = pytest.mark.skipif(shutil.which("gcc") is None, reason="needs gcc")

LAMP = "src/overlays/actors/ovl_En_Lamp"
LAMP_C = """#include "global.h"

#define LAMP_GLOW_MAX 12

typedef struct LampFlicker {
    s16 period;
    s16 strength;
} LampFlicker;

static s32 sLampLitCount = 0;

#include "z_en_lamp_data.inc.c"

void EnLamp_Flicker(Actor* thisx, PlayState* play) {
    thisx->rot.y += EnLamp_Strength(thisx->params) + ARRAY_COUNT(sLampFlickers);
}
"""
LAMP_DATA = """static LampFlicker sLampFlickers[] = {
    { 4, LAMP_GLOW_MAX },
    { 9, LAMP_GLOW_MAX / 2 },
};

static s16 EnLamp_Strength(s32 index) {
    return sLampFlickers[index % ARRAY_COUNT(sLampFlickers)].strength + sLampLitCount;
}
"""

# The includer has an error of its own after the include line (not the fragment's to answer for);
# the fragment calls a function nothing declares, on its line 5.
SPARK = "src/overlays/actors/ovl_En_Spark"
SPARK_C = """#include "global.h"

typedef struct SparkShape {
    f32 radius;
} SparkShape;

#include "z_en_spark_shape.inc.c"

void EnSpark_Pop(Actor* thisx, PlayState* play) {
    EnSpark_Unheard(thisx);
    thisx->speed = EnSpark_Radius(0);
}
"""
SPARK_SHAPE = """static SparkShape sSparkShapes[] = { { 2.5f }, { 4.0f } };

static f32 EnSpark_Radius(s32 index) {
    f32 radius = sSparkShapes[index].radius;
    EnSpark_Twinkle(index);
    return radius;
}
"""

# Two fragments of the same base name: only the one the include line resolves to has an includer.
STRAY = "src/overlays/actors/ovl_En_Stray/z_en_lamp_data.inc.c"
STRAY_TEXT = """#include "global.h"

static s16 sStrayGlow[] = { 1, 2, 3 };
"""
# Included by its path from the repo root, from a file in another folder.
SHARED = "src/code/z_glow_table.inc.c"
SHARED_TEXT = """static GlowEntry sGlowTable[] = { { GLOW_LEVELS } };
"""
SHARED_USER = """#include "global.h"

#define GLOW_LEVELS 3

typedef struct GlowEntry {
    s32 levels;
} GlowEntry;

#include "src/code/z_glow_table.inc.c"

s32 Glow_Levels(void) {
    return sGlowTable[0].levels;
}
"""


@pytest.fixture(scope="module")
def repo(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("fragments") / "decomp"
    shutil.copytree(SOURCE, root)
    files = {
        f"{LAMP}/z_en_lamp.c": LAMP_C,
        f"{LAMP}/z_en_lamp_data.inc.c": LAMP_DATA,
        f"{SPARK}/z_en_spark.c": SPARK_C,
        f"{SPARK}/z_en_spark_shape.inc.c": SPARK_SHAPE,
        STRAY: STRAY_TEXT,
        SHARED: SHARED_TEXT,
        "src/overlays/misc/ovl_Glow/z_glow.c": SHARED_USER,
    }
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    _git(root, "init", "-q", "-b", "main")
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "Actors with data fragments")
    return root


@pytest.fixture(scope="module")
def grounding(repo, tmp_path_factory):
    patch = pytest.MonkeyPatch()
    patch.setenv("MODSMITH_CACHE", str(tmp_path_factory.mktemp("cache")))
    config = GroundCheckConfig(repo=str(repo), profile="oot-gc-eu-mq-dbg", rename_history=False)
    opened = Grounding.open(config)
    yield opened
    opened.close()
    patch.undo()


def test_a_fragment_using_its_includers_type_macro_and_static_passes(repo, grounding):
    verdict = check_file(repo / LAMP / "z_en_lamp_data.inc.c", grounding)
    assert verdict.passed, verdict
    assert verdict.checked_in == f"{LAMP}/z_en_lamp.c"
    assert verdict.checks["compile_c"].passed and verdict.checks["names"].passed
    assert verdict.invented == []
    assert f"checked inside {LAMP}/z_en_lamp.c" in verdict.detail


def test_an_edited_fragment_is_what_is_checked(repo, grounding, tmp_path):
    fragment = repo / LAMP / "z_en_lamp_data.inc.c"
    try:
        fragment.write_text(LAMP_DATA.replace("LAMP_GLOW_MAX / 2", "LAMP_GLOW_MIN"))
        verdict = check_file(fragment, grounding)
    finally:
        fragment.write_text(LAMP_DATA)
    assert not verdict.passed and verdict.checked_in == f"{LAMP}/z_en_lamp.c"
    assert [(i["name"], i.get("line")) for i in verdict.invented] == [("LAMP_GLOW_MIN", 3)]


def test_an_undeclared_call_in_a_fragment_is_invented_on_the_fragments_line(repo, grounding):
    verdict = check_file(repo / SPARK / "z_en_spark_shape.inc.c", grounding)
    assert not verdict.passed and verdict.failure_class == "invented_name"
    assert verdict.checked_in == f"{SPARK}/z_en_spark.c"
    invented = {i["name"]: i for i in verdict.invented}
    assert set(invented) == {"EnSpark_Twinkle"}  # not the includer's own EnSpark_Unheard
    assert invented["EnSpark_Twinkle"]["line"] == 5
    assert verdict.checks["compile_c"].data["blocks"][0]["unknown"] == [
        {"name": "EnSpark_Twinkle", "on": None}
    ]
    output = verdict.compiler_output
    assert f"{SPARK}/z_en_spark_shape.inc.c:5:" in output and "EnSpark_Unheard" not in output


def test_a_fragment_that_breaks_its_includer_is_told_where(repo, grounding):
    fragment = repo / SPARK / "z_en_spark_shape.inc.c"
    try:
        fragment.write_text(SPARK_SHAPE.replace("EnSpark_Twinkle(index);\n", "").replace("Radius", "Size"))
        verdict = check_file(fragment, grounding)
    finally:
        fragment.write_text(SPARK_SHAPE)
    assert not verdict.passed
    output = verdict.compiler_output
    assert f"{SPARK}/z_en_spark.c:11:" in output and "EnSpark_Radius" in output
    assert "EnSpark_Unheard" not in output


def test_a_fragment_is_matched_by_the_path_its_include_resolves_to(repo, grounding):
    stray = check_file(repo / STRAY, grounding)
    assert stray.passed and stray.checked_in is None
    assert "no file of the repo includes it" in stray.detail
    shared = check_file(repo / SHARED, grounding)
    assert shared.passed, shared
    assert shared.checked_in == "src/overlays/misc/ovl_Glow/z_glow.c"


def test_a_fragment_with_no_includer_is_checked_alone(repo, grounding, tmp_path):
    lone = repo / LAMP / "z_en_lamp_extra.inc.c"
    lone.write_text("static LampFlicker sMoreFlickers[] = { { 1, 2 } };\n")
    try:
        verdict = check_file(lone, grounding)
    finally:
        lone.unlink()
    assert not verdict.passed and verdict.checked_in is None
    assert "checked alone" in verdict.detail
    assert "LampFlicker" in verdict.compiler_output


def test_a_plain_c_file_is_checked_as_before(repo, grounding):
    verdict = check_file(repo / LAMP / "z_en_lamp.c", grounding)
    assert verdict.passed, verdict
    assert verdict.checked_in is None and "includes it" not in verdict.detail
