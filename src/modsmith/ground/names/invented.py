"""Invented-name detection: which names a piece of code uses that the repository does not have.

`check_names` takes the code spans of an Example (or a file) and a `SymbolIndex`. What each span
uses comes from `used_names`: called functions and macros with argument counts, types, members
with the struct of their base expression, API-looking identifiers; names the snippet declares
itself, C keywords, the standard library and GCC builtins are known without asking. Each name
is then looked up in the index: found names are reported with file and line ("exists at commit
X, include/debug_display.h:7"), unknown ones with up to three "did you mean" candidates
(`suggestions`) and, given a `RenameHistory`, the commit that renamed them (`name_report` holds
what was found). A member is checked against the struct its base has when that can be worked out
(`this->actor.worldPos`: `actor` is an `Actor`, which has no `worldPos`), otherwise against the
members of every struct. Calls of functions and function-like macros are checked for their
argument count.

A member may also be a `#define` alias of one (`#define rScale regs[9]`, then `this->rScale`).
An inline span that repeats the body of a `#define` shown in a C block of the same example
("expands to `gDPSetCombineLERP(pkt, a, b)`") is that macro's definition, not a use.

Where the compile check ran on a C block, its verdict (`compiler_verdicts`) has the last word: a
name the profile's compiler accepted is known (kind "compiler"), whatever the index says; a name
reported invented is one the compiler rejects too, or one in code it could not reach, and
`compiler` and `detail` say which. The same holds for argument counts.

C# spans are checked only against an index that holds C# files (the repository's own classes and
members), plus `extra_known` (e.g. `builtin_names.unity_stub_names()`) and the BCL names; whether
a Unity member exists on a given type is the C# compile check's business. Likewise C spans are
checked only against an index that holds C files.
"""

from __future__ import annotations

import weakref
from collections.abc import Container, Mapping

from modsmith.ground.c.macro_pasting import define_bodies
from modsmith.ground.code_spans import CodeSpan
from modsmith.ground.names.builtin_names import CSHARP_BUILTIN_NAMES, is_c_builtin
from modsmith.ground.names.c_index_facts import CIndexFacts
from modsmith.ground.names.c_screen import NameUse, Usage
from modsmith.ground.names.compiler_verdicts import BlockVerdict
from modsmith.ground.names.csharp_uses import csharp_block_uses
from modsmith.ground.names.name_report import ArityError, InventedName, KnownName, NameReport
from modsmith.ground.names.rename_history import RenameHistory
from modsmith.ground.names.suggestions import suggest
from modsmith.ground.names.symbol_index import SymbolEntry, SymbolIndex
from modsmith.ground.names.used_names import SpanUses, c_block_uses, inline_uses

#: Which entry to show for a known name: lower ranks first, headers before sources.
_KIND_RANK = {
    kind: rank
    for rank, kind in enumerate(
        ("macro", "prototype", "function", "struct", "union", "typedef", "enum", "enum_constant", "global",
         "class", "interface", "method", "property", "field")
    )
}  # fmt: skip
#: The usage a known name is listed with, from the kind of its entry.
_USAGE_OF_KIND: dict[str, Usage] = {
    "function": "call", "prototype": "call", "method": "call", "macro": "macro", "struct": "type",
    "union": "type", "typedef": "type", "enum": "type", "class": "type", "interface": "type",
    "field": "member", "property": "member",
}  # fmt: skip
_INLINE_CACHE_SIZE = 100_000


