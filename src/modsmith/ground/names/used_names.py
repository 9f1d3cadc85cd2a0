"""What a code span uses: called functions and macros (with argument counts), types, members
(with the struct of their base expression when it can be worked out) and API-looking identifiers.

A C block is first screened with regular expressions (`c_screen`); only when the screen has
suspects whose uses it cannot read off the text is the block parsed with tree-sitter (as a file,
or wrapped in a function body when that has fewer errors), and each occurrence of a suspect is
classified from its node: declared in the snippet (function, parameter, local,
struct/enum/typedef, `#define`, struct member), a use (call with its argument count, type,
member with its base struct, identifier), or not code (a macro body, an `#if` condition). Only
uses come back, so a block without suspects costs a few regex passes.

Arguments that a macro pastes or stringifies (`VT_FGCOL(GREEN)`) are blanked first
(`macro_pasting`), and a variable's type is the one of its own scope: when the block declares a
name with two types (`EnRu1* thisx` in one function, `Actor* thisx` in another), its members are
typed by tree-sitter, from the declaration that encloses each use. C# blocks are parsed with
tree-sitter-c-sharp directly; inline spans in prose (`Foo(a, b)`, `this->actor.worldPos`,
`Type::member`) are split with a regex.
"""

from __future__ import annotations

import re
from collections.abc import Container, Iterable
from dataclasses import dataclass, field

from tree_sitter import Node, Parser, Query, QueryCursor

from modsmith.code.languages import c_language, csharp_language
from modsmith.ground.c.macro_pasting import blank_pasted_arguments, with_snippet_macros
from modsmith.ground.c.preprocessor_lines import blank_directives
from modsmith.ground.names.c_screen import (
    ALL_CAPS,
    API_SHAPE,
    CChecker,
    NameUse,
    Usage,
    count_args,
    global_type,
    screen_c_block,
    unique_field_type,
    word_starts,
)
from modsmith.ground.names.symbol_index import SymbolIndex

_UPPER_CAMEL = re.compile(r"[A-Z][A-Za-z0-9]*[a-z][A-Za-z0-9]*")
_WRAP_PREFIX = b"void __f(void) {\n"


@dataclass(slots=True)
class SpanUses:
    """`uses` to look up; `seen`: names a C block's screen already found known; `aliases`: the
    object-like macros the block defines itself, each with the member it stands for
    (`#define rScale regs[9]`: `regs`)."""

    uses: list[NameUse] = field(default_factory=list)
    seen: list[str] = field(default_factory=list)
    aliases: dict[str, str] = field(default_factory=dict)
    #: with `screen_only`, the suspects left unclassified (the compiler's verdict covers them)
    accepted: list[str] = field(default_factory=list)


# --- C: tree-sitter, for the suspects ---------------------------------------------------------

_C_LANGUAGE = c_language()
_C_PARSER = Parser(_C_LANGUAGE)
_C_DECLARATIONS = QueryCursor(Query(_C_LANGUAGE, "(declaration) @d (parameter_declaration) @d (ERROR) @e"))
_DECLARATOR_FIELD_PARENTS = {
    "declaration", "init_declarator", "pointer_declarator", "array_declarator", "function_declarator",
    "attributed_declarator", "parameter_declaration", "type_definition",
}  # fmt: skip
_AGGREGATE_SPECIFIERS = {"struct_specifier", "union_specifier", "enum_specifier"}


def c_block_uses(
    text: str, checker: CChecker, extra: Container[str] = frozenset(), *, screen_only: bool = False
) -> SpanUses:
    """Known names of a C block and the uses of its suspects (see the module doc); nothing in a
    preprocessor directive but a `#define` is read (`preprocessor_lines`). With `screen_only`
    (the compiler accepted the whole block) the suspects are listed in `accepted`, unclassified."""
    text = blank_directives(text)
    pasting, aliases = with_snippet_macros(text, checker.index.pasted_params())
    text = blank_pasted_arguments(text, pasting)
    screen = screen_c_block(text, checker, extra)
    result = SpanUses(seen=screen.seen, aliases=aliases)
    if screen_only:
        result.accepted = sorted(screen.suspects)
        return result
    shadowed = _shadowed_variables(screen.code)
    if shadowed:  # the screen types a variable by its last declaration: members of these need a scope
        for member in _members_of(screen.code, shadowed):
            screen.suspects.setdefault(member, set()).add("member")
    if screen.suspects:
        uses = None if shadowed else screen.clear_uses()
        result.uses = (
            uses
            if uses is not None
            else _confirm(text, screen.code, screen.suspects, checker.index, frozenset(aliases))
        )
    return result


