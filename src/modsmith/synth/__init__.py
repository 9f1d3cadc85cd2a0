"""Documents → examples."""

from modsmith.synth.guide_qa import GuideQA
from modsmith.synth.tasks import BuildTasks

STAGES = [BuildTasks, GuideQA]
__all__ = ["BuildTasks", "GuideQA", "STAGES"]
