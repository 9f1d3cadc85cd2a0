"""One pass over a repository's history that finds, for every name gone from HEAD, the commit that
removed it and, when that commit renamed it, its successor.

A commit renamed `old` to `new` when, in one hunk (the same place of the same file), a line it
removed and a line it added are the same tokens except for identifiers, with `old` where the
added line has `new`; and the commit as a whole removed occurrences of `old` and added occurrences
of `new`. Comments and string contents are not code: a name that only moved out of a comment, a
debug-name string table or a table's trailing comment, or a new base constant in an enum
(`NA_SE_EV_BASE = 0x27FF,`) next to a removed `#define`, pairs with nothing. A name that still
stands in HEAD's code (an X-macro table argument included) is not gone, so it gets no entry.

Commits come newest first. Each name's newest removal is where it went away; older commits are
looked at for its rename only until one of them added the name (that was an earlier life of it).
`A -> B` in one commit and `B -> C` in a later one resolve `A` to `C` when `C` is in HEAD.
Every choice is by counts and then by name, so the same history always gives the same entries.
"""

from __future__ import annotations

import re
from collections import Counter, deque
from collections.abc import Iterable
from dataclasses import dataclass

from modsmith.ground.names.git_history import CommitPatch

#: Text that is not code on one line: strings and character constants (kept as `""`, so two lines
#: that differ only in a string still pair) and comments, including the inside of a block comment
#: (`* text`, or text before a `*/` that opened on an earlier line).
_NOT_CODE = re.compile(
    r"""("(?:[^"\\\n]|\\.)*"?|'(?:[^'\\\n]|\\.)*'?)|//.*|/\*.*?(?:\*/|$)|^(?:(?!/\*)[^"'\n])*?\*/"""
    r"""|^[ \t]*\*(?=\s|/|$).*""",
    re.M,
)
_NOT_CODE_IN_FILE = re.compile(r"""//[^\n]*|/\*.*?(?:\*/|\Z)|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'""", re.S)
_IDENT = re.compile(r"\b[A-Za-z_]\w*")
_TOKEN = re.compile(r'\w+|""|\S')
_NAME_SLOT = "\x01"
_KEYWORDS = frozenset(
    """auto break case char const continue default do double else enum extern float for goto if inline
    int long register restrict return short signed sizeof static struct switch typedef union unsigned
    void volatile while bool true false NULL define include ifdef ifndef endif elif undef pragma
    abstract base class delegate event explicit implicit interface internal namespace new null
    object operator out override params private protected public readonly ref sealed string this
    throw try catch finally using var virtual""".split()
)

_C_LIKE = (".c", ".h", ".cs", ".inc")


def code_of(lines: list[str]) -> str:
    """Diff lines, one a line, without their comments and with each string or character
    constant as `""` (each line on its own: a diff shows no more of a file)."""
    return _NOT_CODE.sub(_code_or_blank, "\n".join(lines))


def _code_or_blank(match: re.Match[str]) -> str:
    return '""' if match.group(1) else " "


def names_in_sources(texts: Iterable[tuple[str, str]]) -> set[str]:
    """Every identifier in the code of `(path, text)` files (comments and strings left out), and
    every word of the asset XML files (`Name="gBushDL"`)."""
    names: set[str] = set()
    for path, text in texts:
        if path.lower().endswith(_C_LIKE):
            text = _NOT_CODE_IN_FILE.sub(" ", text)
        names.update(_IDENT.findall(text))
    return names


@dataclass(frozen=True, slots=True)
class Gone:
    """`old` is gone from HEAD since `commit` (an index into `RenameScan.commits`); `new` is its
    current name, reached through the names in `via`, or None when it was removed."""

    old: str
    new: str | None
    commit: int
    via: tuple[str, ...] = ()


