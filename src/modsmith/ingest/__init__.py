"""Reading outside material into documents: code repos, guides and behaviour requests."""

from modsmith.ingest.code import IngestCode
from modsmith.ingest.spec import IngestSpec
from modsmith.ingest.text import IngestText

STAGES = [IngestCode, IngestText, IngestSpec]
__all__ = ["IngestCode", "IngestSpec", "IngestText", "STAGES"]
