"""Finds `off_topic` questions that a newly ingested policy may answer.

Off-topic questions teach the assistant what to decline, and they apply across the whole
knowledge base. A list written when only the social media policy existed names exactly the
questions a later illness or lunch policy answers ("how long does she have to stay off after
being sick"), and would keep the assistant declining them. The ingest lists such questions so a
person can remove them; it never edits another policy's file itself."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import Stemmer

from assistant.text import words
from assistant.yaml_lines import LineDict

# Words too common in any pre-school question or policy to show that two are about the same thing.
_COMMON = frozenset("""
a an and are as at be been but by can could did do does doing for from had has have how i i'm if in into
is it it's its me my of on or our should so than that the their them then there these they this to too
was we were what whats what's when where which who why will with would you your ok just any get got go
need needs still much many come allowed allow please pre school preschool pre-school nursery child
children kid kids son daughter parent parents staff day today policy policies she he her his him
""".split())
_STEM = Stemmer.Stemmer("english")


@dataclass(frozen=True)
class OffTopicConflict:
    """An off-topic question (where it is written) that shares its subject with a rule of the new policy."""

    file: Path
    line: int | None
    question: str
    rule_id: str


def _terms(text: str) -> set[str]:
    return set(_STEM.stemWords([w for w in words(text.replace("-", " ")) if w not in _COMMON]))


def off_topic_conflicts(files: dict[Path, LineDict], rules: list[tuple[str, str]]) -> list[OffTopicConflict]:
    """Off-topic questions in the knowledge files (already read: path -> YAML data) sharing at least
    two subject words with one of `rules` (id, text). A hint for a person, not a verdict: it misses
    paraphrases ("picking up" for "collect") and may name a question the policy only touches."""
    rule_terms = [(rule_id, _terms(text)) for rule_id, text in rules]
    found: list[OffTopicConflict] = []
    for path, data in sorted(files.items()):
        questions = data.get("off_topic") if isinstance(data, LineDict) else None
        if not isinstance(questions, list):
            continue
        lines = path.read_text(encoding="utf-8").splitlines()
        start = data.line_of("off_topic")
        for question in questions:
            if not isinstance(question, str):
                continue
            asked = _terms(question)
            best = max(((len(asked & terms), rule_id) for rule_id, terms in rule_terms), default=(0, ""))
            if best[0] >= 2:
                line = next((n for n, text in enumerate(lines[start:], start + 1) if question in text), None)
                found.append(OffTopicConflict(path, line, question, best[1]))
    return found
