"""What a code span uses: called functions and macros (with argument counts), types, members
(with the struct of their base expression when it can be worked out) and API-looking identifiers.

A C block is first screened with regular expressions (`c_screen`); only when the screen has
suspects whose uses it cannot read off the text is the block parsed with tree-sitter, and each
occurrence of a suspect classified from its node (`c_tree_uses`). Only uses come back, so a block
without suspects costs a few regex passes.

Arguments that a macro pastes or stringifies (`VT_FGCOL(GREEN)`) are blanked first
(`macro_pasting`), and a variable's type is the one of its own scope: when the block declares a
name with two types (`EnRu1* thisx` in one function, `Actor* thisx` in another), its members are
typed by tree-sitter, from the declaration that encloses each use. C# blocks are parsed with
tree-sitter-c-sharp directly (`csharp_uses`); inline spans in prose (`Foo(a, b)`, `this->actor.worldPos`,
`Type::member`) are split with a regex.
"""

from __future__ import annotations

import re
from collections.abc import Container
from dataclasses import dataclass, field

from modsmith.ground.c.macro_pasting import blank_pasted_arguments, with_snippet_macros
from modsmith.ground.c.preprocessor_lines import blank_directives
from modsmith.ground.names.c_index_facts import CIndexFacts, global_type, unique_field_type
from modsmith.ground.names.c_screen import ALL_CAPS, API_SHAPE, NameUse, Usage, screen_c_block
from modsmith.ground.names.c_text_shapes import count_args
from modsmith.ground.names.c_tree_uses import confirm_uses
from modsmith.ground.names.symbol_index import SymbolIndex

_UPPER_CAMEL = re.compile(r"[A-Z][A-Za-z0-9]*[a-z][A-Za-z0-9]*")


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


def c_block_uses(
    text: str, facts: CIndexFacts, extra: Container[str] = frozenset(), *, screen_only: bool = False
) -> SpanUses:
    """Known names of a C block and the uses of its suspects (see the module doc); nothing in a
    preprocessor directive but a `#define` is read (`preprocessor_lines`). With `screen_only`
    (the compiler accepted the whole block) the suspects are listed in `accepted`, unclassified."""
    text = blank_directives(text)
    pasting, aliases = with_snippet_macros(text, facts.index.pasted_params())
    text = blank_pasted_arguments(text, pasting)
    screen = screen_c_block(text, facts, extra)
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
            else confirm_uses(text, screen.code, screen.suspects, facts.index, frozenset(aliases))
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
