"""Builds the mini decomp in `mini_decomp/` as a git repository with a rename in its history, and
a longer history of it (`make_history_repo`) with the ways names leave a decomp: renames, a
rename chain, tables turned into X-macros, and a removal."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

SOURCE = Path(__file__).with_name("mini_decomp")

#: The first commit's names, as older tutorials still write them.
OLD_LOAD = (
    'gSPMatrix(POLY_OPA_DISP++, Matrix_NewMtx(play->state.gfxCtx, "z_en_test.c", 52), '
    "G_MTX_NOPUSH | G_MTX_LOAD | G_MTX_MODELVIEW);"
)
NEW_LOAD = 'MATRIX_FINALIZE_AND_LOAD(POLY_OPA_DISP++, play->state.gfxCtx, "z_en_test.c", 52);'
MACRO_BLOCK = re.compile(r"\n/\*\* Finalizes the current matrix.*?G_MTX_MODELVIEW\)\n", re.S)


def _old_names(text: str, matrix: bool = True, play: bool = True) -> str:
    if matrix:
        text = text.replace(NEW_LOAD, OLD_LOAD)
        text = MACRO_BLOCK.sub("\n", text)
        text = text.replace("Matrix_Finalize", "Matrix_NewMtx")
    if play:
        text = text.replace("PlayState", "GlobalContext")
        text = re.sub(r"\bplay\b", "globalCtx", text)
    return text


def _git(repo: Path, *args: str, date: str = "2022-01-01T12:00:00") -> str:
    env = {
        **os.environ,
        "GIT_AUTHOR_DATE": date,
        "GIT_COMMITTER_DATE": date,
        "GIT_AUTHOR_NAME": "test",
        "GIT_AUTHOR_EMAIL": "test@example.invalid",
        "GIT_COMMITTER_NAME": "test",
        "GIT_COMMITTER_EMAIL": "test@example.invalid",
    }
    result = subprocess.run(
        ["git", "-C", str(repo), *args], capture_output=True, text=True, env=env, check=True
    )
    return result.stdout.strip()


def make_decomp_repo(dest: Path) -> dict[str, str]:
    """Copy the mini decomp to `dest`, commit it with old names, then rename; returns the commits."""
    shutil.copytree(SOURCE, dest)
    files = [p for p in dest.rglob("*") if p.suffix in (".c", ".h")]
    current = {p: p.read_text() for p in files}
    for path, text in current.items():
        path.write_text(_old_names(text))
    _git(dest, "init", "-q", "-b", "main")
    _git(dest, "add", "-A")
    _git(dest, "commit", "-q", "-m", "Actor and matrix code")
    old = _git(dest, "rev-parse", "HEAD")
    for path, text in current.items():
        path.write_text(text)
    _git(
        dest,
        "commit",
        "-q",
        "-a",
        "-m",
        "Rename Matrix_NewMtx to Matrix_Finalize, GlobalContext to PlayState",
        date="2024-09-01T12:00:00",
    )
    return {"old": old, "new": _git(dest, "rev-parse", "HEAD")}


# --- a longer history ---------------------------------------------------------------------------

SFX_DEFINES = """#ifndef SFX_H
#define SFX_H

#define NA_SE_EV_TEST_DOOR_OPEN 0x2800
#define NA_SE_EV_TEST_PLANT_CUT 0x2801
#define NA_SE_EV_TEST_SPLASH 0x2802

#endif
"""
SFX_ENUM = """#ifndef SFX_H
#define SFX_H

#define DEFINE_SFX(enum, importance, flags) enum,

typedef enum SfxId {
    NA_SE_EV_BASE = 0x27FF,
#include "tables/sfx_table.h"
    NA_SE_EV_MAX
} SfxId;

#undef DEFINE_SFX

#endif
"""
SFX_TABLE = """/* 0x2800 */ DEFINE_SFX(NA_SE_EV_TEST_DOOR_OPEN, 0x30, 0)
/* 0x2801 */ DEFINE_SFX(NA_SE_EV_TEST_PLANT_CUT, 0x30, 1)
/* 0x2802 */ DEFINE_SFX(NA_SE_EV_TEST_SPLASH, 0x20, 0)
"""
SFX_PARAMS_HEAD = """#include "ultra64.h"
#include "sfx.h"

typedef struct SfxParams {
    u8 importance;
    u8 flags;
} SfxParams;

"""
SFX_PARAMS_LISTED = (
    SFX_PARAMS_HEAD
    + """SfxParams sEnvironmentSfxParams[] = {
    { 0x30, 0 }, // NA_SE_EV_TEST_DOOR_OPEN
    { 0x30, 1 }, // NA_SE_EV_TEST_PLANT_CUT
    { 0x20, 0 }, // NA_SE_EV_TEST_SPLASH
};
"""
)
SFX_PARAMS_TABLE = (
    SFX_PARAMS_HEAD
    + """#define DEFINE_SFX(enum, importance, flags) { importance, flags },

SfxParams sEnvironmentSfxParams[] = {
#include "tables/sfx_table.h"
};

#undef DEFINE_SFX
"""
)
OBJECT_ENUM = """#ifndef Z64OBJECT_H
#define Z64OBJECT_H

typedef enum ObjectId {
    /* 0x0000 */ OBJECT_TEST_INVALID,
    /* 0x0001 */ OBJECT_TEST_KUSA,
    /* 0x0002 */ OBJECT_TEST_TREE,
    /* 0x0003 */ OBJECT_TEST_ID_MAX
} ObjectId;

#endif
"""
OBJECT_X_MACRO = """#ifndef Z64OBJECT_H
#define Z64OBJECT_H

