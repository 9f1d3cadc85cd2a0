"""Which fast paths a run uses on this machine: the attention kernel, Liger kernels, the Unsloth backend.

`resolve_fast_paths` turns the run config's `attention`, `liger` and `backend` into what this machine
will run, from `torch.cuda.is_available()` and whether `flash_attn`, `liger_kernel` and `unsloth` can be
imported (looked up with `importlib.util.find_spec`, never imported: importing unsloth patches
transformers and fails without a GPU). `auto` picks a fast path only when it can run and never fails;
a fast path asked for by name that cannot run stops the run before the model loads, naming what is
missing and what to install. It is cheap and gives the same answer each time, so the run, the model
loader and the trainer each resolve it themselves.

Rules:

* attention: `auto` is `flash_attention_2` with CUDA and flash-attn, else `sdpa`; `sdpa` and `eager` run
  anywhere. With the Unsloth backend the attention is Unsloth's own choice, so only `auto` is accepted.
* backend: `auto` is `unsloth` with CUDA, the unsloth package and one process (Unsloth trains on one
  GPU), unless an attention or Liger is asked for by name (Unsloth brings its own), else `transformers`.
* liger: default (None) on with CUDA and liger-kernel, unless the backend is Unsloth (which patches the
  same layers with its own kernels); True where it cannot run is an error.
"""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Callable
from dataclasses import dataclass

from modsmith.errors import ModsmithError
from modsmith.train.sft_config import SFTRunConfig

WHERE = "train.fast_paths"
#: The import name of each optional package, and what to install to get it.
PACKAGES = {
    "flash_attn": "pip install flash-attn --no-build-isolation",
    "liger_kernel": "pip install liger-kernel",
    "unsloth": "pip install unsloth",
}


@dataclass(frozen=True)
class FastPaths:
    """What a run uses: the attention implementation, Liger on or off, the backend, and why."""

    attention: str
    liger: bool
    backend: str
    why: str

    def summary(self) -> str:
        """One line for the run's first lines: the choice and the reason."""
        liger = "on" if self.liger else "off"
        return f"fast paths: attention {self.attention}, liger {liger}, backend {self.backend} ({self.why})"


def package_available(name: str) -> bool:
    """Whether `name` can be imported, without importing it."""
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        return False


def cuda_available() -> bool:
    import torch

    return torch.cuda.is_available()


def launched_processes() -> int:
    """How many processes `accelerate launch` or `torchrun` started for this run (1 without a launcher)."""
    try:
        return max(1, int(os.environ.get("WORLD_SIZE", "1")))
    except ValueError:
        return 1


def resolve_fast_paths(
    config: SFTRunConfig,
    cuda: bool | None = None,
    available: Callable[[str], bool] = package_available,
    processes: int | None = None,
) -> FastPaths:
    """The fast paths `config` gets on this machine; a ModsmithError when one asked for by name cannot run."""
    cuda = cuda_available() if cuda is None else cuda
    processes = launched_processes() if processes is None else processes
    reasons: list[str] = []
    backend = _backend(config, cuda, available, processes, reasons)
    attention = _attention(config, cuda, available, backend, reasons)
    liger = _liger(config, cuda, available, backend, reasons)
    return FastPaths(attention=attention, liger=liger, backend=backend, why="; ".join(reasons))


def _missing(what: str, needs: list[str], hint: str) -> ModsmithError:
    return ModsmithError(f"{what} was asked for but {' and '.join(needs)}", where=WHERE, hint=hint)


def _backend(config, cuda, available, processes, reasons) -> str:
    has_unsloth = available("unsloth")
    if config.backend == "unsloth":
        needs = [] if cuda else ["no CUDA GPU is available"]
        if not has_unsloth:
            needs.append(f"the unsloth package is not installed ({PACKAGES['unsloth']})")
        if processes > 1:
            needs.append(f"this run has {processes} processes and the Unsloth backend trains on one GPU")
        if needs:
            raise _missing("backend unsloth", needs, "use backend auto or transformers")
        reasons.append("backend unsloth as asked")
        return "unsloth"
    if config.backend == "transformers":
        reasons.append("backend transformers as asked")
        return "transformers"
    asked = f"attention {config.attention} asked for" if config.attention != "auto" else None
    asked = asked or ("liger asked for" if config.liger is True else None)
    if cuda and has_unsloth and processes == 1 and asked is None:
        reasons.append("auto backend: unsloth imports on CUDA")
        return "unsloth"
    why = "no CUDA" if not cuda else "unsloth not installed" if not has_unsloth else asked
    why = why or f"{processes} processes"
    reasons.append(f"auto backend: transformers ({why})")
    return "transformers"


def _attention(config, cuda, available, backend, reasons) -> str:
    if backend == "unsloth":
        if config.attention != "auto":
            raise ModsmithError(
                f"attention {config.attention} was asked for, but the Unsloth backend picks its own",
                where=WHERE,
                hint="leave attention auto, or use backend transformers",
            )
        reasons.append("attention: Unsloth's own")
        return "unsloth"
    if config.attention == "flash_attention_2":
        needs = [] if cuda else ["no CUDA GPU is available"]
        if not available("flash_attn"):
            needs.append(f"the flash-attn package is not installed ({PACKAGES['flash_attn']})")
        if needs:
            raise _missing("attention flash_attention_2", needs, "use attention auto, sdpa or eager")
        reasons.append("flash attention as asked")
        return "flash_attention_2"
    if config.attention != "auto":
        reasons.append(f"attention {config.attention} as asked")
        return config.attention
    if cuda and available("flash_attn"):
        reasons.append("auto attention: flash-attn imports on CUDA")
        return "flash_attention_2"
    reasons.append(f"auto attention: sdpa ({'no CUDA' if not cuda else 'flash-attn not installed'})")
    return "sdpa"


def _liger(config, cuda, available, backend, reasons) -> bool:
    has_liger = available("liger_kernel")
    if config.liger is False:
        reasons.append("liger off as asked")
        return False
    if config.liger is True:
        needs = [] if cuda else ["no CUDA GPU is available"]
        if not has_liger:
            needs.append(f"the liger-kernel package is not installed ({PACKAGES['liger_kernel']})")
        if backend == "unsloth":
            needs.append("the Unsloth backend patches the same layers with its own kernels")
        if needs:
            raise _missing("liger", needs, "leave liger unset (auto), or set it off")
        reasons.append("liger on as asked")
        return True
    if backend == "unsloth":
        reasons.append("auto liger: off (Unsloth has its own kernels)")
        return False
    if cuda and has_liger:
        reasons.append("auto liger: liger-kernel imports on CUDA")
        return True
    reasons.append(f"auto liger: off ({'no CUDA' if not cuda else 'liger-kernel not installed'})")
    return False
