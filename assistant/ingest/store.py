"""Puts an ingested document into the knowledge folder: decides which policy it is (new, or a
new version of one already there), proves the result loads and passes `check` in a scratch copy,
and only then writes the source text and rules file, each atomically."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from assistant.errors import KnowledgeError, Problem
from assistant.files import atomic_write
from assistant.ingest import IngestError
from assistant.ingest.conflicts import off_topic_conflicts
from assistant.ingest.draft import draft_policy, render, slug
from assistant.ingest.merge import ChangeSummary, fresh, merge
from assistant.ingest.readers import read_document
from assistant.ingest.structure import parse
from assistant.loader import OFF_TOPIC_FILE, SYNONYMS_FILE
from assistant.yaml_lines import LineDict, read_yaml

_POLICY_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,59}$")
# Words in file names that name a version, not a policy ("Safeguarding policy 2026 v2 FINAL.docx").
_VERSION_WORDS = re.compile(r"\b(?:(?:19|20)\d\d|v\d+(?:\.\d+)*|version|final|draft|copy|updated|new)\b", re.I)


@dataclass(frozen=True)
class ExistingPolicy:
    """A policy already in the knowledge folder, as its rules file says (raw YAML data)."""

    id: str
    title: str
    rules_file: Path
    data: dict


@dataclass(frozen=True)
class IngestResult:
    """What an ingest did (or, in a dry run, would do)."""

    policy_id: str
    rules_file: Path
    source_file: Path
    summary: ChangeSummary
    warnings: tuple[Problem, ...]
    written: bool


def existing_policies(knowledge_dir: Path) -> tuple[dict[str, ExistingPolicy], set[str], set[Path]]:
    """Policies by id, every rule id in use, and the rules files that cannot be read at all."""
    policies: dict[str, ExistingPolicy] = {}
    rule_ids: set[str] = set()
    broken: set[Path] = set()
    for path in sorted(knowledge_dir.glob("*.yaml")):
        if path.name in (SYNONYMS_FILE, OFF_TOPIC_FILE):
            continue
        try:
            data = read_yaml(path)
        except KnowledgeError:
            broken.add(path)
            continue
        policy = data.get("policy") if isinstance(data, LineDict) else None
        if isinstance(policy, dict) and isinstance(policy.get("id"), str):
            policies[policy["id"]] = ExistingPolicy(policy["id"], str(policy.get("title") or ""), path, data)
        for rule in (data.get("rules") or []) if isinstance(data, LineDict) else []:
            if isinstance(rule, dict) and isinstance(rule.get("id"), str):
                rule_ids.add(rule["id"])
    return policies, rule_ids, broken


def default_policy_id(document: Path) -> str:
    """The file name without version words: 'Lunch & snacks policy 2026 v2.docx' -> 'lunch-snacks-policy'."""
    return slug(_VERSION_WORDS.sub(" ", document.stem)) or "policy"


def _humanised(document: Path) -> str:
    words = re.sub(r"[_\-]+", " ", _VERSION_WORDS.sub(" ", document.stem)).split()
    return " ".join(words).capitalize() if words else "Policy"


def _resolve_id(policy_id: str | None, title: str | None, document: Path,
                policies: dict[str, ExistingPolicy]) -> str:
    if policy_id is not None:
        if not _POLICY_ID.match(policy_id):
            raise IngestError(f"policy id '{policy_id}' must be lower-case letters, digits and hyphens")
        return policy_id
    if title:  # a new version of a policy already here, under another file name
        same = [p.id for p in policies.values() if p.title.casefold() == title.casefold()]
        if len(same) == 1:
            return same[0]
    return default_policy_id(document)


def ingest_file(document: Path, knowledge_dir: Path, *, policy_id: str | None = None, title: str | None = None,
                reviewed: dt.date | None = None, dry_run: bool = False, progress: bool = False,
                today: dt.date | None = None) -> IngestResult:
    """Ingest one document as a new policy or a new version of one; IngestError (one line) if it
    cannot be, in which case nothing in `knowledge_dir` is touched."""
    document, today = Path(document), today or dt.date.today()
    extracted = read_document(document, progress)
    structure = parse(extracted)
    if not structure.statements:
        raise IngestError(f"{document.name}: found headings but no statements to make rules from")
    policies, rule_ids, broken = existing_policies(knowledge_dir)
    pid = _resolve_id(policy_id, title or structure.title, document, policies)
    if pid in (Path(SYNONYMS_FILE).stem, Path(OFF_TOPIC_FILE).stem):
        raise IngestError(f"policy id '{pid}' is reserved for the file {pid}.yaml; pass another with --id")
    old = policies.get(pid)
    rules_file = old.rules_file if old else knowledge_dir / f"{pid}.yaml"
    source_name = str(old.data["policy"].get("source") or f"{pid}.txt") if old else f"{pid}.txt"
    source_file = knowledge_dir / source_name
    if rules_file in broken:
        raise IngestError(f"{rules_file.name} cannot be read; fix it (see `check`) before ingesting into it")
    if old is None:
        clash = next((p for p in (rules_file, source_file) if p.exists()), None)
        if clash is not None:
            raise IngestError(f"{clash.name} already exists in the knowledge folder but is not policy '{pid}'; "
                              "pass another id with --id")
    policy_title = title or (old.title if old and old.title else None) or structure.title or _humanised(document)
    draft = draft_policy(structure, pid, policy_title, source_name, reviewed or today, set(rule_ids))
    if old:
        draft, summary = merge(old.data, draft, document.name, extracted.source_text)
    else:
        summary = fresh(draft, document.name)
    summary.left_out = extracted.left_out
    # Only wording new to the knowledge: a person already weighed the off-topic list against the rest.
    fresh_wording = {r.id for r in summary.added} | {r.id for r in summary.reworded}
    listed = {p.rules_file: p.data for p in policies.values()}
    if (knowledge_dir / OFF_TOPIC_FILE).exists():
        listed[knowledge_dir / OFF_TOPIC_FILE] = read_yaml(knowledge_dir / OFF_TOPIC_FILE)
    summary.off_topic = off_topic_conflicts(listed,
                                            [(r.id, r.text) for r in draft.rules if r.id in fresh_wording])
    rules_text = render(draft, document.name, today)
    if old:
        kept = {line.strip() for line in rules_text.splitlines()}
        summary.comments_dropped = [line.strip() for line in old.rules_file.read_text(encoding="utf-8").splitlines()
                                    if line.strip().startswith("#") and line.strip() not in kept]
    warnings = _validate(knowledge_dir, rules_file.name, source_name, rules_text, extracted.source_text)
    if not dry_run:
        _write_both(source_file, extracted.source_text, rules_file, rules_text)
    return IngestResult(pid, rules_file, source_file, summary, warnings, not dry_run)


def _validate(knowledge_dir: Path, rules_name: str, source_name: str, rules_text: str,
              source_text: str) -> tuple[Problem, ...]:
    """Load and `check` the knowledge with the new files in a scratch copy; errors in them are a bug
    here (never written), their warnings are for the committee."""
    from assistant.checker import check_with

    _kb, problems = check_with(knowledge_dir, {source_name: source_text, rules_name: rules_text})
    ours = tuple(p for p in problems if p.file.name in (rules_name, source_name))
    errors = [p for p in ours if p.severity == "error"]
    if errors:
        raise IngestError(f"the drafted rules would not load ({errors[0].message}); nothing was written")
    return ours


def _write_both(source_file: Path, source_text: str, rules_file: Path, rules_text: str) -> None:
    """Source first, then rules; if the rules cannot be written, the old source is put back."""
    previous = source_file.read_bytes() if source_file.exists() else None
    try:
        atomic_write(source_file, source_text.encode("utf-8"))
        atomic_write(rules_file, rules_text.encode("utf-8"))
    except OSError as exc:
        if previous is None:
            source_file.unlink(missing_ok=True)
        else:
            source_file.write_bytes(previous)
        raise IngestError(f"cannot write to the knowledge folder: {exc.strerror or exc}") from None
