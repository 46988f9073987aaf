"""Policy ingestion: from the committee's .txt, .md, .docx or .pdf file to a source text and a
draft rules file in knowledge/, and re-ingestion of a new version keeping what people wrote.

Stages, each a small module: readers (file → lines) → structure (lines → title, sections,
statements) → draft (statements → rules) → merge (old rules file + draft → updated rules, with a
change summary) → store (validate in a scratch copy, then write both files atomically)."""
from __future__ import annotations

from assistant.errors import AssistantError


class IngestError(AssistantError):
    """A document cannot be ingested; the one-line message says why and what to do."""


def ingest_file(*args, **kwargs):
    """See assistant.ingest.store.ingest_file (imported lazily: it pulls in the document readers)."""
    from assistant.ingest.store import ingest_file as run

    return run(*args, **kwargs)
