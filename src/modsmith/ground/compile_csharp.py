"""Compile check for generated Unity C#: does it build against the UnityEngine API?

The source is compiled with Mono's `mcs` into a throwaway library, inside `run_compiler`'s sandbox,
against either our own UnityEngine reference stubs (`unity_stubs/*.cs`, original signatures only) or
the user's Unity install (`<Unity>/Editor/Data/Managed`). Nothing produced is ever loaded or run.

mcs implements C# up to 7.2 minus local functions and some pattern forms (`is null`, patterns and
`when` in switch cases, `is var x`); Unity 2020.2+ accepts C# 8 and 2021.2+ C# 9. tree-sitter-c-sharp
finds the newer constructs (`newer_features`, each with the C# version it came in) so that "needs newer
C#" is told apart from a real mistake. A failure is classed by the first rule that matches:

1. `needs_newer_csharp`: tree-sitter parses the source cleanly and either mcs stopped while parsing
   (only `PARSE_CODES`) on a source with newer constructs, or mcs said CS1644 ("not part of C# 7.2");
   or every error sits on the lines of a newer construct (e.g. `nint` read as an unknown type).
   mcs stops at parse errors, so such a source is not checked for unknown API at all.
2. Otherwise the errors off those lines decide. Any of `PARSE_CODES` makes it `syntax_error` (it
   also makes every later error suspect). Else the first error, in mcs's order, that is
   `unknown_api` (`UNKNOWN_API_CODES`: a member, type, name, namespace, overload arity, named
   argument or override target that does not exist, or an API removed as obsolete-error) or
   `type_error` (`TYPE_ERROR_CODES`: the names exist but types, static/instance use, read-only
   targets or overloads do not fit, including ambiguous references such as `Random` under
   `using System;`, whose follow-on "System.Random has no Range" is then not blamed on the API).
   Else `other` (anything else, a timeout, a compiler killed by limits or crashed).
   `unknown_api` lists every unknown name found off the newer-construct lines, whatever the class.

Before any of that, `csharp_policy` refuses a source that mentions a strong-name signing attribute
(`forbidden_attribute`: mcs never runs) and takes out `#line` / `#pragma checksum`; line ends are
made `\n` first, so tree-sitter and mcs count the same lines.
"""

from __future__ import annotations

import functools
import hashlib
import os
import re
import shutil
import subprocess
import time
from pathlib import Path
from typing import Literal

import tree_sitter_c_sharp
from pydantic import BaseModel, Field
from tree_sitter import Language, Node, Parser

from modsmith.errors import ModsmithError
from modsmith.ground.csharp_policy import forbidden_attribute, normalise_line_ends, strip_file_directives
from modsmith.ground.sandbox import SandboxLimits, run_compiler, scratch_dir

STUB_DIR = Path(__file__).with_name("unity_stubs")
SOURCE_NAME = "Generated.cs"
LANGVERSION = "7.2"  # the highest numbered version mcs accepts
QUIET_WARNINGS = "0067,0168,0169,0219,0414,0649"  # unused fields/locals/events: noise in every script

FailureClass = Literal[
    "unknown_api", "needs_newer_csharp", "type_error", "syntax_error", "forbidden_attribute", "other"
]

