"""Documents → examples."""

from modsmith.synth.code_debug import CodeDebug
from modsmith.synth.code_qa import CodeQA
from modsmith.synth.guide_qa import GuideQA
from modsmith.synth.tasks import BuildTasks
from modsmith.synth.unity_ir import UnityIR

STAGES = [BuildTasks, GuideQA, CodeQA, CodeDebug, UnityIR]
__all__ = ["BuildTasks", "CodeDebug", "CodeQA", "GuideQA", "UnityIR", "STAGES"]
