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

from collections.abc import Iterator

from tree_sitter import Node

from modsmith.code.c_declarators import (
    AGGREGATES,
    NAMES,
    base_type_name,
    declarator_name,
    field_names,
    function_arity,
    function_declarator,
    parameter_names,
    storage_class,
)
from modsmith.code.c_macros import (
    define_head,
    define_line,
    macro_arity,
    pasted_params,
    split_trailing_comment,
)
from modsmith.code.symbols import (
    Symbol,
    iter_with_docs,
    last_row,
    node_text,
    trailing_comment,
)

_BLOCKS = {"preproc_if", "preproc_ifdef", "preproc_else", "preproc_elif", "preproc_elifdef", "ERROR"}


def iter_c_symbols(root: Node, source: bytes, *, index_extras: bool = False) -> Iterator[Symbol]:
    """Every symbol in a parsed C file, in source order (see the module doc for `index_extras`)."""
    yield from _iter_block(root.children, source, index_extras, _Level())


class _Level:
    """Where a walk of top-level nodes stands after error recovery: a function whose body the
    parser could not close (an `#if` that chooses between two opening braces) leaves its `{` and
    its statements as loose nodes; `opened` counts such braces, `in_error` says the nodes come from
    an error node. Declarations there that are indented are a function's locals, not globals
    (formatted C starts top-level declarations in column 0)."""

    __slots__ = ("opened", "in_error")

    def __init__(self, opened: int = 0, in_error: bool = False):
        self.opened = opened
        self.in_error = in_error

    def local(self, node: Node) -> bool:
        return (self.opened > 0 or self.in_error) and node.start_point.column > 0


def _iter_block(children: list[Node], source: bytes, extras: bool, level: _Level) -> Iterator[Symbol]:
    macro_end = -1  # where the last `#define`'s logical line ends: nodes before it are its body
    for index, node, doc in iter_with_docs(children, source):
        kind = node.type
        if node.start_byte < macro_end:
            continue  # a macro body tree-sitter cut short (a comment before a `\`), read as code
        if kind == "{":
            level.opened += 1
        elif kind == "}":
            level.opened = max(0, level.opened - 1)
        elif kind in ("preproc_def", "preproc_function_def"):
            symbol = _macro(node, source, doc)
            macro_end = symbol.end_byte
            if extras:
                symbol.extra["arity"] = macro_arity(symbol.params)
            yield symbol
        elif kind in _BLOCKS:
            yield from _nested_block(node, source, extras, level)
        elif kind == "function_declarator":
            if _opens_body(children, index):
                symbol = _loose_function(node, children, index, source, doc)
                if symbol is not None:
                    if extras:
                        symbol.extra["arity"] = function_arity(node)
                    yield symbol
        elif level.local(node):
            continue
        elif kind == "function_definition":
            symbol = _function(node, source, doc)
            if symbol is not None:
                if extras:
                    declarator = function_declarator(node.child_by_field_name("declarator"))
                    symbol.extra["arity"] = function_arity(declarator)
                yield symbol
        elif kind == "declaration":
            yield from _declaration(node, source, doc, extras)
        elif kind == "type_definition":
            yield from _type_definition(node, source, doc, extras)
        elif kind in AGGREGATES:
            end = node.next_sibling
            end_node = end if end is not None and end.type == ";" else node
            yield from _aggregate(node, source, doc, outer=node, end_node=end_node, extras=extras)


def _nested_block(node: Node, source: bytes, extras: bool, level: _Level) -> Iterator[Symbol]:
    """The nodes of an `#if` branch or an error node. Braces opened in an `#else`/`#elif` branch
    are not counted twice: the first branch decides how many stay open after the conditional."""
    if node.type == "ERROR":
        inner = _Level(level.opened, True)
        yield from _iter_block(node.children, source, extras, inner)
        level.opened = inner.opened
        return
    if node.type in ("preproc_else", "preproc_elif", "preproc_elifdef"):
        yield from _iter_block(node.children, source, extras, _Level(level.opened, level.in_error))
        return
    yield from _iter_block(node.children, source, extras, level)


def _opens_body(children: list[Node], index: int) -> bool:
    """`void f(...) {` left loose by error recovery: a declarator followed by an opening brace."""
    after = children[index + 1] if index + 1 < len(children) else None
    return (
        after is not None and after.type == "{" and children[index].start_point.row == after.start_point.row
    )


def _loose_function(
    declarator: Node, children: list[Node], index: int, source: bytes, doc: str | None
) -> Symbol | None:
    """A function definition whose body error recovery split off: its name, signature and params."""
    name_node = declarator.child_by_field_name("declarator")
    if name_node is None or name_node.type not in NAMES:
        return None
    first = index
    while first > 0 and children[first - 1].type in (
        "primitive_type", "type_identifier", "sized_type_specifier", "storage_class_specifier",
        "type_qualifier", "struct_specifier", "union_specifier", "enum_specifier",
    ) and children[first - 1].end_point.row == declarator.start_point.row:  # fmt: skip
        first -= 1
    head = children[first]
    if head.start_point.column > 0:
        return None
    symbol = _symbol(node_text(name_node, source), "function", head, source, doc, end_node=declarator)
    symbol.start_byte = head.start_byte
    symbol.signature = source[head.start_byte : declarator.end_byte].decode("utf-8", errors="replace")
    symbol.params = parameter_names(declarator.child_by_field_name("parameters"), source)
    symbol.storage = storage_class(source, head.start_byte, declarator.start_byte)
    return symbol


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
    declarator = function_declarator(outer)
    body = node.child_by_field_name("body")
    if declarator is None or body is None:
        return None
    name = node_text(declarator.child_by_field_name("declarator"), source)
    symbol = _symbol(name, "function", node, source, doc)
    symbol.signature = source[node.start_byte : body.start_byte].decode("utf-8", errors="replace").rstrip()
    symbol.params = parameter_names(declarator.child_by_field_name("parameters"), source)
    symbol.storage = storage_class(source, node.start_byte, outer.start_byte)
    return symbol


