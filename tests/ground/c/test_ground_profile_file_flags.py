"""Per-file defines (`file_defines`) and headers the decomp's build writes (`build_headers`).

A decomp's Makefile gives some files extra `-D` defines; a header of the repo refuses to compile
without them (`#error`). The check gives them to a file at a matching path only, with and without
the precompiled header alike. A header that only the build (`make`) writes is reported as such.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from modsmith.errors import ModsmithError
from modsmith.ground.c.c_check_pool import CCheckPool
from modsmith.ground.c.compile_c import c_compile_check
from modsmith.ground.c.profiles import load_profile
from modsmith.ground.names.compiler_verdicts import reached_lines
from modsmith.ground.sandbox import SandboxLimits

LIMITS = SandboxLimits(cpu_seconds=10, wall_seconds=30)

BASE_H = """\
#ifndef BASE_H
#define BASE_H
typedef unsigned char u8;
typedef signed short s16;
int Base_Tick(int step);
#endif
"""

# Like a decomp header that only one file may include, and only with the define the build gives it.
TRACK_H = """\
#ifndef TRACK_H
#define TRACK_H
#ifndef TRACK_FORMAT
#error "TRACK_FORMAT must be given by the build"
#endif
#define TRACK_FORMAT_OLD 0
#define TRACK_FORMAT_NEW 1
#if TRACK_FORMAT == TRACK_FORMAT_NEW
#define TRACK_STEP 2
#else
#define TRACK_STEP 1
#endif
#endif
"""

PLAYER_C = """\
#include "base.h"
#include "track.h"

s16 Player_Advance(s16 pos) {
    return pos + TRACK_STEP + Base_Tick(TRACK_FORMAT);
}
"""

BRANCHES_C = """\
#include "base.h"

int Branch_Pick(void) {
#ifdef TRACK_FORMAT
    return Base_Tick(1);
#else
    return Base_Tick(2);
#endif
}
"""

PROFILE_YAML = """\
name: tiny-decomp
compiler: gcc
std: gnu90
flags: [-Wall, -Werror=implicit-function-declaration]
defines: [TINY_BUILD]
include_dirs: [include, src, build/tiny]
standard_includes: [base.h]
pch_includes: [base.h]
file_defines:
  # the Makefile's `src/music/player.o: CPP_DEFINES += -DTRACK_FORMAT=TRACK_FORMAT_NEW`
  src/music/player.c: [TRACK_FORMAT=TRACK_FORMAT_NEW]
  "src/branches/*.c": [TRACK_FORMAT]
