"""The fast paths a run picks (attention, Liger, backend), the errors for those that cannot run, a CPU run."""

from __future__ import annotations

import importlib.util
import itertools
import logging
from pathlib import Path

import pytest

from modsmith.errors import ModsmithError
from modsmith.train.fast_paths import FastPaths, resolve_fast_paths
from modsmith.train.sft_config import SFTRunConfig

PACKAGES = ("flash_attn", "liger_kernel", "unsloth")


def config(**fields) -> SFTRunConfig:
    return SFTRunConfig(dataset=Path("examples.jsonl"), base="tiny", output_dir=Path("out"), **fields)


def installed(*names: str):
    return lambda name: name in names


def every_machine():
    """Every CUDA / installed-packages / process-count combination."""
    package_sets = [
        names for count in range(len(PACKAGES) + 1) for names in itertools.combinations(PACKAGES, count)
    ]
    return itertools.product([False, True], package_sets, [1, 2])


def every_setting():
    return itertools.product(["auto", "sdpa", "flash_attention_2", "eager"], [None, True, False], ["auto"])


@pytest.mark.parametrize(("cuda", "packages", "processes"), list(every_machine()))
def test_auto_never_fails_and_picks_each_fast_path_exactly_when_it_can_run(cuda, packages, processes):
    chosen = resolve_fast_paths(config(), cuda=cuda, available=installed(*packages), processes=processes)
    unsloth_runs = cuda and "unsloth" in packages and processes == 1
    assert chosen.backend == ("unsloth" if unsloth_runs else "transformers")
    if unsloth_runs:  # Unsloth brings its own attention and kernels
        assert (chosen.attention, chosen.liger) == ("unsloth", False)
    else:
        assert chosen.attention == ("flash_attention_2" if cuda and "flash_attn" in packages else "sdpa")
        assert chosen.liger == (cuda and "liger_kernel" in packages)
    assert chosen.why and "\n" not in chosen.summary()


@pytest.mark.parametrize(("cuda", "packages", "processes"), list(every_machine()))
@pytest.mark.parametrize("backend", ["auto", "transformers", "unsloth"])
def test_a_fast_path_asked_by_name_runs_or_is_refused_naming_what_is_missing(
    cuda, packages, processes, backend
):
    available = installed(*packages)
    for attention, liger, _ in every_setting():
        asked = config(attention=attention, liger=liger, backend=backend)
        unsloth_runs = cuda and "unsloth" in packages and processes == 1
        named = attention != "auto" or liger is True  # auto backend leaves Unsloth for these
        try:
            chosen = resolve_fast_paths(asked, cuda=cuda, available=available, processes=processes)
        except ModsmithError as refused:
            message = refused.one_line()
            if backend == "unsloth" and not unsloth_runs:
                assert "backend unsloth" in message
                assert ("pip install unsloth" in message) == ("unsloth" not in packages)
                assert ("no CUDA" in message) == (not cuda)
            elif backend == "unsloth" and attention != "auto":
                assert "picks its own" in message
            elif attention == "flash_attention_2" and not (cuda and "flash_attn" in packages):
                assert "attention flash_attention_2" in message
                assert ("pip install flash-attn" in message) == ("flash_attn" not in packages)
            else:  # the one refusal left: liger asked for where it cannot run
                assert liger is True and "liger was asked for" in message
                assert ("pip install liger-kernel" in message) == ("liger_kernel" not in packages)
                assert ("own kernels" in message) == (backend == "unsloth")
            continue
        if backend == "unsloth":
            assert chosen.backend == "unsloth" and unsloth_runs and attention == "auto" and liger is not True
        if backend == "auto":
            assert (chosen.backend == "unsloth") == (unsloth_runs and not named)
        if backend == "transformers" or chosen.backend == "transformers":
            assert chosen.attention == (
                attention
                if attention != "auto"
                else "flash_attention_2"
                if cuda and "flash_attn" in packages
                else "sdpa"
            )
        if liger is not None:
            assert chosen.liger is liger
        if chosen.attention == "flash_attention_2":
            assert cuda and "flash_attn" in packages
        if chosen.liger:
            assert cuda and "liger_kernel" in packages and chosen.backend == "transformers"


