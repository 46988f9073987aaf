"""Re-ingest: brings what people wrote in the old rules file over to the draft of a new version.

Unchanged wording keeps everything (id, audience, plain, examples, quiz, any key). Slightly
changed wording keeps it too, with a `review` flag. New wording becomes new draft rules; rules
whose wording is gone are dropped, and the summary names every curated field dropped with them."""
from __future__ import annotations

import datetime as dt
import difflib
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from assistant.ingest.conflicts import OffTopicConflict
from assistant.ingest.draft import DraftPolicy, DraftRule, _plain_data
from assistant.loader import verbatim_problem
from assistant.text import collapse_ws

# Wording at least this similar (difflib ratio, 0..1) counts as the same rule, reworded.
SIMILAR = 0.75


@dataclass(frozen=True)
class Reworded:
    id: str
    old: str
    new: str
    similarity: float


@dataclass(frozen=True)
class Removed:
    id: str
    text: str
    curated: dict[str, Any]  # what a person had written for it (plain, examples, ...)


@dataclass
class ChangeSummary:
    """What an ingest did to one policy, for the committee to read."""

    policy_id: str
    title: str
    document: str
    new_policy: bool
    reviewed: tuple[dt.date | None, dt.date | None] = (None, None)
    unchanged: list[str] = field(default_factory=list)
    reworded: list[Reworded] = field(default_factory=list)
    added: list[DraftRule] = field(default_factory=list)
    removed: list[Removed] = field(default_factory=list)
    routes_dropped: list[str] = field(default_factory=list)
    sections: int = 0
    off_topic: list[OffTopicConflict] = field(default_factory=list)
    comments_dropped: list[str] = field(default_factory=list)  # the old file's comments, not rewritten
    left_out: tuple[str, ...] = ()  # lines the reader dropped as running headers, footers, page numbers

    @property
    def changed(self) -> bool:
        return bool(self.new_policy or self.reworded or self.added or self.removed or self.routes_dropped)

    def lines(self) -> list[str]:
        left_out = ([f"  left out as running headers, footers and page numbers: {', '.join(self.left_out)}"]
                    if self.left_out else [])
        return self._changes() + left_out + self.conflict_lines()

    def conflict_lines(self) -> list[str]:
        """The off-topic questions this policy may answer: a heading, then one indented line each."""
        if not self.off_topic:
            return []
        out = ["  off-topic questions this policy may now answer; they no longer block its rules, but while "
               "they stay listed they still decline questions like them that other policies' rules come "
               "nearest to (remove those it answers):"]
        return out + [f"    {c.file.name}:{c.line or '?'}: \"{c.question}\" (see {c.rule_id})" for c in self.off_topic]

    def _changes(self) -> list[str]:
        if self.new_policy:
            return [f"New policy '{self.policy_id}' (\"{self.title}\") from {self.document}: "
                    f"{len(self.added)} rules in {self.sections} sections, drafted with no plain answers yet; "
                    f"last reviewed {_date(self.reviewed[1])}."]
        out = [f"Policy '{self.policy_id}' (\"{self.title}\") updated from {self.document}:",
               f"  last reviewed: {_date(self.reviewed[0])} -> {_date(self.reviewed[1])}",
               f"  unchanged: {len(self.unchanged)} rules, everything people wrote for them kept"]
        if self.reworded:
            out.append(f"  reworded: {len(self.reworded)} rules kept their plain answers and examples "
                       "and are flagged for review:")
            for change in self.reworded:
                out += [f"    {change.id} (similarity {change.similarity:.2f})",
                        f"      was: {_short(change.old)}", f"      now: {_short(change.new)}"]
        if self.added:
            out.append(f"  added: {len(self.added)} new rules (no plain answer yet):")
            out += [f"    {rule.id}: {_short(rule.text)}" for rule in self.added]
        if self.removed:
            out.append(f"  removed: {len(self.removed)} rules whose wording is no longer in the document:")
            for gone in self.removed:
                out.append(f"    {gone.id}: {_short(gone.text)}")
                if gone.curated:
                    out.append(f"      dropped with it: {_describe(gone.curated)}")
        if self.routes_dropped:
            out.append("  contact routes no longer in the document, dropped: " + ", ".join(self.routes_dropped))
        if not self.changed:
            out.append("  no wording changed")
        if self.comments_dropped:
            shown = "; ".join(c[:60] for c in self.comments_dropped[:3])
            out.append(f"  {len(self.comments_dropped)} comment lines of the old rules file are not kept "
                       f"(the file is rewritten; git has the old one): {shown}")
        return out


def _date(value: dt.date | None) -> str:
    return value.isoformat() if value else "not recorded"


def _short(text: str, limit: int = 100) -> str:
    return f"\"{text}\"" if len(text) <= limit else f"\"{text[:limit - 1]}…\""


def _describe(curated: dict[str, Any]) -> str:
    parts = []
    for key, value in curated.items():
        if key == "plain":
            parts.append(f"plain answer {_short(str(value), 200)}")
        elif isinstance(value, list):
            parts.append(f"{len(value)} {key}")
        else:
            parts.append(f"{key}: {value!r}")
    return "; ".join(parts)


