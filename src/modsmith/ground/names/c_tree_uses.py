"""The uses of a C block's suspects, read from tree-sitter (see `used_names`): the block is parsed as a
file, or wrapped in a function body when that has fewer errors, and each occurrence of a suspect is
classified from its node: declared in the snippet (function, parameter, local, struct/enum/typedef,
`#define`, struct member), a use (call with its argument count, type, member with its base struct,
identifier), or not code (a macro body, an `#if` condition). A variable's type is the one of its
own scope: when the block declares a name with two types, each use is typed from the declaration
that encloses it.
"""

from __future__ import annotations

from tree_sitter import Node, Parser, Query, QueryCursor

from modsmith.code.languages import c_language, in_text_order
from modsmith.ground.names.c_index_facts import global_type, unique_field_type
from modsmith.ground.names.c_screen import ALL_CAPS, API_SHAPE, NameUse
from modsmith.ground.names.c_text_shapes import word_starts
from modsmith.ground.names.symbol_index import SymbolIndex

_WRAP_PREFIX = b"void __f(void) {\n"
_C_LANGUAGE = c_language()
_C_PARSER = Parser(_C_LANGUAGE)
_C_DECLARATIONS = QueryCursor(Query(_C_LANGUAGE, "(declaration) @d (parameter_declaration) @d (ERROR) @e"))
_DECLARATOR_FIELD_PARENTS = {
    "declaration", "init_declarator", "pointer_declarator", "array_declarator", "function_declarator",
    "attributed_declarator", "parameter_declaration", "type_definition",
}  # fmt: skip
_AGGREGATE_SPECIFIERS = {"struct_specifier", "union_specifier", "enum_specifier"}


def confirm_uses(
    text: str,
    code: str,
    suspects: dict[str, set[str]],
    index: SymbolIndex,
    aliases: frozenset[str] = frozenset(),
) -> list[NameUse]:
    """Classify each occurrence of each suspect from the tree-sitter tree; a member that the block
    itself `#define`s as an alias (`aliases`) is the preprocessor's to expand, not a member."""
    data = text.encode("utf-8", errors="replace")
    root, shift = _parse_c(data)
    offset = len(_WRAP_PREFIX) if shift else 0
    ascii_only = text.isascii()
    occurrences: dict[str, list[tuple[Node, str]]] = {}
    for name in sorted(suspects):
        for char_start in word_starts(code, name):
            start = char_start if ascii_only else len(text[:char_start].encode("utf-8", errors="replace"))
            node = root.named_descendant_for_byte_range(start + offset, start + offset + len(name.encode()))
            if node is not None:
                occurrences.setdefault(name, []).append((node, _role(node)))
    resolver = _TypeResolver(index, root)
    uses: list[NameUse] = []
    for name, found in occurrences.items():
        reasons = suspects[name]
        roles = {role for _, role in found}
        for node, role in found:
            row = node.start_point.row - shift
            if role == "member" and name in aliases:
                continue
            if role == "member" and "member_declared" not in roles and reasons & {"member", "name"}:
                base = resolver.type_of(node.parent.child_by_field_name("argument"))
                uses.append(NameUse(name, "member", row, base_type=base))
            elif role == "designator" and "member_declared" not in roles and reasons & {"member", "name"}:
                uses.append(NameUse(name, "member", row))
            elif role == "call" and "declared" not in roles and reasons & {"arity", "name"}:
                arguments = node.parent.child_by_field_name("arguments")
                count = sum(1 for a in arguments.named_children if a.type != "comment") if arguments else None
                uses.append(NameUse(name, "macro" if ALL_CAPS.fullmatch(name) else "call", row, count))
            elif "name" in reasons and "declared" not in roles:
                if role == "type":
                    uses.append(NameUse(name, "type", row))
                elif role == "identifier" and API_SHAPE.match(name):
                    uses.append(NameUse(name, "macro" if ALL_CAPS.fullmatch(name) else "identifier", row))
    uses.sort(key=lambda u: u.row)
    return uses


def _parse_c(data: bytes) -> tuple[Node, int]:
    """The root of the better parse: as a file, or wrapped in a function body (shift 1 line)."""
    root = _C_PARSER.parse(data).root_node
    if not root.has_error:
        return root, 0
    wrapped = _C_PARSER.parse(_WRAP_PREFIX + data + b"\n}\n").root_node
    if _errors(wrapped) < _errors(root):
        return wrapped, 1
    return root, 0


def _errors(root: Node) -> int:
    return len(_C_DECLARATIONS.captures(root).get("e", ()))


