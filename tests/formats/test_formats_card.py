"""Dataset card: README.md front matter, tables and the token-length histogram."""

import yaml

from modsmith.formats import CardStats, approx_token_count, write_dataset_card
from modsmith.records import Check, Example, Message, Provenance


def example(n, task="explain", source="/repos/lanterns", checks=None):
    return Example.create(
        task=task,
        messages=[
            Message(role="user", content=f"What does function {n} do?", input="int x = 3;"),
            Message(role="assistant", content="It " + "counts " * n + "frames."),
        ],
        provenance=[Provenance(source=source, path=f"src/f{n}.c")],
    ).model_copy(update={"checks": checks or {}})


def front_matter(text):
    assert text.startswith("---\n")
    return yaml.safe_load(text.split("---\n")[1])


def filled_stats(count_tokens=approx_token_count):
    stats = CardStats(count_tokens=count_tokens)
    for n in range(6):
        checks = {"compiles": Check(passed=n != 2), "answer_mentions_name": Check(passed=True)}
        stats.add(example(n, checks=checks), "train")
    stats.add(example(10, task="write", source="guides/actors"), "valid")
    stats.add_file("train.sharegpt.jsonl", "sharegpt", "train", 6)
    stats.add_file("valid.sharegpt.jsonl", "sharegpt", "valid", 1)
    stats.add_file("train.alpaca.jsonl", "alpaca", "train", 5)
    stats.add_file("valid.alpaca.jsonl", "alpaca", "valid", 1)
    stats.add_rejected("alpaca", "multi-turn")
    return stats


def test_card_front_matter_is_hugging_face_style(tmp_path):
    readme = write_dataset_card(tmp_path, filled_stats())
    meta = front_matter(readme.read_text(encoding="utf-8"))
    assert meta["task_categories"] == ["text-generation"]
    assert meta["configs"][0] == {
        "config_name": "sharegpt",
        "default": True,
        "data_files": [
            {"split": "train", "path": "train.sharegpt.jsonl"},
            {"split": "validation", "path": "valid.sharegpt.jsonl"},
        ],
    }
    assert meta["configs"][1]["config_name"] == "alpaca" and "default" not in meta["configs"][1]


def test_card_tables_show_counts_checks_files_and_rejects(tmp_path):
    text = write_dataset_card(tmp_path, filled_stats(), title="Lantern dataset").read_text(encoding="utf-8")
    assert "# Lantern dataset" in text
    assert "| train | 6 |" in text and "| valid | 1 |" in text
    assert "| explain | 6 | 0 | 6 |" in text and "| write | 0 | 1 | 1 |" in text
    assert "| /repos/lanterns | 6 | 0 | 6 |" in text and "| guides/actors | 0 | 1 | 1 |" in text
    assert "| compiles | 5 | 1 |" in text and "| answer_mentions_name | 6 | 0 |" in text
    assert "| train.alpaca.jsonl | alpaca | train | 5 |" in text
    assert "| alpaca | multi-turn | 1 |" in text
    assert "![token lengths](token_lengths.png)" in text


def test_histogram_is_a_png_and_lengths_use_the_given_counter(tmp_path):
    stats = filled_stats(count_tokens=len)
    write_dataset_card(tmp_path, stats)
    assert (tmp_path / "token_lengths.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    full_text = "What does function 0 do?\n\nint x = 3;\n\nIt frames."
    assert stats.token_lengths["train"][0] == len(full_text)
    assert approx_token_count("int x = 3;") == 5


def test_empty_card_says_no_checks_and_no_examples(tmp_path):
    text = write_dataset_card(tmp_path, CardStats()).read_text(encoding="utf-8")
    assert "No checks run." in text
    assert "No examples." in text
    assert not (tmp_path / "token_lengths.png").exists()
    assert front_matter(text)["configs"] == []


def test_card_says_no_checks_when_examples_have_none(tmp_path):
    stats = CardStats()
    stats.add(example(1), "train")
    text = write_dataset_card(tmp_path, stats).read_text(encoding="utf-8")
    assert "No checks run." in text
    assert "| compiles |" not in text
