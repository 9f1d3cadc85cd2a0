"""Grounding: symbol index, invented-name detection, sandboxed C and C# compile checks."""

from modsmith.ground.check import GroundCheck

STAGES = [GroundCheck]
__all__ = ["GroundCheck", "STAGES"]
