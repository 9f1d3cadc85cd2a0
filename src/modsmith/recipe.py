"""Recipe files: a YAML list of stages with their configs, validated before anything runs.

Every error names the YAML file and line: unknown keys, wrong types, unknown stage names,
duplicate keys, aliases that expand too far, and input paths that do not exist. Paths inside a
recipe are relative to the directory the run is started from. Strings may take a value from the
environment (an endpoint, a model name) as the shell does: `${VAR}`, `${VAR:-default}` (the
default when VAR is unset or empty) and `${VAR-default}` (the default only when VAR is unset).
"""

from __future__ import annotations

import difflib
import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from modsmith.errors import ModsmithError
from modsmith.stage import Stage, config_input_paths
from modsmith.yaml_errors import line_of, read_yaml, validation_error


class StageSpec(BaseModel):
    """One step of a recipe."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    stage: str = Field(description="Registered stage name, e.g. `ingest.code` (see `modsmith stages`).")
    id: str | None = Field(
        default=None,
        pattern=r"^[A-Za-z0-9_.-]+$",
        description="Name other stages use in `inputs` (default: the stage name, numbered if repeated).",
    )
    inputs: list[str] | None = Field(
        default=None,
        description="Ids of earlier stages whose output this stage reads, concatenated in order "
        "(default: the previous stage). Lets several generators read the same documents.",
    )
    config: dict[str, Any] = Field(
        default_factory=dict, alias="with", description="The stage's config (its fields are its help)."
    )
    enabled: bool = Field(
        default=True,
        description="false: the stage is checked but not run (a training stage that needs a GPU-sized model "
        "is off by default, `enabled: ${MY_TRAIN:-false}`); no later stage may read it.",
    )
    max_drop_share: float | None = Field(
        default=None,
        ge=0.0,
        le=1.0,
        description="Stop the run when the stage drops more than this share of its input "
        "(default: the stage's own limit; teacher stages have one).",
    )


class ExportSpec(BaseModel):
    """How the last stage's examples become dataset files."""

    model_config = ConfigDict(extra="forbid")

    formats: list[str] = Field(
        default_factory=lambda: ["sharegpt"],
        description="Any of alpaca, sharegpt, openai, text (text needs `tokenizer`).",
    )
    valid_fraction: float = Field(default=0.15, ge=0.0, lt=1.0, description="Share of source files held out.")
    seed: int = Field(default=0, description="Seed of the grouped split.")
    tokenizer: str | None = Field(default=None, description="Local tokenizer directory with a chat template.")
    keep_meta: bool = Field(default=False, description="Also write id, task and provenance into each line.")


class Recipe(BaseModel):
    """A whole recipe file."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(pattern=r"^[A-Za-z0-9_.-]+$", description="Run name: output goes to OUTPUT/NAME/.")
    output: str = Field(default="runs", description="Folder that holds run directories.")
    stages: list[StageSpec] = Field(min_length=1, description="The stages, in order.")
    export: ExportSpec | None = Field(default=None, description="Write dataset files after the last stage.")


def load_recipe(
    path: str | Path, registry: dict[str, type[Stage]], environment: Mapping[str, str] | None = None
) -> tuple[Recipe, list[Stage]]:
    """Parse and validate a recipe file, building every stage; errors name the YAML line.

    `${VAR}` strings read `environment` (default: the process environment)."""
    path = Path(path)
    data, root = read_yaml(path, "recipe")
    if not isinstance(data, dict):
        raise ModsmithError("a recipe is a mapping with `name` and `stages`", where=f"{path}:1")
    data = _expand_environment(data, path, root, (), os.environ if environment is None else environment)
    try:
        recipe = Recipe.model_validate(data)
    except ValidationError as exc:
        raise validation_error(exc, path, root) from None
    _check_inputs(recipe, path, root)
    stages = []
    for index, spec in enumerate(recipe.stages):
        cls = registry.get(spec.stage)
        if cls is None:
            close = difflib.get_close_matches(spec.stage, sorted(registry), n=3)
            hint = f"did you mean {', '.join(close)}?" if close else f"known: {', '.join(sorted(registry))}"
            where = f"{path}:{line_of(root, ('stages', index, 'stage'))}"
            raise ModsmithError(f"unknown stage {spec.stage!r}", where=where, hint=hint)
        try:
            config = cls.Config.model_validate(spec.config)
        except ValidationError as exc:
            raise validation_error(exc, path, root, ("stages", index, "with")) from None
        _check_input_paths(config, path, root, ("stages", index, "with"))
        stages.append(cls(config))
    if recipe.export is not None:
        _check_input_paths(recipe.export, path, root, ("export",))
        for index, stage in enumerate(stages):
            problem = stage.hold_out_like(recipe.export.valid_fraction, recipe.export.seed)
            if problem:
                given = [key for key in ("valid_fraction", "seed") if key in recipe.stages[index].config]
                loc = ("stages", index, "with", *given[:1])
                raise ModsmithError(problem, where=f"{path}:{line_of(root, loc)}")
    return recipe, stages


def build_stage(spec: StageSpec, registry: dict[str, type[Stage]]) -> Stage:
    """The stage a spec names, with its config validated (a pydantic ValidationError if not)."""
    cls = registry[spec.stage]
    return cls(cls.Config.model_validate(spec.config))


def stage_ids(recipe: Recipe) -> list[str]:
    """Each stage's id: its own, or its stage name (with `-2`, `-3`... when a name repeats)."""
    ids: list[str] = []
    repeats: dict[str, int] = {}
    for spec in recipe.stages:
        if spec.id:
            ids.append(spec.id)
            continue
        repeats[spec.stage] = repeats.get(spec.stage, 0) + 1
        count = repeats[spec.stage]
        ids.append(spec.stage if count == 1 else f"{spec.stage}-{count}")
    return ids


