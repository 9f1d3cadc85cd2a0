"""A tokenizer's Jinja chat template as an Ollama Go template, learned by rendering and then verified.

Arbitrary Jinja cannot be translated, so the template is rendered instead: on probe conversations whose
contents are markers, the text around each marker gives, per role (system, user, assistant), the text
before and after the content, the text the conversation starts with, and the generation prompt; and
how a leading system message is handled: wrapped like the other turns ("wrapped"), written into the
first user turn ("folded", as Gemma 3 does), or refused by the template ("none").

Those pieces make the Go template: Ollama gives it `.Messages` (each with `.Role` and `.Content`, system
messages included) and `.System`; the template ranges over `.Messages` and writes each turn's pieces as
quoted Go strings (so no `{{-` trimming can eat a newline that belongs to the prompt), then the
generation prompt unless the last turn is the assistant's. A start text that is the tokenizer's BOS
token is left out: llama.cpp (and so Ollama) adds BOS while tokenizing.

The pieces are then VERIFIED: they must render several conversations (system and multi-turn, no system,
one turn, ending on the assistant) exactly as the Jinja template does, or the translation is refused.
A template whose pieces depend on more than the role (a date in the system turn, a turn counter) fails
there. `compare_renders` is the checker, also used by the tests that render the Go text with real Go.
Content trimming (`| trim` in the Jinja) cannot be said in Go: it is reported in `notes`.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Literal

from modsmith.errors import ModsmithError

Messages = Sequence[dict[str, str]]
Render = Callable[[Messages, bool], str]
SystemMode = Literal["wrapped", "folded", "none"]
ROLES = ("system", "user", "assistant")

_MARK = {"system": "Qz7sys0", "user": "Qz7usr1", "assistant": "Qz7ast1", "user2": "Qz7usr2"}

#: The conversations the pieces must reproduce (with and without the generation prompt).
VERIFY_CONVERSATIONS: list[tuple[list[dict[str, str]], bool]] = [
    (
        [
            {"role": "system", "content": "You answer questions about the decomp.\nBe brief."},
            {"role": "user", "content": "What does Actor_Kill do?"},
            {
                "role": "assistant",
                "content": "It marks the actor for deletion:\n\n    Actor_Kill(&this->actor);",
            },
            {"role": "user", "content": "And when is it freed?"},
            {"role": "assistant", "content": "At the end of the frame."},
            {"role": "user", "content": "Thanks! {{ not a template }} <b>ok</b>"},
        ],
        True,
    ),
    (
        [
            {"role": "user", "content": "Name the spawner's prefab."},
            {"role": "assistant", "content": "CrateSpawner"},
            {"role": "user", "content": "Why?"},
        ],
        True,
    ),
    ([{"role": "user", "content": "Hello there"}], True),
    ([{"role": "user", "content": "One\ntwo"}, {"role": "assistant", "content": "Three"}], False),
    ([{"role": "system", "content": "Be terse."}, {"role": "user", "content": "Hi"}], True),
]


@dataclass
class ChatPieces:
    """What a chat template writes around each turn, learned from its renderings."""

    start: str
    prefix: dict[str, str]
    suffix: dict[str, str]
    generation_prompt: str
    system: SystemMode
    #: The part of `start` the tokenizer adds itself (the BOS token), left out of the Go template.
    bos: str = ""
    notes: list[str] = field(default_factory=list)

    def render(self, messages: Messages, add_generation_prompt: bool) -> str:
        """The prompt these pieces make: what the Go template renders, plus `bos`."""
        out, folded, last = [self.start], False, ""
        for message in messages:
            role, content = message["role"], message["content"]
            if role == "system" and self.system == "none":
                continue
            if role in ROLES:
                skip_prefix = role == "user" and folded
                out += ["" if skip_prefix else self.prefix[role], content, self.suffix[role]]
                folded = role == "system" and self.system == "folded"
            last = role
        if add_generation_prompt and last != "assistant":
            out.append(self.generation_prompt)
        return "".join(out)

    def stop_texts(self) -> list[str]:
        """The end-of-turn texts: what ends an assistant turn (and a user turn), without layout."""
        stops = [self.suffix["assistant"].strip(), self.suffix["user"].strip()]
        return [stop for index, stop in enumerate(stops) if stop and stop not in stops[:index]]


def go_literal(text: str) -> str:
    """`text` as a Go template action printing it: a quoted Go string (JSON escapes are Go escapes)."""
    return "{{ " + json.dumps(text, ensure_ascii=False) + " }}" if text else ""


def go_template(pieces: ChatPieces) -> str:
    """The Ollama TEMPLATE text for `pieces` (see the module docstring for its shape)."""
    fold = pieces.system == "folded"
    head = go_literal(pieces.start[len(pieces.bos) :]) + '{{- $last := "" }}'
    lines = [head + ("{{- $folded := false }}" if fold else "")]
    lines.append("{{- range .Messages }}")
    branch = "{{- if"
    for role in ROLES:
        if role == "system" and pieces.system == "none":
            continue
        prefix = go_literal(pieces.prefix[role])
        if role == "user" and fold:
            prefix = "{{- if not $folded }}" + prefix + "{{- end }}" if prefix else ""
        body = f"{prefix}{{{{ .Content }}}}{go_literal(pieces.suffix[role])}"
        if fold:
            body += "{{- $folded = " + ("true" if role == "system" else "false") + " }}"
        lines.append(f'{branch} eq .Role "{role}" }}}}{body}')
        branch = "{{- else if"
    lines.append("{{- end }}{{- $last = .Role }}")
    lines.append("{{- end }}")
    lines.append('{{- if ne $last "assistant" }}' + go_literal(pieces.generation_prompt) + "{{- end }}")
    return "\n".join(lines)


def learn_pieces(render: Render, *, name: str, bos_token: str | None = None) -> ChatPieces:
    """The pieces of the template behind `render(messages, add_generation_prompt)` (see the module doc)."""

    def refuse(why: str) -> ModsmithError:
        return ModsmithError(
            f"the chat template cannot be written as an Ollama template: {why}",
            where=name,
            hint="give the model a template that wraps each turn in fixed text per role (ChatML, Llama 3...)",
        )

    def split(text: str, *marks: str) -> list[str]:
        parts, rest = [], text
        for mark in marks:
            if rest.count(mark) != 1:
                raise refuse(f"a message's content appears {rest.count(mark)} times in its rendering")
            before, rest = rest.split(mark)
            parts.append(before)
        return [*parts, rest]

    u1, a1, u2, s1 = _MARK["user"], _MARK["assistant"], _MARK["user2"], _MARK["system"]
    user, assistant, user2 = (
        {"role": "user", "content": u1},
        {"role": "assistant", "content": a1},
        {"role": "user", "content": u2},
    )
    one = _rendered(render, [user], False, name)
    head, user_suffix = split(one, u1)
    _, between, assistant_suffix = split(_rendered(render, [user, assistant], False, name), u1, a1)
    if not between.startswith(user_suffix):
        raise refuse("the text after a user turn depends on what follows it")
    assistant_prefix = between[len(user_suffix) :]
    _, _, between, after = split(_rendered(render, [user, assistant, user2], False, name), u1, a1, u2)
    if not between.startswith(assistant_suffix) or after != user_suffix:
        raise refuse("the text around a turn depends on its place in the conversation")
    user_prefix = between[len(assistant_suffix) :]
    if not head.endswith(user_prefix):
        raise refuse("the first user turn is written unlike the later ones")
    start = head[: len(head) - len(user_prefix)]
    prompted = _rendered(render, [user], True, name)
    if not prompted.startswith(one):
        raise refuse("the generation prompt changes the text before it")
    prefix = {"user": user_prefix, "assistant": assistant_prefix, "system": ""}
    suffix = {"user": user_suffix, "assistant": assistant_suffix, "system": ""}
    system: SystemMode = "none"
    try:
        with_system = render([{"role": "system", "content": s1}, user], False)
    except Exception:  # the template refuses system messages (raise_exception)
        with_system = None
    if with_system is not None:
        before, middle, _ = split(with_system, s1, u1)
        if not before.startswith(start):
            raise refuse("a system message changes the start of the conversation")
        prefix["system"] = before[len(start) :]
        if middle.endswith(user_prefix):
            system, suffix["system"] = "wrapped", middle[: len(middle) - len(user_prefix)]
        else:
            system, suffix["system"] = "folded", middle
    bos = bos_token if bos_token and start.startswith(bos_token) else ""
    pieces = ChatPieces(start, prefix, suffix, prompted[len(one) :], system, bos)
    if _rendered(render, [{"role": "user", "content": f" {u1}\n"}], False, name) == one:
        pieces.notes.append("the template trims message contents; Ollama's will not")
    if system == "none":
        pieces.notes.append("the template refuses system messages; Ollama's leaves them out")
    return pieces


def verify_pieces(pieces: ChatPieces, render: Render, *, name: str) -> None:
    """Refuse (ModsmithError naming the template) unless the pieces reproduce every verify conversation."""
    conversations = [
        (messages, prompt)
        for messages, prompt in VERIFY_CONVERSATIONS
        if pieces.system != "none" or all(m["role"] != "system" for m in messages)
    ]
    expected = [_rendered(render, messages, prompt, name) for messages, prompt in conversations]
    got = [pieces.render(messages, prompt) for messages, prompt in conversations]
    differences = compare_renders(expected, got)
    if differences:
        raise ModsmithError(
            f"the Ollama template would render {len(differences)} of {len(expected)} test conversations "
            f"differently from the chat template; first: {differences[0]}",
            where=name,
            hint="the template's turns depend on more than their role; write the TEMPLATE by hand",
        )


def compare_renders(expected: Sequence[str], got: Sequence[str]) -> list[str]:
    """Each rendering that differs, described by conversation number, position and the texts there."""
    if len(expected) != len(got):
        return [f"{len(expected)} renderings expected, {len(got)} given"]
    differences = []
    for number, (want, have) in enumerate(zip(expected, got, strict=True)):
        if want == have:
            continue
        at = next(
            (i for i, (a, b) in enumerate(zip(want, have, strict=False)) if a != b), min(len(want), len(have))
        )
        differences.append(
            f"conversation {number} differs at character {at}: "
            f"expected {want[at : at + 30]!r}, got {have[at : at + 30]!r}"
        )
    return differences


def _rendered(render: Render, messages: Messages, add_generation_prompt: bool, name: str) -> str:
    try:
        return render(messages, add_generation_prompt)
    except Exception as exc:  # jinja2 errors and the template's own raise_exception()
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise ModsmithError(f"the chat template failed on a test conversation: {first}", where=name) from None


@dataclass
class OllamaTemplate:
    """A verified translation: the Go TEMPLATE text, its stop texts, and the pieces it was built from."""

    jinja: str
    go: str
    stops: list[str]
    pieces: ChatPieces


def jinja_renderer(template: str, *, bos_token: str | None = None, eos_token: str | None = None) -> Render:
    """`render(messages, add_generation_prompt)` through transformers' own Jinja renderer, with the
    special tokens a tokenizer passes to its template."""

    def render(messages: Messages, add_generation_prompt: bool) -> str:
        from transformers.utils.chat_template_utils import render_jinja_template

        rendered, _ = render_jinja_template(
            conversations=[list(messages)],
            chat_template=template,
            add_generation_prompt=add_generation_prompt,
            bos_token=bos_token or "",
            eos_token=eos_token or "",
        )
        return rendered[0]

    return render


def translate_chat_template(
    template: str, *, name: str, bos_token: str | None = None, eos_token: str | None = None
) -> OllamaTemplate:
    """The Jinja chat `template` as a verified Ollama Go template (ModsmithError when it cannot be)."""
    if not template.strip():
        raise ModsmithError("the model has no chat template", where=name, hint="train or export with one")
    render = jinja_renderer(template, bos_token=bos_token, eos_token=eos_token)
    pieces = learn_pieces(render, name=name, bos_token=bos_token)
    verify_pieces(pieces, render, name=name)
    stops = pieces.stop_texts() or ([eos_token] if eos_token else [])
    return OllamaTemplate(jinja=template, go=go_template(pieces), stops=stops, pieces=pieces)
