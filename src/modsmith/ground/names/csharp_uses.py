"""What a C# block uses: every name it does not declare itself, from tree-sitter-c-sharp, with how it
is used (a type, a member, a call, an identifier)."""

from __future__ import annotations

from tree_sitter import Node, Parser, Query, QueryCursor

from modsmith.code.languages import csharp_language, in_text_order
from modsmith.ground.names.c_screen import NameUse, Usage
from modsmith.ground.names.used_names import SpanUses

_CSHARP_LANGUAGE = csharp_language()
_CSHARP_PARSER = Parser(_CSHARP_LANGUAGE)
_CSHARP_QUERY = QueryCursor(
    Query(
        _CSHARP_LANGUAGE,
        """
(class_declaration name: (identifier) @decl)
(struct_declaration name: (identifier) @decl)
(interface_declaration name: (identifier) @decl)
(enum_declaration name: (identifier) @decl)
(record_declaration name: (identifier) @decl)
(delegate_declaration name: (identifier) @decl)
(method_declaration name: (identifier) @decl)
(constructor_declaration name: (identifier) @decl)
(local_function_statement name: (identifier) @decl)
(property_declaration name: (identifier) @decl)
(event_declaration name: (identifier) @decl)
(variable_declarator name: (identifier) @decl)
(parameter name: (identifier) @decl)
(foreach_statement left: (identifier) @decl)
(declaration_pattern name: (identifier) @decl)
(catch_declaration name: (identifier) @decl)
(type_parameter name: (identifier) @decl)
(enum_member_declaration name: (identifier) @decl)
(declaration_expression name: (identifier) @decl)
(labeled_statement (identifier) @decl)
(implicit_parameter) @decl
(using_directive) @skip
(preproc_if condition: (_) @skip)
(preproc_elif condition: (_) @skip)
(preproc_if_in_attribute_list condition: (_) @skip)
[(preproc_define) (preproc_undef) (preproc_pragma) (preproc_line) (preproc_error) (preproc_warning)
 (preproc_region) (preproc_endregion) (preproc_nullable)] @skip
(namespace_declaration name: (_) @skip)
(file_scoped_namespace_declaration name: (_) @skip)
(qualified_name) @skip
(invocation_expression function: (identifier) @call)
(invocation_expression function: (member_access_expression name: (identifier) @call))
(invocation_expression function: (generic_name (identifier) @call))
(invocation_expression function: (member_access_expression name: (generic_name (identifier) @call)))
(member_access_expression name: (identifier) @member)
(member_access_expression name: (generic_name (identifier) @member))
(object_creation_expression type: (identifier) @type)
(type_argument_list (identifier) @type)
(variable_declaration type: (identifier) @type)
(parameter type: (identifier) @type)
(method_declaration returns: (identifier) @type)
(property_declaration type: (identifier) @type)
(base_list (identifier) @type)
(declaration_pattern type: (identifier) @type)
(cast_expression type: (identifier) @type)
(typeof_expression type: (identifier) @type)
(attribute name: (identifier) @type)
(generic_name (identifier) @type)
(array_type type: (identifier) @type)
(nullable_type type: (identifier) @type)
(identifier) @id
""",
    )
)


def csharp_block_uses(text: str) -> SpanUses:
    """Every use of a name in a C# block that the block does not declare itself, in text order.

    Preprocessor directives hold no uses: `#if UNITY_EDITOR`, `#pragma warning disable CS0168`.
    """
    root = _CSHARP_PARSER.parse(text.encode("utf-8", errors="replace")).root_node
    caps = _CSHARP_QUERY.captures(root)
    declared = {_text(n) for n in caps.get("decl", ())}
    skipped = [(n.start_byte, n.end_byte) for n in caps.get("skip", ())]
    usage_at: dict[int, Usage] = {}
    for capture, usage in (("type", "type"), ("member", "member"), ("call", "call")):  # later wins
        for node in caps.get(capture, ()):
            usage_at[node.start_byte] = usage  # type: ignore[assignment]
    uses = []
    for node in in_text_order(caps.get("id", ())):
        start = node.start_byte
        if any(a <= start < b for a, b in skipped):
            continue
        name = _text(node)
        if name in declared:
            continue
        usage = usage_at.get(start, "identifier")
        if usage == "identifier" and not name[:1].isupper():
            continue
        uses.append(NameUse(name, usage, node.start_point.row))
    return SpanUses(uses)


def _text(node: Node) -> str:
    return node.text.decode("utf-8", errors="replace")
