"""`synth.unity_ir`: natural-language behaviour → IR JSON → C# MonoBehaviour (the Unity story).

The teacher first writes the IR (validated against the shipped JSON Schema), then the C# for it
(compiled with the C# check against the Unity stubs or the user's Unity assemblies). Each example
is IR in, C# out, in the seed's ShareGPT shape, and carries both check results.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from functools import cache
from pathlib import Path
from typing import Any, Literal

import jsonschema
from pydantic import Field

from modsmith.ground.csharp.compile_csharp import csharp_check
from modsmith.records import Check, Document, Example, Message, Record
from modsmith.stage import Rejects, StageConfig
from modsmith.stages.teacher_stage import TeacherStage
from modsmith.teacher import ChatRequest, TeacherConfig, load_template, render

SCHEMA_PATH = Path(__file__).with_name("schemas") / "unity_ir.schema.json"
_JSON_BLOCK = re.compile(r"```(?:json)?\s*\n(.*?)```", re.S)
_CODE_BLOCK = re.compile(r"```(?:csharp|cs|c#|C#)?[ \t]*\n(.*?)```", re.S)


@cache
def ir_validator() -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(json.loads(SCHEMA_PATH.read_text(encoding="utf-8")))


def ir_schema_check(ir: Any) -> Check:
    """The IR against the shipped schema; the detail names the first problems and where."""
    errors = sorted(ir_validator().iter_errors(ir), key=lambda e: list(e.absolute_path))
    if not errors:
        return Check(passed=True, detail="IR follows the schema")
    problems = [f"{'/'.join(map(str, e.absolute_path)) or '(root)'}: {e.message}" for e in errors[:3]]
    return Check(passed=False, detail="; ".join(problems), data={"errors": len(errors)})


def extract_json(reply: str) -> Any | None:
    """The first JSON object in a reply (fenced or bare), or None."""
    for candidate in [m.group(1) for m in _JSON_BLOCK.finditer(reply)] + [reply]:
        start = candidate.find("{")
        if start == -1:
            continue
        try:
            return json.JSONDecoder().raw_decode(candidate[start:])[0]
        except json.JSONDecodeError:
            continue
    return None


def extract_csharp(reply: str) -> str | None:
    """The C# class in a reply: the fenced block holding a class, or the reply when it is bare code."""
    blocks = [m.group(1).strip() for m in _CODE_BLOCK.finditer(reply)]
    for block in blocks:
        if re.search(r"\bclass\s+\w+", block):
            return block
    bare = reply.strip()
    if not blocks and re.search(r"\bclass\s+\w+", bare) and ("using " in bare or bare.startswith("public")):
        return bare
    return None


class UnityIRConfig(StageConfig):
    teacher: TeacherConfig = Field(description="The teacher model and endpoint.")
    system: str = Field(
        default="You are a Unity C# code generator. Given a behavior specification as IR JSON, write one "
        "complete, compilable MonoBehaviour that implements it.",
        description="System prompt of the examples (as in the seed's ShareGPT data).",
    )
    nl_to_ir_template: str | None = Field(
        default=None, description="Replaces synth/prompts/unity_nl_to_ir.j2."
    )
    ir_to_csharp_template: str | None = Field(
        default=None,
        description="Replaces synth/prompts/unity_ir_to_csharp.j2 (also the examples' user turn).",
    )
    unity_managed: str | None = Field(
        default=None,
        description="Your Unity install's Editor/Data/Managed folder; else the bundled UnityEngine stubs.",
    )
    on_compile_fail: Literal["keep", "drop"] = Field(
        default="keep", description="keep: the example carries the failed check; drop: it is dropped."
    )
    compile_workers: int | None = Field(default=None, ge=1, description="Parallel C# checks (default: CPUs).")


