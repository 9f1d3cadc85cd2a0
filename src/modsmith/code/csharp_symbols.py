"""C# symbols from a tree-sitter-c-sharp tree: types, methods, properties, fields, enum members.

Namespaces (block and file-scoped) are recorded in `extra["namespace"]`; members carry the name
of the type they belong to as `container`. Method bodies are never traversed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from tree_sitter import Node

from modsmith.code.symbols import Symbol, iter_with_docs, last_row, node_text, trailing_comment

_TYPES = {
    "class_declaration": "class",
    "record_declaration": "class",
    "struct_declaration": "struct",
    "interface_declaration": "interface",
    "enum_declaration": "enum",
}
_METHODS = {"method_declaration", "constructor_declaration", "destructor_declaration"}
_PROPERTIES = {"property_declaration", "indexer_declaration"}
_FIELDS = {"field_declaration", "event_field_declaration"}
#: Where a declaration's header ends.
_BODIES = {
    "block",
    "arrow_expression_clause",
    "declaration_list",
    "enum_member_declaration_list",
    "accessor_list",
    ";",
    "=",
}
_XML_TAG = re.compile(r"<[^>]+>")
_XML_REF = re.compile(r"<(?:see|seealso|paramref|typeparamref)\s+(?:cref|name|langword)=\"([^\"]*)\"\s*/>")
_SUMMARY = re.compile(r"<summary>(.*?)</summary>", re.DOTALL)


def iter_csharp_symbols(root: Node, source: bytes) -> Iterator[Symbol]:
    """Every type and member in a parsed C# file, in source order."""
    yield from _iter_block(root.children, source, namespace=None, container=None)


def _iter_block(children: list[Node], source: bytes, namespace: str | None, container: str | None):
    for index, node, doc in iter_with_docs(children, source):
        kind = node.type
        doc = xml_doc_text(doc)
        if kind == "namespace_declaration":
            name = _qualify(namespace, node_text(node.child_by_field_name("name"), source))
            body = node.child_by_field_name("body")
            if body is not None:
                yield from _iter_block(body.children, source, name, container)
        elif kind == "file_scoped_namespace_declaration":
            namespace = _qualify(namespace, node_text(node.child_by_field_name("name"), source))
        elif kind in _TYPES:
            yield from _type(node, source, doc, namespace, container)
        elif container is None:
            continue  # top-level statements and usings are not symbols
        elif kind in _METHODS:
            yield _member(node, source, doc, "method", _method_name(node, source), namespace, container)
        elif kind in _PROPERTIES:
            name_node = node.child_by_field_name("name")
            name = node_text(name_node, source) if name_node is not None else "this"
            yield _member(node, source, doc, "property", name, namespace, container)
        elif kind in _FIELDS:
            doc = doc or xml_doc_text(trailing_comment(children, index, source))
            for name in _field_names(node, source):
                symbol = _member(node, source, doc, "field", name, namespace, container)
                if kind == "event_field_declaration":
                    symbol.extra["event"] = True
                yield symbol
        elif kind == "enum_member_declaration":
            doc = doc or xml_doc_text(trailing_comment(children, index, source))
            symbol = _member(
                node,
                source,
                doc,
                "enum_constant",
                node_text(node.child_by_field_name("name"), source),
                namespace,
                container,
            )
            value = node.child_by_field_name("value")
            symbol.extra["value"] = node_text(value, source) if value is not None else None
            yield symbol


def _type(node: Node, source: bytes, doc: str | None, namespace: str | None, container: str | None):
    name = node_text(node.child_by_field_name("name"), source)
    symbol = _member(node, source, doc, _TYPES[node.type], name, namespace, container)
    if node.type == "record_declaration":
        symbol.extra["record"] = True
    yield symbol
    body = node.child_by_field_name("body")
    if body is not None:
        yield from _iter_block(body.children, source, namespace, name)


def _member(
    node: Node,
    source: bytes,
    doc: str | None,
    kind: str,
    name: str,
    namespace: str | None,
    container: str | None,
) -> Symbol:
    modifiers = [node_text(c, source) for c in node.children if c.type == "modifier"]
    symbol = Symbol(
        name=name,
        kind=kind,
        start_byte=node.start_byte,
        end_byte=node.end_byte,
        first_line=node.start_point.row + 1,
        last_line=last_row(node) + 1,
        signature=_header(node, source) if kind != "enum_constant" else None,
        doc=doc,
        container=container,
        storage="static" if "static" in modifiers else None,
    )
    if kind == "method":
        params = node.child_by_field_name("parameters")
        symbol.params = (
            [
                node_text(p.child_by_field_name("name"), source)
                for p in params.named_children
                if p.type == "parameter" and p.child_by_field_name("name") is not None
            ]
            if params is not None
            else []
        )
    symbol.extra["namespace"] = namespace
    symbol.extra["modifiers"] = modifiers
    return symbol


def _header(node: Node, source: bytes) -> str:
    """Declaration text without attributes and without its body, initializer or `;`."""
    start = end = None
    for child in node.children:
        if start is None and child.type not in ("attribute_list", "comment"):
            start = child.start_byte
        if child.type == "variable_declaration":
            # fields: `int a = 1, b;` -> `int a, b` would lose the type; keep the declarators' names
            end = child.end_byte
            for declarator in child.named_children:
                if declarator.type == "variable_declarator":
                    value = next((c for c in declarator.children if c.type == "="), None)
                    if value is not None:
                        end = value.start_byte
                        break
            break
        if child.type in _BODIES and start is not None:
            end = child.start_byte
            break
    text = source[start if start is not None else node.start_byte : end or node.end_byte]
    return " ".join(text.decode("utf-8", errors="replace").split())


def _method_name(node: Node, source: bytes) -> str:
    name = node_text(node.child_by_field_name("name"), source)
    return "~" + name if node.type == "destructor_declaration" else name


def _field_names(node: Node, source: bytes) -> list[str]:
    names = []
    for child in node.named_children:
        if child.type == "variable_declaration":
            for declarator in child.named_children:
                if declarator.type == "variable_declarator":
                    names.append(node_text(declarator.child_by_field_name("name"), source))
    return names


def _qualify(outer: str | None, name: str) -> str:
    return f"{outer}.{name}" if outer else name


def xml_doc_text(doc: str | None) -> str | None:
    """The `<summary>` of an XML doc comment as plain text (or the comment with tags removed)."""
    if doc is None or "<" not in doc:
        return doc
    summary = _SUMMARY.search(doc)
    text = summary.group(1) if summary else doc
    text = _XML_TAG.sub("", _XML_REF.sub(r"\1", text))
    lines = [line.strip() for line in text.splitlines()]
    return "\n".join(line for line in lines if line) or None
