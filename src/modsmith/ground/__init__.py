"""Grounding: the `ground.check` stage, over the names check (`names/`: symbol index, invented-name
detection) and the sandboxed compile checks of C (`c/`) and C# (`csharp/`)."""

from modsmith.ground.check import GroundCheck

STAGES = [GroundCheck]
__all__ = ["GroundCheck", "STAGES"]
