"""What the names check found (`invented.check_names`): the known names with where they are, the
invented ones with suggestions and renames, and calls with the wrong argument count."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from typing import Any

from modsmith.ground.names.c_screen import Usage


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
