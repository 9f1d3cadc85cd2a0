"""The import contracts of pyproject.toml (the layers of docs/architecture.md) hold on the code, and
break on an import that points up or sideways: `lint-imports` is run on a copy of the package with
one such import added."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import tomllib  # Python 3.11+, which import-linter needs anyway

from modsmith.run import stage_registry

REPO = Path(__file__).resolve().parents[2]
CONTRACTS = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"][
    "contracts"
]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def lint_imports(src: Path) -> subprocess.CompletedProcess:
    """`lint-imports` with the project's contracts, on the `modsmith` package found under `src`."""
    return subprocess.run(
        [str(LINT_IMPORTS), "--config", str(REPO / "pyproject.toml"), "--no-cache", "--no-logo"],
        cwd=src,
        env={**os.environ, "PYTHONPATH": str(src)},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_code_keeps_its_layers():
    result = lint_imports(REPO / "src")
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"{len(CONTRACTS)} kept, 0 broken" in result.stdout


def test_every_registered_stage_is_kept_apart_from_the_others():
    (apart,) = [c for c in CONTRACTS if c["id"] == "stages-apart"]
    assert sorted(apart["modules"]) == sorted({stage.__module__ for stage in stage_registry().values()})


@pytest.mark.parametrize(
    ("importer", "imported"),
    [
        ("modsmith.ground.report", "modsmith.synth.tasks"),  # a family importing a stage family above it
        ("modsmith.ingest.spec", "modsmith.formats.split"),  # two families importing each other
        ("modsmith.ground.c.include_policy", "modsmith.ground.csharp.csharp_policy"),  # C importing C#
        ("modsmith.curate.rewrite", "modsmith.curate.judge"),  # a stage importing another stage's module
    ],
)
def test_an_import_against_the_layers_breaks_a_contract(tmp_path, importer, imported):
    copy = tmp_path / "modsmith"
    shutil.copytree(REPO / "src" / "modsmith", copy, ignore=shutil.ignore_patterns("__pycache__"))
    path = tmp_path.joinpath(*importer.split(".")).with_suffix(".py")
    path.write_text(path.read_text(encoding="utf-8") + f"\nimport {imported}  # noqa\n", encoding="utf-8")

    result = lint_imports(tmp_path)

    assert result.returncode != 0
    assert "BROKEN" in result.stdout
    assert f"{importer} -> {imported}" in result.stdout, result.stdout
