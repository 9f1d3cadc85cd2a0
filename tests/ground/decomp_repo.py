"""Builds the mini decomp in `mini_decomp/` as a git repository with a rename in its history."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

SOURCE = Path(__file__).with_name("mini_decomp")

#: The first commit's names, as older tutorials still write them.
OLD_LOAD = (
    'gSPMatrix(POLY_OPA_DISP++, Matrix_NewMtx(globalCtx->state.gfxCtx, "z_en_test.c", 52), '
    "G_MTX_NOPUSH | G_MTX_LOAD | G_MTX_MODELVIEW);"
)
NEW_LOAD = 'MATRIX_FINALIZE_AND_LOAD(POLY_OPA_DISP++, play->state.gfxCtx, "z_en_test.c", 52);'
MACRO_BLOCK = re.compile(r"\n/\*\* Finalizes the current matrix.*?G_MTX_MODELVIEW\)\n", re.S)


def _old_names(text: str) -> str:
    text = text.replace(NEW_LOAD, OLD_LOAD)
    text = MACRO_BLOCK.sub("\n", text)
    text = text.replace("Matrix_Finalize", "Matrix_NewMtx").replace("PlayState", "GlobalContext")
    return re.sub(r"\bplay\b", "globalCtx", text)


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
