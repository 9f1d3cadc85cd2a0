"""`synth.code_qa`: teacher-written code tasks grounded in real functions and their neighbours.

- `code.explain`: the function (and its header and types) in, the teacher's explanation out.
- `code.implement`: the teacher writes the request a modder could have made; the answer is the
  real function, so the code in the example is true of the code base.
- `code.conceptual`: questions on the engine concepts the function shows, answered from it.
- `code.debug`: see `synth.code_debug` (real compiler errors from mutated code).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any, Literal

from pydantic import Field

from modsmith.records import Document, Example, Message, Record
from modsmith.stage import Rejects, StageConfig
from modsmith.stages.teacher_stage import TeacherStage
from modsmith.synth.code_context import CODE_PROJECT, CODE_SYSTEM, CodeNeighbours
from modsmith.synth.qa_parsing import parse_qa_pairs
from modsmith.teacher import ChatRequest, TeacherConfig, load_template, render

CodeTask = Literal["code.explain", "code.implement", "code.conceptual"]
TEMPLATES = {
    "code.explain": "synth/prompts/code_explain.j2",
    "code.implement": "synth/prompts/code_request.j2",
    "code.conceptual": "synth/prompts/code_conceptual.j2",
}


class CodeQAConfig(StageConfig):
    teacher: TeacherConfig = Field(description="The teacher model and endpoint.")
    project: str = Field(default=CODE_PROJECT, description="What the code base is, for the prompts.")
    tasks: list[CodeTask] = Field(
        default_factory=lambda: ["code.explain", "code.implement", "code.conceptual"],
        description="Which tasks to ask the teacher for, per function.",
    )
    templates: dict[CodeTask, str] = Field(
        default_factory=dict, description="Per task, a Jinja file replacing the shipped prompt."
    )
    system: str = Field(default=CODE_SYSTEM, description="System prompt of the examples.")
    conceptual_pairs: int = Field(
        default=2, ge=1, description="Questions asked per function for code.conceptual."
    )
    max_function_lines: int = Field(default=200, ge=1, description="Longer functions are skipped.")
    min_answer_words: int = Field(default=8, ge=1, description="Shorter explanations are dropped.")
    context_lines: int = Field(default=60, ge=0, description="Most lines of header/type context in a prompt.")


class CodeQA(TeacherStage):
    """Code documents in, code.explain / code.implement / code.conceptual examples out. Functions are
    asked about; the other documents (prototypes, types) are their context, counted in the summary."""

    name = "synth.code_qa"
    Config = CodeQAConfig
    max_drop_share = 0.5
    handles = (Document,)
    document_kinds = frozenset({"code"})
    passes_through = (Example,)

    _context_only = 0

    def process(self, records: Iterable[Record], rejects: Rejects) -> Iterator[Record]:
        config: CodeQAConfig = self.config
        docs: list[Document] = []  # all of them: a function's context comes from anywhere in the code base
        for record in records:
            if self.handles_record(record):
                docs.append(record)
            else:
                yield from self.unhandled(record, rejects)
        neighbours = CodeNeighbours(docs)
        self._context_only = 0
        templates = {
            task: load_template(TEMPLATES[task], config.templates.get(task)) for task in config.tasks
        }
        teacher = self.open_teacher(config.teacher)

        def requests() -> Iterator[ChatRequest]:
            for doc in docs:
                if doc.meta.get("symbol_kind") not in ("function", "method"):
                    self._context_only += 1
                    continue
                if doc.meta.get("lines", 0) > config.max_function_lines:
                    rejects.add(
                        {"document": doc.id}, f"code: function longer than {config.max_function_lines} lines"
                    )
                    continue
                context = neighbours.context(doc, config.context_lines)
                for task in config.tasks:
                    prompt = render(
                        templates[task],
                        project=config.project,
                        name=doc.meta.get("symbol"),
                        path=doc.provenance.path,
                        lang=doc.lang,
                        code=doc.text,
                        context=context,
                        pairs=config.conceptual_pairs,
                    )
                    yield ChatRequest([{"role": "user", "content": prompt}], tag=(doc, task, context))

        try:
            for result in teacher.chat_many(requests()):
                doc, task, context = result.request.tag
                if self.unanswered(result, doc.id, rejects):
                    continue
                reply = (result.content or "").strip()
                made = list(self._examples(doc, task, context, reply))
                if not made:
                    reason = f"{task}: empty reply" if not reply else f"{task}: unusable reply"
                    rejects.add({"document": doc.id, "reply": result.content}, reason)
                yield from made
        finally:
            teacher.close()

    def _examples(self, doc: Document, task: str, context: str, reply: str) -> Iterator[Example]:
        config: CodeQAConfig = self.config
        name, fence = doc.meta.get("symbol"), f"```{doc.lang}"
        meta = {"documents": [doc.id], "symbol": name, "teacher": config.teacher.model}
        if task == "code.explain":
            if len(reply.split()) >= config.min_answer_words:
                user = Message(
                    role="user",
                    content=f"Explain what the function `{name}` does.",
                    input=f"{fence}\n{doc.text}\n```",
                )
                yield self._example(task, doc, user, reply, meta)
        elif task == "code.implement":
            if len(reply.split()) >= config.min_answer_words and "```" not in reply:
                parts = [f"Signature:\n{fence}\n{doc.meta.get('signature', name)};\n```"]
                if context:
                    parts.append(f"Relevant declarations:\n{fence}\n{context}\n```")
                user = Message(role="user", content=reply, input="\n\n".join(parts))
                yield self._example(task, doc, user, f"{fence}\n{doc.text}\n```", meta)
        else:
            for index, (question, answer) in enumerate(parse_qa_pairs(reply)):
                yield self._example(
                    task, doc, Message(role="user", content=question), answer, {**meta, "pair": index}
                )

    def summary(self) -> dict[str, Any]:
        """The teacher's figures, and the documents used only as context (no function to ask about)."""
        return {"context_only": self._context_only, **super().summary()}

    def _example(self, task: str, doc: Document, user: Message, answer: str, meta: dict) -> Example:
        messages = [
            Message(role="system", content=self.config.system),
            user,
            Message(role="assistant", content=answer),
        ]
        return Example.create(task, messages, [doc.provenance], meta)
