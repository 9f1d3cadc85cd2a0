"""The ingest.text stage: reading files, skipping what cannot be read, chunks as documents, and
determinism, on the sample guides in examples/guides and temp files."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from modsmith.errors import ModsmithError
from modsmith.ingest.chunking import (
    approximate_token_count,
)
from modsmith.ingest.guide_files import decode_text
from modsmith.ingest.text import IngestText
from modsmith.records import Document, Provenance
from modsmith.stage import Rejects

GUIDES = Path(__file__).resolve().parents[2] / "examples" / "guides"


def run_stage(**config) -> tuple[list[Document], Rejects, IngestText]:
    stage = IngestText(config)
    rejects = Rejects()
    return list(stage.process([], rejects)), rejects, stage


def squash(text: str) -> str:
    return "".join(text.split())


# ---------------------------------------------------------------- the stage


def test_stage_over_sample_guides():
    given = str(GUIDES)
    upstream = Document(id="up", kind="text", text="from before", provenance=Provenance(source="x"))
    stage = IngestText({"paths": [given], "max_tokens": 120})
    rejects = Rejects()
    out = list(stage.process([upstream], rejects))
    assert out[0] is upstream
    docs = out[1:]
    by_path: dict[str, list[Document]] = {}
    for doc in docs:
        by_path.setdefault(doc.provenance.path, []).append(doc)
    assert sorted(by_path) == ["forum-thread.html", "fox-basics.md", "marth-notes.txt"]
    langs = {path: {d.lang for d in group} for path, group in by_path.items()}
    assert langs == {
        "forum-thread.html": {"html"},
        "fox-basics.md": {"markdown"},
        "marth-notes.txt": {"text"},
    }
    for path, group in by_path.items():
        line_count = len((GUIDES / path).read_text(encoding="utf-8").splitlines())
        assert [d.meta["chunk_index"] for d in group] == list(range(len(group)))
        for doc in group:
            assert doc.kind == "text" and doc.provenance.source == given
            assert doc.meta["chunk_count"] == len(group)
            assert doc.meta["chunker"] == "paragraphs"
            assert 8 <= doc.meta["tokens"] == approximate_token_count(doc.text) <= 120
            assert not doc.text.startswith("#")
            if doc.lang == "html":
                assert doc.provenance.lines is None
            else:
                first, last = doc.provenance.lines
                assert 1 <= first <= last <= line_count
    assert {d.meta["title"] for d in by_path["fox-basics.md"]} == {"Fox basics"}
    assert {d.meta["title"] for d in by_path["marth-notes.txt"]} == {"Marth notes"}
    shine = [d for d in by_path["fox-basics.md"] if d.meta["headings"] == ["Fox basics", "Shine"]]
    assert shine and shine[0].text.startswith("Fox's down special is the reflector")
    fox_lines = (GUIDES / "fox-basics.md").read_text(encoding="utf-8").splitlines()
    first, last = shine[0].provenance.lines
    assert fox_lines[first - 1].startswith("Fox's down special")
    assert len({d.id for d in docs}) == len(docs)
    summary = stage.summary()
    assert summary["files_read"] == 3 and summary["chunks"] == len(docs)
    assert summary["tokens"] == sum(d.meta["tokens"] for d in docs)
    assert summary["bytes_read"] == sum(p.stat().st_size for p in GUIDES.iterdir())


INGEST_IN_A_PROCESS = """
import sys
from modsmith.ingest.text import IngestText
from modsmith.records import write_jsonl
from modsmith.stage import Rejects

