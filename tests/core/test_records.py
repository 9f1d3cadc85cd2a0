import json

import pytest

from modsmith.errors import ModsmithError
from modsmith.records import (
    Document,
    Example,
    JsonlWriter,
    Message,
    Provenance,
    read_jsonl,
    read_records,
    write_jsonl,
)


def _example(text: str = "hi") -> Example:
    return Example.create(
        "code.explain",
        [
            Message(role="user", content="Explain", input=text),
            Message(role="assistant", content="It greets."),
        ],
        [Provenance(source="/repo", path="src/a.c", lines=(1, 3), commit="abc")],
    )


def test_example_id_is_a_stable_content_hash():
    assert _example().id == _example().id
    assert _example("hi").id != _example("bye").id


def test_jsonl_round_trip_keeps_every_field(tmp_path):
    doc = Document(
        id="d1",
        kind="code",
        text="int x;",
        lang="c",
        provenance=Provenance(source="/r", path="a.h"),
        meta={"symbol": "x"},
    )
    example = _example()
    path = tmp_path / "mixed.jsonl"
    assert write_jsonl(path, [doc, example]) == 2
    back = list(read_records(path))
    assert back == [doc, example]
    assert next(read_jsonl(path, Document)) == doc


def test_bad_line_names_file_and_line(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text(_example().model_dump_json() + "\n\n" + json.dumps({"id": "x", "task": "t"}) + "\n")
    with pytest.raises(ModsmithError) as err:
        list(read_jsonl(path, Example))
    assert err.value.where == f"{path}:3"
    assert "messages" in err.value.message


def test_not_json_line_is_an_error(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text("{not json\n")
    with pytest.raises(ModsmithError) as err:
        list(read_records(path))
    assert err.value.where == f"{path}:1"


def test_missing_file_is_an_error(tmp_path):
    with pytest.raises(ModsmithError, match="file not found"):
        list(read_jsonl(tmp_path / "nope.jsonl", Example))


def test_writer_leaves_previous_file_when_interrupted(tmp_path):
    path = tmp_path / "out.jsonl"
    write_jsonl(path, [_example("old")])
    before = path.read_text()
    with pytest.raises(RuntimeError):
        with JsonlWriter(path) as writer:
            writer.write(_example("new"))
            raise RuntimeError("killed")
    assert path.read_text() == before
    assert not (tmp_path / "out.jsonl.tmp").exists()


def test_a_document_mentioning_messages_is_still_a_document(tmp_path):
    doc = Document(
        id="d",
        kind="text",
        text='he said "messages" twice',
        provenance=Provenance(source="g"),
        meta={"field": "messages"},
    )
    path = tmp_path / "docs.jsonl"
    write_jsonl(path, [doc])
    assert list(read_records(path)) == [doc]
