"""Invented-name detection: which names a piece of code uses that the repository does not have.

`check_names` takes the code spans of an Example (or a file) and a `SymbolIndex`. What each span
uses comes from `used_names`: called functions and macros with argument counts, types, members
with the struct of their base expression, API-looking identifiers; names the snippet declares
itself, C keywords, the standard library and GCC builtins are known without asking. Each name
is then looked up in the index: found names are reported with file and line ("exists at commit
X, include/debug_display.h:7"), unknown ones with up to three "did you mean" candidates (rapidfuzz)
and, given a `RenameHistory`, the commit that renamed them. A member is checked against the
struct its base has when that can be worked out (`this->actor.worldPos`: `actor` is an `Actor`,
which has no `worldPos`), otherwise against the members of every struct. Calls of functions and
function-like macros are checked for their argument count.

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

import re
import weakref
from collections.abc import Container, Mapping
from dataclasses import asdict, dataclass, field, fields
from typing import Any

from rapidfuzz import fuzz, process

from modsmith.ground.c.macro_pasting import define_bodies
from modsmith.ground.code_spans import CodeSpan
from modsmith.ground.names.builtin_names import CSHARP_BUILTIN_NAMES, is_c_builtin
from modsmith.ground.names.compiler_verdicts import BlockVerdict
from modsmith.ground.names.rename_history import RenameHistory
from modsmith.ground.names.symbol_index import SymbolEntry, SymbolIndex
from modsmith.ground.names.used_names import (
    CChecker,
    NameUse,
    SpanUses,
    Usage,
    c_block_uses,
    csharp_block_uses,
    inline_uses,
)

_SUGGEST_KINDS: dict[str, tuple[str, ...]] = {
    "call": ("function", "prototype", "macro", "method"),
    "macro": ("macro", "enum_constant"),
    "type": ("struct", "union", "typedef", "enum", "class", "interface"),
    "member": ("field", "property", "method"),
    "identifier": ("global", "enum_constant", "macro", "function", "prototype", "property", "field"),
}
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
_SUGGEST_CUTOFF = 60.0
_INLINE_CACHE_SIZE = 100_000


# --- results --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class KnownName:
    """A name that exists: where (None for builtins and `extra_known`), and how it was used."""

    name: str
    kind: str
    file: str | None
    line: int | None
    usage: Usage = "identifier"


@dataclass(slots=True)
class InventedName:
    """A name used but not found: how it was used, candidates, its rename if history shows one,
    and where it was first used (message index and 1-based line in that message). `compiler`:
    "rejected" (the profile's compiler refuses it too) or "unreached" (it stands in code the
    compiler could not read; `detail` says why); "" when no compiler checked the block."""

    name: str
    usage: Usage
    suggestions: list[str]
    renamed_to: str | None = None
    renamed_in: str | None = None
    detail: str = ""
    message_index: int = 0
    line: int = 1
    compiler: str = ""


@dataclass(frozen=True, slots=True)
class ArityError:
    """A call with the wrong number of arguments; `file`/`line` is the definition; `compiler` and
    `detail` as for `InventedName`."""

    name: str
    expected: int
    given: int
    file: str
    line: int
    message_index: int = 0
    at_line: int = 1
    compiler: str = ""
    detail: str = ""


@dataclass(slots=True)
class NameReport:
    """What `check_names` found; `commit` is the index's commit the names were checked against."""

    known: list[KnownName] = field(default_factory=list)
    invented: list[InventedName] = field(default_factory=list)
    arity_errors: list[ArityError] = field(default_factory=list)
    commit: str | None = None

    @property
    def passed(self) -> bool:
        return not self.invented and not self.arity_errors

    def to_dict(self) -> dict[str, Any]:
        return {
            "passed": self.passed,
            "commit": self.commit,
            "known": [_flat(k) for k in self.known],
            "invented": [asdict(i) for i in self.invented],
            "arity_errors": [asdict(a) for a in self.arity_errors],
        }

    def summary(self) -> str:
        """One line for a Check's `detail`."""
        if self.passed:
            return f"{len(self.known)} names found in the index"
        parts = [f"{i.name} ({i.usage})" for i in self.invented]
        parts += [f"{a.name}: {a.given} arguments, expects {a.expected}" for a in self.arity_errors]
        return "unknown or misused: " + ", ".join(parts)


_KNOWN_FIELDS = tuple(f.name for f in fields(KnownName))


def _flat(known: KnownName) -> dict[str, Any]:
    """`asdict` of a record of plain values, without its deep copies (a file has thousands)."""
    return {name: getattr(known, name) for name in _KNOWN_FIELDS}


