from pathlib import Path

import pytest
from decomp_repo import make_decomp_repo


@pytest.fixture(scope="session")
def decomp_repo(tmp_path_factory) -> tuple[Path, dict[str, str]]:
    """The mini decomp as a git repo: (root, {"old": commit, "new": commit})."""
    root = tmp_path_factory.mktemp("decomp") / "mini_decomp"
    commits = make_decomp_repo(root)
    return root, commits
