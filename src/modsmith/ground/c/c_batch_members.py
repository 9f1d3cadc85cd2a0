"""Who may join a batch of C snippets (`c_batch`): which snippets may share a compiler run, and with
which others, so that each result is the one a lone check gives.

A snippet with a preprocessor directive, `_Pragma` or `__COUNTER__` (their effects reach past the
snippet), anything the include rules refuse, bare statements, or characters the include rules'
lexer splits off identifiers (non-ASCII, `$`, a backslash, so that its names are the compiler's)
is checked alone, as is one with a different prelude. A snippet is "clean" when
tree-sitter parses it into functions and declarations only and the headers' macros cannot change
that structure (no macro at file scope outside initializers and array sizes, since one could
declare what tree-sitter cannot see; inside a body, brace-opening and -closing macros such as
`OPEN_DISPS`/`CLOSE_DISPS` balance).
A snippet that is not clean may only come last in its batch, with no sentinel after it, so the
state it leaves the parser in meets the end of input as in a lone check (C is read top down: it
cannot change what was said about earlier snippets, given the name rules). For every pair in a
batch: neither uses a name the other declares at file scope; they mention no struct/union/enum tag
in common that the headers do not declare (a new tag mentioned at file scope is declared silently);
and they share no free name (used but declared neither in the snippet nor by the headers), since
gcc reports an implicit declaration once per translation unit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from tree_sitter import Node, Parser

from modsmith.code.c_symbols import iter_c_symbols
from modsmith.code.languages import c_language
from modsmith.ground.c.c_diagnostics import TranslationUnit
from modsmith.ground.c.c_lexing import Dialect, Tok, lex
from modsmith.ground.c.compile_c import translation_unit
from modsmith.ground.c.include_policy import IncludeRoots, clean_source, scan_snippet
from modsmith.ground.c.profiles import CompileProfile

#: the file name each snippet's messages are given, as a lone check's
SOLO_NAME = "snippet.c"
_TOP_LEVEL = {
    "function_definition",
    "declaration",
    "type_definition",
    "comment",
    "struct_specifier",
    "union_specifier",
    "enum_specifier",
    ";",
}
_TAG_WORDS = {"struct", "union", "enum"}
#: `_Pragma` can poison names or change diagnostics for the rest of the unit; `__COUNTER__` counts across it
_GLOBAL_EFFECTS = {"_Pragma", "__COUNTER__"}
_DECLARING = {
    "declaration",
    "parameter_declaration",
    "type_definition",
    "function_definition",
    "init_declarator",
}
KEYWORDS = frozenset(
    """
    auto break case char const continue default do double else enum extern float for goto if inline int long
    register restrict return short signed sizeof static struct switch typedef union unsigned void volatile
    while
    _Alignas _Alignof _Atomic _Bool _Complex _Generic _Imaginary _Noreturn _Static_assert _Thread_local
    asm typeof __asm __asm__ __attribute __attribute__ __const __const__ __extension__ __inline __inline__
    __restrict __restrict__ __signed __signed__ __typeof __typeof__ __volatile__ __alignof__ __label__
    __func__ __FUNCTION__ __PRETTY_FUNCTION__ __FILE__ __LINE__ __DATE__ __TIME__ __real__ __imag__
    __auto_type __int128 _Float32 _Float64 __has_attribute __has_builtin defined
""".split()
)
_LITERAL = re.compile(r'"(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\'')


@dataclass(frozen=True)
class HeaderNames:
    """What the prelude's headers declare: ordinary names (macros included), struct/union/enum tags,
    macro names, and the shape of each macro that is not a plain expression (see `macro_shapes`)."""

    names: frozenset[str]
    tags: frozenset[str]
    macros: frozenset[str] = frozenset()
    shapes: dict[str, tuple[int, bool, bool]] = field(default_factory=dict)


def macro_shapes(defines: str) -> dict[str, tuple[int, bool, bool]]:
    """For each macro of `gcc -dM` output: (braces it leaves open, parentheses or brackets left
    unbalanced, has a `;` or a brace at all), counting the macros it names, as if each expanded once."""
    bodies = {m[1]: m[2] for m in re.finditer(r"^#define (\w+)(?:\([^)]*\))? ?(.*)$", defines, re.M)}
    shapes: dict[str, tuple[int, bool, bool]] = {}

    def shape(name: str, seen: frozenset[str]) -> tuple[int, bool, bool]:
        if name in shapes:
            return shapes[name]
        body = _LITERAL.sub('""', bodies[name])
        braces = body.count("{") - body.count("}")
        unbalanced = body.count("(") != body.count(")") or body.count("[") != body.count("]")
        structural = any(ch in body for ch in ";{}")
        for word in re.findall(r"[A-Za-z_]\w*", body):
            if word in bodies and word not in seen and word != name:
                inner = shape(word, seen | {word})
                braces, unbalanced, structural = (
                    braces + inner[0],
                    unbalanced or inner[1],
                    structural or inner[2],
                )
        shapes[name] = (braces, unbalanced, structural)
        return shapes[name]

    for name in bodies:
        shape(name, frozenset({name}))
    return {name: s for name, s in shapes.items() if s != (0, False, False)}


@dataclass(frozen=True)
class BatchItem:
    """A snippet that may share a compiler run, with what decides which others it may share it with."""

    source: str
    unit: TranslationUnit
    idents: frozenset[str]
    tags: frozenset[str]
    declared: frozenset[str]
    free: frozenset[str]
    clean: bool


def batch_item(
    snippet: str, profile: CompileProfile, roots: IncludeRoots, known: HeaderNames
) -> BatchItem | None:
    """The snippet as a batch member, or None when it must be checked alone; `known` is what the
    prelude's headers declare."""
    source = clean_source(snippet)
    dialect = Dialect.of(profile.std)
    words = _words(source, dialect)
    if words is None:
        return None
    idents, tags, members = words
    scan = scan_snippet(source, roots, dialect)
    if scan.violations or scan.includes:
        return None
    data = source.encode("utf-8", errors="replace")
    tree = Parser(c_language()).parse(data)
    clean = (
        not tree.root_node.has_error
        and all(node.type in _TOP_LEVEL for node in tree.root_node.children)
        and _macros_keep_structure(tree.root_node, known)
    )
    unit = translation_unit(source, scan, profile, roots, SOLO_NAME)
    if unit.wrapping == "function":
        return None
    tags -= known.tags  # a tag the headers declare is the same tag for every snippet
    declared = frozenset(
        s.name for s in iter_c_symbols(tree.root_node, data, index_extras=True) if s.kind != "field"
    )
    free = idents - _declared_anywhere(tree.root_node) - members - known.names - KEYWORDS
    return BatchItem(
        source=source,
        unit=unit,
        idents=frozenset(idents),
        tags=frozenset(tags),
        declared=declared | tags,
        free=frozenset(n for n in free if not n.startswith("__builtin_")),
        clean=clean,
    )


