""" "Did you mean": the names of the index most like an invented one (rapidfuzz), of the kinds that fit
how it was used, members of its struct first.
"""

from __future__ import annotations

import re
import weakref

from rapidfuzz import fuzz, process

from modsmith.ground.names.symbol_index import SymbolIndex

_SUGGEST_KINDS: dict[str, tuple[str, ...]] = {
    "call": ("function", "prototype", "macro", "method"),
    "macro": ("macro", "enum_constant"),
    "type": ("struct", "union", "typedef", "enum", "class", "interface"),
    "member": ("field", "property", "method"),
    "identifier": ("global", "enum_constant", "macro", "function", "prototype", "property", "field"),
}
_SUGGEST_CUTOFF = 60.0


class _Suggestions:
    """What `suggest` keeps per index: its answers, and the prepared forms of the index's name lists."""

    def __init__(self) -> None:
        self.found: dict[tuple[str, str, str | None], list[str]] = {}
        self.pools: dict[int, _Pool] = {}  # prepared forms of the index's (cached) name lists

    def pool(self, names: list[str]) -> _Pool:
        """The prepared form of one of the index's cached (never mutated) name lists."""
        prepared = self.pools.get(id(names))
        if prepared is None or prepared.pool is not names:
            prepared = self.pools[id(names)] = _Pool(names)
        return prepared


_STATES: weakref.WeakKeyDictionary[SymbolIndex, _Suggestions] = weakref.WeakKeyDictionary()


def _state(index: SymbolIndex) -> _Suggestions:
    """The suggestions kept for `index` (as long as the index object lives)."""
    state = _STATES.get(index)
    if state is None:
        state = _STATES[index] = _Suggestions()
    return state


def suggest(index: SymbolIndex, name: str, usage: str, base_type: str | None = None) -> list[str]:
    """Up to three similar names of the index: members of `base_type` first, then names of the
    kinds that fit `usage`, then (for non-members, when those gave nothing) any name. Cached."""
    state = _state(index)
    key = (name, usage, base_type)
    found = state.found.get(key)
    if found is None:
        found = []
        if base_type is not None:
            found = _closest(name, _Pool(sorted(index.fields_of(base_type))))
        if not found:
            found = _closest(name, state.pool(index.names(_SUGGEST_KINDS.get(usage, ()))))
        if not found and usage != "member":
            found = _closest(name, state.pool(index.names()))
        found = [c for c in found if c != name][:3]
        state.found[key] = found
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
