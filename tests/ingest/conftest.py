"""Fixtures of the code-ingest tests: the sample decomp, copied with the build output git ignores."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from code_samples import SAMPLE_DECOMP, run_stage, write

from modsmith.records import Document


@pytest.fixture(scope="module")
def sample_root(tmp_path_factory) -> Path:
    """A copy of sample_decomp with the git-ignored build output that git cannot carry."""
    root = tmp_path_factory.mktemp("decomp") / "sample_decomp"
    shutil.copytree(SAMPLE_DECOMP, root, ignore=shutil.ignore_patterns("build"))
    write(root, "build/z_generated.c", "void Generated_ShouldNotBeIngested(void) {\n}\n")
    write(root, "build/z_generated.o", b"\x7fELF\x00\x00")
    return root


@pytest.fixture(scope="module")
def sample(sample_root):
    return run_stage(sample_root)


@pytest.fixture(scope="module")
def docs(sample) -> list[Document]:
    return sample[0]