def check_names(
    spans: list[CodeSpan],
    index: SymbolIndex,
    history: RenameHistory | None = None,
    extra_known: Container[str] | None = None,
    verdicts: Mapping[int, BlockVerdict] | None = None,
) -> NameReport:
    """Known names (with file:line), invented names (with suggestions and renames) and arity errors.

    A span is checked only when the index holds files of its language (C spans against a C repo,
    C# spans against a C# repo); spans with no language are skipped. Each name is reported once,
    at its first use; a member once per struct it was used on. `verdicts` holds, by position in
    `spans`, what the compiler said of a C block: see the module doc.
    """
    extra: Container[str] = extra_known if extra_known is not None else frozenset()
    quoted = [body for s in spans if s.kind == "block" and s.lang == "c" for body in define_bodies(s.text)]
    state = _state(index)
    report = NameReport(commit=index.commit)
    seen: set[str] = set()  # names, and members as `Type.member`
    members_listed = False
    for position, span in enumerate(spans):
        if span.lang not in state.languages:
            continue  # no language, or none of the index's files are in it
        verdict = verdicts.get(position) if verdicts else None
        if span.kind == "inline" and quoted and _quotes_a_define(span.text, quoted):
            continue  # "expands to `F(a, b)`": a `#define`'s body, whose arguments are its parameters
        if span.kind == "inline":
            found = state.inline(span.text, span.lang)
        elif span.lang == "c":
            accepted = verdict is not None and verdict.accepts_all(span.text)
            found = c_block_uses(span.text, state.c_facts, extra, screen_only=accepted)
        else:
            found = csharp_block_uses(span.text)
        known_records = state.known_records
        for name in found.seen:
            if name not in seen:
                seen.add(name)
                report.known.append(known_records.get(name) or state.known(name, extra))
        for name in found.accepted:  # the compiler read all of the block and refused nothing
            if name not in seen:
                seen.add(name)
                report.known.append(KnownName(name, "compiler", None, None))
        for use in found.uses:
            line = span.start_line + use.row
            if use.args is not None and span.lang == "c":
                _check_arity(use, state, report, span.message_index, line, verdict)
            key = use.name if use.usage != "member" else f"{use.base_type}.{use.name}"
            if key not in seen:
                seen.add(key)
                members_listed |= use.usage == "member"
                _resolve(use, span, line, index, extra, report, found.aliases, verdict)
    if members_listed:  # a member may have been listed once per struct it was used on
        unique: dict[str, KnownName] = {}
        for known in report.known:
            unique.setdefault(known.name, known)
        report.known = list(unique.values())
    if history is not None:
        for invented in report.invented:
            _add_history(invented, history)
    return report


class _IndexState:
    """What the check keeps per index: its languages, C facts, known-name records, inline uses."""

    def __init__(self, index: SymbolIndex):
        self.index = index
        self.languages = index.languages
        self.c_facts = CIndexFacts(index)
        self.known_records: dict[str, KnownName] = {}
        self._inline: dict[tuple[str, str | None], SpanUses] = {}

    def inline(self, code: str, lang: str | None) -> SpanUses:
        """`inline_uses`, remembered: prose repeats the same inline spans (`CLAMP(x, min, max)`)."""
        key = (code, lang)
        found = self._inline.get(key)
        if found is None:
            found = inline_uses(code, lang, self.index)
            if len(self._inline) < _INLINE_CACHE_SIZE:
                self._inline[key] = found
        return found

    def known(self, name: str, extra: Container[str]) -> KnownName:
        """The record of a name the screen found known (builtin, index or `extra_known`)."""
        found = self.known_records.get(name)
        if found is None:
            entries = self.index.entries(name)
            if entries:
                best = _best_entry(entries)
                found = KnownName(
                    name, best.kind, best.file, best.line, _USAGE_OF_KIND.get(best.kind, "identifier")
                )
            else:
                kind = "builtin" if is_c_builtin(name) else "extra"
                found = KnownName(
                    name, kind, None, None, "call" if name.startswith("__builtin") else "identifier"
                )
            if name not in extra:  # extra_known differs between calls
                self.known_records[name] = found
        return found


_STATES: weakref.WeakKeyDictionary[SymbolIndex, _IndexState] = weakref.WeakKeyDictionary()


def _state(index: SymbolIndex) -> _IndexState:
    """The check's cached state for `index` (kept as long as the index object lives)."""
    state = _STATES.get(index)
    if state is None:
        state = _STATES[index] = _IndexState(index)
    return state


def _quotes_a_define(text: str, bodies: list[str]) -> bool:
    """Whether an inline call repeats the body of a `#define` of the example's C blocks."""
    words = " ".join(text.split())
    return "(" in words and any(words in body for body in bodies)


