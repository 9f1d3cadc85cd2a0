"""Without the train extra, each training entry point says what is missing and how to install it."""

from __future__ import annotations

from importlib.util import find_spec

import pytest
from typer.testing import CliRunner

from modsmith.cli import app
from modsmith.errors import ModsmithError
from modsmith.train import train_extra
from modsmith.train.sft import train_sft
from modsmith.train.sft_config import SFTRunConfig


@pytest.fixture
def without_trl(monkeypatch):
    monkeypatch.setattr(train_extra, "find_spec", lambda name: None if name == "trl" else find_spec(name))


def test_modsmith_train_names_the_missing_package_and_the_extra(without_trl, tmp_path):
    dataset = tmp_path / "examples.jsonl"
    dataset.write_text("")
    result = CliRunner().invoke(
        app, ["train", str(dataset), "--base", "some/model", "-o", str(tmp_path / "out")]
    )
    error = result.exception  # `modsmith.cli.main` prints it on one line and exits 2
    assert isinstance(error, ModsmithError)
    assert error.message == "modsmith train needs the train extra, and trl is not installed"
    assert error.hint == "pip install 'modsmith[train]'"
    assert not (tmp_path / "out").exists()


def test_train_sft_and_the_bench_stop_before_anything_is_written(without_trl, tmp_path):
    config = SFTRunConfig(dataset=tmp_path / "d.jsonl", base="some/model", output_dir=tmp_path / "out")
    with pytest.raises(ModsmithError, match="needs the train extra, and trl is not installed"):
        train_sft(config)
    assert not (tmp_path / "out").exists()
    result = CliRunner().invoke(app, ["bench", "train", "--shape", "tiny"])
    assert isinstance(result.exception, ModsmithError) and "trl is not installed" in str(result.exception)