@pytest.mark.parametrize(
    ("asked", "says"),
    [
        ({"liger": True}, "liger was asked for but no CUDA GPU is available and the liger-kernel package"),
        (
            {"backend": "unsloth"},
            "backend unsloth was asked for but no CUDA GPU is available and the unsloth",
        ),
        ({"attention": "flash_attention_2"}, "flash_attention_2 was asked for but no CUDA GPU is available"),
    ],
)
def test_on_this_cpu_machine_an_asked_fast_path_is_refused_with_what_to_install(asked, says, monkeypatch):
    import torch

    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *args: None)
    with pytest.raises(ModsmithError, match=says) as refused:
        resolve_fast_paths(config(**asked))
    assert "pip install" in refused.value.message and refused.value.where == "train.fast_paths"


def test_the_defaults_read_cuda_and_the_installed_packages(monkeypatch):
    import torch

    monkeypatch.setenv("WORLD_SIZE", "1")
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    real_find_spec = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util,
        "find_spec",
        lambda name, *args: (
            object() if name in ("flash_attn", "liger_kernel") else real_find_spec(name, *args)
        ),
    )
    chosen = resolve_fast_paths(config(backend="transformers"))
    assert (chosen.attention, chosen.liger) == ("flash_attention_2", True)
    monkeypatch.setenv("WORLD_SIZE", "2")
    with pytest.raises(ModsmithError, match="2 processes"):
        resolve_fast_paths(config(backend="unsloth"))


def test_the_summary_says_what_was_chosen_and_why():
    chosen = FastPaths(
        attention="sdpa", liger=False, backend="transformers", why="auto attention: sdpa (no CUDA)"
    )
    assert chosen.summary() == (
        "fast paths: attention sdpa, liger off, backend transformers (auto attention: sdpa (no CUDA))"
    )


torch = pytest.importorskip("torch")
cpu_only = pytest.mark.skipif(torch.cuda.is_available(), reason="checks what a machine without CUDA picks")
cuda_only = pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA GPU")


def tiny_run(tiny_base, examples_file, tmp_path, monkeypatch, **overrides):
    """A two-step run of the tiny model; what the trainer got: the model's attention and the Liger switch."""
    pytest.importorskip("trl")
    pytest.importorskip("peft")
    from train_samples import tiny_run_settings

    from modsmith.train import sft

    seen: dict = {}
    build_trainer = sft.build_trainer

    def recording_build_trainer(config, model, *args):
        trainer = build_trainer(config, model, *args)
        seen["attention"] = model.config._attn_implementation
        seen["liger"] = trainer.args.use_liger_kernel
        return trainer

    monkeypatch.setattr(sft, "build_trainer", recording_build_trainer)
    settings = tiny_run_settings(tiny_base, examples_file, tmp_path / "run", max_steps=2, **overrides)
    result = sft.train_sft(SFTRunConfig(**settings))
    return result, seen


@cpu_only
def test_a_cpu_run_with_the_defaults_uses_sdpa_without_liger_and_logs_the_choice(
    tiny_base, examples_file, tmp_path, monkeypatch, caplog
):
    with caplog.at_level(logging.INFO, logger="modsmith.train"):
        result, seen = tiny_run(tiny_base, examples_file, tmp_path, monkeypatch)
    assert seen == {"attention": "sdpa", "liger": False}
    assert result.steps == 2 and result.packing  # packing stays on: sdpa keeps packed examples apart
    lines = [record.getMessage() for record in caplog.records if record.name == "modsmith.train"]
    assert lines[0].startswith("memory plan: ") and "no CUDA device here" in lines[0]  # the plan first
    assert lines[1:] == [
        "fast paths: attention sdpa, liger off, backend transformers (auto backend: transformers (no CUDA); "
        "auto attention: sdpa (no CUDA); auto liger: off (no CUDA))"
    ]