def _resolve(
    use: NameUse,
    span: CodeSpan,
    line: int,
    index: SymbolIndex,
    extra: Container[str],
    report: NameReport,
    aliases: Mapping[str, str] | None = None,
    verdict: BlockVerdict | None = None,
) -> InventedName | None:
    """Record `use` as known or invented (unless the compiler, given its `verdict` on the block,
    accepted it); returns the invented record, if it is one."""
    name = use.name
    csharp = span.lang == "csharp"
    if use.usage == "member":
        known = _known_member(use, index, extra, csharp, aliases or {})
        if known is not None:
            report.known.append(known)
            return None
    else:
        if (csharp and name in CSHARP_BUILTIN_NAMES) or (not csharp and is_c_builtin(name)):
            report.known.append(KnownName(name, "builtin", None, None, use.usage))
            return None
        if name in extra:
            report.known.append(KnownName(name, "extra", None, None, use.usage))
            return None
        entries = index.entries(name)
        if entries:
            best = _best_entry(entries)
            report.known.append(KnownName(name, best.kind, best.file, best.line, use.usage))
            return None
    judgement, why = verdict.judge(name, use.row + 1) if verdict is not None else ("", "")
    if judgement in ("accepted", "package"):
        kind = "compiler" if judgement == "accepted" else "package"
        report.known.append(KnownName(name, kind, None, None, use.usage))
        return None
    suggestions = suggest(index, name, use.usage, use.base_type)
    if use.usage == "member":
        where = f"`{use.base_type}`" if use.base_type else "any struct of the index"
        detail = f"`{name}` is not a member of {where}"
        owners = sorted({e.container for e in index.entries(name) if e.kind == "field" and e.container})
        if owners:
            detail += f" (it is a member of {', '.join(owners[:3])})"
    else:
        detail = f"`{name}` ({use.usage}) is not declared in the repository"
        if index.commit:
            detail += f" at commit {index.commit[:12]}"
    if why:
        detail += f"; {why}"
    invented = InventedName(
        name,
        use.usage,
        suggestions,
        detail=detail,
        message_index=span.message_index,
        line=line,
        compiler=judgement,
    )
    report.invented.append(invented)
    return invented


def _known_member(
    use: NameUse, index: SymbolIndex, extra: Container[str], csharp: bool, aliases: Mapping[str, str]
) -> KnownName | None:
    name = use.name
    if csharp:
        if name in CSHARP_BUILTIN_NAMES or name in extra:
            return KnownName(
                name, "builtin" if name in CSHARP_BUILTIN_NAMES else "extra", None, None, "member"
            )
        entries = index.entries(name)
        if entries:
            best = _best_entry(entries)
            return KnownName(name, best.kind, best.file, best.line, "member")
        return None
    alias = index.member_alias(name)
    if alias is not None:  # `this->rScale` with `#define rScale regs[9]`: the preprocessor's business
        return KnownName(name, "macro", alias.file, alias.line, "member")
    if name in aliases and index.has_field(aliases[name]):  # the block's own `#define`
        return KnownName(name, "macro", None, None, "member")
    fields = index.fields_of(use.base_type) if use.base_type is not None else None
    if fields and name not in fields:
        return None
    if fields or index.has_field(name) or name in extra:
        entries = [e for e in index.entries(name) if e.kind == "field"]
        entry = next((e for e in entries if e.container == use.base_type), entries[0] if entries else None)
        return KnownName(
            name, "field", entry.file if entry else None, entry.line if entry else None, "member"
        )
    return None


def _best_entry(entries: tuple[SymbolEntry, ...]) -> SymbolEntry:
    return min(
        entries,
        key=lambda e: (_KIND_RANK.get(e.kind, 99), not e.file.endswith(".h"), e.file, e.line, e.kind),
    )


def _check_arity(
    use: NameUse,
    state: _IndexState,
    report: NameReport,
    message_index: int,
    line: int,
    verdict: BlockVerdict | None = None,
) -> None:
    allowed = state.c_facts.arities.get(use.name)
    if allowed is None or use.args in allowed:
        return
    judgement, why = verdict.judge(use.name, use.row + 1, arity=True) if verdict is not None else ("", "")
    if judgement == "accepted":
        return  # the compiler counted the arguments it really got (an `#if` inside the call...)
    entries = tuple(e for e in state.index.entries(use.name) if e.kind in ("macro", "function", "prototype"))
    entry = _best_entry(entries)
    report.arity_errors.append(
        ArityError(
            use.name,
            entry.arity,  # type: ignore[arg-type]
            use.args,
            entry.file,
            entry.line,
            message_index,
            line,
            judgement,
            why,
        )
    )


def _add_history(invented: InventedName, history: RenameHistory) -> None:
    if history.head() is None:
        return  # no git, or not a repository: nothing to say
    found = history.history(invented.name)
    if found is None:
        invented.detail += "; not in the git history"
        return
    when = f"{found.commit[:12]} ({found.date})"
    if found.new:
        invented.renamed_to = found.new
        invented.renamed_in = when
        invented.detail += f"; renamed to `{found.new}` in {when}: {found.subject}"
        if found.new not in invented.suggestions:
            invented.suggestions = [found.new, *invented.suggestions][:3]
    else:
        invented.detail += f"; removed in {when}: {found.subject}"
