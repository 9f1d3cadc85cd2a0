"""Deterministic guide tasks, no model needed: a section's heading asked as a question, the
section's text as the answer."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator

from modsmith.records import Document, Example, Message, content_id
from modsmith.stage import Rejects

SECTION_QUESTIONS = [
    "What does the {title} guide say about {heading}?",
    "Explain {heading}.",
    "I'm reading about {heading} in {title}. Can you summarise the advice?",
]


def _section_key(doc: Document) -> tuple:
    return (doc.provenance.source, doc.provenance.path, tuple(doc.meta.get("headings") or ()))


def section_questions(
    documents: Iterable[Document], rejects: Rejects, *, system: str, min_section_words: int
) -> Iterator[Example]:
    """`guide.section`: one example per guide section (its consecutive chunks joined), streamed."""
    for key, group in itertools.groupby(documents, key=_section_key):
        chunks = list(group)
        headings = key[2]
        what = {"path": key[1], "headings": list(headings), "documents": [c.id for c in chunks]}
        if not headings:
            rejects.add(what, "guide.section: text has no heading")
            continue
        answer = "\n\n".join(c.text.strip() for c in chunks)
        if len(answer.split()) < min_section_words:
            rejects.add(what, f"guide.section: section shorter than {min_section_words} words")
            continue
        heading = headings[-1]
        title = chunks[0].meta.get("title") or headings[0]
        template = int(content_id(*key), 16) % len(SECTION_QUESTIONS)
        if heading == title:
            template = 1
        question = SECTION_QUESTIONS[template].format(title=title, heading=heading)
        messages = [
            Message(role="system", content=system),
            Message(role="user", content=question),
            Message(role="assistant", content=answer),
        ]
        provenance = [chunks[0].provenance]
        first, last = chunks[0].provenance.lines, chunks[-1].provenance.lines
        if first and last:
            provenance = [chunks[0].provenance.model_copy(update={"lines": (first[0], last[1])})]
        meta = {
            "documents": what["documents"],
            "headings": list(headings),
            "builder": "deterministic",
            "template": template,
        }
        yield Example.create("guide.section", messages, provenance, meta)
