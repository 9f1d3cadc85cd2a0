"""Which files of a Unity project are its game scripts, as Unity decides it.

Unity compiles every `.cs` file under `Assets/` into the game's assembly, except those in a folder
named `Editor`, those under an assembly definition (`.asmdef`) that is for the editor only or for
tests, and those in folders Unity hides (a name starting with `.` or ending in `~`). The project's
`Packages/manifest.json` lists the packages it installs.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from modsmith.code.source_text import decode_source, looks_binary


@dataclass(frozen=True)
class ProjectScript:
    """A script of the project: its path relative to the project root, text and encoding."""

    rel: str
    text: str
    encoding: str


def is_unity_project(root: Path | str) -> bool:
    """Whether `root` is a Unity project (it has an `Assets` folder)."""
    return (Path(root) / "Assets").is_dir()


def script_paths(root: Path) -> list[tuple[Path, str]]:
    """The `.cs` files under `Assets/` that Unity sees, sorted by relative path."""
    found = []
    for folder, dirs, files in os.walk(root / "Assets"):
        dirs[:] = sorted(d for d in dirs if not _hidden(d))
        for name in sorted(files):
            if name.endswith(".cs") and not _hidden(name):
                path = Path(folder) / name
                if path.is_file() and not path.is_symlink():
                    found.append((path, path.relative_to(root).as_posix()))
    return sorted(found, key=lambda pair: pair[1])


def manifest_packages(root: Path) -> tuple[str, ...]:
    """The packages `Packages/manifest.json` lists, less Unity's built-in modules."""
    try:
        data = json.loads((root / "Packages" / "manifest.json").read_bytes().decode("utf-8-sig"))
    except (OSError, ValueError):
        return ()
    dependencies = data.get("dependencies") if isinstance(data, dict) else None
    if not isinstance(dependencies, dict):
        return ()
    return tuple(sorted(str(p) for p in dependencies if not str(p).startswith("com.unity.modules.")))


def _hidden(name: str) -> bool:
    return name.startswith(".") or name.endswith("~") or name.lower() == "cvs"


def is_editor_only(root: Path, path: Path) -> bool:
    """In an `Editor` folder, or under an `.asmdef` for the editor only or for tests."""
    parts = path.relative_to(root).parts
    if "Editor" in parts[:-1]:
        return True
    for folder in path.parents:
        if folder == root:
            return False
        definitions = sorted(folder.glob("*.asmdef"))
        if definitions:
            return _editor_or_test_assembly(definitions[0])
    return False


def _editor_or_test_assembly(definition: Path) -> bool:
    try:
        data = json.loads(definition.read_bytes().decode("utf-8-sig", errors="replace"))
    except ValueError:
        return False
    if not isinstance(data, dict):
        return False
    platforms = data.get("includePlatforms") or []
    constraints = data.get("defineConstraints") or []
    references = [str(r) for r in data.get("references") or []]
    return (
        platforms == ["Editor"]
        or "UNITY_INCLUDE_TESTS" in constraints
        or any("TestRunner" in r for r in references)
        or bool(data.get("optionalUnityReferences"))
    )


def read_scripts(root: Path) -> tuple[list[ProjectScript], list[str]]:
    """The game scripts of the project at `root` (decoded, see `modsmith.code.source_text`), and the
    relative paths of its editor-only scripts; binary files are left out."""
    scripts, editor = [], []
    for path, rel in script_paths(root):
        data = path.read_bytes()
        if looks_binary(data):
            continue
        if is_editor_only(root, path):
            editor.append(rel)
            continue
        text, encoding = decode_source(data)
        scripts.append(ProjectScript(rel, text, encoding))
    return scripts, editor
