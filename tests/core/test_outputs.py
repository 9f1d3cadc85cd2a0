"""Outputs as a careless or hostile user gives them: over an input, into a folder, onto /proc, two
runs at once, a crash between a stage's files. Nothing already produced may be lost."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from test_run import make_tree, write_recipe

from modsmith.errors import ModsmithError
from modsmith.recipe import Recipe, StageSpec
from modsmith.records import Document, JsonlWriter, Provenance, read_records, write_jsonl
from modsmith.run import run_lock, run_on_files, run_recipe, run_stages
from modsmith.stage import Stage, StageConfig


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def assert_one_line_error(result, *fragments: str) -> None:
    assert result.returncode == 2, result.stderr
    lines = result.stderr.splitlines()
    assert lines and lines[0].startswith("error: "), result.stderr
    assert "Traceback" not in result.stderr
    for fragment in fragments:
        assert fragment in lines[0], result.stderr


@pytest.fixture
def documents(tmp_path, modsmith):
    root = make_tree(tmp_path / "repo", 6, 2)
    docs = tmp_path / "docs.jsonl"
    assert modsmith("ingest", "code", str(root), "-o", str(docs)).returncode == 0
    return docs


@pytest.fixture
def examples(tmp_path, documents, modsmith):
    out = tmp_path / "examples.jsonl"
    assert modsmith("build", str(documents), "-o", str(out)).returncode == 0
    return out


# -- an output over an input ------------------------------------------------------------------


def test_build_refuses_to_write_over_its_input(documents, modsmith):
    before = documents.read_bytes()
    result = modsmith("build", str(documents), "-o", str(documents))
    assert_one_line_error(result, "the output is the input")
    assert documents.read_bytes() == before


def test_a_hard_link_or_another_spelling_of_the_input_is_the_input(documents, modsmith, tmp_path):
    before = documents.read_bytes()
    link = tmp_path / "link.jsonl"
    os.link(documents, link)
    assert_one_line_error(modsmith("build", str(documents), "-o", str(link)), "the output is the input")
    dotted = f"{tmp_path}/./sub/../{documents.name}"
    (tmp_path / "sub").mkdir()
    assert_one_line_error(modsmith("build", str(documents), "-o", dotted), "the output is the input")
    assert documents.read_bytes() == before


def test_ingest_text_refuses_to_write_over_a_guide(tmp_path, modsmith):
    guide = tmp_path / "g.md"
    guide.write_text("# Wavedashing\n\nJump, then air-dodge diagonally into the ground.\n")
    before = guide.read_bytes()
    assert_one_line_error(modsmith("ingest", "text", str(guide), "-o", str(guide)), "the output is the input")
    assert guide.read_bytes() == before


def test_check_refuses_to_write_over_its_dataset(examples, modsmith):
    before = examples.read_bytes()
    result = modsmith("check", str(examples), "-o", str(examples))
    assert_one_line_error(result, "the output is the input")
    assert examples.read_bytes() == before


def test_format_refuses_a_folder_that_holds_its_input(examples, tmp_path, modsmith):
    dataset = tmp_path / "ds"
    made = modsmith("format", str(examples), "-o", str(dataset), "--to", "sharegpt", "--to", "alpaca")
    assert made.returncode == 0, made.stderr
    before = snapshot(dataset)
    assert before["valid.sharegpt.jsonl"], "the split should hold validation examples"
    train = dataset / "train.sharegpt.jsonl"
    result = modsmith("format", str(train), "--from", "sharegpt", "-o", str(dataset))
    assert_one_line_error(result, "the output folder holds the input")
    assert snapshot(dataset) == before


def test_format_replaces_the_whole_folder_on_one_split(examples, tmp_path, modsmith):
    dataset = tmp_path / "ds"
    made = modsmith("format", str(examples), "-o", str(dataset), "--to", "openai", "--to", "alpaca")
    assert made.returncode == 0, made.stderr
    result = modsmith("format", str(examples), "-o", str(dataset), "--to", "sharegpt", "--seed", "7")
    assert result.returncode == 0, result.stderr
    names = sorted(p.name for p in dataset.iterdir())
    assert names == ["README.md", "token_lengths.png", "train.sharegpt.jsonl", "valid.sharegpt.jsonl"]
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".ds.")]


def test_format_that_fails_leaves_the_old_dataset_whole(examples, tmp_path, modsmith):
    dataset = tmp_path / "ds"
    assert modsmith("format", str(examples), "-o", str(dataset), "--to", "alpaca").returncode == 0
    before = snapshot(dataset)
    alpaca = dataset / "train.alpaca.jsonl"
    elsewhere = tmp_path / "elsewhere.jsonl"
    elsewhere.write_bytes(alpaca.read_bytes())
    # the text format needs a tokenizer: found only after an import has been written, in the past
    result = modsmith("format", str(elsewhere), "--from", "alpaca", "--to", "text", "-o", str(dataset))
    assert_one_line_error(result, "needs a tokenizer")
    lines = examples.read_text().splitlines()
    broken = tmp_path / "broken.jsonl"
    broken.write_text("\n".join([*lines[:5], "{not json", *lines[5:]]) + "\n")
    assert_one_line_error(modsmith("format", str(broken), "-o", str(dataset)), f"{broken}:6")
    assert snapshot(dataset) == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".ds.")]


def test_a_killed_formats_leftover_staging_folder_is_swept_by_the_next_format(examples, tmp_path, modsmith):
    dataset = tmp_path / "ds"
    assert modsmith("format", str(examples), "-o", str(dataset)).returncode == 0
    before = snapshot(dataset)
    stale = tmp_path / ".ds.999999999.0badcafe.tmp"  # as a format killed by -9 leaves it
    stale.mkdir()
    (stale / "train.sharegpt.jsonl").write_text("{}\n")
    assert modsmith("format", str(examples), "-o", str(dataset), "--seed", "3").returncode == 0
    assert not stale.exists()
    assert snapshot(dataset).keys() == before.keys()


def test_format_will_not_sweep_away_a_users_own_files(examples, tmp_path, modsmith):
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "notes.txt").write_text("my notes")
    assert_one_line_error(modsmith("format", str(examples), "-o", str(folder)), "did not write (notes.txt)")
    assert (folder / "notes.txt").read_text() == "my notes"


# -- outputs that cannot be written -----------------------------------------------------------


@pytest.mark.parametrize(
    ("target", "fragment"),
    [
        (lambda tmp: tmp, "is a directory"),
        (lambda tmp: tmp / "afile" / "out.jsonl", "cannot write"),
        (lambda tmp: Path("/proc/modsmith-out.jsonl"), "cannot write"),
    ],
    ids=["existing-directory", "under-a-file", "proc"],
)
def test_an_output_that_cannot_be_written_is_one_line_and_leaves_nothing(
    documents, tmp_path, modsmith, target, fragment
):
    (tmp_path / "afile").write_text("a file, not a folder")
    out = target(tmp_path)
    before = snapshot(tmp_path)
    result = modsmith("build", str(documents), "-o", str(out))
    assert_one_line_error(result, fragment, str(out))
    assert snapshot(tmp_path) == before
    assert not list(tmp_path.rglob("*.tmp"))


def test_a_recipe_output_that_is_a_file(tmp_path):
    root = make_tree(tmp_path / "repo", 2, 1)
    (tmp_path / "runs").write_text("not a folder")
    recipe = write_recipe(tmp_path / "r.yaml", root, tmp_path / "runs")
    with pytest.raises(ModsmithError, match="cannot create the run directory"):
        run_recipe(recipe)
    assert (tmp_path / "runs").read_text() == "not a folder"


def test_a_recipe_cannot_write_its_run_over_its_sources(tmp_path):
    root = make_tree(tmp_path / "repo", 2, 1)
    recipe = write_recipe(tmp_path / "r.yaml", root, tmp_path, name="repo")
    before = snapshot(root)
    with pytest.raises(ModsmithError, match="the output is the input"):
        run_recipe(recipe)
    assert snapshot(root) == before


# -- two writers, two runs --------------------------------------------------------------------


def test_two_writers_of_one_path_never_share_a_temporary_file(tmp_path):
    path = tmp_path / "data.jsonl"
    first, second = JsonlWriter(path), JsonlWriter(path)
    assert first.tmp != second.tmp
    with first:
        with second:
            second.write({"n": 2})
        first.write({"n": 1})
    assert path.read_text() == '{"n": 1}\n'


def test_a_second_run_into_a_held_run_directory_names_the_holder(tmp_path):
    root = make_tree(tmp_path / "repo", 2, 1)
    recipe = write_recipe(tmp_path / "r.yaml", root, tmp_path / "runs")
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys; from pathlib import Path; from modsmith.run import run_lock\n"
            f"with run_lock(Path({str(tmp_path / 'runs' / 'r')!r})):\n"
            "    print('held', flush=True); sys.stdin.read()",
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        message = f"a run is in progress in this run directory \\(PID {holder.pid}\\)"
        with pytest.raises(ModsmithError, match=message):
            run_recipe(recipe)
    finally:
        holder.communicate("")
    assert not (tmp_path / "runs" / "r" / "01-ingest.code").exists()
    result = run_recipe(recipe)  # the lock went with the holder
    assert result.stages[-1].records_out > 0


def test_concurrent_runs_into_one_directory_end_with_the_uninterrupted_dataset(tmp_path, modsmith):
    root = make_tree(tmp_path / "repo", 600, 8)  # long enough for the runs to overlap
    reference = run_recipe(write_recipe(tmp_path / "ref.yaml", root, tmp_path / "ref"))
    expected = (reference.run_dir / "02-synth.tasks" / "data.jsonl").read_bytes()
    recipe = write_recipe(tmp_path / "r.yaml", root, tmp_path / "runs")
    command = [sys.executable, "-m", "modsmith.cli", "run", str(recipe)]
    for _trial in range(3):
        procs = [subprocess.Popen(command, stderr=subprocess.PIPE, text=True) for _ in range(3)]
        outcomes = [(proc.wait(), proc.stderr.read()) for proc in procs]
        for code, stderr in outcomes:
            assert code == 0 or (code == 2 and "a run is in progress" in stderr), stderr
        assert any(code == 0 for code, _ in outcomes)
        assert (tmp_path / "runs" / "r" / "02-synth.tasks" / "data.jsonl").read_bytes() == expected
    assert not list((tmp_path / "runs").rglob("*.tmp"))


# -- a crash between a stage's files ----------------------------------------------------------


class Reporting(Stage):
    """Passes documents through and leaves a report that says how many it saw."""

    name = "test.reporting"

    class Config(StageConfig):
        label: str = "a"

    def process(self, records, rejects):
        self.seen = 0
        for record in records:
            self.seen += 1
            yield record

    def reports(self):
        return {"report.md": f"{self.config.label}: {self.seen}\n"}


class Source(Stage):
    name = "test.source"
    is_source = True

    class Config(StageConfig):
        count: int = 3

    def process(self, records, rejects):
        for n in range(self.config.count):
            yield Document(id=str(n), kind="text", text=f"doc {n}", provenance=Provenance(source="here"))


def test_a_crash_after_the_reports_leaves_the_stage_undone(tmp_path, monkeypatch):
    def recipe(label: str):
        specs = [StageSpec(stage="test.source"), StageSpec(stage="test.reporting", config={"label": label})]
        stages = [Source(Source.Config()), Reporting(Reporting.Config(label=label))]
        return Recipe(name="r", output=str(tmp_path), stages=specs), stages

    run_stages(*recipe("old"))
    report = tmp_path / "r" / "02-test.reporting" / "report.md"
    assert report.read_text() == "old: 3\n"

    import modsmith.run as run_module

    real_write = run_module.write_text_atomic

    def killed_at_second_file(path, text):
        if Path(path).name in ("report.md", "stats.json") and "02-" in str(path):
            if getattr(killed_at_second_file, "wrote", False):
                raise KeyboardInterrupt("killed")
            killed_at_second_file.wrote = True
        real_write(path, text)

    monkeypatch.setattr(run_module, "write_text_atomic", killed_at_second_file)
    with pytest.raises(KeyboardInterrupt):
        run_stages(*recipe("new"))
    monkeypatch.setattr(run_module, "write_text_atomic", real_write)

    rerun = run_stages(*recipe("new"))
    assert rerun.stages[1].skipped is False
    assert report.read_text() == "new: 3\n"


# -- reading what is there ------------------------------------------------------------------


def test_bad_utf8_is_reported_on_its_true_line(tmp_path, examples):
    lines = examples.read_bytes().splitlines(keepends=True) * 3
    assert len(lines) > 70
    broken = tmp_path / "broken.jsonl"
    broken.write_bytes(b"".join(lines[:60]) + b'{"id": "\xff\xfe"}\n' + b"".join(lines[61:]))
    with pytest.raises(ModsmithError) as err:
        list(read_records(broken))
    assert err.value.where == f"{broken}:61"

    from modsmith.formats import import_examples

    alpaca = [json.dumps({"instruction": f"say {n}", "output": f"{n}"}).encode() + b"\n" for n in range(80)]
    alpaca[60] = b'{"instruction": "\xc3\x28", "output": "x"}\n'
    broken.write_bytes(b"".join(alpaca))
    with pytest.raises(ModsmithError) as err:
        list(import_examples(broken, fmt="alpaca"))
    assert err.value.where == f"{broken}:61"


def test_errors_on_stderr_start_with_the_error(modsmith, tmp_path):
    result = modsmith("build", str(tmp_path / "missing.jsonl"), "-o", str(tmp_path / "out.jsonl"))
    assert result.returncode == 2
    assert result.stderr.startswith("error: "), repr(result.stderr[:40])


def test_run_lock_is_released_when_the_holder_is_killed(tmp_path):
    run_dir = tmp_path / "runs" / "r"
    proc = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import os, signal; from pathlib import Path; from modsmith.run import run_lock\n"
            f"with run_lock(Path({str(run_dir)!r})):\n    os.kill(os.getpid(), signal.SIGKILL)",
        ]
    )
    assert proc.wait() == -9
    assert (run_dir / ".lock.pid").read_text().strip() == str(proc.pid)  # the stale holder's note
    with run_lock(run_dir):
        assert (run_dir / ".lock.pid").read_text().strip() == str(os.getpid())


@pytest.fixture
def small_mount(tmp_path):
    """A 64 KiB tmpfs (mounting needs root; skipped where it is not allowed)."""
    point = tmp_path / "mnt"
    point.mkdir()

    def mount(*options: str) -> Path:
        done = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", ",".join(["size=64k", *options]), "tmpfs", str(point)],
            capture_output=True,
        )
        if done.returncode != 0:
            pytest.skip("cannot mount a tmpfs here")
        return point

    yield mount
    subprocess.run(["umount", str(point)], capture_output=True)


def test_a_read_only_file_system_is_one_line(documents, small_mount, modsmith):
    point = small_mount("ro")
    for command, out in (("build", point / "x.jsonl"), ("format", point / "ds")):
        assert_one_line_error(modsmith(command, str(documents), "-o", str(out)), "Read-only file system")


def test_a_full_disk_mid_write_keeps_the_old_file_and_leaves_no_temporary(documents, small_mount, modsmith):
    point = small_mount()
    out = point / "examples.jsonl"
    out.write_text("the previous examples\n")
    filler = point / "filler"
    filler.write_bytes(b"\0" * (60 * 1024 - len(documents.read_bytes()) // 4))
    result = modsmith("build", str(documents), "-o", str(out))
    assert_one_line_error(result, "No space left on device")
    assert out.read_text() == "the previous examples\n"
    assert sorted(p.name for p in point.iterdir()) == ["examples.jsonl", "filler"]


def test_a_stage_on_files_writes_its_reports_beside_its_output(tmp_path):
    source = tmp_path / "docs.jsonl"
    docs = list(Source(Source.Config()).process([], None))
    write_jsonl(source, docs)
    out = tmp_path / "seen.jsonl"
    result, rejected = run_on_files(Reporting(Reporting.Config(label="seen")), source, out)
    assert result.records_out == 3 and list(read_records(out)) == docs
    assert rejected == tmp_path / "seen.rejected.jsonl" and rejected.read_text() == ""
    assert (tmp_path / "seen.report.md").read_text() == "seen: 3\n"
