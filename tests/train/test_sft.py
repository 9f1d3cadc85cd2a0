"""`train_sft` on a tiny random Llama: the loss goes down and the run leaves everything it promises."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

torch = pytest.importorskip("torch")
pytest.importorskip("transformers")
pytest.importorskip("trl")
pytest.importorskip("peft")
from pydantic import ValidationError  # noqa: E402
from train_samples import QUESTIONS_AND_ANSWERS, tiny_run_settings  # noqa: E402

from modsmith.errors import ModsmithError  # noqa: E402
from modsmith.train import sft  # noqa: E402
from modsmith.train.sft import train_sft  # noqa: E402
from modsmith.train.sft_config import SFTRunConfig  # noqa: E402
from modsmith.train.sft_data import load_split  # noqa: E402


def run_config(tiny_base: Path, examples_file: Path, output_dir: Path, **overrides) -> SFTRunConfig:
    return SFTRunConfig(**tiny_run_settings(tiny_base, examples_file, output_dir, **overrides))


def test_a_short_run_lowers_the_loss_and_writes_the_adapter_tokenizer_config_and_metrics(
    tiny_base, examples_file, tmp_path
):
    output_dir = tmp_path / "run"
    logged: list[dict] = []
    result = train_sft(run_config(tiny_base, examples_file, output_dir), on_log=logged.append)

    assert result.steps == 30
    assert result.packing  # sdpa keeps packed examples apart, so packing is on by default
    assert result.template == "chatml default"
    assert result.examples["train"] >= 3 and result.examples["valid"] >= 1
    assert result.examples["train"] + result.examples["valid"] == len(QUESTIONS_AND_ANSWERS)
    assert sum(result.dropped.values()) == 1 and "assistant" in next(iter(result.dropped))

    lines = [json.loads(line) for line in (output_dir / "metrics.jsonl").read_text().splitlines()]
    assert lines == logged
    losses = [line["loss"] for line in lines if "loss" in line]
    assert len(losses) == 30
    assert sum(losses[-3:]) / 3 < sum(losses[:3]) / 3 - 0.2
    assert all("learning_rate" in line for line in lines if "loss" in line)
    eval_losses = [line["eval_loss"] for line in lines if "eval_loss" in line]
    assert [line["step"] for line in lines if "eval_loss" in line] == [10, 20, 30]
    assert result.eval_loss == pytest.approx(eval_losses[-1])

    assert json.loads((output_dir / "adapter_config.json").read_text())["r"] == 8
    assert (output_dir / "adapter_model.safetensors").stat().st_size > 0
    tokenizer_config = json.loads((output_dir / "tokenizer_config.json").read_text())
    template_file = output_dir / "chat_template.jinja"
    template = template_file.read_text() if template_file.is_file() else tokenizer_config.get("chat_template")
    assert "<|im_start|>" in template
    saved = json.loads((output_dir / "train_config.json").read_text())
    assert SFTRunConfig(**saved) == run_config(tiny_base, examples_file, output_dir)


def test_the_saved_adapter_loads_on_the_base_with_the_trained_template(tiny_base, examples_file, tmp_path):
    from peft import PeftModel
    from transformers import AutoModelForCausalLM, AutoTokenizer

    output_dir = tmp_path / "run"
    train_sft(run_config(tiny_base, examples_file, output_dir, max_steps=2, valid_fraction=0.0))
    tokenizer = AutoTokenizer.from_pretrained(output_dir)
    model = PeftModel.from_pretrained(AutoModelForCausalLM.from_pretrained(tiny_base), output_dir)
    ids = tokenizer.apply_chat_template([{"role": "user", "content": "hi"}], add_generation_prompt=True)
    assert model(torch.tensor([list(ids["input_ids"])])).logits.shape[-1] == len(tokenizer)
    assert not (output_dir / "metrics.jsonl").read_text().count("eval_loss")


def test_qlora_without_cuda_stops_before_loading_anything(tiny_base, examples_file, tmp_path, monkeypatch):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)

    def must_not_load(*args, **kwargs):
        raise AssertionError("loaded before the CUDA check")

    monkeypatch.setattr(sft, "load_mixed", must_not_load)
    monkeypatch.setattr(sft, "load_model", must_not_load)
    with pytest.raises(ModsmithError, match="CUDA"):
        train_sft(run_config(tiny_base, examples_file, tmp_path / "run", method="qlora"))


def test_an_output_folder_over_the_base_is_refused(tiny_base, examples_file):
    with pytest.raises(ModsmithError, match="destroy the input"):
        train_sft(run_config(tiny_base, examples_file, tiny_base))


def test_a_pre_quantized_base_without_cuda_is_refused(tiny_base, examples_file, tmp_path, monkeypatch):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    config_file = tiny_base / "config.json"
    config = json.loads(config_file.read_text())
    config["quantization_config"] = {"quant_method": "bitsandbytes", "load_in_4bit": True}
    config_file.write_text(json.dumps(config))
    with pytest.raises(ModsmithError, match="pre-quantized.*CUDA"):
        train_sft(run_config(tiny_base, examples_file, tmp_path / "run"))


@pytest.mark.parametrize(
    ("field", "value"),
    [("lora_r", 0), ("method", "full"), ("learning_rate", -1.0), ("warmup_ratio", 1.5), ("lora_rank", 8)],
)
def test_a_bad_config_value_is_a_validation_error_naming_the_field(tmp_path, field, value):
    with pytest.raises(ValidationError) as caught:
        SFTRunConfig(dataset=tmp_path / "d.jsonl", base="base", output_dir=tmp_path / "out", **{field: value})
    assert field in str(caught.value)


def test_a_dataset_folder_keeps_its_own_split(tmp_path, examples_file):
    from modsmith.formats.export import export_dataset

    export_dataset(examples_file, tmp_path / "dataset", formats=["sharegpt"], valid_fraction=0.3)
    config = SFTRunConfig(dataset=tmp_path / "dataset", base="base", output_dir=tmp_path / "out")
    train, valid = load_split(config)
    assert len(train) + len(valid) == len(QUESTIONS_AND_ANSWERS) + 1
    assert valid and all(example.messages for example in train + valid)


def test_a_folder_without_a_conversation_format_is_refused(tmp_path):
    (tmp_path / "dataset").mkdir()
    config = SFTRunConfig(dataset=tmp_path / "dataset", base="base", output_dir=tmp_path / "out")
    with pytest.raises(ModsmithError, match="train.sharegpt.jsonl"):
        load_split(config)


@pytest.fixture
def built(monkeypatch) -> list:
    """The trainers the runs of a test build, in order."""
    trainers = []
    build_trainer = sft.build_trainer

    def keep_trainer(*args, **kwargs):
        trainers.append(build_trainer(*args, **kwargs))
        return trainers[-1]

    monkeypatch.setattr(sft, "build_trainer", keep_trainer)
    return trainers


def test_trl_trains_on_exactly_our_labels_the_assistant_answers(tiny_base, examples_file, tmp_path, built):
    from transformers import AutoTokenizer

    output_dir = tmp_path / "run"
    result = train_sft(run_config(tiny_base, examples_file, output_dir, max_steps=1, valid_fraction=0.0))
    tokenizer = AutoTokenizer.from_pretrained(output_dir)
    rows = list(built[0].train_dataset)
    assert sum(len(row["seq_lengths"]) for row in rows) == result.examples["train"]  # packed rows
    trained = "".join(tokenizer.decode([label for label in row["labels"] if label != -100]) for row in rows)
    answers = [answer + "<|im_end|>" for _, answer in QUESTIONS_AND_ANSWERS]
    assert sorted(answers, key=len) == sorted(
        (piece + "<|im_end|>" for piece in trained.split("<|im_end|>")[:-1]), key=len
    )
    assert sum(label != -100 for row in rows for label in row["labels"]) == result.loss_tokens


def test_without_packing_with_checkpointing_on_every_token(tiny_base, examples_file, tmp_path):
    config = run_config(
        tiny_base,
        examples_file,
        tmp_path / "run",
        packing=False,
        gradient_checkpointing=True,
        train_on="all",
        max_steps=3,
        use_dora=True,
        use_rslora=True,
    )
    result = train_sft(config)
    assert result.steps == 3 and not result.packing
    adapter = json.loads((tmp_path / "run" / "adapter_config.json").read_text())
    assert adapter["use_dora"] and adapter["use_rslora"]  # DoRA and rsLoRA reach PEFT
    assert result.eval_loss is not None  # step 3 is no evaluation step: one more evaluation at the end
    assert result.dropped == {}  # with train_on all, the example without an answer trains too
    assert result.examples["train"] + result.examples["valid"] == len(QUESTIONS_AND_ANSWERS) + 1


def test_a_tokenizer_without_chatml_tokens_grows_the_embeddings_and_trains_the_new_rows(
    tmp_path, examples_file, make_tiny_tokenizer
):
    from peft import PeftModel
    from safetensors import safe_open
    from transformers import AutoModelForCausalLM, AutoTokenizer

    from tiny_model import tiny_llama

    base = tmp_path / "bare-base"
    tokenizer = make_tiny_tokenizer(special_tokens=["<pad>"])
    tiny_llama(tokenizer, seed=0, layers=1).save_pretrained(base)
    tokenizer.save_pretrained(base)

    output_dir = tmp_path / "run"
    train_sft(run_config(base, examples_file, output_dir, max_steps=2, valid_fraction=0.0))
    trained_tokenizer = AutoTokenizer.from_pretrained(output_dir)
    assert len(trained_tokenizer) == len(tokenizer) + 2  # <|im_start|> and <|im_end|>
    new_ids = sorted(trained_tokenizer.convert_tokens_to_ids(["<|im_start|>", "<|im_end|>"]))
    assert json.loads((output_dir / "adapter_config.json").read_text())["trainable_token_indices"] == new_ids
    with safe_open(output_dir / "adapter_model.safetensors", "pt") as weights:
        assert any("trainable_tokens" in key for key in weights.keys())  # noqa: SIM118

    model = AutoModelForCausalLM.from_pretrained(base)
    model.resize_token_embeddings(len(trained_tokenizer))  # how the adapter loads: on the grown base
    ids = trained_tokenizer.apply_chat_template(
        [{"role": "user", "content": "hi"}], add_generation_prompt=True
    )
    logits = PeftModel.from_pretrained(model, output_dir)(torch.tensor([list(ids["input_ids"])])).logits
    assert logits.shape[-1] == len(trained_tokenizer)


def test_target_modules_may_be_comma_separated(tmp_path):
    def modules(value):
        return SFTRunConfig(
            dataset=tmp_path, base="base", output_dir=tmp_path, target_modules=value
        ).target_modules

    assert modules("q_proj, v_proj") == ["q_proj", "v_proj"]
    assert modules(["q_proj"]) == ["q_proj"]
    assert modules("all-linear") == "all-linear"
    with pytest.raises(ValidationError, match="target_modules"):
        modules("q_proj,,v_proj")


def test_packing_follows_the_attention_and_is_refused_where_it_would_mix_examples(
    tiny_base, examples_file, tmp_path, monkeypatch
):
    monkeypatch.setattr(sft, "packing_supported", lambda model: False)
    result = train_sft(run_config(tiny_base, examples_file, tmp_path / "off", max_steps=1))
    assert not result.packing
    with pytest.raises(ModsmithError, match="packing needs an attention"):
        train_sft(run_config(tiny_base, examples_file, tmp_path / "on", max_steps=1, packing=True))


def test_packed_rows_go_one_per_pass_under_sdpa_with_the_same_step_loss(
    tiny_base, examples_file, tmp_path, monkeypatch, built
):
    """With sdpa, a pass takes one packed row (attention over a joined row of several would be dense): the
    optimizer step sees the same rows, and its loss (normalised over the step's tokens) is unchanged."""
    from modsmith.train import sft_trainer

    settings = {"max_steps": 1, "valid_fraction": 0.0, "per_device_batch": 2, "grad_accumulation": 2}
    settings["max_length"] = 48  # about one example a row: the step's passes hold rows of unlike lengths
    one_per_pass = train_sft(run_config(tiny_base, examples_file, tmp_path / "a", **settings))
    assert (built[0].args.per_device_train_batch_size, built[0].args.gradient_accumulation_steps) == (1, 4)
    lengths = sorted(sum(row["seq_lengths"]) for row in built[0].train_dataset)
    assert len(lengths) >= 4 and lengths[0] < lengths[-1]
    monkeypatch.setattr(sft_trainer, "rows_per_pass", lambda attention, packing, rows, passes: (rows, passes))
    joined = train_sft(run_config(tiny_base, examples_file, tmp_path / "b", **settings))
    assert (built[1].args.per_device_train_batch_size, built[1].args.gradient_accumulation_steps) == (2, 2)
    assert one_per_pass.train_loss_first == pytest.approx(joined.train_loss_first, abs=1e-5)