class UnityIR(TeacherStage):
    """Spec documents (behaviour requests) in, unity.ir_to_csharp examples out."""

    name = "synth.unity_ir"
    Config = UnityIRConfig
    max_drop_share = 0.5
    handles = (Document,)
    document_kinds = frozenset({"spec"})
    passes_through = (Example,)

    def process(self, records: Iterable[Record], rejects: Rejects) -> Iterator[Record]:
        config: UnityIRConfig = self.config
        teacher = self.open_teacher(config.teacher)
        try:
            asked_for: list[Document] = []  # the behaviour requests
            for record in records:
                if self.handles_record(record):
                    asked_for.append(record)
                else:
                    yield from self.unhandled(record, rejects)
            specs = list(self._irs(asked_for, teacher, rejects))
            yield from self._csharp(specs, teacher, rejects)
        finally:
            teacher.close()

    def _irs(
        self, asked_for: list[Document], teacher, rejects: Rejects
    ) -> Iterator[tuple[Document, Any, Check]]:
        """(spec, IR, schema check) for every spec whose IR is valid: given in the spec, or asked for."""
        template = load_template("synth/prompts/unity_nl_to_ir.j2", self.config.nl_to_ir_template)
        schema = SCHEMA_PATH.read_text(encoding="utf-8")
        asks: list[ChatRequest] = []
        for doc in asked_for:
            if "ir" in doc.meta:
                yield from self._valid(doc, doc.meta["ir"], None, rejects)
            else:
                prompt = render(template, request=doc.text, schema=schema)
                asks.append(ChatRequest([{"role": "user", "content": prompt}], tag=doc))
        for result in teacher.chat_many(asks):
            doc = result.request.tag
            if self.unanswered(result, doc.id, rejects):
                continue
            ir = extract_json(result.content or "")
            if ir is None:
                rejects.add({"document": doc.id, "reply": result.content}, "unity: no JSON IR in the reply")
                continue
            yield from self._valid(doc, ir, result.content, rejects)

    def _valid(self, doc: Document, ir: Any, reply: str | None, rejects: Rejects):
        check = ir_schema_check(ir)
        if check.passed:
            yield doc, ir, check
        else:
            rejects.add(
                {"document": doc.id, "reply": reply, "ir": ir}, "unity: IR fails the schema", check.detail
            )

    def _csharp(
        self, specs: list[tuple[Document, Any, Check]], teacher, rejects: Rejects
    ) -> Iterator[Example]:
        config: UnityIRConfig = self.config
        template = load_template("synth/prompts/unity_ir_to_csharp.j2", config.ir_to_csharp_template)
        requests = []
        for doc, ir, schema_check in specs:
            prompt = render(template, ir=json.dumps(ir, indent=2))
            messages = [{"role": "system", "content": config.system}, {"role": "user", "content": prompt}]
            requests.append(ChatRequest(messages, tag=(doc, ir, schema_check, prompt)))
        managed = Path(config.unity_managed) if config.unity_managed else None
        workers = config.compile_workers or os.cpu_count() or 1

        def compiled(result):
            code = extract_csharp(result.content or "") if result.error is None else None
            return result, code, (csharp_check(code, unity_managed=managed) if code else None)

        with ThreadPoolExecutor(max_workers=workers) as pool:
            for result, code, verdict in pool.map(compiled, teacher.chat_many(requests)):
                doc, ir, schema_check, prompt = result.request.tag
                if self.unanswered(result, doc.id, rejects):
                    continue
                if code is None:
                    rejects.add(
                        {"document": doc.id, "reply": result.content}, "unity: no C# class in the reply"
                    )
                    continue
                compile_check = Check(
                    passed=verdict.passed,
                    detail="compiles against UnityEngine" if verdict.passed else str(verdict.failure_class),
                    data={
                        "failure_class": verdict.failure_class,
                        "compiler_output": verdict.compiler_output,
                        "unknown_api": [u.model_dump() for u in verdict.unknown_api],
                    },
                )
                if not verdict.passed and config.on_compile_fail == "drop":
                    rejects.add(
                        {"document": doc.id, "reply": result.content},
                        f"unity: C# does not compile ({verdict.failure_class})",
                    )
                    continue
                messages = [
                    Message(role="system", content=config.system),
                    Message(role="user", content=prompt),
                    Message(role="assistant", content=code),
                ]
                example = Example.create(
                    "unity.ir_to_csharp",
                    messages,
                    [doc.provenance],
                    {"documents": [doc.id], "request": doc.text, "teacher": config.teacher.model},
                )
                example.checks = {"ir_schema": schema_check, "compile_csharp": compile_check}
                yield example
