"""Reading outside material into records: code repos, guides, behaviour requests, datasets."""

from modsmith.ingest.code import IngestCode
from modsmith.ingest.examples import IngestExamples
from modsmith.ingest.spec import IngestSpec
from modsmith.ingest.text import IngestText

STAGES = [IngestCode, IngestText, IngestSpec, IngestExamples]
__all__ = ["IngestCode", "IngestExamples", "IngestSpec", "IngestText", "STAGES"]
