import pytest

from modsmith.curate.heuristics import Heuristics
from modsmith.records import Document, Example, Message, Provenance
from modsmith.stage import Rejects

LONG_ANSWER = "Crouch under the projectile, then dash in and grab before the opponent can act again."


def qa(question: str, answer: str, system: str | None = None) -> Example:
    messages = [Message(role="system", content=system)] if system is not None else []
    messages += [Message(role="user", content=question), Message(role="assistant", content=answer)]
    return Example.create("guide.qa", messages)


def run(examples, **config):
    rejects = Rejects()
    kept = list(Heuristics(config).process(examples, rejects))
    return kept, rejects


def reason_of(example: Example, **config) -> str | None:
    kept, rejects = run([example], **config)
    if kept:
        return None
    return next(iter(rejects.counts))


def test_a_good_example_and_documents_pass_through():
    doc = Document(id="d", kind="text", text="", provenance=Provenance(source="s"))
    good = qa("How do I punish a missed grab?", LONG_ANSWER)
    kept, rejects = run([doc, good])
    assert kept == [doc, good] and rejects.total == 0


@pytest.mark.parametrize(
    ("example", "reason"),
    [
        (qa("How do I tech?", "   "), "heuristics: empty assistant turn"),
        (qa("", LONG_ANSWER), "heuristics: empty user turn"),
        (qa("How do I tech?", LONG_ANSWER, system=""), "heuristics: empty system turn"),
        (
            Example.create("t", [Message(role="user", content="How do I tech?")]),
            "heuristics: no assistant turn",
        ),
    ],
)
def test_empty_turns(example, reason):
    assert reason_of(example) == reason
    assert reason_of(example, drop_empty_turns=False, min_answer=None, min_question=None) is None


def test_unbalanced_code_fences():
    open_fence = qa("Show the loop.", "Here it is:\n```c\nfor (i = 0; i < 4; i++) {\n    step(i);\n}\n")
    closed = qa("Show the loop.", "Here it is:\n```c\nfor (i = 0; i < 4; i++) {\n    step(i);\n}\n```\nDone.")
    four = qa("Show both.", "```c\na();\n```\nand\n```c\nb();\n```")
    assert reason_of(open_fence) == "heuristics: unbalanced code fences (assistant turn)"
    assert reason_of(closed) is None
    assert reason_of(four) is None
    assert (
        reason_of(qa("Fix this: ```c\nx();", LONG_ANSWER)) == "heuristics: unbalanced code fences (user turn)"
    )
    assert reason_of(qa("Is ```x``` inline code?", LONG_ANSWER)) is None
    assert reason_of(open_fence, check_code_fences=False) is None


def test_length_bounds_in_characters_and_tokens():
    assert reason_of(qa("How do I tech?", "Press L.")) == "heuristics: answer shorter than 10 chars"
    assert reason_of(qa("Tech?", LONG_ANSWER)) is None  # exactly 5 characters is enough
    assert reason_of(qa("Tech", LONG_ANSWER)) == "heuristics: question shorter than 5 chars"
    long_answer = "word " * 100  # 499 characters once stripped, 125 approximate tokens
    example = qa("How do I tech on a platform?", long_answer)
    tokens = {"length_unit": "tokens", "min_question": 5}  # the question is 28 characters, 7 tokens
    assert reason_of(example, **tokens, max_answer=124) == "heuristics: answer longer than 124 tokens"
    assert reason_of(example, **tokens, max_answer=125) is None
    assert (
        reason_of(example, length_unit="tokens", min_question=8)
        == "heuristics: question shorter than 8 tokens"
    )
    assert reason_of(example, max_answer=498) == "heuristics: answer longer than 498 chars"
    assert reason_of(example, max_answer=499) is None
    assert reason_of(qa("How do I tech?", "Press L."), min_answer=None) is None


@pytest.mark.parametrize(
    ("answer", "phrase"),
    [
        ("I'm sorry, but I can't discuss that matchup.", "i'm sorry"),
        ("I\u2019m sorry, that is not something I know about this game.", "i'm sorry"),
        ("As an AI, I have never held a controller, but spacing matters.", "as an ai"),
        ("I APOLOGIZE for the confusion: the move is a dash attack.", "i apologize"),
        ("I cannot   help with that request about this character.", "i cannot help"),
        ("Unfortunately I don't have access to frame data for this version.", "i don't have access"),
    ],
)
def test_refusal_phrases_drop_with_the_phrase_named(answer, phrase):
    assert (
        reason_of(qa("What is the best way to recover?", answer)) == f"heuristics: refusal phrase {phrase!r}"
    )


@pytest.mark.parametrize(
    "answer",
    [
        # Decided: advice that starts with "I cannot" is not a refusal; only "I cannot" + help/answer/... is.
        "I cannot stress enough how important it is to shield drop onto the platform.",
        # Word boundaries: "as an aide" and "as an airdodge" do not contain the phrase "as an ai".
        "Think of the platform as an aide to your recovery, and use it as an airdodge target.",
        "Your opponent will be sorry if you read their roll.",
    ],
)
def test_phrases_inside_other_words_or_advice_are_not_refusals(answer):
    assert reason_of(qa("What is the best way to recover?", answer)) is None


def test_refusal_phrases_only_count_in_assistant_turns_and_are_configurable():
    example = qa("As an AI, can you tell me when to shield?", LONG_ANSWER)
    assert reason_of(example) is None
    refused = qa("When should I shield?", "I'm sorry, but I cannot tell you that.")
    assert reason_of(refused, refusal_phrases=[]) is None
    custom = qa("When should I shield?", "Nobody knows, really, it depends on everything going on.")
    assert (
        reason_of(custom, refusal_phrases=["nobody   KNOWS"]) == "heuristics: refusal phrase 'nobody knows'"
    )


def test_answers_that_repeat_the_question():
    question = "What is the fastest way to get back to the ledge as Marth?"
    assert reason_of(qa(question, question.upper())) == "heuristics: answer repeats the question"
    assert reason_of(qa(question, question + " Yes.")) == "heuristics: answer repeats the question"
    elaborated = (
        question + " Jump toward the stage, then aim the up special so the sword grabs the edge early."
    )
    assert reason_of(qa(question, elaborated)) is None
    assert reason_of(qa(question, question), max_question_similarity=None) is None
    kept, rejects = run([qa(question, question.lower() + "?")])
    assert not kept and rejects.samples["heuristics: answer repeats the question"][0]["detail"].startswith(
        "similarity"
    )


def test_rejected_examples_are_recorded_whole():
    example = qa("How do I tech?", "I'm sorry, I can't.")
    _, rejects = run([example])
    sample = rejects.samples['heuristics: refusal phrase "i\'m sorry"'][0]
    assert sample["record"]["id"] == example.id
