"""A scripted teacher that answers every prompt the shipped recipes send, for end-to-end tests.

It reads the prompt kind from the shipped templates' opening words and answers like a careful
model would: Q/A pairs taken from the passage, PASS verdicts, IR JSON from the request, C# from
the IR, explanations of code.
"""

from __future__ import annotations

import json
import re

from modsmith.teacher.loopback import ScriptedReply

CSHARP = """using UnityEngine;

public class {name} : MonoBehaviour
{{
    [SerializeField] private float speed = 90f;

    void Update()
    {{
        transform.Rotate(Vector3.up * speed * Time.deltaTime);
    }}
}}"""


def _class_name(request: str) -> str:
    words = re.findall(r"[A-Za-z]+", request)[1:4]
    return "".join(w.capitalize() for w in words) or "Behaviour"


def recipe_teacher(body: dict, seen: int) -> ScriptedReply:
    prompt = body["messages"][-1]["content"]
    if prompt.startswith("You write question-and-answer pairs"):
        passage = prompt.split('"""')[1].strip()
        sentences = [
            s.strip()
            for s in re.split(r"(?<=[.!?])\s+", passage)
            if len(s.split()) >= 4 and not re.search(r"guide|author|thread|text", s, re.I)
        ]
        pairs = [
            {"question": f"What should I know about this: {s[:40]}?", "answer": s} for s in sentences[:2]
        ]
        if pairs:
            pairs[0]["answer"] = "According to the guide, " + pairs[0]["answer"]
        return ScriptedReply(content=json.dumps(pairs))
    if prompt.startswith("You edit a question-and-answer dataset"):
        text = prompt.rsplit("Text to fix:\n", 1)[1].split("\n\nReply with")[0]
        return ScriptedReply(content=re.sub(r"^According to the guide, ", "", text))
    if prompt.startswith(("You check whether an answer is faithful", "You review question-and-answer pairs")):
        return ScriptedReply(content='{"verdict": "pass", "reason": "supported by the source"}')
    if prompt.startswith("Turn this request for a Unity component"):
        request = prompt.split("Request: ")[1].split("\n")[0]
        ir = {
            "class_name": _class_name(request),
            "fields": [{"name": "speed", "type": "float", "default": 90}],
            "handlers": ["Update"],
            "behaviours": [{"type": "rotate", "axis": "y", "speed": "speed"}],
        }
        return ScriptedReply(content=f"```json\n{json.dumps(ir)}\n```")
    if prompt.startswith("BEHAVIOR SPECIFICATION"):
        name = json.loads(prompt.split("BEHAVIOR SPECIFICATION:\n")[1].split("\n\nGenerate")[0])["class_name"]
        return ScriptedReply(content=f"```csharp\n{CSHARP.format(name=name)}\n```")
    if prompt.startswith("You are documenting"):
        return ScriptedReply(
            content="It runs once per frame for the actor and updates its state from its timers."
        )
    if prompt.startswith("Here is a real function"):
        return ScriptedReply(
            content="Write a function that performs this step of the actor's behaviour each frame."
        )
    if prompt.startswith("Using the code below"):
        return ScriptedReply(
            content='[{"question": "Why is this done per frame?", "answer": "So it tracks time."}]'
        )
    if prompt.startswith("A modder changed a function"):
        return ScriptedReply(
            content="The compiler reports the change: restore the original line and it builds."
        )
    return ScriptedReply(content="")