# --- the check --------------------------------------------------------------------------------


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
            found = c_block_uses(span.text, state.c_checker, extra, screen_only=accepted)
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
    """What the check keeps per index: its languages, arity table, known-name records, suggestions."""

    def __init__(self, index: SymbolIndex):
        self.index = index
        self.languages = index.languages
        self.c_checker = CChecker(index)
        self.suggestions: dict[tuple[str, str, str | None], list[str]] = {}
        self.pools: dict[int, _Pool] = {}  # prepared forms of the index's (cached) name lists
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

    def pool(self, names: list[str]) -> _Pool:
        """The prepared form of one of the index's cached (never mutated) name lists."""
        prepared = self.pools.get(id(names))
        if prepared is None or prepared.pool is not names:
            prepared = self.pools[id(names)] = _Pool(names)
        return prepared

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
    allowed = state.c_checker.arities.get(use.name)
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


def suggest(index: SymbolIndex, name: str, usage: str, base_type: str | None = None) -> list[str]:
    """Up to three similar names of the index: members of `base_type` first, then names of the
    kinds that fit `usage`, then (for non-members, when those gave nothing) any name. Cached."""
    state = _state(index)
    key = (name, usage, base_type)
    found = state.suggestions.get(key)
    if found is None:
        found = []
        if base_type is not None:
            found = _closest(name, _Pool(sorted(index.fields_of(base_type))))
        if not found:
            found = _closest(name, state.pool(index.names(_SUGGEST_KINDS.get(usage, ()))))
        if not found and usage != "member":
            found = _closest(name, state.pool(index.names()))
        found = [c for c in found if c != name][:3]
        state.suggestions[key] = found
    return list(found)


def _closest(name: str, prepared: _Pool) -> list[str]:
    """The best three of a pool for `name`, ranked by `name_similarity` (a little in favour of the
    same case style: a macro for a macro). Candidates: the names sharing the query's rarer words
    (`worldPos` -> `pos`, `Matrix_NewMtx` -> `Matrix_*`), narrowed to 30 by plain ratio when
    there are many; a plain-ratio pass over the whole pool when no word is shared."""
    pool = prepared.pool
    if not pool:
        return []
    query_folded, query_words = _fold(name), _words(name)
    picked: set[int] = set()
    by_word = prepared.by_word
    for word in sorted(set(query_words.split()), key=lambda w: (len(by_word.get(w, ())), w)):
        sharing = by_word.get(word, ())
        if picked and len(picked) + len(sharing) > _MAX_CANDIDATES:
            break
        picked.update(sharing)
    if len(picked) > 30:
        subset = sorted(picked)
        folded = [prepared.folded[i] for i in subset]
        picked = {subset[m[2]] for m in process.extract(query_folded, folded, scorer=fuzz.ratio, limit=30)}
    elif len(picked) < 3:
        ranked = process.extract(query_folded, prepared.folded, scorer=fuzz.ratio, limit=30)
        picked.update(m[2] for m in ranked)
    caps = name.isupper()
    scored = []
    for i in picked:
        candidate = pool[i]
        if _INCLUDE_GUARD.search(candidate):
            continue
        score = _similarity(query_folded, query_words, prepared.folded[i], prepared.words[i])
        scored.append((score + 4 * (candidate.isupper() == caps), candidate))
    scored = [item for item in scored if item[0] >= _SUGGEST_CUTOFF]
    scored.sort(key=lambda item: (-item[0], item[1]))
    return [candidate for _, candidate in scored[:3]]


class _Pool:
    """A name pool with its folded and word forms, and which names contain each (non-number) word."""

    def __init__(self, pool: list[str]):
        self.pool = pool
        self.folded = [_fold(n) for n in pool]
        self.words = [_words(n) for n in pool]
        self.by_word: dict[str, list[int]] = {}
        for i, words in enumerate(self.words):
            for word in set(words.split()):
                if not word.isdigit():
                    self.by_word.setdefault(word, []).append(i)


def name_similarity(a: str, b: str) -> float:
    """0-100: half whole-name similarity (case and `_` folded), half similarity of the word sets
    (`worldPos` ~ `pos`, `Math_SmoothStepToF` ~ `Math_SmoothStepToS`), plus a little for the same
    first word (decomp names start with their subsystem); short fragments score low."""
    return _similarity(_fold(a), _words(a), _fold(b), _words(b))


def _similarity(folded_a: str, words_a: str, folded_b: str, words_b: str) -> float:
    score = 0.5 * fuzz.ratio(folded_a, folded_b) + 0.5 * fuzz.token_set_ratio(words_a, words_b)
    if words_a.split(" ", 1)[0] == words_b.split(" ", 1)[0]:
        score += 8  # same subsystem prefix: `Matrix_`, `Actor_`, `MATRIX_`
    return min(score, 100.0)


def _fold(name: str) -> str:
    """Case and `_` folded: `MATRIX_NEWMTX` and `Matrix_NewMtx` compare equal."""
    return name.replace("_", "").lower()


def _words(name: str) -> str:
    """`Matrix_NewMtx` -> "matrix new mtx", `worldPos` -> "world pos"."""
    return " ".join(w.lower() for w in _HUMPS.findall(name))


_INCLUDE_GUARD = re.compile(r"_H_*$")
_HUMPS = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+")
_MAX_CANDIDATES = 800


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
