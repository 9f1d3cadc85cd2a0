"""The report of a run: the loss-curve PNG, the model card (README.md) and the progress figures of
`metrics.jsonl` (tokens/s, time left), each on its own and all of them from one real tiny run."""

from __future__ import annotations

import json
import re
import types
from collections import Counter
from pathlib import Path

import pytest
import yaml
from train_samples import QUESTIONS_AND_ANSWERS, tiny_run_settings

from modsmith.records import Check, Example, Message, Provenance, read_jsonl, write_jsonl
from modsmith.train import run_folder
from modsmith.train.loss_curve import write_loss_curve
from modsmith.train.run_folder import MetricsLog
from modsmith.train.sft_config import SFTRunConfig

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
HELD_OUT_ORANGE = (1.0, 0.498, 0.055)  # matplotlib's second colour: the held-out curve

TRAIN_LINES = [{"step": step, "epoch": step / 4, "loss": 3.0 - 0.2 * step} for step in range(1, 9)]
EVAL_LINES = [{"step": step, "epoch": step / 4, "eval_loss": 3.1 - 0.15 * step} for step in (4, 8)]


def read_png(path: Path):
    from matplotlib.image import imread

    assert path.read_bytes()[:8] == PNG_MAGIC
    return imread(path)


def has_colour(image, rgb, tolerance=0.02) -> bool:
    import numpy as np

    return bool((np.abs(image[..., :3] - np.array(rgb)) < tolerance).all(axis=-1).any())


def test_the_loss_curve_is_a_png_with_the_held_out_curve_only_when_there_is_one(tmp_path):
    with_eval = write_loss_curve(TRAIN_LINES + EVAL_LINES, tmp_path / "with")
    without_eval = write_loss_curve(TRAIN_LINES, tmp_path / "without")
    assert with_eval.path == tmp_path / "with" / "loss_curve.png"
    assert without_eval.path == tmp_path / "without" / "loss_curve.png"
    drawn, training_only = read_png(with_eval.path), read_png(without_eval.path)
    assert drawn.shape[0] > 100 and drawn.shape[1] > 100
    assert has_colour(drawn, HELD_OUT_ORANGE) and not has_colour(training_only, HELD_OUT_ORANGE)
    assert [path.name for path in (tmp_path / "with").iterdir()] == ["loss_curve.png"]  # no temporary left


def test_a_run_without_a_training_loss_gets_no_curve_and_says_why(tmp_path):
    stale = tmp_path / "loss_curve.png"
    stale.write_bytes(PNG_MAGIC)  # an earlier run's curve in the same folder
    curve = write_loss_curve(EVAL_LINES, tmp_path)
    assert curve.path is None and "no training loss" in curve.why_not
    assert not stale.exists()


def test_metrics_lines_carry_the_rate_and_time_left_of_this_session(tmp_path, monkeypatch):
    now = [0.0]
    monkeypatch.setattr(run_folder, "time", types.SimpleNamespace(monotonic=lambda: now[0]))
    log = MetricsLog(tmp_path / "metrics.jsonl", None)

    def at(seconds, step, tokens, **logs):
        now[0] = seconds
        log.record(step, None, {"num_input_tokens_seen": tokens, **logs}, max_steps=10)
        return log.lines[-1]

    log.start(step=0, tokens_seen=0)
    first = at(2.0, 1, 100, loss=2.0)
    assert first["tokens_per_second"] == 50 and first["seconds_left"] == 18 and first["max_steps"] == 10
    evaluated = at(3.0, 1, 100, eval_loss=2.5)
    assert "tokens_per_second" not in evaluated and evaluated["seconds_left"] == 27
    assert at(5.0, 2, 250, loss=1.5)["tokens_per_second"] == 75  # since the evaluation ended

    log.start(step=6, tokens_seen=600)  # resumed at a checkpoint: the rate counts this session's tokens
    resumed = at(9.0, 7, 650, loss=1.0)
    assert resumed["tokens_per_second"] == 50 / 4 and resumed["seconds_left"] == 4 * 3
    assert at(10.0, 10, 700, loss=0.9)["seconds_left"] == 0
    written = [json.loads(line) for line in (tmp_path / "metrics.jsonl").read_text().splitlines()]
    assert written == log.lines


def checked_examples(path: Path) -> list[Example]:
    """Examples of two tasks, from six source files, carrying two checks; written to and read from JSONL."""
    examples = []
    for index, (question, answer) in enumerate(QUESTIONS_AND_ANSWERS):
        example = Example.create(
            task="code.macro" if index % 2 else "code.explain",
            messages=[Message(role="user", content=question), Message(role="assistant", content=answer)],
            provenance=[Provenance(source="demo", path=f"src/file{index}.c")],
        )
        example.checks = {
            "grounded.names": Check(passed=index % 3 != 0, detail="names"),
            "code.compiles": Check(passed=True),
        }
        examples.append(example)
    write_jsonl(path, examples)
    return list(read_jsonl(path, Example))


def card_result(train, valid, **fields):
    from modsmith.train.sft import SFTRunResult

    defaults = dict(
        steps=8, train_loss_first=2.8, train_loss_last=1.4, eval_loss=1.9,
        examples={"train": len(train), "valid": len(valid)}, dropped={}, loss_tokens=100,
        template="own", packing=True, paths={},
    )  # fmt: skip
    return SFTRunResult(**(defaults | fields))


