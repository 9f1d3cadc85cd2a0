"""The `ground.check` stage.

For each example, the code in its assistant turns is checked against the user's code base: every
API name must exist at the user's commit (`names`), C blocks must compile with the profile
(`compile_c`), C# blocks against Unity (`compile_csharp`). Results go into `Example.checks`; a
failing example is kept, tagged or dropped as the config says (`check_config`). Single files are
checked by `check_command`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from itertools import islice
from pathlib import Path
from typing import Any

from modsmith.ground.check_config import GroundCheckConfig
from modsmith.ground.code_spans import code_spans
from modsmith.ground.grounding import Grounding, SourcePlace, source_place
from modsmith.ground.report import GroundingReport
from modsmith.records import Example, Record
from modsmith.stage import Rejects, Stage

WINDOW = 64
IDENTIFIER = re.compile(r"\b[A-Za-z_]\w*\b")


class GroundCheck(Stage):
    """Examples in, examples with grounding checks out (failing ones kept, tagged or dropped)."""

    name = "ground.check"
    Config = GroundCheckConfig
    handles = (Example,)  # documents pass through (the default policy)

    def __init__(self, config: GroundCheckConfig | dict[str, Any] | None = None):
        super().__init__(config)
        self.report = GroundingReport()

    def process(self, records: Iterable[Record], rejects: Rejects) -> Iterator[Record]:
        config: GroundCheckConfig = self.config
        grounding = Grounding.open(config)
        self.report = GroundingReport()
        iterator = iter(records)
        try:
            while window := list(islice(iterator, WINDOW)):
                examples = [r for r in window if self.handles_record(r)]
                spans = [
                    [s for s in code_spans(e, roles=tuple(config.roles)) if s.lang in config.languages]
                    for e in examples
                ]
                places = [self._place(grounding, e) for e in examples]
                given = [self._given_names(e) for e in examples]
                results = iter(grounding.check_many(spans, places, given))
                for record in window:
                    if not self.handles_record(record):
                        yield from self.unhandled(record, rejects)
                        continue
                    checks = next(results)
                    record.checks.update(checks)
                    self.report.add(record.id, checks)
                    failed = [name for name, check in checks.items() if not check.passed]
                    if failed and config.on_fail == "drop":
                        first = checks[failed[0]]
                        rejects.add(record, f"ground: {failed[0]} failed", first.detail)
                        continue
                    if failed and config.on_fail == "tag":
                        record.meta["grounding_failed"] = failed
                    yield record
        finally:
            grounding.close()

    def _given_names(self, example: Example) -> frozenset[str]:
        """Identifiers in the code of the turns that are not checked (the prompt's own code)."""
        other = tuple(role for role in ("user", "assistant") if role not in self.config.roles)
        spans = code_spans(example, roles=other) if other else []
        return frozenset(name for span in spans for name in IDENTIFIER.findall(span.text))

    def outside_paths(self) -> list[Path]:
        """Its config's inputs (repo, index, profile YAML, Unity's folder) and the folders of its
        profile's `generated_dirs` in the repo: headers the build writes there (`make setup`'s
        `extracted/<version>`) are ignored by git, so the repo's state does not show them."""
        from modsmith.errors import ModsmithError
        from modsmith.ground.c.profiles import load_profile

        paths = super().outside_paths()
        config: GroundCheckConfig = self.config
        if not config.repo or not config.profile:
            return paths
        try:
            profile = load_profile(config.profile)
        except ModsmithError:
            return paths  # the stage itself reports it
        repo = Path(config.repo).expanduser()
        generated = [repo / d for d in profile.generated_dirs if not any(ch in d for ch in "*?[")]
        return [*paths, *(folder for folder in generated if folder.is_dir())]

    @staticmethod
    def _place(grounding: Grounding, example: Example) -> SourcePlace | None:
        """An example about one function of the repo (`meta.symbol` and its provenance) is compiled in
        that function's own file, with its includes, statics and macros."""
        if not example.meta.get("symbol") or not example.provenance:
            return None
        return source_place(grounding.repo, example.provenance[0], example.meta.get("symbol"))

    def summary(self) -> dict[str, Any]:
        data = self.report.to_dict()
        return {"examples": data["examples"], "checks": data["checks"]}

    def reports(self) -> dict[str, str]:
        return {"report.md": self.report.to_markdown(), "report.json": self.report.to_json()}
