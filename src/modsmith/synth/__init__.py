"""Documents → examples."""

from modsmith.synth.tasks import BuildTasks

STAGES = [BuildTasks]
__all__ = ["BuildTasks", "STAGES"]