def _check_inputs(recipe: Recipe, path: Path, root: yaml.Node) -> None:
    seen: list[str] = []
    if all(not spec.enabled for spec in recipe.stages):
        raise ModsmithError("no stage is enabled", where=f"{path}:{line_of(root, ('stages',))}")
    off = {
        stage_id for spec, stage_id in zip(recipe.stages, stage_ids(recipe), strict=True) if not spec.enabled
    }
    for index, (spec, stage_id) in enumerate(zip(recipe.stages, stage_ids(recipe), strict=True)):
        if stage_id in seen:
            where = f"{path}:{line_of(root, ('stages', index, 'id'))}"
            raise ModsmithError(f"stage id {stage_id!r} is used twice", where=where)
        for name in spec.inputs or []:
            if name in off:
                where = f"{path}:{line_of(root, ('stages', index, 'inputs'))}"
                raise ModsmithError(f"input {name!r} is a stage that is not enabled", where=where)
            if name not in seen:
                where = f"{path}:{line_of(root, ('stages', index, 'inputs'))}"
                known = ", ".join(seen) or "none"
                raise ModsmithError(
                    f"input {name!r} is not an earlier stage", where=where, hint=f"earlier: {known}"
                )
        seen.append(stage_id)


def _check_input_paths(model: BaseModel, path: Path, root: yaml.Node, loc: tuple) -> None:
    """Raise at the recipe line of the first input path in `model` (at `loc`) that does not exist.

    The fields that name inputs are `stage.INPUT_PATH_FIELDS`; a typo is reported at its recipe
    line before anything runs, not when its stage is reached.
    """
    for where, name, given in config_input_paths(model, loc):
        if not _input_exists(name, given):
            field = ".".join(str(part) for part in where)
            hint = None
            if not Path(given).expanduser().is_absolute():
                hint = f"paths are relative to the folder the run starts in ({Path.cwd()})"
            if name == "profile":
                hint = f"give a YAML profile's path or a shipped profile: {', '.join(_shipped_profiles())}"
            raise ModsmithError(
                f"{field}: no such file or directory: {given!r}",
                where=f"{path}:{line_of(root, where)}",
                hint=hint,
            )


def _input_exists(field: str, given: Any) -> bool:
    if not isinstance(given, str) or Path(given).expanduser().exists():
        return True
    return field == "profile" and given in _shipped_profiles()


def _shipped_profiles() -> list[str]:
    from modsmith.ground.c.profiles import shipped_profiles

    return shipped_profiles()


_VARIABLE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?-)([^}]*))?\}")


def _expand_environment(
    value: Any, path: Path, root: yaml.Node, loc: tuple, environment: Mapping[str, str]
) -> Any:
    """Replace `${VAR}`, `${VAR:-default}` and `${VAR-default}` in every string, as the shell does."""
    if isinstance(value, dict):
        return {k: _expand_environment(v, path, root, (*loc, k), environment) for k, v in value.items()}
    if isinstance(value, list):
        return [_expand_environment(v, path, root, (*loc, i), environment) for i, v in enumerate(value)]
    if not isinstance(value, str):
        return value

    def substitute(match: re.Match) -> str:
        name, operator, default = match.groups()
        found = environment.get(name)
        if operator == ":-" and not found:
            return default
        if operator == "-" and found is None:
            return default
        if found is not None:
            return found
        raise ModsmithError(
            f"environment variable {name} is not set",
            where=f"{path}:{line_of(root, loc)}",
            hint=f"export {name}=... or write ${{{name}:-default}}",
        )

    return _VARIABLE.sub(substitute, value)
