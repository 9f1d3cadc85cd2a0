import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def examples_dir() -> Path:
    return REPO / "examples"


def run_modsmith(*args: str, cwd: Path | None = None, timeout: float = 300) -> subprocess.CompletedProcess:
    """Run the real `modsmith` command line in a subprocess."""
    return subprocess.run(
        [sys.executable, "-m", "modsmith.cli", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


@pytest.fixture
def modsmith():
    return run_modsmith
