"""`train_sft` on two CPU processes (DDP over gloo, started by torchrun) trains like one process.

Both runs see the same global batch of 2 rows per optimizer step: one process with `per_device_batch` 2,
two processes with 1 each, and the same rows in it (both draw the same seeded shuffle; two processes
take its batches of 1 in turn). The trainer averages the loss over the tokens of the whole global batch
(`average_tokens_across_devices`), so the gradients, the optimizer steps and the logged losses are those
of the one-process run up to float rounding. Packing is off here: it packs the examples into rows before
the batches are cut, so the rows each process gets (and how many) would differ from the one-process
batch, and the comparison would no longer be of the same examples per step.

The tolerance, 1e-4 on losses near 6: the two runs differ only in the order float32 sums are taken
(per process, then all-reduced), about 1e-6 here over six steps; a step of training moves the loss by
about 1e-2, and a global batch averaged per process instead of per token is off by far more than 1e-4.

Also: the shipped accelerate configs parse and name the distributed type they are for.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

torch = pytest.importorskip("torch")
pytest.importorskip("transformers")
pytest.importorskip("trl")
pytest.importorskip("peft")
pytest.importorskip("accelerate")
yaml = pytest.importorskip("yaml")
from train_samples import tiny_run_settings  # noqa: E402

from modsmith.errors import ModsmithError  # noqa: E402
from modsmith.train import distributed  # noqa: E402
from modsmith.train.distributed import CONFIG_NAMES, accelerate_config_path  # noqa: E402
from modsmith.train.sft import train_sft  # noqa: E402
from modsmith.train.sft_config import SFTRunConfig  # noqa: E402

#: A hung process group fails the test instead of blocking the suite.
LAUNCH_TIMEOUT_S = 600

RUN_ON_EACH_PROCESS = """
import dataclasses, json, os, sys
from modsmith.train.sft import train_sft
from modsmith.train.sft_config import SFTRunConfig

config = SFTRunConfig.model_validate_json(open(sys.argv[1], encoding="utf-8").read())
result = train_sft(config, on_log=lambda line: print("logged", json.dumps(line), flush=True))
with open(sys.argv[2] + "." + os.environ["RANK"], "w", encoding="utf-8") as handle:
    json.dump(dataclasses.asdict(result), handle)
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def settings(tiny_base: Path, examples_file: Path, output_dir: Path, per_device_batch: int) -> dict:
    return tiny_run_settings(
        tiny_base,
        examples_file,
        output_dir,
        per_device_batch=per_device_batch,
        max_steps=6,
        valid_fraction=0.0,
        packing=False,
        save_steps=3,
        keep_best=False,
    )


def run_two_processes(config: SFTRunConfig, folder: Path) -> tuple[list[dict], subprocess.CompletedProcess]:
    config_file, script = folder / "config.json", folder / "run_on_each_process.py"
    config_file.write_text(config.model_dump_json(), encoding="utf-8")
    script.write_text(RUN_ON_EACH_PROCESS, encoding="utf-8")
    command = [
        sys.executable, "-m", "torch.distributed.run", "--nproc_per_node", "2",
        "--master_addr", "127.0.0.1", "--master_port", str(free_port()),
        str(script), str(config_file), str(folder / "result"),
    ]  # fmt: skip
    environment = {**os.environ, "OMP_NUM_THREADS": "1", "CUDA_VISIBLE_DEVICES": ""}
    finished = subprocess.run(
        command, capture_output=True, text=True, timeout=LAUNCH_TIMEOUT_S, env=environment, check=False
    )
    assert finished.returncode == 0, finished.stdout[-3000:] + finished.stderr[-3000:]
    results = [json.loads((folder / f"result.{rank}").read_text(encoding="utf-8")) for rank in (0, 1)]
    return results, finished


def test_two_cpu_processes_train_like_one_process_with_the_same_global_batch(
    tiny_base, examples_file, tmp_path
):
    one = train_sft(SFTRunConfig(**settings(tiny_base, examples_file, tmp_path / "one", per_device_batch=2)))
    two_dir = tmp_path / "two"
    config = SFTRunConfig(**settings(tiny_base, examples_file, two_dir, per_device_batch=1))
    (main, other), finished = run_two_processes(config, tmp_path)

    assert one.examples["train"] % 2 == 0  # every global batch is full in both runs
    assert main["steps"] == other["steps"] == one.steps == 6
    one_losses = [
        json.loads(line)["loss"] for line in (tmp_path / "one" / "metrics.jsonl").read_text().splitlines()
    ]
    lines = [json.loads(line) for line in (two_dir / "metrics.jsonl").read_text().splitlines()]
    assert [line["step"] for line in lines] == list(range(1, 7))  # one writer: each step once
    assert [line["loss"] for line in lines] == pytest.approx(one_losses, abs=1e-4)
    assert one_losses[-1] < one_losses[0]  # it trained, so equal losses are not equal constants
    assert other["train_loss_last"] == pytest.approx(main["train_loss_last"])
    # only the main process passed lines to on_log: one "logged" line per step in the launcher's output
    assert finished.stdout.count("logged ") == 6
    assert (two_dir / "adapter_model.safetensors").stat().st_size > 0
    assert sorted(path.name for path in (two_dir / "checkpoints").glob("checkpoint-*")) == [
        "checkpoint-3",
        "checkpoint-6",
    ]


@pytest.mark.parametrize(
    ("name", "distributed_type"), [("ddp", "MULTI_GPU"), ("fsdp", "FSDP"), ("deepspeed_zero3", "DEEPSPEED")]
)
def test_the_shipped_accelerate_configs_parse_and_name_their_distributed_type(
    name, distributed_type, monkeypatch
):
    monkeypatch.setattr(distributed, "package_available", lambda package: True)  # deepspeed "installed"
    path = accelerate_config_path(name)
    assert path.name == f"{name}.yaml" and name in CONFIG_NAMES
    settings = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert settings["distributed_type"] == distributed_type
    assert settings["mixed_precision"] == "no"  # the run picks bf16/fp16 itself
    if name == "deepspeed_zero3":
        assert settings["deepspeed_config"]["zero_stage"] == 3
        assert "gradient_accumulation_steps" not in settings["deepspeed_config"]  # "auto": the run's own
    if name == "fsdp":
        assert settings["fsdp_config"]["fsdp_version"] == 2


def test_the_deepspeed_config_is_refused_without_deepspeed_and_an_unknown_name_is_refused(monkeypatch):
    monkeypatch.setattr(distributed, "package_available", lambda package: package != "deepspeed")
    with pytest.raises(ModsmithError, match="needs DeepSpeed, which is not installed") as refused:
        accelerate_config_path("deepspeed_zero3")
    assert "pip install deepspeed" in refused.value.hint
    assert accelerate_config_path("ddp").is_file()  # the others need nothing more
    with pytest.raises(ModsmithError, match="no shipped accelerate config 'zero2'"):
        accelerate_config_path("zero2")


def test_the_config_path_command_prints_the_file_or_refuses(monkeypatch, capsys):
    monkeypatch.setattr(distributed, "package_available", lambda package: package != "deepspeed")
    assert distributed.main(["fsdp"]) == 0
    assert Path(capsys.readouterr().out.strip()) == accelerate_config_path("fsdp")
    assert distributed.main(["deepspeed_zero3"]) == 2
    assert "pip install deepspeed" in capsys.readouterr().err
