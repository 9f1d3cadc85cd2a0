"""export_dataset / import_examples / detect_format on real files."""

import json

import pytest

from modsmith.errors import ModsmithError
from modsmith.example_formats import TO_FORMAT
from modsmith.formats import detect_format, export_dataset, import_examples
from modsmith.records import Check, Example, JsonlWriter, Message, Provenance, read_jsonl, write_jsonl

TEXTS = [
    "What does Lantern_Update do?",
    "Ünïcödé — 日本語 🎮",
    "two\nlines",
    "```c\nstatic s16 sTimer = 0;\n```",
    'a "quoted" \\ path',
]


def make_examples(count=40):
    examples = []
    for n in range(count):
        text = TEXTS[n % len(TEXTS)]
        messages = [Message(role="system", content="You help with actor code.")] if n % 3 == 0 else []
        messages.append(
            Message(role="user", content=f"{text} #{n}", input="x = 1;\ny = 2;" if n % 2 else None)
        )
        messages.append(Message(role="assistant", content=f"Answer {n}: {TEXTS[(n + 1) % len(TEXTS)]}"))
        if n % 10 == 9:  # a few multi-turn examples
            messages += [
                Message(role="user", content="And then?"),
                Message(role="assistant", content="Done."),
            ]
        provenance = [Provenance(source="/repos/lanterns", path=f"src/file_{n % 8}.c", lines=(1, 9))]
        checks = {"compiles": Check(passed=n % 4 != 0)} if n % 2 == 0 else {}
        examples.append(
            Example.create(
                task=["explain", "write"][n % 2], messages=messages, provenance=provenance
            ).model_copy(update={"checks": checks})
        )
    return examples


@pytest.fixture
def examples_file(tmp_path):
    path = tmp_path / "examples.jsonl"
    write_jsonl(path, make_examples())
    return path


def read_lines(path):
    return path.read_text(encoding="utf-8").splitlines()


def test_export_writes_every_format_and_split_and_reports_rejects(examples_file, tmp_path):
    out = tmp_path / "out"
    summary = export_dataset(
        examples_file, out, formats=["alpaca", "sharegpt", "openai"], valid_fraction=0.25
    )
    names = {f"{side}.{fmt}.jsonl" for side in ("train", "valid") for fmt in ("alpaca", "sharegpt", "openai")}
    assert set(summary["files"]) == names
    assert summary["examples"] == 40
    assert summary["splits"]["train"] + summary["splits"]["valid"] == 40
    assert summary["splits"]["valid"] > 0
    for name, lines in summary["files"].items():
        assert len(read_lines(out / name)) == lines
    assert summary["files"]["train.sharegpt.jsonl"] + summary["files"]["valid.sharegpt.jsonl"] == 40
    assert summary["rejected"] == {"alpaca": {"multi-turn": 4}}
    assert summary["files"]["train.alpaca.jsonl"] + summary["files"]["valid.alpaca.jsonl"] == 36
    assert not list(out.glob("*.tmp"))
    assert (out / "README.md").is_file() and (out / "token_lengths.png").is_file()
    first = json.loads(read_lines(out / "train.openai.jsonl")[0])
    assert set(first) == {"messages"}


def test_no_source_file_feeds_both_splits(examples_file, tmp_path):
    export_dataset(examples_file, tmp_path / "out", formats=["openai"], valid_fraction=0.3, keep_meta=True)

    def paths(side):
        lines = read_lines(tmp_path / "out" / f"{side}.openai.jsonl")
        return {json.loads(line)["provenance"][0]["path"] for line in lines}

    assert paths("train") and paths("valid")
    assert not paths("train") & paths("valid")


@pytest.mark.parametrize("keep_meta", [False, True], ids=["plain", "keep_meta"])
@pytest.mark.parametrize("fmt", ["alpaca", "sharegpt", "openai"])
def test_export_import_export_is_byte_identical(examples_file, tmp_path, fmt, keep_meta):
    out = tmp_path / "out"
    export_dataset(examples_file, out, formats=[fmt], keep_meta=keep_meta)
    for side in ("train", "valid"):
        exported = out / f"{side}.{fmt}.jsonl"
        again = tmp_path / f"again.{side}.{fmt}.jsonl"
        with JsonlWriter(again) as writer:
            for example in import_examples(exported):
                writer.write(TO_FORMAT[fmt](example, keep_meta=keep_meta))
        assert again.read_bytes() == exported.read_bytes()
        assert again.stat().st_size > 0