#define DEFINE_OBJECT(name, enumValue) enumValue,

typedef enum ObjectId {
#include "tables/object_table.h"
    OBJECT_TEST_ID_MAX
} ObjectId;

#undef DEFINE_OBJECT

#endif
"""
OBJECT_TABLE = """/* 0x0000 */ DEFINE_OBJECT(object_test_invalid, OBJECT_TEST_INVALID)
/* 0x0001 */ DEFINE_OBJECT(object_test_kusa, OBJECT_TEST_KUSA)
/* 0x0002 */ DEFINE_OBJECT(object_test_tree, OBJECT_TEST_TREE)
"""
OBJECT_NAMES = """/* The objects' names, for the debug object viewer. */
const char* sObjectNames[] = {
    "OBJECT_TEST_INVALID",
    "OBJECT_TEST_KUSA",
    "OBJECT_TEST_TREE",
};
"""
HELPER = "void EnTest_UnusedHelper(EnTest* this) {\n    this->timer = 0;\n}\n"
HELPER_LEFT = "static s16 sTestUnusedTimer = 0;\n"
SETUP_NOTE = "// EnTest_SetupSpin is called once, from EnTest_Init.\n"

#: (date, message, state) of each commit of `make_history_repo`, oldest first. The state says which
#: names the code uses: `setup` names the function that starts the spin.
HISTORY = [
    ("2021-01-01", "Actor, matrix, sound and object code", {}),
    ("2021-06-01", "Name EnTest functions", {"setup": "EnTest_SetupSpin", "note": True}),
    ("2021-08-29", "Define tables for objects", {"objects": "table"}),
    ("2022-05-21", "PlayState Rename", {"play_old": False}),
    ("2022-07-11", "Introduce Sfx Tables", {"sfx": "table"}),
    ("2023-03-01", "Rename EnTest_SetupSpin to EnTest_StartSpinning", {"setup": "EnTest_StartSpinning"}),
    ("2023-06-01", "Remove an unused helper", {"helper": False, "note": False}),
    ("2024-09-11", "Rename Matrix_NewMtx to Matrix_Finalize", {"matrix_old": False}),
]
FIRST_STATE = {
    "matrix_old": True,
    "play_old": True,
    "setup": "func_80A01234",
    "note": False,
    "helper": True,
    "objects": "enum",
    "sfx": "defines",
}


def _en_test(text: str, state: dict) -> str:
    """z_en_test.c with a setup function (named by the state) and, while it lasts, a helper."""
    setup = state["setup"]
    text = text.replace(
        "void EnTest_Spin(EnTest* this, PlayState* play);\n",
        "void EnTest_Spin(EnTest* this, PlayState* play);\n"
        + f"void {setup}(EnTest* this);\n"
        + ("void EnTest_UnusedHelper(EnTest* this);\n" if state["helper"] else ""),
    )
    text = text.replace(
        "    this->spinSpeed = 0x200;\n    this->actionFunc = EnTest_Spin;\n", f"    {setup}(this);\n"
    )
    return text.replace(
        "void EnTest_Destroy(Actor* thisx, PlayState* play) {\n}\n",
        "void EnTest_Destroy(Actor* thisx, PlayState* play) {\n}\n\n"
        + (SETUP_NOTE if state["note"] else "")
        + f"void {setup}(EnTest* this) {{\n"
        + "    this->spinSpeed = 0x200;\n    this->actionFunc = EnTest_Spin;\n}\n\n"
        + (HELPER if state["helper"] else HELPER_LEFT),
    )


def _history_files(dest: Path, current: dict[Path, str], state: dict) -> None:
    for path, text in current.items():
        text = _en_test(text, state) if path.name == "z_en_test.c" else text
        path.write_text(_old_names(text, matrix=state["matrix_old"], play=state["play_old"]))
    tables = dest / "include" / "tables"
    tables.mkdir(exist_ok=True)
    by_table = state["sfx"] == "table"
    (dest / "include" / "sfx.h").write_text(SFX_ENUM if by_table else SFX_DEFINES)
    (dest / "src" / "code" / "sfx_params.c").write_text(SFX_PARAMS_TABLE if by_table else SFX_PARAMS_LISTED)
    _write_or_remove(tables / "sfx_table.h", SFX_TABLE if by_table else None)
    by_table = state["objects"] == "table"
    (dest / "include" / "z64object.h").write_text(OBJECT_X_MACRO if by_table else OBJECT_ENUM)
    _write_or_remove(tables / "object_table.h", OBJECT_TABLE if by_table else None)
    _write_or_remove(dest / "src" / "code" / "object_names.c", None if by_table else OBJECT_NAMES)


def _write_or_remove(path: Path, text: str | None) -> None:
    if text is not None:
        path.write_text(text)
    elif path.exists():
        path.unlink()


def make_history_repo(dest: Path) -> dict[str, str]:
    """The mini decomp with the commits of `HISTORY`; returns each commit by its message."""
    shutil.copytree(SOURCE, dest)
    current = {p: p.read_text() for p in dest.rglob("*") if p.suffix in (".c", ".h")}
    _git(dest, "init", "-q", "-b", "main")
    state = dict(FIRST_STATE)
    commits: dict[str, str] = {}
    for date, message, change in HISTORY:
        state.update(change)
        _history_files(dest, current, state)
        _git(dest, "add", "-A")
        _git(dest, "commit", "-q", "-m", message, date=f"{date}T12:00:00")
        commits[message] = _git(dest, "rev-parse", "HEAD")
    return commits
