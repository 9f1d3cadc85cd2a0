"""Examples the evaluation tests share (a module of its own: `conftest` is a name every test folder has)."""

from __future__ import annotations

import shutil

import pytest

#: Questions and answers in the style of the decomp stories, each from its own source file (so the
#: grouped split holds some out).
QUESTIONS_AND_ANSWERS = [
    ("What does Actor_Kill do?", "It removes the actor from the room."),
    ("What does Actor_MoveForward use?", "It moves the actor by its speed along its rotation."),
    ("Which header declares Actor_Spawn?", "z64actor.h declares Actor_Spawn."),
    ("What is Vec3f?", "A vector of three floats: x, y and z."),
    ("How do I step a float towards a target?", "Call Math_StepToF with the value, target and step."),
    ("What does Matrix_Push return?", "The new current matrix."),
    ("What does ACTORCAT_NPC mean?", "The actor is a talkative character."),
    ("How far apart are two actors?", "Actor_WorldDistXZ gives their distance on the ground."),
]

needs_gcc = pytest.mark.skipif(
    shutil.which("gcc") is None and shutil.which("mips-linux-gnu-gcc") is None, reason="needs gcc"
)