def _role(node: Node) -> str:
    """declared | member_declared | call | member | designator | type | identifier | ignore."""
    parent = node.parent
    kind = node.type
    if parent is None or kind not in ("identifier", "type_identifier", "field_identifier"):
        return "ignore"
    ptype = parent.type
    if kind == "field_identifier":
        if ptype == "field_expression":
            return "member" if parent.child_by_field_name("field") == node else "ignore"
        return "designator" if ptype == "field_designator" else "member_declared"
    if ptype in _DECLARATOR_FIELD_PARENTS and node in parent.children_by_field_name("declarator"):
        return "declared"
    if ptype in ("parenthesized_declarator", "preproc_params", "parameter_list", "enumerator") or (
        ptype in ("preproc_def", "preproc_function_def") and parent.child_by_field_name("name") == node
    ):
        return (
            "declared"
            if ptype != "enumerator" or parent.child_by_field_name("name") == node
            else "identifier"
        )
    if ptype in _AGGREGATE_SPECIFIERS:
        if parent.child_by_field_name("body") is not None:
            return "declared"
        # `struct Tag;` declares the tag too (an incomplete type)
        after, holder = parent.next_sibling, parent.parent
        forward = (after is not None and after.type == ";") or (
            holder is not None
            and holder.type == "declaration"
            and not holder.children_by_field_name("declarator")
        )
        return "declared" if forward else "type"
    if kind == "type_identifier":
        return "type"
    if ptype in ("preproc_ifdef", "preproc_defined") or _in_condition(node):
        return "ignore"
    if ptype == "call_expression" and parent.child_by_field_name("function") == node:
        return "call"
    return "identifier"


def _in_condition(node: Node) -> bool:
    child, parent = node, node.parent
    while parent is not None:
        if parent.type in ("preproc_if", "preproc_elif"):
            condition = parent.child_by_field_name("condition")
            return condition is not None and condition.start_byte <= child.start_byte < condition.end_byte
        child, parent = parent, parent.parent
    return False


class _TypeResolver:
    """The struct type of simple C expressions: declared variables (from the declaration whose
    scope encloses the use), casts, `a.b` / `a->b` chains."""

    def __init__(self, index: SymbolIndex, root: Node):
        self.index = index
        self.root = root
        #: name -> (scope start, scope end, declared at, type) of each declaration of the block
        self._vars: dict[str, list[tuple[int, int, int, str]]] | None = None
        self._cache: dict[tuple[int, int], str | None] = {}

    def variables(self) -> dict[str, list[tuple[int, int, int, str]]]:
        if self._vars is None:
            self._vars = {}
            for node in in_text_order(_C_DECLARATIONS.captures(self.root).get("d", ())):
                type_name = _c_type_name(node.child_by_field_name("type"))
                if type_name is None:
                    continue
                scope = _scope_of(node)
                for declarator in node.children_by_field_name("declarator"):
                    name = _declarator_name(declarator)
                    if name:
                        self._vars.setdefault(name, []).append(
                            (scope.start_byte, scope.end_byte, node.start_byte, type_name)
                        )
        return self._vars

    def variable_type(self, name: str, at: int) -> str | None:
        """The type of the declaration of `name` in the innermost scope around byte `at`."""
        visible = [d for d in self.variables().get(name, ()) if d[0] <= at < d[1] and d[2] <= at]
        if not visible:
            return None
        return max(visible, key=lambda d: (d[0], d[2]))[3]  # innermost scope, then latest

    def type_of(self, node: Node | None) -> str | None:
        if node is None:
            return None
        key = (node.start_byte, node.end_byte)
        if key in self._cache:
            return self._cache[key]
        result = None
        kind = node.type
        if kind == "identifier":
            name = _text(node)
            result = self.variable_type(name, node.start_byte) or global_type(self.index, name)
        elif kind == "field_expression":
            member = node.child_by_field_name("field")
            if member is not None:
                member_name = _text(member)
                base = self.type_of(node.child_by_field_name("argument"))
                if base is not None and self.index.fields_of(base):
                    result = self.index.member_type(base, member_name)
                else:
                    result = unique_field_type(self.index, member_name)
        elif kind == "cast_expression":
            descriptor = node.child_by_field_name("type")
            result = _c_type_name(descriptor.child_by_field_name("type") if descriptor is not None else None)
        elif kind in ("parenthesized_expression", "pointer_expression", "subscript_expression"):
            inner = node.child_by_field_name("argument") or (
                node.named_children[0] if node.named_children else None
            )
            result = self.type_of(inner)
        self._cache[key] = result
        return result


_SCOPES = {"compound_statement", "for_statement", "function_definition", "translation_unit"}
_PROTOTYPE_HOLDERS = {"declaration", "type_definition", "field_declaration", "parameter_declaration"}


def _scope_of(declaration: Node) -> Node:
    """The node a declaration is visible in: its block, its `for`, its function (parameters),
    the declaration holding a prototype or a function pointer type (their parameters), or the
    whole text."""
    node = declaration.parent
    while node is not None:
        if node.type in _SCOPES:
            return node
        if node.type in _PROTOTYPE_HOLDERS and declaration.type == "parameter_declaration":
            return node  # the parameters of a prototype or function pointer type are visible nowhere else
        if node.parent is None:
            return node
        node = node.parent
    return declaration


def _text(node: Node) -> str:
    return node.text.decode("utf-8", errors="replace")


def _c_type_name(node: Node | None) -> str | None:
    if node is None:
        return None
    if node.type == "type_identifier":
        return _text(node)
    if node.type in ("struct_specifier", "union_specifier"):
        tag = node.child_by_field_name("name")
        return _text(tag) if tag is not None else None
    return None


def _declarator_name(node: Node | None) -> str | None:
    while node is not None:
        if node.type == "identifier":
            return _text(node)
        if node.type == "parenthesized_declarator":
            node = node.named_children[0] if node.named_child_count else None
        else:
            node = node.child_by_field_name("declarator")
    return None
