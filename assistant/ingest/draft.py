"""Turns a document's statements into draft rules (exact wording, generated ids, a guessed
audience) and writes a rules file in the loader's schema, with what a person still has to
write clearly marked."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from assistant.ingest.structure import Structure

GUESSED = "# guessed from the wording: check"  # beside an audience ingest guessed; `check` counts them

# Words that say who a rule addresses. A guess: the draft says so and a person checks it.
_AUDIENCE_WORDS = {
    "staff": r"staff|practitioners?|key ?(?:persons?|people|workers?)|leaders?|managers?|employees?|deputy",
    "parents": r"parents?|carers?|famil(?:y|ies)|guardians?|mums?|dads?",
    "committee": r"committee|trustees?|chair(?:person)?|treasurer|secretary",
    "visitors": r"visitors?|volunteers?|students?|contractors?|guests?",
}
_AUDIENCE_RES = {name: re.compile(rf"\b(?:{words})\b", re.I) for name, words in _AUDIENCE_WORDS.items()}
_ID_STOPWORDS = frozenset("""a an the and or but of to in on at by for with from as is are be been will
must should may can not no any all this that these those it its we our us you your they their them
if when whilst while who which what there here have has had do does so such than then into onto""".split())
# The keys a person curates; `text` and `section` come from the document.
CURATED_ORDER = ("review", "plain", "examples", "internal", "quiz")


@dataclass
class DraftRule:
    """A rule on its way to the rules file: wording from the document, the rest from a person
    (carried over in `curated`, keys as in the schema) or left for one."""

    id: str
    section: str
    text: str
    audience: tuple[str, ...]
    audience_guessed: bool = True
    curated: dict[str, Any] = field(default_factory=dict)


@dataclass
class DraftPolicy:
    """Everything the rules file of one policy will hold."""

    id: str
    title: str
    source: str  # the source text's file name, beside the rules file
    last_reviewed: dt.date | None
    sections: list[str]
    rules: list[DraftRule]
    contact_routes: list[str] = field(default_factory=list)
    off_topic: list[str] = field(default_factory=list)


# "Please ask ... a member of staff", "your child": the reader is asked, and a setting's policies
# are published for its parents.
_ADDRESSES_READER = re.compile(r"^please\b|\byou(?:r|rs)?\b", re.I)


def guess_audience(text: str) -> tuple[str, ...]:
    """Who the wording addresses: parents when it speaks to the reader, else whom it names
    (staff, parents, committee, visitors), else everyone."""
    if _ADDRESSES_READER.search(text):
        return ("parents",)
    found = tuple(name for name, pattern in _AUDIENCE_RES.items() if pattern.search(text))
    return found or ("everyone",)


def slug(text: str, max_words: int = 6) -> str:
    """Lower-case words joined by hyphens, ASCII letters and digits only."""
    words = re.findall(r"[a-z0-9]+", text.lower().replace("’", "").replace("'", ""))
    return "-".join(words[:max_words])


def rule_id(prefix: str, text: str, taken: set[str]) -> str:
    """A readable id from the policy id and the wording's first content words, unique among `taken`."""
    words = [w for w in re.findall(r"[a-z0-9]+", text.lower().replace("’", "").replace("'", ""))
             if w not in _ID_STOPWORDS]
    base = f"{prefix}-{'-'.join(words[:4]) or 'rule'}"
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    taken.add(candidate)
    return candidate


def draft_policy(structure: Structure, policy_id: str, title: str, source: str,
                 reviewed: dt.date | None, taken: set[str]) -> DraftPolicy:
    """The draft for a fresh ingest; `taken` (ids used elsewhere) grows with the ids made here.
    Wording before the first heading belongs to a section named after the title."""
    sections = list(structure.sections)
    rules = []
    for statement in structure.statements:
        section = statement.section or title
        if section not in sections:
            sections.insert(0, section)
        rules.append(DraftRule(rule_id(policy_id, statement.text, taken), section, statement.text,
                               guess_audience(statement.text)))
    return DraftPolicy(policy_id, title, source, reviewed, sections, rules)


def _quoted(value: str) -> str:
    # Double-quoted like the hand-written files; PyYAML escapes whatever needs it.
    return yaml.safe_dump(value, default_style='"', allow_unicode=True, width=1 << 20).strip()


def _value(key: str, value: Any, indent: str) -> list[str]:
    if isinstance(value, str):
        return [f"{indent}{key}: {_quoted(value)}"]
    if isinstance(value, bool) or value is None:
        return [f"{indent}{key}: {'null' if value is None else str(value).lower()}"]
    if isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value):
        return [f"{indent}{key}:"] + [f"{indent}  - {_quoted(v)}" for v in value] if value else [f"{indent}{key}: []"]
    block = yaml.safe_dump({key: _plain_data(value)}, sort_keys=False, allow_unicode=True, width=100)
    return [f"{indent}{line}" for line in block.splitlines()]


def _plain_data(value: Any) -> Any:
    """YAML-loaded data as plain dicts and lists (the loader's line-remembering dicts cannot be dumped)."""
    if isinstance(value, dict):
        return {k: _plain_data(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain_data(v) for v in value]
    return value


def render(policy: DraftPolicy, document: str, today: dt.date) -> str:
    """The rules file's text: the loader's schema, with comments telling a person what to finish."""
    out = [
        f"# Rules of the policy \"{policy.title}\" (source: {policy.source}).",
        f"# Drafted by `python -m assistant ingest` from {document} on {today.isoformat()}.",
        "# `text` is the document's exact wording: do not edit it; ingest a new version of the document instead.",
        "# For a person to finish (see docs/ingest.md):",
        "#   - check each rule's `audience` (guessed from the wording) and `section`;",
        "#   - write `plain`, a short answer in everyday words, and `examples`, questions people really ask.",
        "#   Until a rule has `plain`, the assistant quotes its exact wording after \"The policy says:\".",
        "#   - `review` marks a rule whose wording changed: check it, then delete the `review` line.",
        "policy:",
        f"  id: {policy.id}",
        f"  title: {_quoted(policy.title)}",
        f"  source: {_quoted(policy.source)}",
        f"  last_reviewed: {policy.last_reviewed.isoformat() if policy.last_reviewed else 'null'}",
        *_value("sections", policy.sections, "  "),
        *_value("contact_routes", policy.contact_routes, "  "),
        "",
        "rules:",
    ]
    for rule in policy.rules:
        guessed = f"  {GUESSED}" if rule.audience_guessed else ""
        out += [f"  - id: {rule.id}", f"    section: {_quoted(rule.section)}",
                f"    audience: [{', '.join(rule.audience)}]{guessed}", f"    text: {_quoted(rule.text)}"]
        keys = [k for k in CURATED_ORDER if k in rule.curated] + \
            [k for k in rule.curated if k not in CURATED_ORDER]
        for key in keys:
            out += _value(key, rule.curated[key], "    ")
        if "plain" not in rule.curated:
            out.append("    # plain: TO DO (a person): a short answer in everyday words")
        if "examples" not in rule.curated:
            out.append("    # examples: TO DO (a person): questions parents or staff really ask")
        out.append("")
    if policy.off_topic:
        out += ["# Questions no policy answers (used to check that the assistant declines them).",
                *_value("off_topic", policy.off_topic, "")]
    return "\n".join(out).rstrip("\n") + "\n"
