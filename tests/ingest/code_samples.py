"""What the code-ingest tests share: the sample trees and small helpers (fixtures in conftest.py)."""

from __future__ import annotations

from pathlib import Path

from modsmith.ingest.code import IngestCode
from modsmith.records import Document
from modsmith.stage import Rejects

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
SAMPLE_DECOMP = EXAMPLES / "sample_decomp"
SAMPLE_UNITY = EXAMPLES / "sample_unity"
LATIN1_FILE = "src/code/z_legacy_notes.c"


def run_stage(root: Path, **config) -> tuple[list[Document], Rejects, dict]:
    stage = IngestCode({"root": str(root), **config})
    rejects = Rejects()
    docs = list(stage.process([], rejects))
    return docs, rejects, stage.summary()


def write(root: Path, rel: str, text: str | bytes) -> Path:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def by_name(docs: list[Document], name: str, kind: str | None = None) -> Document:
    found = [d for d in docs if d.meta["symbol"] == name and (kind is None or d.meta["symbol_kind"] == kind)]
    assert len(found) == 1, f"expected one {kind or 'symbol'} {name!r}, found {len(found)}"
    return found[0]


def names(docs: list[Document], kind: str) -> set[str]:
    return {d.meta["symbol"] for d in docs if d.meta["symbol_kind"] == kind}
