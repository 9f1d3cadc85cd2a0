"""The grounding report: pass rates per check, the most frequent invented names with their
suggestions and renames, and failure classes with samples; as Markdown and as JSON."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

from modsmith.records import Check

NOTE = (
    "A syntax check proves that names and types exist and fit at the checked commit; it does not prove "
    "that the code links or behaves as intended."
)


class GroundingReport:
    """Accumulates check results, one example (or file) at a time."""

    def __init__(self, samples: int = 3):
        self.examples = 0
        self.without_code = 0
        self.passed: Counter[str] = Counter()
        self.failed: Counter[str] = Counter()
        self.invented: Counter[str] = Counter()
        self.invented_info: dict[str, dict[str, Any]] = {}
        self.failure_classes: Counter[str] = Counter()
        self.failure_samples: dict[str, list[dict[str, Any]]] = {}
        self._samples = samples

    def add(self, example_id: str, checks: dict[str, Check]) -> None:
        self.examples += 1
        if not checks:
            self.without_code += 1
        for name, check in checks.items():
            (self.passed if check.passed else self.failed)[name] += 1
            if name == "names":
                for item in check.data.get("invented", []):
                    self.invented[item["name"]] += 1
                    self.invented_info.setdefault(item["name"], item)
            elif not check.passed:
                failure = f"{name}: {check.data.get('failure_class')}"
                self.failure_classes[failure] += 1
                kept = self.failure_samples.setdefault(failure, [])
                if len(kept) < self._samples:
                    block = next((b for b in check.data.get("blocks", []) if not b["passed"]), {})
                    kept.append(
                        {
                            "example": example_id,
                            "detail": check.detail,
                            "compiler_output": block.get("compiler_output", ""),
                        }
                    )

    def to_dict(self, top: int = 25) -> dict[str, Any]:
        checks = {
            name: {
                "passed": self.passed[name],
                "failed": self.failed[name],
                "pass_rate": round(self.passed[name] / (self.passed[name] + self.failed[name]), 4),
            }
            for name in sorted(set(self.passed) | set(self.failed))
        }
        invented = [
            {
                "name": name,
                "count": count,
                "usage": self.invented_info[name].get("usage"),
                "suggestions": self.invented_info[name].get("suggestions", []),
                "renamed_to": self.invented_info[name].get("renamed_to"),
                "renamed_in": self.invented_info[name].get("renamed_in"),
            }
            for name, count in self.invented.most_common(top)
        ]
        failures = [
            {"class": c, "count": n, "samples": self.failure_samples[c]}
            for c, n in self.failure_classes.most_common()
        ]
        return {
            "examples": self.examples,
            "without_code": self.without_code,
            "checks": checks,
            "invented": invented,
            "failures": failures,
            "note": NOTE,
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False) + "\n"

    def to_markdown(self) -> str:
        data = self.to_dict()
        lines = [
            "# Grounding report",
            "",
            f"{data['examples']} examples checked, {data['without_code']} without code.",
            "",
            "## Pass rates",
            "",
            "| check | passed | failed | pass rate |",
            "|---|---|---|---|",
        ]
        lines += [
            f"| {name} | {c['passed']} | {c['failed']} | {c['pass_rate']:.1%} |"
            for name, c in data["checks"].items()
        ] or ["| (no checks ran) | | | |"]
        lines += ["", "## Invented names", ""]
        if data["invented"]:
            lines += ["| name | times | used as | did you mean | renamed |", "|---|---|---|---|---|"]
            for item in data["invented"]:
                renamed = f"to `{item['renamed_to']}` in {item['renamed_in']}" if item["renamed_to"] else ""
                suggestions = ", ".join(f"`{s}`" for s in item["suggestions"])
                lines.append(
                    f"| `{item['name']}` | {item['count']} | {item['usage']} | {suggestions} | {renamed} |"
                )
        else:
            lines.append("None.")
        lines += ["", "## Compile failures", ""]
        if data["failures"]:
            for failure in data["failures"]:
                lines += [f"### {failure['class']} ({failure['count']})", ""]
                for sample in failure["samples"]:
                    lines += [f"- example `{sample['example']}`: {sample['detail']}"]
                    if sample["compiler_output"]:
                        lines += ["", "```", sample["compiler_output"], "```", ""]
        else:
            lines.append("None.")
        lines += ["", f"_{NOTE}_", ""]
        return "\n".join(lines)
