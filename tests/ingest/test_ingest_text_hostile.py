"""ingest.text on hostile input: special files it must not open, markup it must not stall on.

A FIFO named `.md` would block the stage for good, and a post full of unclosed BBCode tags used to
take time growing with the square of its length. Each case runs in a child process with a time
and memory limit, so a regression fails its test instead of hanging the suite.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import pytest

GUIDE = "# Shine\n\nJump, then shine out of the jump to wavedash back onto the ledge.\n"

STAGE = textwrap.dedent(
    """
    import json, resource, sys
    resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))  # reading /dev/zero fails, not swaps
    from modsmith.errors import ModsmithError
    from modsmith.ingest.text import IngestText
    from modsmith.stage import Rejects
    stage, rejects = IngestText({"paths": sys.argv[1:], "min_chunk_tokens": 1}), Rejects()
    try:
        paths = [doc.provenance.path for doc in stage.process([], rejects)]
        fingerprint = stage.source_fingerprint()
    except ModsmithError as exc:
        paths, fingerprint = exc.one_line(), ""
    print(json.dumps({"paths": paths, "skipped": stage.summary()["skipped"],
                      "rejected": {k: v[0]["record"]["path"] for k, v in rejects.samples.items()}}))
    """
)


def run_stage_child(*paths) -> dict:
    try:
        done = subprocess.run(
            [sys.executable, "-c", STAGE, *map(str, paths)], capture_output=True, text=True, timeout=60
        )
    except subprocess.TimeoutExpired:
        pytest.fail("ingest.text blocked on a special file")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


@pytest.fixture
def folder_with_fifo(tmp_path):
    (tmp_path / "a-guide.md").write_text(GUIDE)
    os.mkfifo(tmp_path / "b-pipe.md")  # opening it for reading waits for a writer that never comes
    os.symlink("/dev/zero", tmp_path / "c-zero.txt")  # a device behind a link reads forever
    return tmp_path


def test_fifo_and_device_in_a_folder_are_skipped_with_a_reason(folder_with_fifo):
    result = run_stage_child(folder_with_fifo)
    assert result["paths"] == ["a-guide.md"]
    assert result["skipped"] == {"not a regular file": 2}
    assert result["rejected"] == {"not a regular file": "b-pipe.md"}


def test_fifo_given_directly_is_skipped_with_a_reason(folder_with_fifo):
    result = run_stage_child(folder_with_fifo / "b-pipe.md", folder_with_fifo / "a-guide.md")
    assert result["paths"] == ["a-guide.md"]
    assert result["skipped"] == {"not a regular file": 1}


def test_only_a_fifo_is_an_error_that_says_so(folder_with_fifo):
    result = run_stage_child(folder_with_fifo / "b-pipe.md")
    assert "no readable guide files" in result["paths"] and "1 not a regular file" in result["paths"]


BBCODE = """
import resource, sys
resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))
from modsmith.ingest.html_cleaning import strip_bbcode
text = sys.argv[1] * int(sys.argv[3]) + sys.argv[2] * int(sys.argv[3])
print(len(strip_bbcode(text, keep_lines=True)))
"""


@pytest.mark.parametrize(
    ("head", "tail", "kept"),
    [
        ("[b]x ", "", 5),  # never closed: each opening tag used to scan on to the end of the text
        ("[img]x ", "", 7),
        ("[quote]x ", "", 2),  # stray quote tags are removed, their text kept
        ("[url=x ", "", 7),  # a parameter that never ends
        ("[b]", "x[/b]", 1),  # nested 200,000 deep: one regex pass per level
        ("[quote]", "x[/quote]", 0),
    ],
)
def test_unclosed_bbcode_takes_one_pass(head, tail, kept):
    """Each case took minutes before (quadratic); now well under a second, so 60 s means stuck."""
    repeats = 200_000
    try:
        done = subprocess.run(
            [sys.executable, "-c", BBCODE, head, tail, str(repeats)],
            capture_output=True,
            text=True,
            timeout=60,
        )
    except subprocess.TimeoutExpired:
        pytest.fail("strip_bbcode is not linear")
    assert done.returncode == 0, done.stderr[-2000:]
    assert int(done.stdout) <= kept * repeats


def test_closing_bbcode_tag_pairs_with_the_nearest_open_one():
    from modsmith.ingest.html_cleaning import strip_bbcode

    # code before a tag pair keeps its brackets (the first `[i]` used to take the pair's `[/i]`)
    assert strip_bbcode("a[i] = b[i]; [i]note[/i]") == "a[i] = b[i]; note"
    assert strip_bbcode("[code]x[i] = 0;[/code] [i]so[/i]") == "x[i] = 0; so"
    assert strip_bbcode("[b]1[b]2[/b]3[/b]") == "123"
    assert strip_bbcode("[QUOTE]a[quote]b[/quote]c[/Quote]d [quote]e") == "d e"
    assert strip_bbcode("x[img]a[video]b[/video]c[/img]y[img]z") == "xy[img]z"
    assert strip_bbcode("[quote]\n[b]\n[/quote]\nend", keep_lines=True) == "\n\n\nend"
