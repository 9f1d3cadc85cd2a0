"""`modsmith export merge`: the adapter folded into its base is the same model as base + adapter."""

from __future__ import annotations

import json
import shutil

import pytest
from export_runs import run_export

from modsmith.errors import ModsmithError
from modsmith.export.merge import merge_adapter


def test_the_merged_model_computes_what_base_and_adapter_compute(tiny_run, merged):
    import torch
    from peft import PeftModel
    from transformers import AutoModelForCausalLM, AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(merged)
    ids = tokenizer.apply_chat_template(
        [{"role": "user", "content": "Where is the player spawned?"}],
        add_generation_prompt=True,
        return_dict=True,
    )["input_ids"]
    tuned = PeftModel.from_pretrained(AutoModelForCausalLM.from_pretrained(tiny_run.base), tiny_run.adapter)
    base = AutoModelForCausalLM.from_pretrained(tiny_run.base)
    with torch.no_grad():
        expected = tuned(input_ids=torch.tensor([ids])).logits
        found = AutoModelForCausalLM.from_pretrained(merged)(input_ids=torch.tensor([ids])).logits
        untuned = base(input_ids=torch.tensor([ids])).logits
    assert torch.allclose(found, expected, atol=1e-5, rtol=0)
    assert not torch.allclose(found, untuned, atol=1e-3)  # the adapter did change the model


def test_the_merged_folder_carries_the_trained_template_and_names_its_parts(tiny_run, merged):
    from transformers import AutoTokenizer

    assert (merged / "model.safetensors").is_file()
    assert (merged / "tokenizer.model").is_file()  # what llama.cpp's converter reads
    trained = AutoTokenizer.from_pretrained(tiny_run.adapter)
    tokenizer = AutoTokenizer.from_pretrained(merged)
    assert tokenizer.chat_template == trained.chat_template and "<|im_start|>" in tokenizer.chat_template
    assert tokenizer.eos_token == "<|im_end|>"
    config = json.loads((merged / "config.json").read_text())
    assert config["eos_token_id"] == tokenizer.eos_token_id
    readme = (merged / "README.md").read_text()
    assert str(tiny_run.base) in readme and str(tiny_run.adapter.resolve()) in readme
    assert json.loads((merged / "merge_info.json").read_text())["base"] == str(tiny_run.base)


def test_an_output_over_an_input_is_refused(tiny_run):
    with pytest.raises(ModsmithError, match="would destroy the input|would replace the input"):
        merge_adapter(tiny_run.adapter, tiny_run.adapter)
    with pytest.raises(ModsmithError, match="holds the input"):
        merge_adapter(tiny_run.adapter, tiny_run.base.parent)


def test_a_pre_quantized_base_without_cuda_is_refused_through_the_command(tiny_run, tmp_path, monkeypatch):
    import torch

    base = shutil.copytree(tiny_run.base, tmp_path / "base-4bit")
    config = json.loads((base / "config.json").read_text())
    config["quantization_config"] = {"quant_method": "bitsandbytes", "load_in_4bit": True}
    (base / "config.json").write_text(json.dumps(config))
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    done = run_export("merge", tiny_run.adapter, "-o", tmp_path / "out", "--base", base)
    assert done.exit_code == 2
    assert "pre-quantized checkpoint (bitsandbytes)" in done.output and "CUDA" in done.output
    assert not (tmp_path / "out").exists()


def test_a_folder_that_is_not_an_adapter_is_named(tiny_run, tmp_path):
    done = run_export("merge", tiny_run.base, "-o", tmp_path / "out")
    assert done.exit_code == 2
    assert f"{tiny_run.base}: not an adapter folder" in done.output


def test_a_folder_of_other_files_is_refused_before_the_model_loads(tiny_run, tmp_path, monkeypatch):
    from modsmith.export import merge

    def never(*args, **kwargs):
        raise AssertionError("the model was loaded before the output folder was checked")

    monkeypatch.setattr(merge, "_merged_model", never)
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.md").write_text("my notes")
    done = run_export("merge", tiny_run.adapter, "-o", mine)
    assert done.exit_code == 2 and "files modsmith did not write (notes.md)" in done.output
    (tmp_path / "a-file").write_text("x")
    done = run_export("merge", tiny_run.adapter, "-o", tmp_path / "a-file")
    assert done.exit_code == 2 and "a file is there" in done.output
    assert [p.name for p in mine.iterdir()] == ["notes.md"] and (tmp_path / "a-file").read_text() == "x"


def test_an_adapter_whose_base_is_gone_names_its_run_config(tiny_run, tmp_path):
    adapter = shutil.copytree(
        tiny_run.adapter, tmp_path / "adapter", ignore=shutil.ignore_patterns("checkpoints")
    )
    config = json.loads((adapter / "train_config.json").read_text())
    config["base"] = str(tmp_path / "deleted-base")
    (adapter / "train_config.json").write_text(json.dumps(config))
    done = run_export("merge", adapter, "-o", tmp_path / "out")
    assert done.exit_code == 2 and done.output.count("\n") == 1
    assert (
        f"{adapter / 'train_config.json'} (base): the base model {tmp_path / 'deleted-base'} is not there"
        in (done.output)
    )
    done = run_export("merge", adapter, "-o", tmp_path / "out", "--base", tiny_run.base)
    assert done.exit_code == 0, done.output
