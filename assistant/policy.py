"""What the knowledge is made of: policies, their rules, and the whole knowledge base."""
from __future__ import annotations

import datetime as dt
import functools
import hashlib
from dataclasses import dataclass, field
from pathlib import Path

AUDIENCE_VALUES = ("parents", "staff", "committee", "visitors", "everyone")
ALL_POLICIES = "*"  # the off-topic questions of knowledge/off_topic.yaml: they decline for every policy


@dataclass(frozen=True)
class QuizItem:
    """A scenario question of the staff induction quiz, testing the rule it sits under."""

    question: str
    options: tuple[str, ...]
    answer: int  # index into options of the one correct choice (the YAML names it by its text)
    why: str
    rule_id: str = ""
    see_also: tuple[str, ...] = ()  # other rules quoted with the feedback
    file: Path | None = None
    line: int | None = None

    @property
    def correct(self) -> str:
        return self.options[self.answer]


@dataclass(frozen=True)
class Rule:
    """One statement of a policy, quoted word for word, with what people need to find and explain it."""

    id: str
    policy_id: str
    section: str
    text: str
    audience: tuple[str, ...]
    plain: str | None = None
    examples: tuple[str, ...] = ()
    internal: bool = False
    file: Path | None = None
    line: int | None = None
    quiz: tuple[QuizItem, ...] = ()
    review: str | None = None  # set by re-ingest when the wording changed: a person should check the rule

    def applies_to(self, audience: str) -> bool:
        """Whether the rule is addressed to this kind of asker."""
        return "everyone" in self.audience or audience in self.audience

    def visible_to(self, audience: str) -> bool:
        """Internal rules are for staff and committee only."""
        return not self.internal or audience in ("staff", "committee")


@dataclass(frozen=True)
class Policy:
    """A policy document: its source text and the facts the answers cite."""

    id: str
    title: str
    source: Path
    source_text: str
    file: Path
    last_reviewed: dt.date | None
    sections: tuple[str, ...]
    contact_routes: tuple[str, ...]

    @property
    def reviewed_label(self) -> str:
        return self.last_reviewed.isoformat() if self.last_reviewed else "not recorded"


@dataclass(frozen=True)
class KnowledgeBase:
    """Every policy and rule the assistant may quote, plus matching aids."""

    policies: dict[str, Policy]
    rules: tuple[Rule, ...]
    # Questions each policy's file says it does not answer, by policy id.
    off_topic_by_policy: dict[str, tuple[str, ...]] = field(default_factory=dict)
    synonyms: dict[str, str] = field(default_factory=dict)
    fingerprint: str = ""
    # Rule id -> the rules quoted with it, paragraph by paragraph, in order (see assistant.passages).
    passages: dict[str, tuple[tuple[str, ...], ...]] = field(default_factory=dict)

    @property
    def off_topic(self) -> tuple[str, ...]:
        return tuple(q for questions in self.off_topic_by_policy.values() for q in questions)

    @functools.cached_property
    def policy_text(self) -> str:
        """Every policy's source text: what a word must appear in to be the policies' own, not a name."""
        return "\n".join(policy.source_text for policy in self.policies.values())

    @functools.cached_property
    def _by_id(self) -> dict[str, Rule]:
        return {r.id: r for r in self.rules}

    def rule(self, rule_id: str) -> Rule | None:
        return self._by_id.get(rule_id)

    def passage(self, rule: Rule) -> tuple[Rule, ...]:
        """The rules written together with this one (itself included, in order): what an answer quotes."""
        return tuple(r for paragraph in self._paragraphs(rule) for r in paragraph)

    def passage_text(self, rule: Rule) -> str:
        """The exact wording an answer with this rule quotes: its whole paragraph or bullet (or short
        section, its paragraphs apart by a blank line)."""
        return "\n\n".join(" ".join(r.text for r in paragraph) for paragraph in self._paragraphs(rule))

    def _paragraphs(self, rule: Rule) -> list[tuple[Rule, ...]]:
        found = [tuple(r for r in (rule if i == rule.id else self.rule(i) for i in ids) if r is not None)
                 for ids in self.passages.get(rule.id, ((rule.id,),))]
        return [paragraph for paragraph in found if paragraph]

    def rules_of(self, policy_id: str) -> tuple[Rule, ...]:
        """The rules of one policy, in file order."""
        return tuple(r for r in self.rules if r.policy_id == policy_id)

    def policy_of(self, rule: Rule) -> Policy:
        return self.policies[rule.policy_id]

    @property
    def contact_routes(self) -> tuple[str, ...]:
        """The pre-school's contact routes, as the policies name them (first policy that lists any)."""
        for policy in self.policies.values():
            if policy.contact_routes:
                return policy.contact_routes
        return ()


def fingerprint_files(paths: list[Path]) -> str:
    """A hash of the knowledge files' names and bytes: changes whenever anything a rule depends on does."""
    digest = hashlib.sha256()
    for path in sorted(paths):
        digest.update(path.name.encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()
