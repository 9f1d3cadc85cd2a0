"""Documents → examples."""

from modsmith.synth.code_debug import CodeDebug
from modsmith.synth.code_qa import CodeQA
from modsmith.synth.guide_qa import GuideQA
from modsmith.synth.tasks import SynthTasks
from modsmith.synth.unity_ir import UnityIR

STAGES = [SynthTasks, GuideQA, CodeQA, CodeDebug, UnityIR]
__all__ = ["CodeDebug", "CodeQA", "GuideQA", "STAGES", "SynthTasks", "UnityIR"]
