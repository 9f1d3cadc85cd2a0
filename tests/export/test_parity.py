"""The parity check: a faithful f16 GGUF passes, a GGUF of another model or tokenizer fails."""

from __future__ import annotations

import shutil

import pytest
from export_runs import TEXTS, run_export

from modsmith.export.parity import check_parity, held_out_prompts


def test_the_f16_export_passes_and_q8_0_is_reported(gguf_run, tiny_run):
    output = gguf_run.result.output
    assert gguf_run.result.exit_code == 0, output
    # the training run's held-out split, found through the merged folder's merge_info.json
    assert (
        f"parity of tiny-tuned-f16.gguf (f16) on 3 prompts (the held-out split of {tiny_run.examples}):"
        in output
    )
    assert "passed (threshold 99% top-1 agreement)" in output
    assert "reported only: the 99% threshold applies to f16" in output


def test_the_f16_gguf_agrees_with_the_merged_model(merged, gguf_run):
    prompts, _ = held_out_prompts(merged, 4)
    report = check_parity(merged, gguf_run.out_dir / "tiny-tuned-f16.gguf", "f16", prompts)
    assert report.passed and report.top1_agreement >= 0.99 and not report.tokenizer_mismatches
    assert report.positions > 20 and 0 < report.max_abs_diff < 0.1
    exact = check_parity(merged, gguf_run.out_dir / "tiny-tuned-f16.gguf", "f16", prompts, tie_tolerance=0)
    assert exact.top1_agreement == exact.exact_top1_agreement == report.exact_top1_agreement
    assert exact.exact_top1_agreement > 0.9  # only near-ties differ


@pytest.fixture(scope="module")
def other_model(merged, tmp_path_factory):
    """The merged folder with the weights of another random model (the same tokenizer and template)."""
    import torch
    from transformers import AutoConfig, AutoModelForCausalLM

    other = shutil.copytree(merged, tmp_path_factory.mktemp("other") / "other")
    torch.manual_seed(1)
    AutoModelForCausalLM.from_config(AutoConfig.from_pretrained(merged)).save_pretrained(other)
    return other


def test_a_gguf_of_another_model_fails_f16_but_quantized_types_are_only_reported(other_model, gguf_run):
    prompts, _ = held_out_prompts(other_model, 4)
    f16 = check_parity(other_model, gguf_run.out_dir / "tiny-tuned-f16.gguf", "f16", prompts)
    assert not f16.tokenizer_mismatches and f16.top1_agreement < 0.5 and not f16.passed
    assert "FAILED (threshold 99% top-1 agreement)" in f16.lines()[-1]
    q8 = check_parity(other_model, gguf_run.out_dir / "tiny-tuned-q8_0.gguf", "q8_0", prompts)
    assert q8.top1_agreement < 0.5 and q8.passed


def test_a_broken_conversion_exits_2_and_keeps_the_file(merged, other_model, tmp_path, monkeypatch):
    from modsmith.export import gguf

    convert = gguf.convert_model
    # A converter that writes the wrong model's weights: what a broken export looks like.
    monkeypatch.setattr(
        gguf, "convert_model", lambda model_dir, out_file, kind: convert(other_model, out_file, kind)
    )
    done = run_export("gguf", merged, "-o", tmp_path / "out", "--parity-prompts", "2")
    assert done.exit_code == 2
    assert "the parity check failed for tiny-tuned-f16.gguf (the file is kept)" in done.output
    assert "FAILED (threshold 99% top-1 agreement)" in done.output
    assert (tmp_path / "out" / "tiny-tuned-f16.gguf").is_file()


def test_a_tokenizer_mismatch_is_its_own_failure(merged, gguf_run, tmp_path):
    from transformers import AutoTokenizer

    from modsmith.train.tiny_base import build_tiny_base

    other = build_tiny_base(tmp_path / "other-tokenizer", [text[::-1] for text in TEXTS])
    mismatched = shutil.copytree(merged, tmp_path / "mismatched")
    tokenizer = AutoTokenizer.from_pretrained(other)
    tokenizer.chat_template = AutoTokenizer.from_pretrained(merged).chat_template
    tokenizer.save_pretrained(mismatched)
    prompts, _ = held_out_prompts(merged, 2)
    report = check_parity(mismatched, gguf_run.out_dir / "tiny-tuned-f16.gguf", "f16", prompts)
    assert len(report.tokenizer_mismatches) == 2 and not report.passed
    assert "FAILED: tokenizer mismatch on 2 prompt(s)" in report.lines()[1]


def test_the_parity_prompts_say_why_they_are_built_in_and_an_empty_prompts_file_is_refused(tmp_path):
    import json

    from modsmith.errors import ModsmithError

    prompts, source = held_out_prompts(tmp_path, 2)
    assert (
        len(prompts) == 2
        and source == "built-in prompts: no merge_info.json names the training run (give --prompts)"
    )
    (tmp_path / "merge_info.json").write_text(json.dumps({"adapter": str(tmp_path / "moved-adapter")}))
    assert held_out_prompts(tmp_path, 2)[1].startswith("built-in prompts: the training run is not found")
    (tmp_path / "empty.jsonl").write_text("")
    with pytest.raises(ModsmithError, match="no example with a prompt") as caught:
        held_out_prompts(tmp_path, 2, tmp_path / "empty.jsonl")
    assert caught.value.where == str(tmp_path / "empty.jsonl")
