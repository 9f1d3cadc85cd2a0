"""Reading outside material into documents: code repos and guides."""

from modsmith.ingest.code import IngestCode
from modsmith.ingest.text import IngestText

STAGES = [IngestCode, IngestText]
__all__ = ["IngestCode", "IngestText", "STAGES"]
