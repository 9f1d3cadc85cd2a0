"""Examples → fewer, better examples: heuristic filters, dedup, LLM judges and rewrites."""

from modsmith.curate.dedup import ExactDedup
from modsmith.curate.heuristics import Heuristics
from modsmith.curate.judge import Judge
from modsmith.curate.near_dedup import NearDedup
from modsmith.curate.rewrite import Rewrite
from modsmith.curate.semantic_dedup import SemanticDedup

STAGES = [Heuristics, ExactDedup, NearDedup, SemanticDedup, Judge, Rewrite]
__all__ = ["STAGES", "ExactDedup", "Heuristics", "Judge", "NearDedup", "Rewrite", "SemanticDedup"]
