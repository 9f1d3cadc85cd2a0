"""`synth.code_debug`: debugging examples anchored on real compiler errors.

A real function is broken on purpose (a near-miss call name, a dropped declaration, a wrong
type), its whole file is syntax-checked with the grounding compile check to get the real error,
and the teacher explains the fix. The example asks about the broken code and the real error; the
answer is the teacher's explanation followed by the working function from the code base.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from pydantic import Field

from modsmith.code.source_text import decode_source
from modsmith.errors import ModsmithError
from modsmith.ground.c.compile_c import CCompileResult, c_compile_check
from modsmith.ground.c.profiles import DEFAULT_PROFILE, load_profile
from modsmith.records import Check, Document, Example, Message, Record, content_id
from modsmith.stage import Rejects, StageConfig
from modsmith.stages.teacher_stage import TeacherStage
from modsmith.synth.code_context import CODE_PROJECT, CODE_SYSTEM
from modsmith.synth.code_mutations import MUTATIONS, Mutation
from modsmith.teacher import ChatRequest, ChatResult, TeacherConfig, load_template, render


class CodeDebugConfig(StageConfig):
    teacher: TeacherConfig = Field(description="The teacher model and endpoint.")
    profile: str = Field(
        default=DEFAULT_PROFILE, description="Compile profile: a shipped name or a YAML profile path."
    )
    project: str = Field(default=CODE_PROJECT, description="What the code base is, for the prompt.")
    mutations: list[str] = Field(
        default_factory=lambda: list(MUTATIONS),
        description=f"Breakages to try, in order: {', '.join(MUTATIONS)}.",
    )
    seed: int = Field(default=0, description="Seed of the mutation choices.")
    prompt_template: str | None = Field(default=None, description="Replaces synth/prompts/code_debug.j2.")
    system: str = Field(default=CODE_SYSTEM, description="System prompt of the examples.")
    max_function_lines: int = Field(default=120, ge=1, description="Longer functions are skipped.")
    error_lines: int = Field(default=6, ge=1, description="Compiler output lines shown.")
    max_functions: int | None = Field(
        default=None,
        ge=1,
        description="Break at most this many functions (each costs two or more compiler runs; a full "
        "decomp has ~14k functions).",
    )


class CodeDebug(TeacherStage):
    """Code documents of a repo on disk in, code.debug examples out. Documents that are not C
    functions, and functions past `max_functions`, are counted in the summary (`not_broken`)."""

    name = "synth.code_debug"
    Config = CodeDebugConfig
    max_drop_share = 0.9  # many functions have nothing a mutation can break; that is expected
    handles = (Document,)
    document_kinds = frozenset({"code"})
    passes_through = (Example,)

    def __init__(self, config: CodeDebugConfig | dict | None = None):
        super().__init__(config)
        self._not_broken: Counter[str] = Counter()

    def process(self, records: Iterable[Record], rejects: Rejects) -> Iterator[Record]:
        config: CodeDebugConfig = self.config
        profile = load_profile(config.profile)
        template = load_template("synth/prompts/code_debug.j2", config.prompt_template)
        teacher = self.open_teacher(config.teacher)
        not_broken = self._not_broken = Counter()
        broken_so_far = 0

        def requests_for(doc: Document) -> Iterator[ChatRequest]:
            nonlocal broken_so_far
            if doc.meta.get("symbol_kind") != "function":
                not_broken["not a function"] += 1
                return
            if config.max_functions is not None and broken_so_far >= config.max_functions:
                not_broken["past max_functions"] += 1
                return
            if doc.lang != "c" or doc.meta.get("lines", 0) > config.max_function_lines:
                rejects.add({"document": doc.id}, "code.debug: not a C function short enough")
                return
            broken = self._break(doc, profile, rejects)
            if broken is None:
                return
            mutation, result = broken
            broken_so_far += 1
            error = "\n".join(result.compiler_output.splitlines()[: config.error_lines])
            prompt = render(
                template,
                project=config.project,
                lang="c",
                path=doc.provenance.path,
                mutation=mutation.description,
                broken=mutation.text,
                error=error,
                original=doc.text,
            )
            yield ChatRequest(
                [{"role": "user", "content": prompt}], tag=(doc, mutation, result, error, profile)
            )

        try:
            yield from self.ask(teacher, records, rejects, requests_for, lambda r: self._examples(r, rejects))
        finally:
            teacher.close()

    def _examples(self, reply: ChatResult, rejects: Rejects) -> Iterator[Example]:
        config: CodeDebugConfig = self.config
        doc, mutation, result, error, profile = reply.request.tag
        if self.unanswered(reply, doc.id, rejects):
            return
        text = (reply.content or "").strip()
        if len(text.split()) < 5:
            rejects.add({"document": doc.id, "reply": reply.content}, "code.debug: empty reply")
            return
        question = (
            f"This code fails to compile:\n```c\n{mutation.text}\n```\n\nCompiler output:\n"
            f"```\n{error}\n```\n\nWhat is wrong, and how do I fix it?"
        )
        answer = f"{text}\n\nThe working function:\n```c\n{doc.text}\n```"
        messages = [
            Message(role="system", content=config.system),
            Message(role="user", content=question),
            Message(role="assistant", content=answer),
        ]
        meta = {
            "documents": [doc.id],
            "symbol": doc.meta.get("symbol"),
            "mutation": mutation.kind,
            "teacher": config.teacher.model,
        }
        example = Example.create("code.debug", messages, [doc.provenance], meta)
        example.checks["broken_code_fails"] = Check(
            passed=True,
            detail=f"the broken code fails with {result.failure_class}",
            data={"failure_class": result.failure_class, "profile": profile.name},
        )
        yield example

    def summary(self) -> dict[str, Any]:
        """The teacher's figures, and the code documents not broken: not C functions, or past
        `max_functions`."""
        return {"not_broken": dict(sorted(self._not_broken.items())), **super().summary()}

    def _break(self, doc: Document, profile, rejects: Rejects) -> tuple[Mutation, CCompileResult] | None:
        """The first mutation that makes the function's file fail to compile, with the real error."""
        repo = Path(doc.provenance.source)
        path = repo / (doc.provenance.path or "")
        if not path.is_file() or doc.provenance.lines is None:
            rejects.add({"document": doc.id}, "code.debug: source file not on disk")
            return None
        lines = decode_source(path.read_bytes())[0].splitlines(keepends=True)
        first, last = doc.provenance.lines
        before, after = "".join(lines[: first - 1]), "".join(lines[last:])
        original = c_compile_check(
            before + doc.text + "\n" + after, repo, profile, file_name=doc.provenance.path
        )
        if not original.passed:
            rejects.add(
                {"document": doc.id, "detail": original.detail},
                f"code.debug: the real file does not compile ({original.failure_class})",
            )
            return None
        rng = random.Random(content_id(self.config.seed, doc.id))
        for kind in self.config.mutations:
            if kind not in MUTATIONS:
                raise ModsmithError(f"unknown mutation {kind!r}", hint=f"known: {', '.join(MUTATIONS)}")
            mutation = MUTATIONS[kind](doc.text, rng)
            if mutation is None:
                continue
            result = c_compile_check(
                before + mutation.text + "\n" + after, repo, profile, file_name=doc.provenance.path
            )
            if not result.passed and result.failure_class in (
                "invented_name",
                "wrong_arguments",
                "type_error",
                "syntax_error",
            ):
                return mutation, result
        rejects.add({"document": doc.id}, "code.debug: no mutation broke the build")
        return None