@cpu_only
def test_eager_attention_asked_for_is_what_the_model_gets(tiny_base, examples_file, tmp_path, monkeypatch):
    result, seen = tiny_run(tiny_base, examples_file, tmp_path, monkeypatch, attention="eager", liger=False)
    assert seen == {"attention": "eager", "liger": False} and result.packing


@cpu_only
def test_liger_asked_for_on_cpu_stops_the_run_before_the_model_loads(
    tiny_base, examples_file, tmp_path, monkeypatch
):
    from train_samples import tiny_run_settings

    from modsmith.train import sft, sft_model

    def no_loading(*args, **kwargs):
        raise AssertionError("the model was loaded")

    monkeypatch.setattr(sft_model, "load_model", no_loading)
    monkeypatch.setattr(sft, "load_model", no_loading)
    run = SFTRunConfig(**tiny_run_settings(tiny_base, examples_file, tmp_path / "run", liger=True))
    with pytest.raises(ModsmithError, match="liger-kernel"):
        sft.train_sft(run)
    assert not (tmp_path / "run").exists()  # refused before the output folder was made


@cuda_only
def test_a_cuda_run_gets_the_fast_paths_this_machine_has(tiny_base, examples_file, tmp_path, monkeypatch):
    expected = resolve_fast_paths(config(backend="transformers"))
    result, seen = tiny_run(tiny_base, examples_file, tmp_path, monkeypatch, backend="transformers")
    assert seen == {"attention": expected.attention, "liger": expected.liger} and result.steps == 2


def test_the_unsloth_backend_gets_the_run_settings_in_unsloths_documented_arguments(monkeypatch):
    """Unsloth is not installed here: a stand-in records what the loader and the adapter pass to it."""
    import sys
    import types

    from modsmith.train import sft_model, sft_trainer

    calls: dict = {}

    class FastLanguageModel:
        @staticmethod
        def from_pretrained(**arguments):
            calls["load"] = arguments
            return "model", "unsloth's tokenizer"

        @staticmethod
        def get_peft_model(model, **arguments):
            calls["adapter"] = (model, arguments)
            return "adapted"

    monkeypatch.setitem(sys.modules, "unsloth", types.SimpleNamespace(FastLanguageModel=FastLanguageModel))
    monkeypatch.setattr(
        sft_model,
        "resolve_fast_paths",
        lambda config: FastPaths(attention="unsloth", liger=False, backend="unsloth", why="asked"),
    )
    run = config(method="qlora", max_length=512, lora_r=8, lora_alpha=16, seed=3, backend="unsloth")
    assert sft_model.load_model(run) == "model"
    assert calls["load"] == {"model_name": "tiny", "max_seq_length": 512, "dtype": None, "load_in_4bit": True}
    assert sft_trainer.unsloth_adapter(run, "model", new_token_ids=[400, 401]) == "adapted"
    model, arguments = calls["adapter"]
    assert model == "model" and arguments["r"] == 8 and arguments["lora_alpha"] == 16
    assert arguments["target_modules"] == sft_trainer.UNSLOTH_ALL_LINEAR and arguments["random_state"] == 3
    assert arguments["use_gradient_checkpointing"] == "unsloth"
    assert arguments["modules_to_save"] == ["embed_tokens", "lm_head"]  # the new tokens' rows train
    sft_trainer.unsloth_adapter(config(target_modules="q_proj,v_proj", gradient_checkpointing=False), "m", [])
    assert calls["adapter"][1]["target_modules"] == ["q_proj", "v_proj"]
    assert calls["adapter"][1]["modules_to_save"] is None
    assert calls["adapter"][1]["use_gradient_checkpointing"] is False
