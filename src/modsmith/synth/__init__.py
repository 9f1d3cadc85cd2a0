"""Documents → examples."""

from modsmith.synth.guide_qa import GuideQA
from modsmith.synth.tasks import BuildTasks
from modsmith.synth.unity_ir import UnityIR

STAGES = [BuildTasks, GuideQA, UnityIR]
__all__ = ["BuildTasks", "GuideQA", "UnityIR", "STAGES"]