def test_keep_meta_import_restores_the_original_examples(examples_file, tmp_path):
    out = tmp_path / "out"
    export_dataset(examples_file, out, formats=["sharegpt"], keep_meta=True)
    originals = {e.id: e for e in read_jsonl(examples_file, Example)}
    imported = [e for side in ("train", "valid") for e in import_examples(out / f"{side}.sharegpt.jsonl")]
    assert len(imported) == len(originals)
    for example in imported:
        original = originals[example.id]
        assert (example.task, example.messages, example.provenance) == (
            original.task,
            original.messages,
            original.provenance,
        )


def test_import_without_ids_creates_them_with_the_given_task(tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text(
        json.dumps({"instruction": "Say hi", "input": "", "output": "hi"}) + "\n\n", encoding="utf-8"
    )
    (example,) = import_examples(path, task="greetings")
    assert example.task == "greetings"
    assert example.id == Example.create(task="greetings", messages=example.messages).id
    assert example.messages[0].input is None


@pytest.mark.parametrize(
    "record, fmt",
    [
        ({"instruction": "a", "input": "", "output": "b"}, "alpaca"),
        ({"conversations": [{"from": "human", "value": "a"}]}, "sharegpt"),
        ({"messages": [{"role": "user", "content": "a"}]}, "openai"),
    ],
)
def test_detect_format_from_first_line(tmp_path, record, fmt):
    path = tmp_path / "data.jsonl"
    path.write_text("\n" + json.dumps(record) + "\n", encoding="utf-8")
    assert detect_format(path) == fmt
    assert len(list(import_examples(path))) == 1


def test_unknown_keys_name_the_line(tmp_path):
    path = tmp_path / "data.jsonl"
    path.write_text('\n{"prompt": "a", "completion": "b"}\n', encoding="utf-8")
    with pytest.raises(ModsmithError) as caught:
        detect_format(path)
    assert caught.value.where == f"{path}:2"


def test_bad_json_and_missing_keys_name_the_line(tmp_path):
    good = json.dumps({"messages": [{"role": "user", "content": "a"}]})
    path = tmp_path / "data.jsonl"
    path.write_text(f"{good}\n{{not json\n", encoding="utf-8")
    with pytest.raises(ModsmithError) as caught:
        list(import_examples(path))
    assert caught.value.where == f"{path}:2"
    assert "not valid JSON" in caught.value.message

    path.write_text(
        f"{good}\n{good}\n" + json.dumps({"messages": [{"role": "user"}]}) + "\n", encoding="utf-8"
    )
    with pytest.raises(ModsmithError) as caught:
        list(import_examples(path, fmt="openai"))
    assert caught.value.where == f"{path}:3"
    assert "content" in caught.value.message


def test_explicit_format_that_does_not_match_fails_on_the_first_line(tmp_path):
    path = tmp_path / "data.jsonl"
    path.write_text(json.dumps({"messages": [{"role": "user", "content": "a"}]}) + "\n", encoding="utf-8")
    with pytest.raises(ModsmithError) as caught:
        list(import_examples(path, fmt="alpaca"))
    assert caught.value.where == f"{path}:1"


def test_import_of_missing_or_empty_file(tmp_path):
    with pytest.raises(ModsmithError) as caught:
        import_examples(tmp_path / "nope.jsonl")
    assert caught.value.where == str(tmp_path / "nope.jsonl")
    empty = tmp_path / "empty.jsonl"
    empty.write_text("", encoding="utf-8")
    assert list(import_examples(empty)) == []


@pytest.mark.parametrize(
    "kwargs, words",
    [
        ({"formats": ["csv"]}, "unknown export format"),
        ({"formats": []}, "no export format"),
        ({"formats": ["text"]}, "needs a tokenizer"),
        ({"valid_fraction": 1.0}, "valid_fraction"),
    ],
)
def test_export_refuses_bad_arguments_and_writes_nothing(examples_file, tmp_path, kwargs, words):
    with pytest.raises(ModsmithError) as caught:
        export_dataset(examples_file, tmp_path / "out", **kwargs)
    assert words in caught.value.message
    assert not list(tmp_path.glob("out/*"))


def test_a_bad_input_line_leaves_no_files_behind(tmp_path):
    path = tmp_path / "examples.jsonl"
    write_jsonl(path, make_examples(3))
    with path.open("a", encoding="utf-8") as handle:
        handle.write('{"id": "x"}\n')
    with pytest.raises(ModsmithError) as caught:
        export_dataset(path, tmp_path / "out")
    assert caught.value.where == f"{path}:4"
    assert not list(tmp_path.glob("out/*"))
