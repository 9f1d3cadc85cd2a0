"""mcs's error lines, and the failure class a C# file gets from them.

The classes are the vocabulary the C checks use too (`failure_classes`):

- `needs_newer_csharp`: tree-sitter parses the source cleanly and either mcs stopped while parsing
  (only `PARSE_CODES`) on a source with newer constructs, or mcs said CS1644 ("not part of C# 7.2");
  or every error sits on the lines of a newer construct (e.g. `nint` read as an unknown type).
- `syntax_error`: any of `PARSE_CODES` off those lines (it makes every later error suspect).
- `needs_package`: the source imports (or names) a namespace of a package the references lack
  (`using TMPro;`, `UnityEngine.InputSystem`, see `unity_packages`); unknown type names in such a
  file may come from the package, so they are put down to it and not called invented.
- otherwise the first error, in mcs's order, decides: `invented_name` (`INVENTED_NAME_CODES`: a
  member, type, name, namespace or override target that does not exist, or an API removed as
  obsolete-error), `wrong_arguments` (`WRONG_ARGUMENTS_CODES`: no overload takes that many or those
  arguments, a named argument that no parameter has, wrong type-argument count) or `type_error`
  (`TYPE_ERROR_CODES`: the names exist but types, static/instance use or read-only targets do not
  fit, including ambiguous references such as `Random` under `using System;`).
- `other`: anything else (a timeout, a compiler killed by limits or crashed).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from pydantic import BaseModel

from modsmith.ground.csharp.unity_packages import Package, package_of
from modsmith.ground.failure_classes import FailureClass

INVENTED_NAME_CODES = {"CS0103", "CS0115", "CS0117", "CS0234", "CS0246", "CS0426", "CS0619", "CS1061"}
WRONG_ARGUMENTS_CODES = {
    "CS0121",  # the call is ambiguous between overloads
    "CS0305",  # generic type or method used with the wrong number of type arguments
    "CS0308",  # non-generic type or method used with type arguments
    "CS0411",  # type arguments cannot be inferred from the arguments
    "CS1501",  # no overload takes N arguments
    "CS1502",  # best overload has some invalid arguments
    "CS1503",  # argument N cannot convert
    "CS1510",  # a ref or out argument must be an assignable variable
    "CS1593",  # delegate does not take N arguments
    "CS1594",  # delegate has some invalid arguments
    "CS1615",  # argument should not be passed with ref/out
    "CS1620",  # argument must be passed with ref/out
    "CS1729",  # no constructor takes N arguments
    "CS1739",  # no parameter of that name
    "CS1740",  # named argument given twice
    "CS1744",  # named argument for a parameter already given by position
    "CS1928",  # extension method has some invalid arguments
    "CS1929",  # extension method's receiver does not fit
    "CS7036",  # no argument for a required parameter
}
TYPE_ERROR_CODES = {
    "CS0019",
    "CS0023",
    "CS0029",
    "CS0030",
    "CS0034",
    "CS0039",
    "CS0104",
    "CS0120",
    "CS0122",
    "CS0126",
    "CS0127",
    "CS0131",
    "CS0173",
    "CS0200",
    "CS0266",
    "CS0428",
    "CS0815",
    "CS1612",
    "CS1660",
    "CS1662",
}
PARSE_CODES = {
    "CS0116",
    "CS0589",
    "CS1001",
    "CS1002",
    "CS1003",
    "CS1009",
    "CS1010",
    "CS1012",
    "CS1013",
    "CS1014",
    "CS1015",
    "CS1022",
    "CS1024",
    "CS1025",
    "CS1026",
    "CS1027",
    "CS1028",
    "CS1031",
    "CS1032",
    "CS1035",
    "CS1039",
    "CS1040",
    "CS1041",
    "CS1056",
    "CS1513",
    "CS1514",
    "CS1519",
    "CS1520",
    "CS1525",
    "CS1526",
    "CS1547",
    "CS1552",
    "CS1576",
    "CS1597",
    "CS1644",
    "CS1646",
    "CS8025",
    "CS9010",
}
#: Errors whose message names something that does not exist (listed in `unknown_api`); a method that
#: exists but takes other arguments (CS1501, CS1739) is a wrong call, not an unknown name.
UNKNOWN_NAME_CODES = INVENTED_NAME_CODES

_ERROR_LINE = re.compile(  # mcs writes columns past 255 as "255+"
    r"^(?:(?P<file>[^\n]*?)\((?P<line>\d+),(?P<col>\d+)\+?\): )?error (?P<code>CS\d{4}): (?P<msg>[^\n]*)$",
    re.M,
)
_QUALIFIED_CODES = {"CS0115", "CS0619"}
_UNKNOWN_NAME = {
    "CS1061": r"Type `(?P<on>[^']+)' does not contain a definition for `(?P<name>[^']+)'",
    "CS0117": r"`(?P<on>[^']+)' does not contain a definition for `(?P<name>[^']+)'",
    "CS0234": r"name `(?P<name>[^']+)' does not exist in the namespace `(?P<on>[^']+)'",
    "CS0426": r"nested type `(?P<name>[^']+)' does not exist in the type `(?P<on>[^']+)'",
}
_NAMESPACE = re.compile(r"^[ \t]*namespace[ \t]+(?P<ns>[A-Za-z_][\w.]*)", re.M)
_USING = re.compile(r"^[ \t]*using[ \t]+(?:[A-Za-z_]\w*[ \t]*=[ \t]*)?(?P<ns>[A-Za-z_][\w.]*)[ \t]*;", re.M)


class CSharpError(BaseModel):
    """One compiler error; line and column are 1-based and refer to the checked source."""

    code: str
    line: int | None = None
    column: int | None = None
    message: str
    file: str | None = None


class UnknownApi(BaseModel):
    """A name the compiler could not find, and the type or namespace it was looked up on if known."""

    name: str
    on: str | None = None
    code: str
    line: int | None = None


class CSharpFeature(BaseModel):
    """A construct mcs cannot compile but a newer Unity can (`csharp` is the version it came in)."""

    name: str
    csharp: str
    line: int
    end_line: int


def parse_errors(output: str) -> list[CSharpError]:
    """The `error CSxxxx` lines of mcs output, each with the file mcs named (None: no file)."""
    errors = []
    for m in _ERROR_LINE.finditer(output):
        line, col = (int(m["line"]), int(m["col"])) if m["line"] else (None, None)
        errors.append(
            CSharpError(code=m["code"], line=line, column=col, message=m["msg"].strip(), file=m["file"])
        )
    return errors


def unknown_api(error: CSharpError) -> UnknownApi | None:
    """The name an error says does not exist (a member with the type it was looked up on)."""
    if error.code not in UNKNOWN_NAME_CODES:
        return None
    m = re.search(_UNKNOWN_NAME.get(error.code, r"`(?P<name>[^']+)'"), error.message)
    if not m:
        return None
    name, on = m["name"], m.groupdict().get("on")
    if on is None and error.code in _QUALIFIED_CODES:  # `Type.Member(args)' or `Type.Member<T>()'
        name, _, on = re.sub(r"[(<].*$", "", name).rpartition(".")[::-1]
    return UnknownApi(name=name, on=on or None, code=error.code, line=error.line)


def missing_packages(
    source: str, errors: list[CSharpError], project_packages: Sequence[str] = ()
) -> tuple[list[Package], list[CSharpError]]:
    """Packages the source needs that the references lack, and the errors put down to them.

    A namespace is missing when mcs could not find it (CS0246 on `TMPro`, CS0234 on `InputSystem` in
    `UnityEngine`). Unknown simple type names in a file that imports (or is declared in) a missing
    package's namespace, or a namespace of a package its project lists (`project_packages`), may come
    from that package.
    """
    found: dict[str, Package] = {}
    blamed: list[CSharpError] = []
    usings = {source.count("\n", 0, m.start("ns")) + 1: m["ns"] for m in _USING.finditer(source)}
    for error in errors:
        api = unknown_api(error) if error.code in ("CS0246", "CS0234") else None
        if api is None:
            continue
        # On a using line the whole namespace tells the package (mcs names only its first unknown part).
        name = usings.get(error.line or 0) or (f"{api.on}.{api.name}" if api.on else api.name)
        package = package_of(name, project_packages)
        if package is not None:
            found.setdefault(package.name, package)
            blamed.append(error)
    enclosing = {m["ns"] for m in _NAMESPACE.finditer(source)}
    suspects = [
        package
        for namespace in sorted(set(usings.values()) | enclosing)
        if (package := package_of(namespace, project_packages)) is not None
        and (package.name in found or package.name in project_packages)
    ]
    unknown_types = [e for e in errors if e.code == "CS0246" and e not in blamed]
    if suspects and unknown_types:
        blamed.extend(unknown_types)
        found.setdefault(suspects[0].name, suspects[0])
    return list(found.values()), blamed


def classify(
    source: str,
    errors: list[CSharpError],
    features: list[CSharpFeature],
    tree_ok: bool,
    project_packages: Sequence[str] = (),
) -> tuple[FailureClass, list[CSharpError], list[Package]]:
    """The failure class, the errors put down to newer constructs or missing packages, and the packages
    (`project_packages`: the packages the source's Unity project lists, see `package_of`)."""
    if not errors:
        return "other", [], []
    parse_stage = all(e.code in PARSE_CODES for e in errors)
    if tree_ok and ((parse_stage and features) or any(e.code == "CS1644" for e in errors)):
        return "needs_newer_csharp", errors, []
    blamed = [e for e in errors if e.line and any(f.line <= e.line <= f.end_line for f in features)]
    rest = [e for e in errors if e not in blamed]
    if not rest:
        return "needs_newer_csharp", blamed, []
    if any(e.code in PARSE_CODES for e in rest):
        return "syntax_error", blamed, []
    packages, package_errors = missing_packages(source, rest, project_packages)
    if packages:
        return "needs_package", blamed + package_errors, packages
    return class_of_first(rest), blamed, []


def class_of_first(errors: list[CSharpError]) -> FailureClass:
    """The class of the first error that has one (the likeliest cause of those after it)."""
    for error in errors:
        if error.code in PARSE_CODES:
            return "syntax_error"
        if error.code in WRONG_ARGUMENTS_CODES:
            return "wrong_arguments"
        if error.code in INVENTED_NAME_CODES:
            return "invented_name"
        if error.code in TYPE_ERROR_CODES:
            return "type_error"
    return "other"
