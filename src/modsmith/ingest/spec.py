"""`ingest.spec`: behaviour requests (and optional IR / code) for the Unity story.

A `.txt` file holds one natural-language request per line (`#` starts a comment); a `.jsonl`
file holds objects with `prompt` and optionally `ir` (the IR JSON) and `code` (C#).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pydantic import Field

from modsmith.errors import ModsmithError
from modsmith.records import Document, Provenance, content_id
from modsmith.stage import Rejects, SourceStage, StageConfig


class IngestSpecConfig(StageConfig):
    paths: list[str] = Field(
        description="`.txt` (one request per line) or `.jsonl` files of behaviour requests."
    )


class IngestSpec(SourceStage):
    """Behaviour requests in, `spec` documents out."""

    name = "ingest.spec"
    Config = IngestSpecConfig

    def _files(self) -> list[Path]:
        files = []
        for given in self.config.paths:
            path = Path(given)
            if not path.is_file():
                raise ModsmithError("no such file", where=given)
            if path.suffix not in (".txt", ".jsonl"):
                raise ModsmithError("a spec file is .txt (one request per line) or .jsonl", where=given)
            files.append(path)
        return files

    def read(self, rejects: Rejects) -> Iterator[Document]:
        for path in self._files():
            for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                entry = _entry(path, lineno, line)
                if entry is None:
                    continue
                prompt = entry["prompt"]
                yield Document(
                    id=content_id(str(path), lineno, prompt),
                    kind="spec",
                    text=prompt,
                    lang="text",
                    provenance=Provenance(source=str(path), path=path.name, lines=(lineno, lineno)),
                    meta={k: entry[k] for k in ("ir", "code") if k in entry},
                )

    def source_fingerprint(self) -> str:
        digest = hashlib.sha256()
        for path in self._files():
            digest.update(path.read_bytes())
        return digest.hexdigest()[:16]


def _entry(path: Path, lineno: int, line: str) -> dict[str, Any] | None:
    text = line.strip()
    if not text or (path.suffix == ".txt" and text.startswith("#")):
        return None
    if path.suffix == ".txt":
        return {"prompt": text}
    try:
        entry = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ModsmithError(f"not JSON: {exc.msg}", where=f"{path}:{lineno}") from None
    if not isinstance(entry, dict) or not isinstance(entry.get("prompt"), str):
        raise ModsmithError('each line needs a "prompt" string', where=f"{path}:{lineno}")
    return entry