UNKNOWN_API_CODES = {
    "CS0103",
    "CS0115",
    "CS0117",
    "CS0234",
    "CS0246",
    "CS0305",
    "CS0308",
    "CS0426",
    "CS0619",
    "CS1061",
    "CS1501",
    "CS1739",
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
    "CS0121",
    "CS0126",
    "CS0127",
    "CS0131",
    "CS0173",
    "CS0200",
    "CS0266",
    "CS0428",
    "CS0815",
    "CS1502",
    "CS1503",
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

_ERROR_LINE = re.compile(  # mcs writes columns past 255 as "255+"
    r"^(?:(?P<file>[^\n]*?)\((?P<line>\d+),(?P<col>\d+)\+?\): )?error (?P<code>CS\d{4}): (?P<msg>[^\n]*)$",
    re.M,
)
_QUALIFIED_CODES = {"CS0115", "CS0305", "CS0308", "CS0619"}
_UNKNOWN_NAME = {
    "CS1061": r"Type `(?P<on>[^']+)' does not contain a definition for `(?P<name>[^']+)'",
    "CS0117": r"`(?P<on>[^']+)' does not contain a definition for `(?P<name>[^']+)'",
    "CS0234": r"name `(?P<name>[^']+)' does not exist in the namespace `(?P<on>[^']+)'",
    "CS0426": r"nested type `(?P<name>[^']+)' does not exist in the type `(?P<on>[^']+)'",
    "CS1739": r"match for `(?P<on>[^'(]+)[^']*' does not contain a parameter named `(?P<name>[^']+)'",
}


class CSharpError(BaseModel):
    """One compiler error; line and column are 1-based and refer to the checked source."""

    code: str
    line: int | None = None
    column: int | None = None
    message: str


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


class CSharpResult(BaseModel):
    """What the compile check found."""

    passed: bool
    failure_class: FailureClass | None = None
    errors: list[CSharpError] = Field(default_factory=list)
    unknown_api: list[UnknownApi] = Field(default_factory=list)
    newer_features: list[CSharpFeature] = Field(default_factory=list)
    compiler_output: str = ""
    timed_out: bool = False
    truncated: bool = False
    detail: str = ""


def csharp_check(
    source: str, unity_managed: Path | None = None, limits: SandboxLimits | None = None
) -> CSharpResult:
    """Compile `source` as a library against UnityEngine (our stubs, or `unity_managed`'s DLLs)."""
    refused = forbidden_attribute(source)
    if refused is not None:
        return CSharpResult(passed=False, failure_class="forbidden_attribute", detail=refused.detail)
    mcs = _find_mcs()
    references = unity_references(unity_managed) if unity_managed else [build_stub_assembly()]
    hide = {str(ref.parent): "<UnityEngine>" for ref in references}
    limits = limits or SandboxLimits()
    source = normalise_line_ends(source)
    features, tree_ok = scan_source(source, limits.wall_seconds)
    with scratch_dir() as work:
        (work / "refs").mkdir()
        for ref in references:
            (work / "refs" / ref.name).symlink_to(ref)
        # #line would let the source rename itself in the output and shift every reported position.
        (work / SOURCE_NAME).write_text(
            strip_file_directives(source), encoding="utf-8", errors="replace", newline=""
        )
        argv = [
            mcs,
            "-target:library",
            f"-langversion:{LANGVERSION}",
            f"-nowarn:{QUIET_WARNINGS}",
            "-codepage:utf8",
            *[f"-r:refs/{ref.name}" for ref in references],
            "-out:Gen.dll",
            SOURCE_NAME,
        ]
        run = run_compiler(argv, work, limits, hide)
    errors = parse_errors(run.output)
    result = CSharpResult(
        passed=run.returncode == 0 and not run.timed_out and not errors,
        errors=errors,
        newer_features=features,
        compiler_output=run.output,
        timed_out=run.timed_out,
        truncated=run.truncated,
    )
    if not result.passed:
        considered = [] if run.timed_out else errors  # a killed compiler's last words prove little
        result.failure_class, blamed = _classify(considered, features, tree_ok)
        result.unknown_api = [api for e in considered if e not in blamed and (api := _unknown_api(e))]
    return result


def parse_errors(output: str) -> list[CSharpError]:
    """The `error CSxxxx` lines of mcs output that concern the checked source."""
    errors = []
    for m in _ERROR_LINE.finditer(output):
        if m["file"] is not None and m["file"] != SOURCE_NAME:
            continue
        line, col = (int(m["line"]), int(m["col"])) if m["line"] else (None, None)
        errors.append(CSharpError(code=m["code"], line=line, column=col, message=m["msg"].strip()))
    return errors


def _classify(
    errors: list[CSharpError], features: list[CSharpFeature], tree_ok: bool
) -> tuple[FailureClass, list[CSharpError]]:
    """The failure class, and the errors put down to constructs newer than mcs."""
    if not errors:
        return "other", []
    parse_stage = all(e.code in PARSE_CODES for e in errors)
    if tree_ok and ((parse_stage and features) or any(e.code == "CS1644" for e in errors)):
        return "needs_newer_csharp", errors
    blamed = [e for e in errors if e.line and any(f.line <= e.line <= f.end_line for f in features)]
    rest = [e for e in errors if e not in blamed]
    if not rest:
        return "needs_newer_csharp", blamed
    if any(e.code in PARSE_CODES for e in rest):
        return "syntax_error", blamed
    for error in rest:  # the first error is the likeliest cause of those after it
        if error.code in UNKNOWN_API_CODES:
            return "unknown_api", blamed
        if error.code in TYPE_ERROR_CODES:
            return "type_error", blamed
    return "other", blamed


def _unknown_api(error: CSharpError) -> UnknownApi | None:
    if error.code not in UNKNOWN_API_CODES:
        return None
    m = re.search(_UNKNOWN_NAME.get(error.code, r"`(?P<name>[^']+)'"), error.message)
    if not m:
        return None
    name, on = m["name"], m.groupdict().get("on")
    if on is None and error.code in _QUALIFIED_CODES:  # `Type.Member(args)' or `Type.Member<T>()'
        name, _, on = re.sub(r"[(<].*$", "", name).rpartition(".")[::-1]
    return UnknownApi(name=name, on=on or None, code=error.code, line=error.line)


# --- constructs newer than mcs -------------------------------------------------------------------

_NODE_FEATURES = {
    "local_function_statement": ("local function", "7.0"),
    "switch_expression": ("switch expression", "8.0"),
    "preproc_nullable": ("#nullable directive", "8.0"),
    "range_expression": ("range expression", "8.0"),
    "recursive_pattern": ("property or positional pattern", "8.0"),
    "??=": ("??= assignment", "8.0"),
    "record_declaration": ("record", "9.0"),
    "implicit_object_creation_expression": ("target-typed new()", "9.0"),
    "negated_pattern": ("not pattern", "9.0"),
    "and_pattern": ("and pattern", "9.0"),
    "or_pattern": ("or pattern", "9.0"),
    "relational_pattern": ("relational pattern", "9.0"),
    "parenthesized_pattern": ("parenthesized pattern", "9.0"),
    "type_pattern": ("type pattern", "9.0"),
    "with_expression": ("with expression", "9.0"),
    "function_pointer_type": ("function pointer", "9.0"),
    "global_statement": ("top-level statement", "9.0"),
    "file_scoped_namespace_declaration": ("file-scoped namespace", "10.0"),
    "raw_string_literal": ("raw string literal", "11.0"),
    "list_pattern": ("list pattern", "11.0"),
    "collection_expression": ("collection expression", "12.0"),
}
_LITERALS = {
    "null_literal",
    "integer_literal",
    "real_literal",
    "string_literal",
    "character_literal",
    "boolean_literal",
}


@functools.cache
def _language() -> Language:
    return Language(tree_sitter_c_sharp.language())


def scan_source(source: str, seconds: float = 20.0) -> tuple[list[CSharpFeature], bool]:
    """Constructs in `source` that mcs cannot compile, and whether tree-sitter parsed it without error.

    Parsing and walking stop after `seconds` (a hostile source gets no more time here than in mcs);
    an unfinished parse counts as not clean.
    """
    deadline = time.monotonic() + seconds
    data = source.encode("utf-8", errors="replace")
    try:  # a fresh parser each time: one whose parse was abandoned would resume it
        tree = Parser(_language()).parse(
            lambda offset, _point: data[offset : offset + 65536],
            progress_callback=lambda *_: time.monotonic() > deadline,
        )
    except ValueError:  # parse abandoned at the deadline
        return [], False
    found: dict[tuple[str, int], CSharpFeature] = {}
    # Parents are carried along: Node.parent walks down from the root, quadratic on deep nesting.
    stack: list[tuple[Node, str, str]] = [(tree.root_node, "", "")]
    visited = 0
    while stack:
        visited += 1
        if visited % 4096 == 0 and time.monotonic() > deadline:
            break
        node, parent_kind, grandparent_kind = stack.pop()
        children = node.children
        feature = _feature(node, [child.type for child in children], parent_kind, grandparent_kind)
        if feature:
            name, version = feature
            first, last = node.start_point[0] + 1, node.end_point[0] + 1
            feature_at = CSharpFeature(name=name, csharp=version, line=first, end_line=last)
            found.setdefault((name, first), feature_at)
        stack.extend((child, node.type, parent_kind) for child in reversed(children))
    features = sorted(found.values(), key=lambda f: (f.line, f.name))
    return features, not tree.root_node.has_error


def _feature(node: Node, kinds: list[str], parent_kind: str, grandparent_kind: str) -> tuple[str, str] | None:
    kind = node.type
    if kind in _NODE_FEATURES:
        return _NODE_FEATURES[kind]
    if kind == "local_declaration_statement" and "using" in kinds:
        return ("await using declaration", "8.0") if "await" in kinds else ("using declaration", "8.0")
    if kind in ("foreach_statement", "using_statement") and "await" in kinds:
        return ("await foreach / await using", "8.0")
    if kind == "prefix_unary_expression" and kinds[:1] == ["^"]:
        return ("index from end (^)", "8.0")
    if kind == "postfix_unary_expression" and kinds[-1:] == ["!"]:
        return ("null-forgiving operator (!)", "8.0")
    if kind == "interpolation_start" and node.text == b"@$":
        return ("@$ interpolated string", "8.0")
    if kind == "constant_pattern" and parent_kind == "is_pattern_expression" and set(kinds) & _LITERALS:
        return ("constant pattern (is null / is <literal>)", "7.0")
    if kind == "declaration_pattern" and (parent_kind == "switch_section" or "implicit_type" in kinds):
        return ("pattern in switch case / var pattern", "7.0")
    if kind == "when_clause" and parent_kind == "switch_section":
        return ("when clause in switch case", "7.0")
    if kind == "accessor_declaration" and "init" in kinds:
        return ("init accessor", "9.0")
    if kind == "predefined_type" and node.text in (b"nint", b"nuint"):
        return ("native-sized integer", "9.0")
    if kind == "using_directive" and "global" in kinds:
        return ("global using", "10.0")
    if kind in ("class_declaration", "struct_declaration") and "parameter_list" in kinds:
        return ("primary constructor", "12.0")
    if kind in ("method_declaration", "property_declaration") and grandparent_kind == "interface_declaration":
        if "block" in kinds or "arrow_expression_clause" in kinds:
            return ("default interface member", "8.0")
    if kind == "modifier":
        return _modifier_feature(node.text.decode(errors="replace"), parent_kind)
    return None


def _modifier_feature(word: str, parent_kind: str) -> tuple[str, str] | None:
    if word in ("required", "file"):
        return ("required member", "11.0") if word == "required" else ("file-local type", "11.0")
    if word == "static" and parent_kind == "lambda_expression":
        return ("static lambda", "9.0")
    if word == "static" and parent_kind == "local_function_statement":
        return ("static local function", "8.0")
    if word == "readonly" and parent_kind in ("method_declaration", "property_declaration"):
        return ("readonly struct member", "8.0")
    return None


# --- references -------------------------------------------------------------------------------------


def unity_references(managed: Path) -> list[Path]:
    """The UnityEngine assemblies of a Unity install's `Editor/Data/Managed` directory.

    Newer Unity keeps the per-module assemblies (and a forwarding UnityEngine.dll) in a `UnityEngine/`
    subfolder; when that exists it is used, plus top-level extras such as UnityEngine.UI.dll.
    """
    managed = Path(managed).expanduser()
    hint = "point at <Unity>/Editor/Data/Managed, the folder holding UnityEngine*.dll"
    if not managed.is_dir():
        raise ModsmithError("Unity managed directory not found", where=str(managed), hint=hint)
    found: dict[str, Path] = {}
    for dll in sorted((managed / "UnityEngine").glob("UnityEngine*.dll")):
        found[dll.name] = dll
    for dll in sorted(managed.glob("UnityEngine*.dll")):
        if not (found and dll.name == "UnityEngine.dll"):
            found.setdefault(dll.name, dll)
    if not found:
        raise ModsmithError(
            "no UnityEngine*.dll in the Unity managed directory", where=str(managed), hint=hint
        )
    return [found[name] for name in sorted(found)]


def build_stub_assembly(cache_dir: Path | None = None) -> Path:
    """Compile `unity_stubs/*.cs` to a cached `UnityEngine.dll` (rebuilt only when stubs or mcs change)."""
    mcs = _find_mcs()
    sources = sorted(STUB_DIR.glob("*.cs"))
    digest = hashlib.sha256(_mcs_version(mcs).encode())
    for path in sources:
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    target = (cache_dir or _default_cache()) / digest.hexdigest()[:16] / "UnityEngine.dll"
    if target.is_file():
        return target
    with scratch_dir("modsmith-unity-stubs-") as work:
        argv = [
            mcs,
            "-target:library",
            f"-langversion:{LANGVERSION}",
            "-warn:0",
            "-out:UnityEngine.dll",
            *map(str, sources),
        ]
        limits = SandboxLimits(cpu_seconds=60, wall_seconds=120)
        run = run_compiler(argv, work, limits, {str(STUB_DIR): "unity_stubs"})
        built = work / "UnityEngine.dll"
        if run.returncode != 0 or not built.is_file():
            raise RuntimeError(f"the UnityEngine stubs did not compile:\n{run.output}")
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(f".UnityEngine.{os.getpid()}.dll")
        shutil.copyfile(built, partial)
        os.replace(partial, target)
    return target


def _default_cache() -> Path:
    root = os.environ.get("MODSMITH_CACHE")
    return (Path(root) if root else Path.home() / ".cache" / "modsmith") / "unity-stubs"


def _find_mcs() -> str:
    mcs = shutil.which("mcs")
    if not mcs:
        raise ModsmithError("mcs not found", hint="apt-get install mono-mcs")
    return mcs


@functools.cache
def _mcs_version(mcs: str) -> str:
    done = subprocess.run(
        [mcs, "--version"], capture_output=True, text=True, timeout=30, stdin=subprocess.DEVNULL
    )
    return done.stdout.strip()