def _words(source: str, dialect: Dialect) -> tuple[set[str], set[str], set[str]] | None:
    """The snippet's identifiers, the tags it names (`struct X`) and the members it uses (`.x`,
    `->x`), in one pass over its tokens; None when it must be checked alone: a directive, a raw
    string, a global effect, a trigraph the compiler may read, or a character that this lexer splits
    off an identifier where the compiler may not (non-ASCII, `$`, a backslash)."""
    if "??" in source and dialect.trigraphs is not False:
        return None
    idents: set[str] = set()
    tags: set[str] = set()
    members: set[str] = set()
    before: Tok | None = None
    prev: Tok | None = None
    for tok in lex(source, digraphs=dialect.digraphs, c90_comments=dialect.c90_comments):
        if tok.kind in ("hash", "raw", "other", "ucn") or tok.text in _GLOBAL_EFFECTS:
            return None
        if tok.kind == "ident":
            idents.add(tok.text)
            if prev is not None and prev.kind == "ident" and prev.text in _TAG_WORDS:
                tags.add(tok.text)
        if prev is not None and (prev.text == "." or (prev.text == ">" and before and before.text == "-")):
            members.add(tok.text)
        before, prev = prev, tok
    return idents, tags, members


def fits(batch: list[BatchItem], item: BatchItem) -> bool:
    """Whether `item` can join `batch` without either changing what the other is told."""
    if batch and not batch[-1].clean:
        return False  # an item that does not parse cleanly closes its batch
    for other in batch:
        if other.unit.standard_includes != item.unit.standard_includes:
            return False
        if other.declared & item.idents or item.declared & other.idents or other.tags & item.tags:
            return False
        if other.free & item.free:
            return False
    return True


def _macros_keep_structure(root: Node, known: HeaderNames) -> bool:
    """Whether gcc, expanding the headers' macros, sees the same functions and file-scope
    declarations as tree-sitter: no macro at file scope except in initializers and array sizes
    (and there none with a `;` or braces), and inside each function body the macros that open and
    close braces (`OPEN_DISPS` ... `CLOSE_DISPS`) balance out, with no parenthesis left open."""
    macros, shapes = known.macros, known.shapes
    for top in root.children:
        body = top.child_by_field_name("body") if top.type == "function_definition" else None
        depth = 0
        for leaf, in_expression in _identifiers(top, body):
            name = leaf.text.decode(errors="replace")
            if name not in macros:
                continue
            braces, unbalanced, structural = shapes.get(name, (0, False, False))
            inside = body is not None and body.start_byte <= leaf.start_byte < body.end_byte
            if not inside and (not in_expression or structural):
                return False
            if unbalanced:
                return False
            depth += braces
            if depth < 0:
                return False
        if depth:
            return False
    return True


def _identifiers(top: Node, body: Node | None):
    """Identifier leaves of a top-level node in source order, with whether each sits in an
    initializer value or an array size."""
    stack = [(top, False)]
    while stack:
        node, in_expression = stack.pop()
        if node.type in ("identifier", "type_identifier", "field_identifier"):
            yield node, in_expression
            continue
        children = node.children
        flags = [in_expression] * len(children)
        if node.type == "init_declarator" or node.type == "array_declarator":
            key = "value" if node.type == "init_declarator" else "size"
            target = node.child_by_field_name(key)
            flags = [in_expression or (target is not None and child.id == target.id) for child in children]
        stack.extend(reversed(list(zip(children, flags, strict=True))))


def _declared_anywhere(root: Node) -> set[str]:
    """Names declared anywhere in the snippet: functions, variables, parameters, typedefs, enum constants."""
    names: set[str] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        stack.extend(node.children)
        if node.type == "enumerator":
            name = node.child_by_field_name("name")
            names.add(name.text.decode(errors="replace")) if name is not None else None
        elif node.type in _DECLARING:
            for declarator in node.children_by_field_name("declarator"):
                while declarator is not None and declarator.type not in ("identifier", "type_identifier"):
                    declarator = declarator.child_by_field_name("declarator") or next(
                        (c for c in declarator.named_children if c.type in ("identifier", "type_identifier")),
                        None,
                    )
                if declarator is not None:
                    names.add(declarator.text.decode(errors="replace"))
    return names