class RenameScan:
    """Feed it every commit newest first (`add`); `gone()` then lists what it found."""

    def __init__(self, head_names: set[str] | frozenset[str]):
        self.head_names = head_names
        self.commits: list[tuple[str, str, str]] = []  # (sha, date, subject), newest first
        self._removed: dict[str, int] = {}
        self._renamed: dict[str, tuple[str, int]] = {}
        self._closed: set[str] = set()  # an older commit added it: history before that is another life

    def add(self, commit: CommitPatch) -> None:
        at = len(self.commits)
        self.commits.append((commit.sha, commit.date, commit.subject))
        head = self.head_names
        removed_code, added_code, places = [], [], []
        for hunk in commit.hunks:
            removed_code.append(hunk_removed := code_of(hunk.removed))
            added_code.append(hunk_added := code_of(hunk.added))
            if hunk.removed and hunk.added:
                places.append((hunk_removed, hunk_added))
        removed = Counter(_IDENT.findall("\n".join(removed_code)))
        added = Counter(_IDENT.findall("\n".join(added_code)))
        votes: dict[str, Counter[str]] = {}
        for hunk_removed, hunk_added in places:
            gone = {n for n in _IDENT.findall(hunk_removed) if n not in head}
            if gone:
                _pair_lines(hunk_removed.split("\n"), hunk_added.split("\n"), gone, (removed, added), votes)
        for name in removed.keys() | added.keys():
            if name in head or name in self._closed:
                continue
            net = added[name] - removed[name]
            if net > 0:
                self._closed.add(name)
            elif net < 0:
                self._removed.setdefault(name, at)
                if name not in self._renamed and name in votes:
                    self._renamed[name] = (_most_voted(votes[name]), at)

    def gone(self) -> list[Gone]:
        """Every name removed from the code and not in HEAD, by name."""
        return [self._resolve(name) for name in sorted(self._removed)]

    def _resolve(self, name: str) -> Gone:
        if name not in self._renamed:
            return Gone(name, None, self._removed[name])
        first_new, first_at = self._renamed[name]
        new, at, via, seen = first_new, first_at, [], {name}
        while new not in self.head_names:
            later = self._renamed.get(new)
            if later is None or new in seen or later[1] >= at:
                break  # `new` was removed for good, or renamed before it was this name's successor
            via.append(new)
            seen.add(new)
            new, at = later
        if new in self.head_names:
            return Gone(name, new, first_at, tuple(via))
        return Gone(name, None, self._removed.get(new, first_at), (*via, new))


def _pair_lines(
    removed: list[str],
    added: list[str],
    gone: set[str],
    counts: tuple[Counter[str], Counter[str]],
    votes: dict[str, Counter[str]],
) -> None:
    """Pair the removed and added lines of one hunk that have the same shape (tokens equal but for
    identifiers; a trailing comma aside), the n-th removed with the n-th added of each shape, and
    vote `old -> new` for each identifier that differs. A pair that kept no identifier (keywords
    aside) is trusted only when its shape has as many removed lines as added ones in the hunk and
    every difference is a rename the commit could have made (the old name occurs fewer times
    after it, the new one more): so in a rewritten enum, `KOKIRI_FOREST_FARORE,` does not pair
    with whatever entry of another enum comes next."""
    removed_counts, added_counts = counts
    waiting: dict[str, deque[str]] = {}
    for line in added:
        waiting.setdefault(_shape(line), deque()).append(line)
    surplus = {shape: len(lines) for shape, lines in waiting.items()}
    shaped = [(line, _shape(line)) for line in removed]
    for _, shape in shaped:
        surplus[shape] = surplus.get(shape, 0) - 1
    for line, shape in shaped:
        partners = waiting.get(shape)
        if not partners:
            continue
        partner = partners.popleft()
        if gone.isdisjoint(_IDENT.findall(line)):
            continue
        tokens, other = _tokens(line), _tokens(partner)
        if len(tokens) != len(other):
            continue
        changed = [(old, new) for old, new in zip(tokens, other, strict=True) if old != new]
        if any(new in _KEYWORDS for _, new in changed):
            continue
        if surplus[shape] or not all(
            removed_counts[old] > added_counts[old] and added_counts[new] > removed_counts[new]
            for old, new in changed
        ):
            if not any(
                t == o and _is_name(t) and t not in _KEYWORDS for t, o in zip(tokens, other, strict=True)
            ):
                continue  # nothing kept, and no sure rename
        for old, new in changed:
            if old in gone:
                votes.setdefault(old, Counter())[new] += 1


def _shape(code: str) -> str:
    """The line with each identifier as one mark and no white space: `\x01*\x01=\x01(\x01);`."""
    shape = "".join(_IDENT.sub(_NAME_SLOT, code).split())
    return shape[:-1] if shape.endswith(",") else shape


def _tokens(code: str) -> list[str]:
    tokens = _TOKEN.findall(code)
    return tokens[:-1] if tokens and tokens[-1] == "," else tokens


def _is_name(token: str) -> bool:
    return token[0].isalpha() or token[0] == "_"


def _most_voted(votes: Counter[str]) -> str:
    return min(votes.items(), key=lambda item: (-item[1], item[0]))[0]
