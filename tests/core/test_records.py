import json
import os
import subprocess
import sys

import pytest

from modsmith.errors import ModsmithError
from modsmith.records import (
    Document,
    Example,
    JsonlWriter,
    Message,
    Provenance,
    content_id,
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


def test_ids_do_not_depend_on_the_order_of_keys():
    """The same content gives the same id however its mappings were built (a record's meta, a
    symbol's parts), so a rerun, or another tool, finds the same records."""
    one = content_id("code.explain", {"symbol": "Actor_Spawn", "lines": [1, 3], "kind": {"b": 1, "a": 2}})
    other = content_id("code.explain", {"kind": {"a": 2, "b": 1}, "lines": [1, 3], "symbol": "Actor_Spawn"})
    assert one == other
    assert content_id("code.explain", {"symbol": "Actor_Kill"}) != content_id("code.explain", {"symbol": "x"})


def test_an_examples_id_covers_its_task_and_every_turn():
    messages = _example().messages
    assert Example.create("code.explain", messages).id != Example.create("code.implement", messages).id
    edited = [messages[0], Message(role="assistant", content="It says hello.")]
    assert Example.create("code.explain", edited).id != Example.create("code.explain", messages).id


def test_a_file_saved_with_a_byte_order_mark_reads(tmp_path):
    """Windows editors start UTF-8 files with a byte-order mark: line 1 still parses, as every line."""
    path = tmp_path / "notepad.jsonl"
    records = [_example("one"), _example("two")]
    path.write_bytes(b"\xef\xbb\xbf" + "".join(r.model_dump_json() + "\n" for r in records).encode())
    assert list(read_jsonl(path, Example)) == records
    assert list(read_records(path)) == records


def test_a_folder_as_the_output_fails_before_anything_is_written(tmp_path):
    folder = tmp_path / "out"
    folder.mkdir()
    entered = False
    with pytest.raises(ModsmithError, match="is a directory") as err:
        with JsonlWriter(folder) as writer:
            entered = True  # a stage would run here, maybe for hours
            writer.write(_example())
    assert not entered, "the stage ran before the output was found unusable"
    assert err.value.where == str(folder)
    assert list(tmp_path.iterdir()) == [folder] and not list(folder.iterdir())


def dead_pid() -> int:
    """The PID of a process that has ended."""
    done = subprocess.Popen([sys.executable, "-c", "pass"])
    done.wait()
    return done.pid


def test_temporaries_of_dead_writers_are_swept_and_those_of_live_ones_kept(tmp_path):
    """A writer killed by -9 leaves `.NAME.PID.*.tmp` beside its output; the next writer of that
    output removes it (file or folder), but never a live process's, nor another output's."""
    out = tmp_path / "data.jsonl"
    dead = dead_pid()
    dead_file = tmp_path / f".data.jsonl.{dead}.0badcafe.tmp"
    dead_folder = tmp_path / f".data.jsonl.{dead}.1badcafe.tmp"
    live = tmp_path / f".data.jsonl.{os.getppid()}.2badcafe.tmp"  # the process that started this one
    other_output = tmp_path / f".other.jsonl.{dead}.3badcafe.tmp"
    not_a_pid = tmp_path / ".data.jsonl.notapid.4badcafe.tmp"
    for path in (dead_file, live, other_output, not_a_pid):
        path.write_text("partial\n")
    dead_folder.mkdir()
    (dead_folder / "train.jsonl").write_text("{}\n")
    write_jsonl(out, [_example()])
    assert not dead_file.exists() and not dead_folder.exists()
    assert live.exists() and other_output.exists() and not_a_pid.exists()
    assert len(list(read_jsonl(out, Example))) == 1
