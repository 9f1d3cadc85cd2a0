"""A run started by `accelerate launch` or `torchrun` on several processes: who prepares the output folder.

Every process runs `train_sft` (`WORLD_SIZE`, `RANK`, `LOCAL_RANK` set by the launcher). The main process
alone takes the output folder's lock for the whole run and prepares the checkpoints folder (which may
delete checkpoints of an interrupted save, or all of them with `resume` off); the others wait for it at
a barrier and then find the folder ready. From there each process runs the same steps, and the trainer
(accelerate's DDP, FSDP or DeepSpeed) keeps them in step; `sft_trainer` lets only the main process
write `metrics.jsonl`. A process that fails makes the launcher stop the others, so a refused lock
never leaves them waiting.

The process group is accelerate's `PartialState` (gloo without CUDA, nccl with it), the one the trainer
then uses.

The shipped accelerate configs (`accelerate_configs/`: ddp, fsdp, deepspeed_zero3) are package data;
`python -m modsmith.train.distributed NAME` prints the installed file's path for `accelerate launch
--config_file` (see `accelerate_configs/README.md`).
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from importlib.resources import as_file, files
from pathlib import Path
from typing import Any

from modsmith.errors import ModsmithError
from modsmith.output_paths import folder_lock
from modsmith.train.fast_paths import cuda_available, package_available
from modsmith.train.run_folder import prepare_checkpoints
from modsmith.train.sft_config import SFTRunConfig


def process_state() -> Any:
    """Accelerate's `PartialState` of this run: its process group, and which process is the main one."""
    from accelerate import PartialState

    return PartialState(cpu=not cuda_available())


@contextmanager
def main_process_prepares(config: SFTRunConfig, lock_hint: str) -> Iterator[bool]:
    """Hold the output folder's lock on the main process and prepare its checkpoints before the others go on.

    Yields whether this process is the main one. The checkpoints are prepared here once, by the main
    process; the run's own `prepare_checkpoints` then finds them ready on every process (no checkpoint
    can be saved before every process has trained a step, so none is written while another prepares).
    """
    state = process_state()
    with ExitStack() as stack:
        if state.is_main_process:
            stack.enter_context(
                folder_lock(Path(config.output_dir), "a training run", "output folder", lock_hint)
            )
            prepare_checkpoints(config)
        state.wait_for_everyone()
        yield state.is_main_process
        state.wait_for_everyone()  # the main process keeps the lock until every process is done


#: The accelerate configs that ship with modsmith, by name.
CONFIG_NAMES = ("ddp", "fsdp", "deepspeed_zero3")


def accelerate_config_path(name: str) -> Path:
    """The installed accelerate config `name` (ddp, fsdp, deepspeed_zero3), for `--config_file`.

    DeepSpeed's is refused when the deepspeed package is not installed: `accelerate launch` would only
    fail later, in every process.
    """
    where = "train.accelerate_configs"
    if name not in CONFIG_NAMES:
        raise ModsmithError(
            f"no shipped accelerate config {name!r}", where=where, hint=f"one of {', '.join(CONFIG_NAMES)}"
        )
    if name == "deepspeed_zero3" and not package_available("deepspeed"):
        raise ModsmithError(
            "the DeepSpeed ZeRO-3 config needs DeepSpeed, which is not installed",
            where=where,
            hint="pip install deepspeed, or use the ddp or fsdp config",
        )
    with as_file(files("modsmith.train") / "accelerate_configs" / f"{name}.yaml") as path:
        return Path(path)


def main(arguments: list[str]) -> int:
    """`python -m modsmith.train.distributed NAME`: print the path of the shipped accelerate config NAME."""
    if len(arguments) != 1:
        print(f"usage: python -m modsmith.train.distributed {{{','.join(CONFIG_NAMES)}}}", file=sys.stderr)
        return 2
    try:
        print(accelerate_config_path(arguments[0]))
    except ModsmithError as error:
        print(f"error: {error.one_line()}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