def _declaration(node: Node, source: bytes, doc: str | None, extras: bool = False) -> Iterator[Symbol]:
    type_node = node.child_by_field_name("type")
    if type_node is not None and type_node.type in AGGREGATES:
        yield from _aggregate(type_node, source, doc, outer=type_node, end_node=type_node, extras=extras)
    declarators = node.children_by_field_name("declarator")
    for child in declarators:
        declarator = function_declarator(child)
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
        symbol.params = parameter_names(declarator.child_by_field_name("parameters"), source)
        symbol.storage = storage_class(source, node.start_byte, declarators[0].start_byte)
        if extras:
            symbol.extra["arity"] = function_arity(declarator)
        yield symbol


def _global(
    node: Node, declarator: Node, type_node: Node | None, first: Node, source: bytes, doc: str | None
) -> Symbol | None:
    """A file-scope variable definition or `extern` declaration (kind `global`)."""
    name = declarator_name(declarator, source)
    if not name:
        return None
    symbol = _symbol(name, "global", node, source, doc)
    if declarator.type == "init_declarator":
        declarator = declarator.child_by_field_name("declarator")
    head = source[node.start_byte : first.start_byte].decode("utf-8", errors="replace")
    symbol.signature = " ".join((head + node_text(declarator, source)).split())
    head_words = head.split()
    symbol.storage = "static" if "static" in head_words else "extern" if "extern" in head_words else None
    symbol.extra["type"] = base_type_name(type_node, source)
    return symbol


def _type_definition(node: Node, source: bytes, doc: str | None, extras: bool = False) -> Iterator[Symbol]:
    names = [declarator_name(d, source) for d in node.children_by_field_name("declarator")]
    names = [n for n in names if n]
    type_node = node.child_by_field_name("type")
    if type_node is not None and type_node.type in AGGREGATES and type_node.child_by_field_name("body"):
        # `typedef struct X {...} X;` is one struct document that records its typedef name.
        typedef = names[0] if names else None
        yield from _aggregate(
            type_node, source, doc, outer=node, end_node=node, typedef=typedef, extras=extras
        )
        return
    for name in names:
        symbol = _symbol(name, "typedef", node, source, doc)
        if extras:
            symbol.extra["type"] = base_type_name(type_node, source)
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
    kind = AGGREGATES[spec.type]
    if name is not None:
        symbol = _symbol(name, kind, outer, source, doc, end_node=end_node)
        if typedef:
            symbol.extra["typedef"] = typedef
        if kind == "enum":
            symbol.extra["constants"] = [c.name for c in _enum_constants(body, source, None)]
        else:
            symbol.extra["fields"] = field_names(body, source)
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
        if type_node is not None and type_node.type in AGGREGATES:
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
            name = declarator_name(declarator, source)
            if not name:
                continue
            for container in containers:
                symbol = _symbol(name, "field", node, source, doc)
                symbol.container = container
                symbol.signature = " ".join(node_text(node, source).rstrip(";").split())
                symbol.extra["type"] = base_type_name(type_node, source)
                yield symbol


def _enum_constants(body: Node, source: bytes, container: str | None) -> Iterator[Symbol]:
    """The constants of an enum body, those under `#if`/`#else` inside it too (every branch: which
    one the compiler takes is the profile's business, see `preprocessed_index`)."""
    children = body.children
    for index, node, doc in iter_with_docs(children, source):
        if node.type in _BLOCKS:
            yield from _enum_constants(node, source, container)
            continue
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
    """A `#define`; its name, parameters and value are read from the whole logical line, whatever
    tree-sitter made of comments in it (a `// note` after a spliced body can make it take a word
    of the body for the macro's name)."""
    text, end = define_line(source, node.start_byte)
    head = define_head(text)
    if head is None:  # `#define` with no name: take what tree-sitter saw
        name, params_text, after_head = node_text(node.child_by_field_name("name"), source), None, len(text)
    else:
        name, params_text, after_head = head.group(1), head.group(2), head.end()
    symbol = _symbol(name, "macro", node, source, None)
    symbol.end_byte = end
    symbol.last_line = symbol.first_line + source.count(b"\n", node.start_byte, end)
    value, comment = split_trailing_comment(text[after_head:])
    symbol.doc = doc or comment
    if params_text is not None:
        inner = params_text[1:-1]
        symbol.params = [p.strip() for p in inner.split(",")] if inner.strip() else []
        symbol.signature = f"#define {name}({', '.join(symbol.params)})"
    else:
        symbol.signature = f"#define {name}"
    symbol.extra["function_like"] = params_text is not None
    symbol.extra["value"] = value
    if symbol.params:
        symbol.extra["pasted"] = pasted_params(symbol.params, value)
    return symbol
