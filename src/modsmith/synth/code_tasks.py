"""Deterministic code tasks, no model needed: explain a function, implement it, read a macro.

Answers come from the code base itself (doc comments, definitions, macro bodies), so every
example is true of the user's code at its commit.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from modsmith.records import Document, Example, Message, content_id
from modsmith.stage import Rejects
from modsmith.synth.code_context import within_lines

FUNCTION_KINDS = {"function", "method"}
#: What `code.implement` shows as context: a C header's declarations, a C# class's members.
DECLARATION_KINDS = {"prototype", "struct", "union", "typedef", "enum", "macro", "field", "property"}

EXPLAIN_QUESTIONS = [
    "Explain what the function `{name}` does.",
    "What is the purpose of `{name}` in this code base?",
    "Walk me through `{name}`: what does it do?",
]
IMPLEMENT_QUESTIONS = [
    "Implement the function `{name}`.",
    "Write the body of `{name}` for this code base.",
    "Write `{name}` so that it does what its documentation says.",
]


def _pick(templates: list[str], key: str) -> tuple[int, str]:
    index = int(content_id(key), 16) % len(templates)
    return index, templates[index]


def _location(doc: Document) -> str:
    lines = doc.provenance.lines
    if not lines:
        return f"`{doc.provenance.path}`"
    span = f"line {lines[0]}" if lines[0] == lines[1] else f"lines {lines[0]}-{lines[1]}"
    return f"`{doc.provenance.path}` ({span})"


def _example(task: str, doc: Document, system: str, user: Message, answer: str, template: int) -> Example:
    messages = [Message(role="system", content=system), user, Message(role="assistant", content=answer)]
    meta = {
        "documents": [doc.id],
        "symbol": doc.meta.get("symbol"),
        "builder": "deterministic",
        "template": template,
    }
    return Example.create(task, messages, [doc.provenance], meta)


def explain_function(doc: Document, system: str, min_doc_words: int) -> Example | str:
    """`code.explain`: the function's code in, its doc comment and facts out; or why not."""
    comment = (doc.meta.get("doc") or "").strip()
    if len(comment.split()) < min_doc_words:
        return "code.explain: no doc comment"
    name = doc.meta["symbol"]
    template, question = _pick(EXPLAIN_QUESTIONS, doc.id)
    facts = [f"`{name}` is defined in {_location(doc)}."]
    params = doc.meta.get("params") or []
    if params:
        facts.append("It takes " + ", ".join(f"`{p}`" for p in params) + ".")
    if doc.meta.get("storage") == "static":
        facts.append("It is `static`, so only code in the same file can call it.")
    answer = comment + "\n\n" + " ".join(facts)
    user = Message(role="user", content=question.format(name=name), input=f"```{doc.lang}\n{doc.text}\n```")
    return _example("code.explain", doc, system, user, answer, template)


def implement_function(
    doc: Document,
    declarations: dict[str, list[Document]],
    prototypes: dict[str, Document],
    system: str,
    max_lines: int,
    context_lines: int,
) -> Example | str:
    """`code.implement`: signature + doc + the surrounding header in, the real definition out."""
    name = doc.meta["symbol"]
    prototype = prototypes.get(name)
    comment = (doc.meta.get("doc") or (prototype.meta.get("doc") if prototype else "") or "").strip()
    if not comment:
        return "code.implement: no doc comment"
    if doc.meta.get("lines", 0) > max_lines:
        return f"code.implement: longer than {max_lines} lines"
    header_path = prototype.provenance.path if prototype else doc.provenance.path
    context = _header_context(declarations.get(header_path, []), name, context_lines)
    parts = [
        f"Signature:\n```{doc.lang}\n{doc.meta.get('signature', name)};\n```",
        f"What it does: {comment}",
    ]
    if context:
        parts.append(f"Declarations from `{header_path}`:\n```{doc.lang}\n{context}\n```")
    template, question = _pick(IMPLEMENT_QUESTIONS, doc.id)
    user = Message(role="user", content=question.format(name=name), input="\n\n".join(parts))
    answer = f"```{doc.lang}\n{doc.text}\n```"
    return _example("code.implement", doc, system, user, answer, template)


def _header_context(declarations: list[Document], skip: str, max_lines: int) -> str:
    """The header's other declarations (prototypes with their `;`), within `max_lines`."""
    texts = (
        d.text.strip()
        + (";" if d.meta.get("symbol_kind") == "prototype" and not d.text.strip().endswith(";") else "")
        for d in declarations
        if d.meta.get("symbol") != skip
    )
    return "\n".join(within_lines(texts, max_lines))


def explain_macro(doc: Document, system: str) -> Example | str:
    """`code.macro`: what a `#define` takes and expands to."""
    value = (doc.meta.get("value") or "").strip()
    if not value:
        return "code.macro: empty macro (include guard or flag)"
    name = doc.meta["symbol"]
    params = doc.meta.get("params") or []
    if doc.meta.get("function_like"):
        call = f"{name}({', '.join(params)})"
        question = f"What does the macro `{call}` take, and what does it expand to?"
        takes = (
            (
                f"It takes {len(params)} argument{'s' if len(params) != 1 else ''}: "
                + ", ".join(f"`{p}`" for p in params)
                + "."
            )
            if params
            else "It takes no arguments."
        )
        answer = f"`{name}` is a function-like macro defined in {_location(doc)}. {takes}"
    else:
        question = f"What does the macro `{name}` expand to?"
        answer = f"`{name}` is an object-like macro defined in {_location(doc)}."
    answer += f" It expands to `{value}`." if "\n" not in value and len(value) < 60 else ""
    answer += f"\n\nIts definition:\n```c\n{doc.text.strip()}\n```"
    comment = (doc.meta.get("doc") or "").strip()
    if comment:
        answer += f"\n\n{comment}"
    user = Message(role="user", content=question)
    return _example("code.macro", doc, system, user, answer, 0)


def code_tasks(
    documents: Iterable[Document],
    tasks: set[str],
    rejects: Rejects,
    *,
    system: str,
    min_doc_words: int,
    max_implement_lines: int,
    header_context_lines: int,
) -> Iterator[Example]:
    """All code tasks over a code base's documents (held in memory: implement needs the headers)."""
    docs = list(documents)
    prototypes = {d.meta["symbol"]: d for d in docs if d.meta.get("symbol_kind") == "prototype"}
    declarations: dict[str, list[Document]] = {}
    for d in docs:
        if d.meta.get("symbol_kind") in DECLARATION_KINDS:
            declarations.setdefault(d.provenance.path or "", []).append(d)
    for doc in docs:
        kind = doc.meta.get("symbol_kind")
        outcomes: list[Example | str] = []
        if kind in FUNCTION_KINDS:
            if "code.explain" in tasks:
                outcomes.append(explain_function(doc, system, min_doc_words))
            if "code.implement" in tasks:
                outcomes.append(
                    implement_function(
                        doc, declarations, prototypes, system, max_implement_lines, header_context_lines
                    )
                )
        elif kind == "macro" and "code.macro" in tasks:
            outcomes.append(explain_macro(doc, system))
        else:
            outcomes.append(f"no task for {kind or 'unknown kind'}")
        made = [o for o in outcomes if isinstance(o, Example)]
        yield from made
        if not made:
            reason = next((o for o in outcomes if isinstance(o, str)), f"no selected task for {kind}")
            rejects.add({"id": doc.id, "symbol": doc.meta.get("symbol"), "path": doc.provenance.path}, reason)
