"""`modsmith export gguf`: llama.cpp's converter, the chat template inside the file, its errors, the LoRA."""

from __future__ import annotations

import json
import shutil

import pytest
from export_runs import run_export

from modsmith.errors import ModsmithError
from modsmith.export.gguf import check_chat_template, convert_lora, convert_model, gguf_metadata_string


def file_type(path) -> int:
    from gguf import GGUFReader

    return int(GGUFReader(str(path)).get_field("general.file_type").contents())


def test_the_export_writes_f16_and_q8_0_each_with_the_tokenizers_chat_template(merged, gguf_run):
    from transformers import AutoTokenizer

    assert gguf_run.result.exit_code == 0, gguf_run.result.output
    f16 = gguf_run.out_dir / "tiny-tuned-f16.gguf"
    q8 = gguf_run.out_dir / "tiny-tuned-q8_0.gguf"
    assert str(f16) in gguf_run.result.stdout and str(q8) in gguf_run.result.stdout
    template = AutoTokenizer.from_pretrained(merged).chat_template
    for path in (f16, q8):
        assert gguf_metadata_string(path, "tokenizer.chat_template") == template
    assert (file_type(f16), file_type(q8)) == (1, 7)  # llama.cpp's MOSTLY_F16 and MOSTLY_Q8_0


def test_a_gguf_with_another_template_is_refused(gguf_run):
    with pytest.raises(ModsmithError, match="chat template differs"):
        check_chat_template(gguf_run.out_dir / "tiny-tuned-f16.gguf", "{{ messages[0]['content'] }}")


def test_q4_k_m_goes_through_llama_cpps_quantizer(merged, tmp_path):
    import llama_cpp

    if not hasattr(llama_cpp, "llama_model_quantize"):
        pytest.skip("this llama-cpp-python has no quantizer")
    out = convert_model(merged, tmp_path / "m-q4_k_m.gguf", "q4_k_m")
    assert file_type(out) == llama_cpp.LLAMA_FTYPE_MOSTLY_Q4_K_M
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m-q4_k_m.gguf"]  # the f16 step is gone


def test_a_missing_converter_is_one_line_naming_make_gguf(merged, tmp_path, monkeypatch):
    monkeypatch.setenv("LLAMA_CPP_DIR", str(tmp_path / "no-llama.cpp"))
    done = run_export("gguf", merged, "-o", tmp_path / "out")
    assert done.exit_code == 2
    assert done.output.count("\n") == 1
    assert "convert_hf_to_gguf.py is missing" in done.output and "make gguf" in done.output


def test_a_converter_failure_is_one_line_with_its_last_error(merged, tmp_path):
    broken = shutil.copytree(merged, tmp_path / "broken")
    config = json.loads((broken / "config.json").read_text())
    config["architectures"] = ["NoSuchModelForCausalLM"]
    (broken / "config.json").write_text(json.dumps(config))
    done = run_export("gguf", broken, "-o", tmp_path / "out")
    assert done.exit_code == 2 and done.output.count("\n") == 1
    assert "convert_hf_to_gguf.py failed to convert the model" in done.output
    assert "NoSuchModelForCausalLM" in done.output


def test_the_gguf_lora_on_the_base_gguf_predicts_what_the_merged_gguf_does(tiny_run, gguf_run, tmp_path):
    import numpy as np
    from llama_cpp import Llama

    lora = convert_lora(tiny_run.adapter, tiny_run.base, tmp_path / "lora.gguf")
    assert gguf_metadata_string(lora, "general.type") == "adapter"
    assert gguf_metadata_string(lora, "adapter.type") == "lora"
    base = convert_model(tiny_run.base, tmp_path / "base.gguf", "f16")
    merged = gguf_run.out_dir / "tiny-tuned-f16.gguf"
    options = {"n_ctx": 64, "logits_all": True, "verbose": False}
    ids = [4, *range(20, 40), 5]
    logits = {}
    for name, llm in [
        ("base", Llama(str(base), **options)),
        ("base+lora", Llama(str(base), lora_path=str(lora), **options)),
        ("merged", Llama(str(merged), **options)),
    ]:
        llm.eval(ids)
        logits[name] = np.asarray(llm.scores[: len(ids)])
        llm.close()
    assert np.abs(logits["base+lora"] - logits["merged"]).max() < 0.05
    assert np.abs(logits["base"] - logits["merged"]).max() > 0.5  # the adapter matters


def test_a_gguf_gets_its_name_only_once_checked_and_a_killed_exports_temporary_goes(
    merged, tmp_path, monkeypatch
):
    import subprocess

    from modsmith.export import parity

    def interrupted(*args, **kwargs):
        raise RuntimeError("killed")  # stopped during the parity check, after the conversion

    monkeypatch.setattr(parity, "check_parity", interrupted)
    out = tmp_path / "out"
    with pytest.raises(RuntimeError, match="killed"):
        run_export("gguf", merged, "-o", out, "--parity-prompts", "1")
    assert list(out.iterdir()) == []  # no unchecked file under the name `export ollama` would trust
    dead = subprocess.Popen(["true"])
    dead.wait()
    leftover = out / f".tiny-tuned-f16.gguf.{dead.pid}.0badf00d.tmp"  # what a kill -9 leaves
    leftover.write_bytes(b"GGUF half")
    done = run_export("gguf", merged, "-o", out, "--parity-prompts", "0")
    assert done.exit_code == 0, done.output
    assert [p.name for p in out.iterdir()] == ["tiny-tuned-f16.gguf"]


def test_a_bad_lora_is_refused_before_the_model_is_converted(merged, tmp_path):
    out = tmp_path / "out"
    (tmp_path / "a-file").write_text("x")
    for lora, message in [(tmp_path / "a-file", "not an adapter folder"), (merged, "not an adapter folder")]:
        done = run_export("gguf", merged, "-o", out, "--lora", lora)
        assert done.exit_code == 2 and done.output.count("\n") == 1
        assert f"{lora}: {message}" in done.output
    assert not out.exists()  # no GGUF was made only to fail on the adapter afterwards
