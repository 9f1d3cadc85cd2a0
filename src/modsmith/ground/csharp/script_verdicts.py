"""The verdict on one script of a Unity project, and which failing script a script's errors come from.

An error that names a type (or extension method) declared in a script that failed, or stands on a
line that uses one, is that script's fault: the user fails "through" it, with the class of the
script at the root of that chain. mcs's follow-on errors of such a declaration get the same cause.
"""

from __future__ import annotations

import re

from pydantic import BaseModel

from modsmith.ground.csharp.compile_csharp import Compiled, CSharpResult
from modsmith.ground.csharp.csharp_errors import PARSE_CODES, CSharpError, class_of_first, unknown_api
from modsmith.ground.csharp.unity_layout import ProjectScript

_IDENTIFIER = re.compile(r"\b[A-Za-z_]\w*")
_FOLLOW_ON = {"CS0841", "CS0115"}  # see with_follow_ons
_DEPENDENCY_CODES = {"CS0103", "CS0117", "CS0234", "CS0246", "CS0426", "CS1061"}


class ScriptVerdict(BaseModel):
    """The verdict on one script: its result, and the failing script it fails through, if any."""

    file: str
    encoding: str = "utf-8"
    result: CSharpResult
    through: str | None = None


def dependency_of(
    error: CSharpError, failed_types: dict[str, str], lines: list[str]
) -> tuple[str, str] | None:
    """(name, script) when `error` comes from a type or extension method (`.Name` in `failed_types`,
    see `scan_declared_names`) declared in a script that failed: it names it as unknown, or stands on
    a line that uses the type (mcs's follow-on errors)."""
    if error.code in _DEPENDENCY_CODES and (api := unknown_api(error)) is not None:
        name = api.name.split("<")[0].split("`")[0]
        for key in (name, f".{name}"):
            if key in failed_types:
                return name, failed_types[key]
    if error.code in PARSE_CODES or not error.line or error.line > len(lines):
        return None
    for name in _IDENTIFIER.findall(lines[error.line - 1]):
        if name in failed_types:
            return name, failed_types[name]
    return None


def with_follow_ons(
    explained: list[tuple[CSharpError, tuple[str, str] | None]],
) -> list[tuple[CSharpError, tuple[str, str] | None]]:
    """mcs's follow-on errors of a declaration whose type was put down to a failing script get the same
    cause: CS0841 (the local of that type "used before it is declared") and CS0115 (an override in a
    class whose base is that type)."""
    out, last = [], None
    for error, cause in sorted(explained, key=lambda pair: pair[0].line or 0):
        if cause is None and error.code in _FOLLOW_ON and last is not None:
            cause = last
        last = cause or last
        out.append((error, cause))
    order = {id(error): i for i, (error, _) in enumerate(explained)}
    return sorted(out, key=lambda pair: order[id(pair[0])])


def failing_through(
    errors: list[CSharpError], name: str, dependency: ScriptVerdict, verdicts: dict[str, ScriptVerdict]
) -> CSharpResult:
    """A script that fails only because it uses `name` from a failing script: the class of the script
    at the root of that chain of failures."""
    root, seen = dependency, {dependency.file}
    while root.through is not None and root.through in verdicts and root.through not in seen:
        root = verdicts[root.through]
        seen.add(root.file)
    via = f" (through {root.file})" if root is not dependency else ""
    reason = root.result
    return CSharpResult(
        passed=False,
        failure_class=reason.failure_class,
        errors=errors,
        packages=reason.packages,
        detail=f"uses `{name}` from {dependency.file}{via}, which fails: "
        f"{reason.failure_class}: {reason.detail}",
    )


def breaking(compiled: Compiled, others: list[ProjectScript]) -> CSharpResult:
    """A source that compiles but breaks another script of the project (the first one that broke)."""
    index = next(i for i, errors in enumerate(compiled.errors) if errors)
    script, errors = others[index - 1], compiled.errors[index]
    first = errors[0]
    return CSharpResult(
        passed=False,
        failure_class=class_of_first(errors),
        errors=errors,
        compiler_output=named_output(compiled.output_of(index), script.rel, compiled.names[index]),
        detail=f"breaks {script.rel}: line {first.line}: {first.code} {first.message}",
    )


def named_output(output: str, rel: str, name: str | None = None) -> str:
    """Compiler output with the scratch file name shown as the script's path."""
    if name is None:
        return output
    return output.replace(f"{name}(", f"{rel}(")
