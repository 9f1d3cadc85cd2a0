"""Dataset mixing (`train.mixing`, `sft_data.load_mixed`): weights, caps, shares, the report, validation.

No model: the mix is plain data. The skew is the zeldaret/oot one in small: 90% `code.macro`, 5%
`code.implement`, 5% `code.explain`.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from pydantic import ValidationError
from typer.testing import CliRunner

from modsmith.cli import app
from modsmith.errors import ModsmithError
from modsmith.example_formats import to_sharegpt
from modsmith.records import Example, Message, Provenance, write_jsonl
from modsmith.train.mixing import MixSettings, MixSource, mix_examples, proportional_counts
from modsmith.train.sft_config import SFTRunConfig
from modsmith.train.sft_data import load_mixed, load_split

SKEW = {"code.macro": 180, "code.implement": 10, "code.explain": 10}


def example(task: str, number: int, source: str = "/src/zeldaret/oot", path: str | None = None) -> Example:
    messages = [
        Message(role="user", content=f"{task} question {number}"),
        Message(role="assistant", content=f"answer {number}"),
    ]
    return Example.create(task, messages, [Provenance(source=source, path=path or f"{task}/{number}.c")])


def skewed(counts: dict[str, int] = SKEW, source: str = "/src/zeldaret/oot") -> list[Example]:
    return [example(task, number, source) for task, count in counts.items() for number in range(count)]


def mixed(examples: list[Example], weight: float = 1.0, seed: int = 0, **settings):
    return mix_examples([MixSource("main.jsonl", weight, examples)], MixSettings(**settings), seed)


def tasks_of(examples: list[Example]) -> Counter[str]:
    return Counter(example.task for example in examples)


def run_config(tmp_path: Path, dataset: Path | None = None, **fields) -> SFTRunConfig:
    dataset = dataset or tmp_path / "main.jsonl"
    return SFTRunConfig(dataset=dataset, base="tiny", output_dir=tmp_path / "out", **fields)


def test_a_cap_keeps_at_most_n_of_the_task_and_leaves_the_others():
    kept, _ = mixed(skewed(), task_caps={"code.macro": 20})
    assert tasks_of(kept) == {"code.macro": 20, "code.implement": 10, "code.explain": 10}
    kept, _ = mixed(skewed(), task_caps={"code.*": 30})  # a glob caps its tasks together, in proportion
    assert tasks_of(kept) == {"code.macro": 27, "code.implement": 1, "code.explain": 2}  # a tie: by name
    kept, _ = mixed(skewed(), task_caps={"code.*": 30, "code.explain": 10})  # an exact name wins
    assert tasks_of(kept) == {"code.macro": 28, "code.implement": 2, "code.explain": 10}


def test_a_share_drops_examples_until_the_task_is_that_fraction():
    kept, _ = mixed(skewed(), task_shares={"code.macro": 0.5})
    assert tasks_of(kept) == {"code.macro": 20, "code.implement": 10, "code.explain": 10}
    kept, _ = mixed(skewed(), task_shares={"code.implement": 0.25, "code.explain": 0.25})
    assert tasks_of(kept) == {"code.macro": 20, "code.implement": 10, "code.explain": 10}
    kept, _ = mixed(skewed(), task_shares={"code.macro": 0.0})
    assert tasks_of(kept) == {"code.implement": 10, "code.explain": 10}


def test_caps_come_first_and_bound_what_shares_keep():
    kept, report = mixed(skewed(), task_caps={"code.implement": 4}, task_shares={"code.implement": 0.2})
    assert tasks_of(kept) == {"code.macro": 15, "code.implement": 4, "code.explain": 1}
    assert report.tasks["code.implement"].cap == -6 and report.tasks["code.macro"].share == -165


def test_weights_draw_each_example_weight_times_on_average():
    examples = skewed()
    twice, _ = mixed(examples, weight=2)
    assert set(Counter(example.id for example in twice).values()) == {2} and len(twice) == 400
    half, _ = mixed(examples, weight=0.5)
    assert len({example.id for example in half}) == len(half) == 100
    assert tasks_of(half) == {"code.macro": 90, "code.implement": 5, "code.explain": 5}
    one_and_half, _ = mixed(examples, weight=1.5)
    assert len(one_and_half) == 300 and len({example.id for example in one_and_half}) == 200
    none, _ = mixed(examples, weight=0)
    assert none == []


def test_a_cut_drops_repeats_before_any_example_is_left_out():
    kept, _ = mixed(skewed(), weight=2, task_caps={"code.macro": 180})
    macro = [example.id for example in kept if example.task == "code.macro"]
    assert len(macro) == len(set(macro)) == 180


def test_the_mix_is_the_same_for_a_seed_and_another_for_another_seed():
    examples = skewed()
    first, _ = mixed(examples, weight=0.5, task_caps={"code.macro": 30}, seed=3)
    again, _ = mixed(examples, weight=0.5, task_caps={"code.macro": 30}, seed=3)
    other, _ = mixed(examples, weight=0.5, task_caps={"code.macro": 30}, seed=4)
    assert [example.id for example in first] == [example.id for example in again]
    assert [example.id for example in first] != [example.id for example in other]


def test_the_mix_is_the_same_in_another_process(tmp_path):
    path = tmp_path / "examples.jsonl"
    write_jsonl(path, skewed())
    script = (
        "import json, sys\n"
        "from modsmith.records import Example, read_jsonl\n"
        "from modsmith.train.mixing import MixSettings, MixSource, mix_examples\n"
        "examples = list(read_jsonl(sys.argv[1], Example))\n"
        "settings = MixSettings(task_caps={'code.macro': 50}, task_shares={'code.explain': 0.1})\n"
        "kept, _ = mix_examples([MixSource('main.jsonl', 1.5, examples)], settings, 7)\n"
        "print(json.dumps([example.id for example in kept]))\n"
    )
    env = {**os.environ, "PYTHONHASHSEED": "12345"}  # a string hash() would differ from this process's
    done = subprocess.run(
        [sys.executable, "-c", script, str(path)], capture_output=True, text=True, env=env, timeout=120
    )
    assert done.returncode == 0, done.stderr
    here, _ = mixed(skewed(), 1.5, 7, task_caps={"code.macro": 50}, task_shares={"code.explain": 0.1})
    assert json.loads(done.stdout) == [example.id for example in here]


def test_the_report_says_per_task_and_source_what_each_step_did():
    examples = skewed() + skewed({"guide.qa": 20}, source="/guides/wiki/")
    _, report = mixed(examples, task_caps={"code.macro": 60}, source_shares={"wiki": 0.25, "absent": 0.1})
    data = json.loads(json.dumps(report.as_dict()))  # JSON-able as it is
    assert data["train_examples"] == 80 and data["held_out_examples"] == 0
    macro = data["tasks"]["code.macro"]
    # the cap leaves oot 60 + 10 + 10; wiki's share 0.25 then cuts oot to 60, its tasks in proportion
    assert (macro["available"], macro["weight"], macro["cap"], macro["share"], macro["kept"]) == (
        (180, 0, -120, -15, 45)
    )
    assert data["tasks"]["code.explain"]["kept"] == 8 and data["tasks"]["code.implement"]["kept"] == 7
    assert data["sources"]["wiki"] == {
        "available": 20,
        "weight": 0,
        "cap": 0,
        "share": 0,
        "kept": 20,
        "held_out": 0,
        "share_of_train": 0.25,
    }
    assert data["sources"]["oot"]["kept"] == 60 and data["sources"]["oot"]["share_of_train"] == 0.75
    capped = {"field": "task_caps", "group": "code.macro", "asked": 60, "kept": 45, "share_of_train": 0.5625}
    assert capped in data["targets"]
    assert data["warnings"] == ["source_shares: no training example of source 'absent'"]
    lines = report.lines()
    assert lines[0] == "training mix (seed 0): 220 examples -> 80; held-out 0 (not mixed)"
    assert any(line.split() == ["code.macro", "180", "-", "-120", "-15", "45", "56.2", "0"] for line in lines)
    assert "  warning: source_shares: no training example of source 'absent'" in lines


def test_shares_of_every_group_summing_under_one_are_scaled_with_a_warning():
    kept, report = mixed(skewed(), task_shares={"code.*": 0.5})
    assert len(kept) == 200 and "scaled to 1" in report.warnings[0]


def test_two_datasets_are_mixed_and_their_held_out_splits_kept_once(tmp_path):
    write_jsonl(tmp_path / "main.jsonl", skewed())
    folder = tmp_path / "guides"  # a dataset folder as `modsmith format` writes it, with the meta kept
    folder.mkdir()
    guide = skewed({"guide.qa": 30}, source="/guides/wiki")
    for side, part in (("train", guide[:24]), ("valid", guide[24:])):
        lines = [json.dumps(to_sharegpt(item, keep_meta=True)) for item in part]
        (folder / f"{side}.sharegpt.jsonl").write_text("\n".join(lines) + "\n")
    config = run_config(tmp_path, mix_datasets={str(folder): 2}, dataset_weight=0.5, valid_fraction=0.2)
    main_train, main_valid = load_split(config)
    split = load_mixed(config)
    assert tasks_of(split.train)["guide.qa"] == 48
    assert len(split.train) == round(len(main_train) / 2) + 48
    assert len(split.valid) == len(main_valid) + 6 and tasks_of(split.valid)["guide.qa"] == 6
    names = [(item["name"], item["weight"], item["available"]) for item in split.report.datasets]
    assert names == [(str(tmp_path / "main.jsonl"), 0.5, len(main_train)), (str(folder), 2, 24)]
    assert split.report.sources["wiki"].kept == 48 and split.report.sources["wiki"].held_out == 6


def test_without_mix_settings_load_mixed_is_load_split(tmp_path):
    write_jsonl(tmp_path / "main.jsonl", skewed())
    config = run_config(tmp_path)
    split = load_mixed(config)
    assert (split.train, split.valid) == load_split(config)
    assert split.report.train_total == len(split.train) and split.report.warnings == []


def test_a_missing_mix_dataset_is_named(tmp_path):
    write_jsonl(tmp_path / "main.jsonl", skewed())
    missing = tmp_path / "other.jsonl"
    with pytest.raises(ModsmithError, match="no such mix dataset") as caught:
        load_mixed(run_config(tmp_path, mix_datasets={str(missing): 1}))
    assert caught.value.where == str(missing)


@pytest.mark.parametrize(
    ("fields", "named", "message"),
    [
        ({"task_shares": {"code.macro": 0.7, "code.explain": 0.4}}, "task_shares", "sum to 1.1, over 1"),
        ({"source_shares": {"oot": 1.5}}, "source_shares", "give a fraction from 0 to 1"),
        ({"task_caps": {"code.macro": -1}}, "task_caps", "give 0 or more"),
        ({"source_caps": {"": 3}}, "source_caps", "name a task or source"),
        ({"mix_datasets": {"other.jsonl": -2}}, "mix_datasets", "the weight of other.jsonl is -2"),
        ({"dataset_weight": -1}, "dataset_weight", "greater than or equal to 0"),
        ({"dataset_weight": 0}, "mix_datasets", "every dataset has weight 0"),
        ({"task_shares": {"a": 0.5}, "source_shares": {"b": 0.5}}, "source_shares", "not both"),
        ({"mix_datasets": {"main.jsonl": 1}}, "dataset", "also in mix_datasets"),
    ],
)
def test_impossible_mix_settings_are_refused_naming_the_field(tmp_path, monkeypatch, fields, named, message):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ValidationError) as caught:
        SFTRunConfig(dataset=Path("main.jsonl"), base="tiny", output_dir=tmp_path / "out", **fields)
    error = caught.value.errors()[0]
    assert error["loc"][0] == named and message in error["msg"]


def test_the_command_line_takes_the_mix_options_and_names_a_bad_one(tmp_path):
    runner = CliRunner()
    shown = runner.invoke(app, ["train", "--help"], terminal_width=200)
    assert shown.exit_code == 0, shown.output
    for option in ("--dataset-weight FLOAT", "--mix-datasets KEY=VALUE", "--task-caps KEY=VALUE"):
        assert option in shown.output
    assert "--task-shares KEY=VALUE" in shown.output and "--source-caps KEY=VALUE" in shown.output
    assert "--source-shares KEY=VALUE" in shown.output and "PATH=WEIGHT" in shown.output
    write_jsonl(tmp_path / "main.jsonl", skewed())
    args = ["train", str(tmp_path / "main.jsonl"), "--base", "tiny", "-o", str(tmp_path / "out")]
    shares = ["--task-shares", "code.macro=0.8", "--task-shares", "code.explain=0.3"]
    refused = runner.invoke(app, [*args, *shares])
    assert isinstance(refused.exception, ModsmithError)
    assert refused.exception.message.startswith("option --task-shares: Value error, the shares sum to 1.1")


def test_proportional_counts_share_the_rest_by_largest_remainder():
    assert proportional_counts({"a": 180, "b": 10, "c": 10}, 30) == {"a": 27, "b": 2, "c": 1}
    assert proportional_counts({"a": 5, "b": 5}, 20) == {"a": 5, "b": 5}
