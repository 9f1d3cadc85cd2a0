"""What tree-sitter-c's declarators say: the name a declarator declares (through pointers, arrays
and parentheses), a function's parameters, arity and storage class, a declaration's base type name.
"""

from __future__ import annotations

from tree_sitter import Node

from modsmith.code.symbols import node_text

AGGREGATES = {"struct_specifier": "struct", "union_specifier": "union", "enum_specifier": "enum"}
NAMES = {"identifier", "field_identifier", "type_identifier"}
_WRAPPERS = {"pointer_declarator", "array_declarator", "attributed_declarator", "init_declarator"}


def base_type_name(type_node: Node | None, source: bytes) -> str | None:
    """`Actor` for `Actor`, `struct Actor` or `const Actor`; the text for `u32` or `unsigned int`."""
    if type_node is None:
        return None
    if type_node.type in AGGREGATES:
        tag = type_node.child_by_field_name("name")
        return node_text(tag, source) if tag is not None else None
    return " ".join(node_text(type_node, source).split())


def function_arity(declarator: Node | None) -> int | None:
    """Parameter count of a function declarator: 0 for `(void)`, -1 when variadic, None for `()`."""
    params = declarator.child_by_field_name("parameters") if declarator is not None else None
    if params is None:
        return None
    children = [c for c in params.named_children if c.type != "comment"]
    if not children:
        return None
    if any(c.type == "variadic_parameter" for c in children):
        return -1
    if len(children) == 1 and children[0].type == "parameter_declaration":
        only = children[0]
        if only.child_by_field_name("declarator") is None and only.text.strip() == b"void":
            return 0
    return len(children)


def function_declarator(node: Node | None) -> Node | None:
    """The function declarator that names a function, looking through pointers and parentheses."""
    while node is not None:
        if node.type == "function_declarator":
            inner = node.child_by_field_name("declarator")
            if inner is not None and inner.type in NAMES:
                return node
            node = inner
        elif node.type in _WRAPPERS:
            if node.type == "init_declarator":
                return None  # `int x = ...`: a variable, even when its type is a function pointer
            node = node.child_by_field_name("declarator")
        elif node.type == "parenthesized_declarator":
            node = node.named_children[0] if node.named_child_count else None
        else:
            return None
    return None


def declarator_name(node: Node | None, source: bytes) -> str | None:
    while node is not None:
        if node.type in NAMES:
            return node_text(node, source)
        if node.type == "parenthesized_declarator":
            node = node.named_children[0] if node.named_child_count else None
        else:
            node = node.child_by_field_name("declarator")
    return None


def parameter_names(params: Node | None, source: bytes) -> list[str]:
    names: list[str] = []
    for child in params.named_children if params is not None else ():
        if child.type == "identifier":  # K&R: `f(a, b) int a; int b; {...}`
            names.append(node_text(child, source))
        elif child.type == "parameter_declaration":
            name = declarator_name(child.child_by_field_name("declarator"), source)
            if name:
                names.append(name)
        elif child.type == "variadic_parameter":
            names.append("...")
    return names


def field_names(body: Node, source: bytes) -> list[str]:
    names = []
    for child in body.named_children:
        if child.type == "field_declaration":
            for declarator in child.children_by_field_name("declarator"):
                name = declarator_name(declarator, source)
                if name:
                    names.append(name)
    return names


def storage_class(source: bytes, start: int, declarator_start: int) -> str | None:
    """`static` when the specifiers before the declarator include it."""
    head = source[start:declarator_start]
    return "static" if b"static" in head and b"static" in head.split() else None