def front_matter(card: str) -> dict:
    assert card.startswith("---\n")
    return yaml.safe_load(card.split("---\n")[1])


def test_the_card_names_the_base_the_dataset_its_counts_checks_and_mix(tmp_path):
    from modsmith.train.model_card import write_model_card

    examples = checked_examples(tmp_path / "checked.jsonl")
    train, valid = examples[:4], examples[4:]
    train[3].checks = {}  # one training example without check results
    config = SFTRunConfig(
        dataset=tmp_path / "checked.jsonl", base="org/base-1b", output_dir=tmp_path / "run", lora_r=32,
        lora_alpha=64, target_modules="q_proj,v_proj", use_rslora=True,
    )  # fmt: skip
    dropped = {"no token to train on within max_length 2048": 2}
    result = card_result(train, valid, dropped=dropped)
    curve = write_loss_curve(TRAIN_LINES + EVAL_LINES, config.output_dir)
    mix = ["dataset      weight  train", "checked.jsonl  1.0      4"]
    card = write_model_card(config, result, train, valid, TRAIN_LINES + EVAL_LINES, curve, mix).read_text()

    meta = front_matter(card)
    assert meta["base_model"] == "org/base-1b" and meta["library_name"] == "peft"
    assert {"modsmith", "lora", "rslora"} <= set(meta["tags"])
    assert f"`{tmp_path / 'checked.jsonl'}`" in card
    assert "| rank (r) | 32 |" in card and "| target modules | q_proj, v_proj |" in card
    assert "| rsLoRA | yes |" in card and "| DoRA | no |" in card
    assert "| training | 4 | 4 |" in card and "| held-out | 2 | 2 |" in card
    assert "| code.explain | 2 | 1 |" in card and "| code.macro | 2 | 1 |" in card
    assert "| no token to train on within max_length 2048 | 2 |" in card
    assert "carried by 3 of the 4 training examples" in card
    assert "| grounded.names | 2 | 1 |" in card and "| code.compiles | 3 | 0 |" in card
    assert "No check results" not in card
    assert "```text\n" + "\n".join(mix) + "\n```" in card
    assert "the base tokenizer's own chat template" in card
    assert "| lowest held-out loss | 1.9000 (step 8) |" in card
    assert "![training and held-out loss by step](loss_curve.png)" in card


def test_a_dataset_folder_exported_without_meta_has_no_check_results_and_the_card_says_so(tmp_path):
    from modsmith.formats.export import export_dataset
    from modsmith.train.model_card import write_model_card
    from modsmith.train.sft_data import load_split

    checked_examples(tmp_path / "checked.jsonl")
    export_dataset(tmp_path / "checked.jsonl", tmp_path / "dataset", valid_fraction=0.3)
    config = SFTRunConfig(dataset=tmp_path / "dataset", base="org/base", output_dir=tmp_path / "run")
    train, valid = load_split(config)
    curve = write_loss_curve([], config.output_dir)
    card = write_model_card(
        config, card_result(train, valid, template="chatml default"), train, valid, [], curve
    )
    card_text = card.read_text()
    assert "No check results in this dataset" in card_text and "| grounded.names" not in card_text
    assert "a dataset folder; its own train/valid split is kept" in card_text
    assert "modsmith's ChatML default" in card_text
    assert "No loss curve: the run logged no training loss" in card_text
    assert "## Dataset mix" not in card_text


def test_a_tiny_run_writes_its_card_and_curve_and_logs_its_progress(tiny_base, tmp_path):
    pytest.importorskip("trl")
    pytest.importorskip("peft")
    from modsmith.train.sft import train_sft
    from modsmith.train.sft_data import load_split

    checked_examples(tmp_path / "checked.jsonl")
    settings = tiny_run_settings(tiny_base, tmp_path / "checked.jsonl", tmp_path / "run", max_steps=4)
    config = SFTRunConfig(**(settings | {"eval_steps": 2, "per_device_batch": 2}))
    result = train_sft(config)

    assert result.paths["model_card"] == str(config.output_dir / "README.md")
    assert read_png(Path(result.paths["loss_curve"])).size > 0
    lines = [json.loads(line) for line in (config.output_dir / "metrics.jsonl").read_text().splitlines()]
    training = [line for line in lines if "loss" in line]
    assert [line["step"] for line in training] == [1, 2, 3, 4]
    assert all(line["tokens_per_second"] > 0 for line in training)
    assert all(line["max_steps"] == 4 and line["seconds_left"] >= 0 for line in lines)
    assert lines[-1]["seconds_left"] == 0

    card = (config.output_dir / "README.md").read_text()
    assert front_matter(card)["base_model"] == str(tiny_base)
    train, valid = load_split(config)
    assert f"| training | {len(train)} | {result.examples['train']} |" in card
    passed = Counter(example.checks["grounded.names"].passed for example in train)
    assert f"| grounded.names | {passed[True]} | {passed[False]} |" in card
    assert "| optimizer steps | 4 |" in card and "modsmith's ChatML default" in card

    usage = re.search(r"```python\n(.*?)```", card, re.S).group(1)  # the card's own snippet loads it
    printed: list = []
    namespace = {"print": printed.append}
    exec(usage, namespace)
    assert type(namespace["model"]).__name__ == "PeftModelForCausalLM" and len(printed) == 1