def _similarity(a: str, b: str) -> float:
    matcher = difflib.SequenceMatcher(None, a.lower(), b.lower(), autojunk=False)
    return matcher.ratio() if matcher.quick_ratio() >= SIMILAR else 0.0


def _pairs(old: list[dict], new: list[DraftRule]) -> dict[int, tuple[int, float]]:
    """new position -> (old position, similarity): identical wording first, then the most
    similar remaining pairs, each rule used once."""
    pairs: dict[int, tuple[int, float]] = {}
    free_old = set(range(len(old)))
    by_text: dict[str, list[int]] = {}
    for i, raw in enumerate(old):
        by_text.setdefault(collapse_ws(str(raw.get("text", ""))), []).append(i)
    for j, rule in enumerate(new):
        candidates = by_text.get(rule.text)
        if candidates:
            i = candidates.pop(0)
            pairs[j] = (i, 1.0)
            free_old.discard(i)
    scored = sorted(((_similarity(collapse_ws(str(old[i].get("text", ""))), new[j].text), i, j)
                     for i in free_old for j in range(len(new)) if j not in pairs), reverse=True)
    for score, i, j in scored:
        if score >= SIMILAR and i in free_old and j not in pairs:
            pairs[j] = (i, score)
            free_old.discard(i)
    return pairs


def _section_names(old_sections: list[str], new: DraftPolicy, matched: dict[int, dict]) -> dict[str, str]:
    """Keep the names people gave sections: a detected section whose matched rules mostly sat
    in one old section takes that old name."""
    renames: dict[str, str] = {}
    for section in new.sections:
        votes = Counter(str(raw.get("section")) for j, raw in matched.items() if new.rules[j].section == section)
        if votes:
            name, count = votes.most_common(1)[0]
            total = sum(1 for j in matched if new.rules[j].section == section)
            if name in old_sections and count * 2 > total and name not in renames.values() \
                    and (name == section or name not in new.sections):
                renames[section] = name
    return renames


def merge(old: dict, draft: DraftPolicy, document: str, source_text: str) -> tuple[DraftPolicy, ChangeSummary]:
    """The updated policy (old curated fields on the new wording) and what changed."""
    old = _plain_data(old)
    old_policy = old.get("policy") or {}
    old_rules = [r for r in (old.get("rules") or []) if isinstance(r, dict)]
    summary = ChangeSummary(draft.id, draft.title, document, False,
                            (old_policy.get("last_reviewed") if isinstance(old_policy.get("last_reviewed"), dt.date)
                             else None, draft.last_reviewed))
    pairs = _pairs(old_rules, draft.rules)
    renames = _section_names(list(old_policy.get("sections") or []), draft,
                             {j: old_rules[i] for j, (i, _) in pairs.items()})
    rules = []
    for j, rule in enumerate(draft.rules):
        section = renames.get(rule.section, rule.section)
        if j not in pairs:
            rule = DraftRule(rule.id, section, rule.text, rule.audience)
            summary.added.append(rule)
            rules.append(rule)
            continue
        i, score = pairs[j]
        raw = old_rules[i]
        curated = {k: v for k, v in raw.items() if k not in ("id", "section", "audience", "text")}
        audience = tuple(raw.get("audience") or rule.audience)
        if score < 1.0:
            curated["review"] = (f"wording changed in the version ingested from {document} "
                                 f"(reviewed {_date(draft.last_reviewed)}): check that plain, examples and "
                                 f"audience still fit, then delete this line. Previous wording: "
                                 f"\"{collapse_ws(str(raw.get('text', '')))}\"")
            summary.reworded.append(Reworded(str(raw["id"]), collapse_ws(str(raw.get("text", ""))),
                                             rule.text, score))
        else:
            summary.unchanged.append(str(raw["id"]))
        rules.append(DraftRule(str(raw["id"]), section, rule.text, audience, False, curated))
    used = {i for i, _ in pairs.values()}
    for i, raw in enumerate(old_rules):
        if i not in used:
            curated = {k: v for k, v in raw.items() if k not in ("id", "section", "audience", "text")}
            summary.removed.append(Removed(str(raw.get("id")), collapse_ws(str(raw.get("text", ""))), curated))
    routes = [r for r in (old_policy.get("contact_routes") or []) if isinstance(r, str)]
    kept_routes = [r for r in routes if verbatim_problem(r, source_text) is None]
    summary.routes_dropped = [r for r in routes if r not in kept_routes]
    sections = list(dict.fromkeys(renames.get(s, s) for s in draft.sections))
    summary.sections = len(sections)
    merged = DraftPolicy(draft.id, draft.title, draft.source, draft.last_reviewed, sections, rules,
                         kept_routes, [q for q in (old.get("off_topic") or []) if isinstance(q, str)])
    return merged, summary


def fresh(draft: DraftPolicy, document: str) -> ChangeSummary:
    """The summary of a first ingest: every rule is new."""
    return ChangeSummary(draft.id, draft.title, document, True, (None, draft.last_reviewed),
                         added=list(draft.rules), sections=len(draft.sections))