guides, chunker, out = sys.argv[1:]
dropped = []
stage = IngestText({"paths": [guides], "chunker": chunker, "seed": 3})
write_jsonl(out, [*stage.process([], Rejects(sink=dropped.append)), *dropped, stage.summary()])
"""


def test_stage_is_deterministic(tmp_path):
    """The same chunks, byte for byte, from processes with other hash seeds (a repeat in one process
    has one seed: it cannot see set order)."""
    for chunker in ("paragraphs", "gaussian"):
        outputs = []
        for seed in ("0", "1", "2"):
            out = tmp_path / f"{chunker}-{seed}.jsonl"
            argv = [sys.executable, "-c", INGEST_IN_A_PROCESS, str(GUIDES), chunker, str(out)]
            subprocess.run(argv, env={**os.environ, "PYTHONHASHSEED": seed}, check=True)
            outputs.append(out.read_bytes())
        docs, _, _ = run_stage(paths=[str(GUIDES)], chunker=chunker, seed=3)
        assert len(docs) > 5 and outputs[0].count(b"\n") >= len(docs) + 1
        assert outputs[1] == outputs[0] and outputs[2] == outputs[0], chunker


def test_gaussian_chunks_depend_only_on_seed_and_file(tmp_path):
    folder = tmp_path / "guides"
    shutil.copytree(GUIDES, folder)
    before, _, _ = run_stage(paths=[str(folder)], chunker="gaussian", seed=11)
    (folder / "aaa-new.md").write_text(
        "# New\n\n" + "\n\n".join(f"Paragraph {i} about Falco." for i in range(9))
    )
    after, _, _ = run_stage(paths=[str(folder)], chunker="gaussian", seed=11)
    old = [d.model_dump() for d in after if d.provenance.path != "aaa-new.md"]
    assert old == [d.model_dump() for d in before]
    assert any(d.provenance.path == "aaa-new.md" for d in after)
    for doc in after:
        assert doc.meta["chunker"] == "gaussian"
        assert 1 <= doc.meta["chunk_count"] <= 50
    counts_by_seed = set()
    for seed in range(12):
        docs, _, _ = run_stage(
            paths=[str(GUIDES / "fox-basics.md")], chunker="gaussian", seed=seed, min_chunk_tokens=0
        )
        assert docs[0].meta["chunk_count"] >= 2
        counts_by_seed.add(docs[0].meta["chunk_count"])
        assert squash("".join(d.text for d in docs)).count("Dashleft,thentapthestick") == 1
    assert len(counts_by_seed) > 1


def test_single_file_path_and_short_chunks(tmp_path):
    guide = tmp_path / "notes.md"
    guide.write_text(
        "# Notes\n\nTiny.\n\n## Long\n\n" + "Shine then wavedash out of it, again and again. " * 3
    )
    docs, rejects, stage = run_stage(paths=[str(guide)], min_chunk_tokens=5)
    assert [d.meta["headings"] for d in docs] == [["Notes", "Long"]]
    assert docs[0].provenance.path == "notes.md" and docs[0].provenance.source == str(guide)
    assert docs[0].meta["chunk_index"] == 0 and docs[0].meta["chunk_count"] == 1
    assert rejects.counts["too short"] == 1
    assert rejects.samples["too short"][0]["record"]["text"] == "Tiny."
    assert stage.summary()["chunks_dropped"] == {"too short": 1}


def test_skipped_files_are_counted(tmp_path):
    (tmp_path / "a.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    (tmp_path / "b.txt").write_bytes(b"text with a \x00 byte")
    (tmp_path / "c.txt").write_bytes("caf\u00e9 notes in latin-1".encode("latin-1"))
    page = '<html><head><meta charset="iso-8859-1"></head><p>Le caf\u00e9 du combo shine.</p></html>'
    (tmp_path / "d.html").write_bytes(page.encode("latin-1"))
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "e.md").write_text("# E\n\nWavedash back, then shine the approach.\n")
    (tmp_path / ".hidden").mkdir()
    (tmp_path / ".hidden" / "f.md").write_text("# Hidden\n\nnot read at all, ever, by the walk.\n")
    docs, rejects, stage = run_stage(paths=[str(tmp_path)], min_chunk_tokens=1)
    assert [d.provenance.path for d in docs] == ["d.html", "sub/e.md"]
    assert docs[0].text == "Le caf\u00e9 du combo shine."
    assert dict(rejects.counts) == {"unsupported extension": 1, "binary file": 1, "not UTF-8": 1}
    assert rejects.samples["unsupported extension"][0]["record"]["path"] == "a.png"
    assert stage.summary()["skipped"] == {"binary file": 1, "not UTF-8": 1, "unsupported extension": 1}


def test_decode_text():
    assert decode_text("\ufeffhello".encode(), "text") == ("hello", "", "")
    text, reason, detail = decode_text(b"caf\xe9", "text")
    assert (text, reason) == (None, "not UTF-8") and "0xe9" in detail
    assert decode_text(b"<meta charset=utf-8>caf\xe9", "html")[1] == "not UTF-8"
    assert decode_text(b"<meta charset=nonsense>caf\xe9", "html")[1] == "not UTF-8"
    assert decode_text("\ufeffx".encode("utf-16"), "text")[1] == "not UTF-8"


def test_missing_path_and_nothing_readable(tmp_path):
    missing = str(tmp_path / "nope")
    with pytest.raises(ModsmithError) as error:
        run_stage(paths=[missing])
    assert error.value.where == missing and "no such file or directory" in error.value.message
    with pytest.raises(ModsmithError):
        IngestText({"paths": [missing]}).source_fingerprint()

    (tmp_path / "x.pdf").write_bytes(b"%PDF-1.4")
    (tmp_path / "y.txt").write_bytes(b"\xff\xfe\xfa")
    (tmp_path / "z.pdf").write_bytes(b"%PDF-1.4")
    with pytest.raises(ModsmithError) as error:
        run_stage(paths=[str(tmp_path)])
    assert "2 unsupported extension" in error.value.message and "1 not UTF-8" in error.value.message


def test_source_fingerprint_tracks_readable_files(tmp_path):
    guide = tmp_path / "g.md"
    guide.write_text("# G\n\nsome text about shines\n")
    stage = IngestText({"paths": [str(tmp_path)]})
    first = stage.source_fingerprint()
    assert first == stage.source_fingerprint()
    (tmp_path / "ignored.png").write_bytes(b"x")
    assert stage.source_fingerprint() == first
    guide.write_text("# G\n\nsome longer text about shines\n")
    assert stage.source_fingerprint() != first


def test_config_is_checked():
    with pytest.raises(ValueError):
        IngestText({"paths": ["x"], "gaussian_min": 5, "gaussian_max": 2})
    with pytest.raises(ValueError):
        IngestText({"paths": []})
    with pytest.raises(ValueError):
        IngestText({"paths": ["x"], "chunker": "sentences"})
    assert IngestText.name == "ingest.text" and IngestText.is_source
    assert all(field.description for field in IngestText.Config.model_fields.values())
