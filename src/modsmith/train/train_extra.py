"""Training needs the `train` extra (torch, transformers, TRL, PEFT, accelerate, datasets); without it
every training entry point stops with one line naming what is missing and how to install it, before
anything is read or written."""

from __future__ import annotations

from importlib.util import find_spec

from modsmith.errors import ModsmithError

#: The import names of the `train` extra's packages.
TRAIN_PACKAGES = ("torch", "transformers", "trl", "peft", "accelerate", "datasets")


def require_train_extra(what: str) -> None:
    """Raise a ModsmithError naming the missing packages when the `train` extra is not installed."""
    missing = [name for name in TRAIN_PACKAGES if find_spec(name) is None]
    if missing:
        raise ModsmithError(
            f"{what} needs the train extra, and {', '.join(missing)} {'is' if len(missing) == 1 else 'are'} "
            "not installed",
            where=what,
            hint="pip install 'modsmith[train]'",
        )
