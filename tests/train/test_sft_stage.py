"""`train.sft` in a recipe: it trains on the examples that reach it, held out as the export holds them
out, is skipped when nothing changed, can be switched off, and its settings are checked at load."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

pytest.importorskip("trl")

from modsmith.errors import ModsmithError  # noqa: E402
from modsmith.formats.split import plan_split  # noqa: E402
from modsmith.recipe import load_recipe  # noqa: E402
from modsmith.records import Example, read_jsonl  # noqa: E402
from modsmith.run import run_recipe, stage_registry  # noqa: E402


def write_recipe(folder: Path, examples: Path, base: Path, train: str = "", export: str = "") -> Path:
    path = folder / "recipe.yaml"
    path.write_text(
        f"""name: tiny
output: {folder / "runs"}
stages:
  - stage: ingest.examples
    with:
      paths: [{examples}]
  - id: lora
    stage: train.sft
    with:
      base: {base}
      lora_r: 8
      max_steps: 4
      learning_rate: 0.01
      per_device_batch: 2
      grad_accumulation: 1
      max_length: 128
      gradient_checkpointing: false
      eval_steps: 2
      logging_steps: 1
{train}{export}"""
    )
    return path


EXPORT = "export:\n  formats: [sharegpt]\n  valid_fraction: 0.3\n  seed: 4\n"


def test_the_stage_trains_on_what_reaches_it_held_out_as_the_export(tmp_path, tiny_base, examples_file):
    recipe = write_recipe(tmp_path, examples_file, tiny_base, export=EXPORT)
    result = run_recipe(recipe)
    trained = result.stages[-1]
    assert trained.stage == "train.sft" and trained.records_out == trained.records_in == 7  # passed on
    summary = trained.summary
    model = result.run_dir / "02-lora" / "model"
    assert summary["adapter"] == str(model) and (model / "adapter_model.safetensors").is_file()
    assert summary["steps"] == 4 and summary["train_loss_first"] is not None
    config = json.loads((model / "train_config.json").read_text())
    assert (config["valid_fraction"], config["seed"]) == (0.3, 4)  # the export's, not the stage defaults
    examples = list(read_jsonl(examples_file, Example))
    plan = plan_split(examples, 0.3, 4)
    held_out = sum(plan.side(example) == "valid" for example in examples)
    exported = (result.run_dir / "dataset" / "valid.sharegpt.jsonl").read_text().splitlines()
    assert held_out == len(exported) > 0
    # the one example without an answer has no token to train on: dropped, and counted
    assert summary["examples"]["valid"] + sum(summary["dropped_examples"].values()) == held_out
    assert summary["examples"]["train"] == len(examples) - held_out
    stats = json.loads((result.run_dir / "02-lora" / "stats.json").read_text())
    assert stats["summary"]["steps"] == 4

    again = run_recipe(recipe)  # nothing changed: not trained again, its figures still reported
    assert again.stages[-1].skipped and again.stages[-1].summary["adapter"] == str(model)


def test_a_split_that_disagrees_with_the_export_is_refused_at_its_line(tmp_path, tiny_base, examples_file):
    recipe = write_recipe(
        tmp_path, examples_file, tiny_base, train="      valid_fraction: 0.5\n", export=EXPORT
    )
    with pytest.raises(ModsmithError, match="would train on examples the exported valid split keeps") as err:
        load_recipe(recipe, stage_registry())
    assert err.value.where == f"{recipe}:{len(recipe.read_text().splitlines()) - 4}"  # valid_fraction


def test_a_missing_mix_dataset_is_named_at_load(tmp_path, tiny_base, examples_file):
    recipe = write_recipe(
        tmp_path, examples_file, tiny_base, train="      mix_datasets: {guides.jsonl: 0.5}\n"
    )
    with pytest.raises(ModsmithError, match="mix_datasets.guides.jsonl: no such file"):
        load_recipe(recipe, stage_registry())


def test_a_stage_switched_off_is_checked_but_not_run(tmp_path, tiny_base, examples_file):
    recipe = write_recipe(tmp_path, examples_file, tiny_base)
    text = recipe.read_text().replace(
        "    stage: train.sft\n", "    stage: train.sft\n    enabled: ${TRAIN:-false}\n"
    )
    recipe.write_text(text)
    result = run_recipe(recipe, environment={})
    assert result.stages[-1].summary == {"enabled": False}
    assert not (result.run_dir / "02-lora").exists()
    recipe.write_text(text.replace("lora_r: 8", "lora_r: 0"))
    with pytest.raises(ModsmithError, match="lora_r"):  # off, yet its settings are still checked
        load_recipe(recipe, stage_registry(), environment={})
    recipe.write_text(text + "  - stage: curate.exact_dedup\n    inputs: [lora]\n")
    with pytest.raises(ModsmithError, match="'lora' is a stage that is not enabled"):
        load_recipe(recipe, stage_registry(), environment={})


def test_a_run_its_memory_plan_says_will_not_fit_stops_before_anything_is_written(
    tmp_path, tiny_base, examples_file, monkeypatch
):
    from modsmith.train import run_plan

    monkeypatch.setattr(run_plan, "free_gpu_bytes", lambda: 1024)  # a device with 1 KiB free
    recipe = write_recipe(tmp_path, examples_file, tiny_base)
    with pytest.raises(ModsmithError, match="will not fit the device's free memory") as err:
        run_recipe(recipe)
    assert "to make it fit, in order:" in err.value.details  # the changes the plan tried
    assert "estimated peak GPU memory" in err.value.details
    assert not (tmp_path / "runs" / "tiny" / "02-lora" / "model").exists()
