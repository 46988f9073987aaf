"""A whole policy pack at once: every supported file of the folders and files given, one after the
other, each written only if it passes on its own (a bad file is refused in one line; the others
still go in), with a line per policy and a total."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from tqdm import tqdm

from assistant.errors import AssistantError
from assistant.ingest.readers import READERS
from assistant.ingest.store import IngestResult, ingest_file
from assistant.text import count_of


def pack_files(paths: list[Path]) -> list[Path]:
    """The documents named, with each folder replaced by its supported files (by name; not its
    subfolders, hidden files or Word's "~$" lock files)."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found += sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() in READERS
                            and not p.name.startswith((".", "~$")))
        else:
            found.append(path)
    return list(dict.fromkeys(found))


@dataclass
class PackResult:
    """What a pack ingest did: a result per policy written (or, dry run, drafted) and each refusal."""

    results: list[IngestResult] = field(default_factory=list)
    refused: list[tuple[Path, str]] = field(default_factory=list)

    def lines(self) -> list[str]:
        out = []
        for result in self.results:
            summary = result.summary
            rules = len(summary.added) + len(summary.unchanged) + len(summary.reworded)
            what = "new" if summary.new_policy else ("updated" if summary.changed else "unchanged")
            flagged = f", {len(summary.reworded)} reworded and flagged for review" if summary.reworded else ""
            out.append(f"{what}: {summary.policy_id} (\"{summary.title}\") from {summary.document}: "
                       f"{count_of(rules, 'rule')}{flagged}")
            out += [f"  {line.strip()}" for line in summary.conflict_lines()[1:]]
        out += [f"refused: {path.name}: {reason}" for path, reason in self.refused]
        new = sum(r.summary.new_policy for r in self.results)
        total = sum(len(r.summary.added) + len(r.summary.unchanged) + len(r.summary.reworded) for r in self.results)
        out.append(f"{len(self.results)} of {count_of(len(self.results) + len(self.refused), 'file')} ingested "
                   f"({new} new, {len(self.results) - new} already known), {count_of(total, 'rule')}"
                   + (f"; {len(self.refused)} refused, nothing of them written" if self.refused else "") + ".")
        return out


def ingest_pack(paths: list[Path], knowledge_dir: Path, *, reviewed: dt.date | None = None,
                dry_run: bool = False, progress: bool = False) -> PackResult:
    """Ingest every document of `paths` (folders expanded) into `knowledge_dir`, one at a time."""
    result = PackResult()
    files = pack_files(paths)
    for path in tqdm(files, desc="Ingesting", unit="file", disable=not progress):
        try:
            result.results.append(ingest_file(path, knowledge_dir, reviewed=reviewed, dry_run=dry_run))
        except AssistantError as exc:
            result.refused.append((path, str(exc).removeprefix(f"{path.name}: ")))
    return result
