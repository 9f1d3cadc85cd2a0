import json
import re

COMMANDS = (
    "ingest",
    "build",
    "stage",
    "stages",
    "format",
    "index",
    "check",
    "run",
    "demo",
    "train",
    "bench",
    "eval",
    "export",
    "chat",
    "serve",
)


def test_help_lists_every_command_and_each_has_its_help(modsmith):
    result = modsmith("--help")
    assert result.returncode == 0
    listed = re.findall(r"^  (\w+)  ", result.stdout.split("Commands:")[1], flags=re.MULTILINE)
    assert sorted(listed) == sorted(COMMANDS)
    for command in COMMANDS:
        shown = modsmith(command, "--help")
        assert shown.returncode == 0, shown.stderr
        assert shown.stdout.startswith("Usage: ") and f" {command} " in shown.stdout.splitlines()[0]


def test_run_runs_a_recipe_then_skips_it_unchanged(modsmith, tmp_path, examples_dir):
    recipe = tmp_path / "r.yaml"
    recipe.write_text(
        f"name: r\noutput: {tmp_path / 'runs'}\nstages:\n"
        f"  - stage: ingest.code\n    with:\n      root: {examples_dir / 'sample_decomp'}\n"
        "  - stage: synth.tasks\n    with:\n      tasks: [code.macro]\nexport:\n  formats: [alpaca]\n"
    )
    first = modsmith("run", str(recipe))
    assert first.returncode == 0, first.stderr
    run_dir = tmp_path / "runs" / "r"
    macros = (run_dir / "02-synth.tasks" / "data.jsonl").read_text().splitlines()
    assert macros and all(json.loads(line)["task"] == "code.macro" for line in macros)
    assert (run_dir / "dataset" / "train.alpaca.jsonl").exists()
    assert f"run directory: {run_dir}" in first.stdout
    second = modsmith("run", str(recipe))
    assert second.returncode == 0, second.stderr
    assert second.stderr.count("skipped") == 2


def test_missing_repo_is_one_line_exit_2(modsmith, tmp_path):
    result = modsmith("ingest", "code", str(tmp_path / "nope"), "-o", str(tmp_path / "d.jsonl"))
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and str(tmp_path / "nope") in lines[0], result.stderr
    assert not (tmp_path / "d.jsonl").exists()


def test_invalid_recipe_exit_2_names_line(modsmith, tmp_path):
    recipe = tmp_path / "r.yaml"
    recipe.write_text(
        "name: x\nstages:\n  - stage: ingest.code\n    with:\n      root: .\n      colour: red\n"
    )
    result = modsmith("run", str(recipe))
    assert result.returncode == 2
    assert f"{recipe}:6" in result.stderr and "unknown key" in result.stderr


def test_bad_jsonl_line_exit_2_and_previous_output_kept(modsmith, tmp_path):
    docs = tmp_path / "docs.jsonl"
    docs.write_text('{"id": "a", "kind": "code", "text": "x", "provenance": {"source": "r"}}\n{"id": 3}\n')
    out = tmp_path / "ex.jsonl"
    out.write_text("previous\n")
    result = modsmith("build", str(docs), "-o", str(out))
    assert result.returncode == 2
    assert f"{docs}:2" in result.stderr
    assert out.read_text() == "previous\n"


def test_ingest_build_format_on_files(modsmith, tmp_path, examples_dir):
    docs, examples, dataset = tmp_path / "docs.jsonl", tmp_path / "ex.jsonl", tmp_path / "ds"
    assert modsmith("ingest", "code", str(examples_dir / "sample_decomp"), "-o", str(docs)).returncode == 0
    result = modsmith("build", str(docs), "-o", str(examples))
    assert result.returncode == 0, result.stderr
    tasks = {json.loads(line)["task"] for line in examples.read_text().splitlines()}
    assert {"code.explain", "code.implement", "code.macro"} <= tasks
    assert (tmp_path / "ex.rejected.jsonl").exists()
    result = modsmith("format", str(examples), "-o", str(dataset), "--to", "alpaca", "--to", "openai")
    assert result.returncode == 0, result.stderr
    assert (dataset / "README.md").exists()
    assert (dataset / "train.alpaca.jsonl").exists() and (dataset / "valid.openai.jsonl").exists()


def test_demo_runs_end_to_end_offline_from_any_folder(modsmith, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    result = modsmith("demo", "--output", str(tmp_path / "runs"), cwd=elsewhere)
    assert result.returncode == 0, result.stderr
    dataset = tmp_path / "runs" / "demo" / "dataset"
    grounding_reports = sorted((tmp_path / "runs" / "demo").glob("[0-9]*/report.md"))
    assert [p.name for p in grounding_reports] == ["report.md"] * 2
    assert str(dataset / "README.md") in result.stdout.replace("\n", "")
    card = (dataset / "README.md").read_text()
    for task in ("code.explain", "code.implement", "code.macro", "guide.section"):
        assert task in card
    train = (dataset / "train.sharegpt.jsonl").read_text().splitlines()
    valid = (dataset / "valid.sharegpt.jsonl").read_text().splitlines()
    assert train and valid
    assert (dataset / "token_lengths.png").stat().st_size > 1000
    # it ends with a LoRA whose loss went down, its evaluation report, and a GGUF that passed parity
    trained = re.search(r"training loss ([\d.]+) -> ([\d.]+)", result.stdout)
    assert trained and float(trained[2]) < float(trained[1]) - 0.5, result.stdout
    run = tmp_path / "runs" / "demo"
    assert (run / "07-lora" / "model" / "adapter_model.safetensors").is_file()
    assert (run / "eval" / "report.html").is_file() and (run / "eval" / "report.md").is_file()
    metrics = json.loads((run / "eval" / "metrics.json").read_text())["models"]
    assert metrics["tuned"]["heldout_loss"] < metrics["base"]["heldout_loss"]
    assert (run / "gguf" / "demo-f16.gguf").is_file() and "(parity passed)" in result.stdout