generated_dirs: [extracted/tiny, "assets/*"]
build_headers: [made_by_build.h, "assets/sound/*_table.h"]
"""


@pytest.fixture
def tiny_repo(tmp_path: Path) -> Path:
    repo = tmp_path / "tiny"
    (repo / "include").mkdir(parents=True)
    (repo / "include" / "base.h").write_text(BASE_H)
    (repo / "include" / "track.h").write_text(TRACK_H)
    for folder in ("src/music", "src/other", "src/branches"):
        (repo / folder).mkdir(parents=True)
    (repo / "src/music/player.c").write_text(PLAYER_C)
    (repo / "src/branches/pick.c").write_text(BRANCHES_C)
    return repo


@pytest.fixture
def profile(tmp_path: Path):
    path = tmp_path / "tiny.yaml"
    path.write_text(PROFILE_YAML)
    return load_profile(path)


def check(snippet: str, repo: Path, profile, **kwargs):
    return c_compile_check(snippet, repo, profile, limits=LIMITS, **kwargs)


# --- file_defines ----------------------------------------------------------------------------------


def test_a_file_at_a_matching_path_gets_its_defines(tiny_repo, profile):
    result = check(PLAYER_C, tiny_repo, profile, file_name="src/music/player.c")
    assert result.passed, result.compiler_output


def test_the_same_code_under_another_path_gets_none(tiny_repo, profile):
    for name in ("src/other/player.c", "src/music/player_copy.c", "snippet.c"):
        result = check(PLAYER_C, tiny_repo, profile, file_name=name)
        assert not result.passed, name
        assert "TRACK_FORMAT" in result.compiler_output, name
    unnamed = check(PLAYER_C, tiny_repo, profile)
    assert not unnamed.passed and "TRACK_FORMAT must be given by the build" in unnamed.compiler_output


def test_results_are_the_same_with_and_without_the_precompiled_header(tiny_repo, profile, tmp_path):
    with_pch = CCheckPool(tiny_repo, profile, workers=1, limits=LIMITS, cache_dir=tmp_path / "pch")
    assert with_pch.pch is not None, with_pch.pch_note
    without = CCheckPool(tiny_repo, profile, workers=1, limits=LIMITS, use_pch=False)
    for name in ("src/music/player.c", "src/other/player.c"):
        a, b = with_pch.check(PLAYER_C, file_name=name), without.check(PLAYER_C, file_name=name)
        assert (a.passed, a.failure_class, a.detail, a.diagnostics) == (
            b.passed,
            b.failure_class,
            b.detail,
            b.diagnostics,
        ), name
    assert with_pch.check(PLAYER_C, file_name="src/music/player.c").passed
    assert not with_pch.check(PLAYER_C, file_name="src/music/player.c").pch_used
    # a file with no per-file defines still gets the precompiled header
    plain = '#include "base.h"\nint Plain_Step(void) { return Base_Tick(1); }\n'
    assert with_pch.check(plain, file_name="src/other/plain.c").pch_used


def test_a_glob_matches_the_files_under_it(tiny_repo, profile):
    assert profile.defines_for("src/branches/pick.c") == ["TRACK_FORMAT"]
    assert profile.defines_for("src/music/player.c") == ["TRACK_FORMAT=TRACK_FORMAT_NEW"]
    assert profile.defines_for("src/other/pick.c") == []


def test_reached_lines_take_the_branch_the_file_define_selects(tiny_repo, profile):
    given = reached_lines(BRANCHES_C, tiny_repo, profile, "src/branches/pick.c")
    assert given is not None and 5 in given and 7 not in given
    other = reached_lines(BRANCHES_C, tiny_repo, profile, "src/other/pick.c")
    assert other is not None and 7 in other and 5 not in other


def test_an_invalid_file_define_names_its_yaml_place(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: mine\nfile_defines:\n  src/a.c: [GOOD=1]\n  src/b.c:\n    - FINE\n    - 9BAD=1\n")
    with pytest.raises(ModsmithError) as err:
        load_profile(bad)
    assert err.value.where == f"{bad}:6"
    assert "file_defines" in err.value.message and "9BAD=1" in err.value.message
    assert "\n" not in str(err.value)
    bad.write_text("name: mine\nfile_defines:\n  /etc/passwd.c: [A]\n")
    with pytest.raises(ModsmithError) as err:
        load_profile(bad)
    assert err.value.where == f"{bad}:3" and "inside the repository" in err.value.message
    bad.write_text("name: mine\nfile_defines:\n  src/a.c: A\n")
    with pytest.raises(ModsmithError) as err:
        load_profile(bad)
    assert err.value.where == f"{bad}:3"


# --- build_headers ---------------------------------------------------------------------------------


def test_a_missing_build_header_is_put_down_to_the_build(tiny_repo, profile):
    result = check('#include "made_by_build.h"\nint x;\n', tiny_repo, profile, file_name="src/a.c")
    assert result.failure_class == "missing_header"
    assert result.detail.startswith("made_by_build.h: ")
    assert "decomp's build (`make`)" in result.detail and "does not run" in result.detail
    other = check('#include "nowhere.h"\nint x;\n', tiny_repo, profile, file_name="src/a.c")
    assert other.failure_class == "missing_header"
    assert other.detail == "nowhere.h: no such header under the include roots"


def test_a_build_header_under_the_assets_needs_setup_first(tiny_repo, profile):
    snippet = '#include "assets/sound/bank_table.h"\nint x;\n'
    before = check(snippet, tiny_repo, profile, file_name="src/a.c")
    assert before.failure_class == "missing_asset"
    (tiny_repo / "extracted" / "tiny").mkdir(parents=True)  # `make setup` ran, `make` did not
    after = check(snippet, tiny_repo, profile, file_name="src/a.c")
    assert after.failure_class == "missing_header" and "decomp's build (`make`)" in after.detail


def test_a_build_header_that_exists_is_used(tiny_repo, profile):
    (tiny_repo / "build" / "tiny").mkdir(parents=True)
    (tiny_repo / "build" / "tiny" / "made_by_build.h").write_text("#define MADE 1\n")
    result = check('#include "made_by_build.h"\nint x = MADE;\n', tiny_repo, profile, file_name="src/a.c")
    assert result.passed, result.compiler_output


def test_shipped_profiles_know_the_decomps_per_file_defines_and_build_headers(tiny_repo):
    for name in ("oot-gc-eu-mq-dbg", "oot-ntsc-1.2", "hackeroot-ntsc-1.2"):
        shipped = load_profile(name)
        assert "MML_VERSION=MML_VERSION_OOT" in shipped.defines_for("src/audio/internal/seqplayer.c"), name
        assert shipped.defines_for("src/overlays/actors/ovl_En_Foo/z_en_foo.c") == [], name
        assert "dmadata_table_spec.h" in shipped.build_headers, name
        assert any(d.startswith('BUILD_CREATOR="') for d in shipped.defines_for("src/boot/build.c")), name
        # the Makefile's per-file CFLAGS (-DNO_SQRTF_INTRINSIC) are IDO-only: its check never gets them
        assert shipped.defines_for("src/code/z_rumble.c") == [], name
    dbg = load_profile("oot-gc-eu-mq-dbg")
    dma = check('#include "dmadata_table_spec.h"\n', tiny_repo, dbg, file_name="src/boot/z_std_dma.c")
    assert dma.failure_class == "missing_header" and "decomp's build (`make`)" in dma.detail
    text = check('#include "text/message_data.h"\n', tiny_repo, dbg, file_name="src/code/z_message.c")
    assert text.failure_class == "missing_asset" and "make setup" in text.detail
