"""What tree-sitter-c-sharp tells of a C# source before mcs does: the constructs newer than mcs's C#
(`scan_source`, each with the C# version it came in, so that "needs newer C#" is told apart from a
real mistake), and the names a source declares for other files to use (`scan_declared_names`).
"""

from __future__ import annotations

import functools
import time

from tree_sitter import Node, Parser

from modsmith.code.languages import csharp_language
from modsmith.ground.csharp.csharp_errors import CSharpFeature

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
_MEMBERS = ("method_declaration", "property_declaration", "event_declaration", "indexer_declaration")
_INTERFACE_MODIFIERS = {b"public", b"private", b"protected", b"internal", b"static", b"virtual", b"sealed"}
_LITERALS = {
    "null_literal",
    "integer_literal",
    "real_literal",
    "string_literal",
    "character_literal",
    "boolean_literal",
}


def scan_source(source: str, seconds: float = 20.0) -> tuple[list[CSharpFeature], bool]:
    """Constructs in `source` that mcs cannot compile, and whether tree-sitter parsed it without error.

    Parsing and walking stop after `seconds` (a hostile source gets no more time here than in mcs);
    an unfinished parse counts as not clean.
    """
    deadline = time.monotonic() + seconds
    data = source.encode("utf-8", errors="replace")
    try:  # a fresh parser each time: one whose parse was abandoned would resume it
        tree = Parser(csharp_language()).parse(
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
    if kind in _MEMBERS and grandparent_kind == "interface_declaration":
        if "block" in kinds or "arrow_expression_clause" in kinds:
            return ("default interface member", "8.0")
        modifiers = {child.text for child in node.children if child.type == "modifier"}
        if modifiers & _INTERFACE_MODIFIERS:
            return ("modifier on an interface member", "8.0")
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


_TYPE_DECLARATIONS = {
    "class_declaration",
    "struct_declaration",
    "interface_declaration",
    "enum_declaration",
    "delegate_declaration",
    "record_declaration",
}
_DECLARATIONS = _TYPE_DECLARATIONS | {"method_declaration"}


@functools.lru_cache(maxsize=8192)
def scan_declared_types(source: str) -> frozenset[str]:
    """The names of the types (classes, structs, interfaces, enums, delegates) a source declares."""
    return frozenset(name for name, is_type in _declared_names(source) if is_type)


@functools.lru_cache(maxsize=8192)
def scan_declared_names(source: str) -> frozenset[str]:
    """What other files may name from a source: the types it declares, and its extension methods
    written with a leading dot (`.TakeUntilDestroy`)."""
    return frozenset(name if is_type else f".{name}" for name, is_type in _declared_names(source))


@functools.lru_cache(maxsize=64)
def _declared_names(source: str) -> tuple[tuple[str, bool], ...]:
    tree = Parser(csharp_language()).parse(source.encode("utf-8", errors="replace"))
    names = []
    stack = [tree.root_node]
    while stack:
        node = stack.pop()
        name = node.child_by_field_name("name") if node.type in _DECLARATIONS else None
        if name is not None and (node.type != "method_declaration" or _is_extension(node)):
            names.append((name.text.decode("utf-8", errors="replace"), node.type in _TYPE_DECLARATIONS))
        if node.type not in ("block", "arrow_expression_clause"):
            stack.extend(node.children)
    return tuple(names)


def _is_extension(method: Node) -> bool:
    """`static R Name(this T x, ...)`: its first parameter carries `this`."""
    parameters = method.child_by_field_name("parameters")
    if parameters is None:
        return False
    first = next((c for c in parameters.named_children if c.type == "parameter"), None)
    return first is not None and any(c.type == "modifier" and c.text == b"this" for c in first.children)
