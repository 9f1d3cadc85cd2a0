"""C symbols from a tree-sitter-c tree: functions, prototypes, structs, unions, enums, typedefs, macros.

Only the top level is walked (plus `#if`/`#ifdef`/`#else` blocks and error-recovery nodes, which
can hold whole definitions), so function bodies are never traversed: the cost stays close to
the parse itself.

With `index_extras=True` (what the grounding symbol index asks for) the walk also yields
file-scope variables (`global`, with `storage` "static"/"extern") and struct/union members
(`field`, one per containing type name: the tag and, when it differs, the typedef name), puts the
base type name of globals, fields and typedefs in `extra["type"]`, and the argument count of
functions, prototypes and function-like macros in `extra["arity"]` (-1: variadic, None: `f()`).
Ingest leaves it off, so its documents stay one per declaration.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from tree_sitter import Node

from modsmith.ingest.symbols import (
    Symbol,
    iter_with_docs,
    last_row,
    node_text,
    trailing_comment,
)

_BLOCKS = {"preproc_if", "preproc_ifdef", "preproc_else", "preproc_elif", "preproc_elifdef", "ERROR"}
_AGGREGATES = {"struct_specifier": "struct", "union_specifier": "union", "enum_specifier": "enum"}
_WRAPPERS = {"pointer_declarator", "array_declarator", "attributed_declarator", "init_declarator"}
_NAMES = {"identifier", "field_identifier", "type_identifier"}
_LEADING_CONTINUATIONS = re.compile(r"^(?:[ \t]*\\\r?\n)+")


def iter_c_symbols(root: Node, source: bytes, *, index_extras: bool = False) -> Iterator[Symbol]:
    """Every symbol in a parsed C file, in source order (see the module doc for `index_extras`)."""
    yield from _iter_block(root.children, source, index_extras)


def _iter_block(children: list[Node], source: bytes, extras: bool = False) -> Iterator[Symbol]:
    for _, node, doc in iter_with_docs(children, source):
        kind = node.type
        if kind == "function_definition":
            symbol = _function(node, source, doc)
            if symbol is not None:
                if extras:
                    declarator = _function_declarator(node.child_by_field_name("declarator"))
                    symbol.extra["arity"] = _arity(declarator)
                yield symbol
        elif kind == "declaration":
            yield from _declaration(node, source, doc, extras)
        elif kind == "type_definition":
            yield from _type_definition(node, source, doc, extras)
        elif kind in _AGGREGATES:
            end = node.next_sibling
            end_node = end if end is not None and end.type == ";" else node
            yield from _aggregate(node, source, doc, outer=node, end_node=end_node, extras=extras)
        elif kind in ("preproc_def", "preproc_function_def"):
            symbol = _macro(node, source, doc)
            if extras:
                symbol.extra["arity"] = _macro_arity(node.child_by_field_name("parameters"))
            yield symbol
        elif kind in _BLOCKS:
            yield from _iter_block(node.children, source, extras)


def _symbol(name: str, kind: str, node: Node, source: bytes, doc: str | None, end_node: Node | None = None):
    end_node = end_node or node
    return Symbol(
        name=name,
        kind=kind,
        start_byte=node.start_byte,
        end_byte=end_node.end_byte,
        first_line=node.start_point.row + 1,
        last_line=last_row(end_node) + 1,
        doc=doc,
    )


def _function(node: Node, source: bytes, doc: str | None) -> Symbol | None:
    outer = node.child_by_field_name("declarator")
    declarator = _function_declarator(outer)
    body = node.child_by_field_name("body")
    if declarator is None or body is None:
        return None
    name = node_text(declarator.child_by_field_name("declarator"), source)
    symbol = _symbol(name, "function", node, source, doc)
    symbol.signature = source[node.start_byte : body.start_byte].decode("utf-8", errors="replace").rstrip()
    symbol.params = _param_names(declarator.child_by_field_name("parameters"), source)
    symbol.storage = _storage(source, node.start_byte, outer.start_byte)
    return symbol


def _declaration(node: Node, source: bytes, doc: str | None, extras: bool = False) -> Iterator[Symbol]:
    type_node = node.child_by_field_name("type")
    if type_node is not None and type_node.type in _AGGREGATES:
        yield from _aggregate(type_node, source, doc, outer=type_node, end_node=type_node, extras=extras)
    declarators = node.children_by_field_name("declarator")
    for child in declarators:
        declarator = _function_declarator(child)
        if declarator is None:
            if extras:
                symbol = _global(node, child, type_node, declarators[0], source, doc)
                if symbol is not None:
                    yield symbol
            continue
        symbol = _symbol(
            node_text(declarator.child_by_field_name("declarator"), source), "prototype", node, source, doc
        )
        if len(declarators) == 1:
            symbol.signature = node_text(node, source).rstrip().removesuffix(";").rstrip()
        else:
            head = source[node.start_byte : declarators[0].start_byte].decode("utf-8", errors="replace")
            symbol.signature = head + node_text(child, source)
        symbol.params = _param_names(declarator.child_by_field_name("parameters"), source)
        symbol.storage = _storage(source, node.start_byte, declarators[0].start_byte)
        if extras:
            symbol.extra["arity"] = _arity(declarator)
        yield symbol


def _global(
    node: Node, declarator: Node, type_node: Node | None, first: Node, source: bytes, doc: str | None
) -> Symbol | None:
    """A file-scope variable definition or `extern` declaration (kind `global`)."""
    name = _declarator_name(declarator, source)
    if not name:
        return None
    symbol = _symbol(name, "global", node, source, doc)
    if declarator.type == "init_declarator":
        declarator = declarator.child_by_field_name("declarator")
    head = source[node.start_byte : first.start_byte].decode("utf-8", errors="replace")
    symbol.signature = " ".join((head + node_text(declarator, source)).split())
    head_words = head.split()
    symbol.storage = "static" if "static" in head_words else "extern" if "extern" in head_words else None
    symbol.extra["type"] = _type_name(type_node, source)
    return symbol


def _type_name(type_node: Node | None, source: bytes) -> str | None:
    """`Actor` for `Actor`, `struct Actor` or `const Actor`; the text for `u32` or `unsigned int`."""
    if type_node is None:
        return None
    if type_node.type in _AGGREGATES:
        tag = type_node.child_by_field_name("name")
        return node_text(tag, source) if tag is not None else None
    return " ".join(node_text(type_node, source).split())


def _arity(declarator: Node | None) -> int | None:
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


def _macro_arity(params: Node | None) -> int | None:
    """Parameter count of a function-like macro (-1 with `...` or `args...`); None when object-like."""
    if params is None:
        return None
    if any(c.type == "..." or (c.type == "ERROR" and b"..." in c.text) for c in params.children):
        return -1
    return sum(1 for c in params.named_children if c.type == "identifier")


def _type_definition(node: Node, source: bytes, doc: str | None, extras: bool = False) -> Iterator[Symbol]:
    names = [_declarator_name(d, source) for d in node.children_by_field_name("declarator")]
    names = [n for n in names if n]
    type_node = node.child_by_field_name("type")
    if type_node is not None and type_node.type in _AGGREGATES and type_node.child_by_field_name("body"):
        # `typedef struct X {...} X;` is one struct document that records its typedef name.
        typedef = names[0] if names else None
        yield from _aggregate(
            type_node, source, doc, outer=node, end_node=node, typedef=typedef, extras=extras
        )
        return
    for name in names:
        symbol = _symbol(name, "typedef", node, source, doc)
        if extras:
            symbol.extra["type"] = _type_name(type_node, source)
        yield symbol


def _aggregate(
    spec: Node,
    source: bytes,
    doc: str | None,
    outer: Node,
    end_node: Node,
    typedef: str | None = None,
    extras: bool = False,
) -> Iterator[Symbol]:
    body = spec.child_by_field_name("body")
    if body is None:
        return  # a forward declaration or a use, not a definition
    tag = spec.child_by_field_name("name")
    name = node_text(tag, source) if tag is not None else typedef
    kind = _AGGREGATES[spec.type]
    if name is not None:
        symbol = _symbol(name, kind, outer, source, doc, end_node=end_node)
        if typedef:
            symbol.extra["typedef"] = typedef
        if kind == "enum":
            symbol.extra["constants"] = [
                node_text(c.child_by_field_name("name"), source)
                for c in body.named_children
                if c.type == "enumerator"
            ]
        else:
            symbol.extra["fields"] = _field_names(body, source)
        yield symbol
    if kind == "enum":
        yield from _enum_constants(body, source, name)
    elif extras:
        containers = [n for n in dict.fromkeys((name, typedef)) if n]
        yield from _fields(body, source, containers)


def _fields(body: Node, source: bytes, containers: list[str]) -> Iterator[Symbol]:
    """Members of a struct/union body, once per container name; nested named aggregates too.

    Members of an anonymous nested struct or union count as members of the enclosing type (as
    C11 anonymous members are); a nested `struct Tag {...}` is yielded as a struct of its own.
    """
    children = body.children
    for index, node, doc in iter_with_docs(children, source):
        if node.type in _BLOCKS:
            yield from _fields(node, source, containers)
            continue
        if node.type != "field_declaration":
            continue
        doc = doc or trailing_comment(children, index, source)
        type_node = node.child_by_field_name("type")
        if type_node is not None and type_node.type in _AGGREGATES:
            inner = type_node.child_by_field_name("body")
            tag = type_node.child_by_field_name("name")
            if inner is not None and tag is not None:
                yield from _aggregate(
                    type_node, source, None, outer=type_node, end_node=type_node, extras=True
                )
            elif inner is not None and type_node.type != "enum_specifier":
                yield from _fields(inner, source, containers)
            elif inner is not None:
                yield from _enum_constants(inner, source, None)
        declarators = node.children_by_field_name("declarator")
        for declarator in declarators:
            name = _declarator_name(declarator, source)
            if not name:
                continue
            for container in containers:
                symbol = _symbol(name, "field", node, source, doc)
                symbol.container = container
                symbol.signature = " ".join(node_text(node, source).rstrip(";").split())
                symbol.extra["type"] = _type_name(type_node, source)
                yield symbol


def _enum_constants(body: Node, source: bytes, container: str | None) -> Iterator[Symbol]:
    children = body.children
    for index, node, doc in iter_with_docs(children, source):
        if node.type != "enumerator":
            continue
        doc = doc or trailing_comment(children, index, source)
        name = node_text(node.child_by_field_name("name"), source)
        symbol = _symbol(name, "enum_constant", node, source, doc)
        symbol.container = container
        value = node.child_by_field_name("value")
        symbol.extra["value"] = node_text(value, source) if value is not None else None
        yield symbol


def _macro(node: Node, source: bytes, doc: str | None) -> Symbol:
    """A `#define`; its text is the whole logical line, whatever tree-sitter made of comments in it."""
    name_node = node.child_by_field_name("name")
    params_node = node.child_by_field_name("parameters")
    name = node_text(name_node, source)
    end = _logical_line_end(source, node.start_byte)
    symbol = _symbol(name, "macro", node, source, None)
    symbol.end_byte = end
    symbol.last_line = symbol.first_line + source.count(b"\n", node.start_byte, end)
    after_head = (params_node or name_node).end_byte
    value_text = _LEADING_CONTINUATIONS.sub("", source[after_head:end].decode("utf-8", errors="replace"))
    value, comment = _split_trailing_comment(value_text)
    symbol.doc = doc or comment
    if params_node is not None:
        symbol.params = [
            node_text(c, source) if c.type == "identifier" else "..."
            for c in params_node.named_children
            if c.type != "comment"
        ]
        symbol.signature = f"#define {name}{node_text(params_node, source)}"
    else:
        symbol.signature = f"#define {name}"
    symbol.extra["function_like"] = params_node is not None
    symbol.extra["value"] = value
    return symbol


def _logical_line_end(source: bytes, start: int) -> int:
    """Offset of the end of the (backslash-continued) line starting at `start`, before `\r\n`."""
    while True:
        newline = source.find(b"\n", start)
        if newline == -1:
            return len(source.rstrip())
        end = newline - 1 if source[newline - 1 : newline] == b"\r" else newline
        if source[end - 1 : end] != b"\\":
            return end
        start = newline + 1


def _split_trailing_comment(value: str) -> tuple[str, str | None]:
    """Split `3 // note` into ("3", "note"); comments inside string literals are left alone."""
    if "/" not in value:
        return value.strip(), None
    quote = None
    i = 0
    while i < len(value):
        ch = value[i]
        if quote:
            if ch == "\\":
                i += 1
            elif ch == quote:
                quote = None
        elif ch in "\"'":
            quote = ch
        elif value.startswith("//", i):
            return value[:i].strip(), value[i + 2 :].strip(" /") or None
        elif value.startswith("/*", i):
            end = value.find("*/", i + 2)
            if end == -1 or not value[end + 2 :].strip():
                inner = value[i + 2 : end if end != -1 else None].strip(" *")
                return value[:i].strip(), inner or None
            i = end + 1
        i += 1
    return value.strip(), None


def _function_declarator(node: Node | None) -> Node | None:
    """The function declarator that names a function, looking through pointers and parentheses."""
    while node is not None:
        if node.type == "function_declarator":
            inner = node.child_by_field_name("declarator")
            if inner is not None and inner.type in _NAMES:
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


def _declarator_name(node: Node | None, source: bytes) -> str | None:
    while node is not None:
        if node.type in _NAMES:
            return node_text(node, source)
        if node.type == "parenthesized_declarator":
            node = node.named_children[0] if node.named_child_count else None
        else:
            node = node.child_by_field_name("declarator")
    return None


def _param_names(params: Node | None, source: bytes) -> list[str]:
    names: list[str] = []
    for child in params.named_children if params is not None else ():
        if child.type == "identifier":  # K&R: `f(a, b) int a; int b; {...}`
            names.append(node_text(child, source))
        elif child.type == "parameter_declaration":
            name = _declarator_name(child.child_by_field_name("declarator"), source)
            if name:
                names.append(name)
        elif child.type == "variadic_parameter":
            names.append("...")
    return names


def _field_names(body: Node, source: bytes) -> list[str]:
    names = []
    for child in body.named_children:
        if child.type == "field_declaration":
            for declarator in child.children_by_field_name("declarator"):
                name = _declarator_name(declarator, source)
                if name:
                    names.append(name)
    return names


def _storage(source: bytes, start: int, declarator_start: int) -> str | None:
    """`static` when the specifiers before the declarator include it."""
    head = source[start:declarator_start]
    return "static" if b"static" in head and b"static" in head.split() else None
