"""What to ground against: the config of the `ground.check` stage, which `modsmith check` builds too.

Every field is optional: each check runs when it has what it needs (see `grounding.Grounding.open`).
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from modsmith.ground.c.profiles import DEFAULT_PROFILE
from modsmith.ground.sandbox import SandboxLimits
from modsmith.stage import StageConfig


class GroundCheckConfig(StageConfig):
    repo: str | None = Field(
        default=None, description="Your checkout of the code base (C decomp or Unity project) at your commit."
    )
    index: str | None = Field(
        default=None, description="A symbol index from `modsmith index`; default: one of `repo`, cached."
    )
    profile: str | None = Field(
        default=DEFAULT_PROFILE,
        description="C compile profile: oot-gc-eu-mq-dbg, oot-ntsc-1.2, hackeroot-ntsc-1.2 or a YAML path; "
        "null skips the C compile check.",
    )
    unity_managed: str | None = Field(
        default=None, description="Unity's Editor/Data/Managed folder; else C# is checked against the stubs."
    )
    checks: list[Literal["names", "compile"]] = Field(
        default_factory=lambda: ["names", "compile"], description="Which checks to run."
    )
    languages: list[Literal["c", "csharp"]] = Field(
        default_factory=lambda: ["c", "csharp"],
        description="Code checked: C and/or C# blocks (e.g. one stage per repo when a dataset mixes both).",
    )
    roles: list[Literal["user", "assistant"]] = Field(
        default_factory=lambda: ["assistant"], description="Turns whose code is checked."
    )
    on_fail: Literal["keep", "tag", "drop"] = Field(
        default="keep",
        description="keep: results in checks only; tag: also meta.grounding_failed lists the failed checks; "
        "drop: failing examples go to rejected.jsonl with the reason.",
    )
    rename_history: bool = Field(default=True, description="Look up renames in the repo's git history.")
    workers: int | None = Field(default=None, ge=1, description="Parallel compiler runs (default: CPUs).")
    max_source_bytes: int = Field(
        default=SandboxLimits().max_source_bytes,
        ge=1024,  # SandboxLimits' own minimum
        description="Largest code a check accepts, in UTF-8 bytes: a larger block fails as `too_large` "
        "without being read (nor compiled).",
    )