#: `Type* name` / `Type name` right after `;`, `{`, `}`, `(` or `,`: a variable or parameter
_VARIABLE = re.compile(
    r"[;{}(,]\s*(?:(?:const|static|volatile|register|struct|union|enum)\s+)*([A-Za-z_]\w*)\s*[*\s]\s*"
    r"(?:const\s+)?([A-Za-z_]\w*)\s*(?=[=;,)\[])"
)
_NOT_TYPES = frozenset("return else case goto sizeof do typedef default if while".split())


def _shadowed_variables(code: str) -> frozenset[str]:
    """Names the block declares with more than one type (in different scopes)."""
    if code.count("(") < 2:
        return frozenset()
    types: dict[str, set[str]] = {}
    for type_name, name in _VARIABLE.findall(";" + code):
        if type_name not in _NOT_TYPES:
            types.setdefault(name, set()).add(type_name)
    return frozenset(name for name, found in types.items() if len(found) > 1)


def _members_of(code: str, variables: frozenset[str]) -> set[str]:
    """Members read right after one of `variables` (`thisx->a`, `thisx.b`)."""
    pattern = re.compile(rf"\b(?:{'|'.join(map(re.escape, sorted(variables)))})\s*(?:->|\.)\s*([A-Za-z_]\w*)")
    return set(pattern.findall(code))


def _confirm(
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


def _in_text_order(nodes: Iterable[Node]) -> list[Node]:
    """Captured nodes by position: `QueryCursor.captures` lists them in an order that changes from
    one process to the next."""
    return sorted(nodes, key=lambda node: (node.start_byte, -node.end_byte))


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
            for node in _in_text_order(_C_DECLARATIONS.captures(self.root).get("d", ())):
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


# --- C# ---------------------------------------------------------------------------------------

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
    for node in _in_text_order(caps.get("id", ())):
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


# --- inline spans -----------------------------------------------------------------------------

_INLINE_SEPARATORS = re.compile(r"(->|\.|::)")


def inline_uses(code: str, lang: str | None, index: SymbolIndex) -> SpanUses:
    """Uses in an inline span: `Foo(a, b)`, `MATRIX_NEWMTX`, `this->actor.worldPos`, `T::m`.

    A lone identifier is checked when it looks like an API name, as in a block (`gSaveContext`,
    not `targetVolume`); a prefix such as `ANIM_FLAG_` is known when some name starts with it.

    A call's arguments are counted unless the parentheses are empty (prose writes `Foo()` for
    "the function Foo") or hold `...`.
    """
    code = code.rstrip(";").strip()
    args: int | None = None
    called = False
    head = code
    if code.endswith(")") and "(" in code:
        cut = code.index("(")
        head, inner = code[:cut].strip(), code[cut + 1 : -1].strip()
        called = True
        if inner and "..." not in inner:
            args = count_args(inner + ")", 0)
    parts = _INLINE_SEPARATORS.split(head)
    names, separators = parts[0::2], parts[1::2]
    if len(names) == 1:
        name = names[0]
        if ALL_CAPS.fullmatch(name):
            usage: Usage = "macro"
        elif called:
            usage = "call"
        elif _UPPER_CAMEL.fullmatch(name):
            usage = "type"
        else:
            usage = "identifier"
            if not (API_SHAPE.match(name) if lang == "c" else name[:1].isupper()):
                return SpanUses()  # `targetVolume` in prose: a parameter or a local, as in a block
        if usage == "macro" and name.endswith("_") and index.has_prefix(name):
            return SpanUses()  # `ANIM_FLAG_` in prose: the family of names that start so
        return SpanUses([NameUse(name, usage, 0, args)])
    uses: list[NameUse] = []
    first = names[0]
    base_type: str | None = None
    if separators[0] == "::":
        uses.append(NameUse(first, "type", 0))
        base_type = first
    elif API_SHAPE.match(first) or lang == "csharp":
        uses.append(NameUse(first, "identifier", 0))
        base_type = global_type(index, first)
    for position, name in enumerate(names[1:], start=1):
        last = position == len(names) - 1
        usage = "call" if (last and called and lang == "csharp") else "member"
        uses.append(NameUse(name, usage, 0, base_type=base_type))
        if base_type is not None and index.fields_of(base_type):
            base_type = index.member_type(base_type, name)
        else:
            base_type = unique_field_type(index, name)
    return SpanUses(uses)
