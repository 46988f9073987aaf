"""What an induction covers: the rules that apply to a person, their quiz items, and the version of
a policy a person signs (a content hash of its source and rules, plus a hash per rule)."""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from assistant.policy import KnowledgeBase, Policy, QuizItem, Rule
from assistant.text import collapse_ws

# Who is inducted. Students on placement are inducted as "visitors" unless the setting treats them as
# staff (then give them the staff role); parents are not inducted.
ROLES = ("staff", "committee", "visitors")


def _digest(*parts: str) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode("utf-8"))
        digest.update(b"\0")
    return digest.hexdigest()


def rule_hash(rule: Rule) -> str:
    """A hash of the rule's wording: a sign-off is stale for this rule exactly when this changes."""
    return _digest(collapse_ws(rule.text))[:16]


def item_key(item: QuizItem) -> str:
    """A stable id of a quiz item: its rule and a hash of its question (survives reordering)."""
    return f"{item.rule_id}/{_digest(collapse_ws(item.question).casefold())[:10]}"


def key_hash(key: str) -> str:
    """The question-hash part of an item key (unique, since `check` refuses duplicate questions)."""
    return key.rsplit("/", 1)[-1]


def policy_version(kb: KnowledgeBase, policy: Policy) -> str:
    """The version a person signs: a hash of the source document and of every rule's id, section,
    audience and wording. Plain answers, examples and quiz items are left out on purpose, so tuning
    how the assistant explains a rule does not make anyone's sign-off out of date."""
    parts = [collapse_ws(policy.source_text)]
    for rule in kb.rules_of(policy.id):
        parts += [rule.id, rule.section, ",".join(rule.audience), collapse_ws(rule.text)]
    return _digest(*parts)[:16]


def valid_roles(roles: tuple[str, ...]) -> tuple[str, ...]:
    """The roles in a stable order, refusing ones that are not inducted."""
    unknown = [r for r in roles if r not in ROLES]
    if unknown or not roles:
        raise ValueError(f"induction roles must be some of {', '.join(ROLES)}, got {roles!r}")
    return tuple(r for r in ROLES if r in roles)


@dataclass(frozen=True)
class Scope:
    """One policy's part of a person's induction: the rules that apply to them and the quiz on those."""

    policy: Policy
    version: str
    rules: tuple[Rule, ...]

    @property
    def items(self) -> tuple[QuizItem, ...]:
        return tuple(item for rule in self.rules for item in rule.quiz)

    @property
    def hashes(self) -> dict[str, str]:
        return {rule.id: rule_hash(rule) for rule in self.rules}

    def due(self, signed: dict[str, str]) -> tuple[Rule, ...]:
        """Rules that are new or reworded since a sign-off with these per-rule hashes."""
        return tuple(r for r in self.rules if signed.get(r.id) != rule_hash(r))


def scopes(kb: KnowledgeBase, roles: tuple[str, ...]) -> list[Scope]:
    """Every policy with rules for these roles, in knowledge order, each with those rules."""
    result = []
    for policy in kb.policies.values():
        rules = tuple(r for r in kb.rules_of(policy.id)
                      if any(r.applies_to(role) and r.visible_to(role) for role in roles))
        if rules:
            result.append(Scope(policy, policy_version(kb, policy), rules))
    return result


def in_sentence(title: str) -> str:
    """A title inside a sentence: "Social media procedures" becomes "social media procedures", but a
    title capitalised as a name ("Nappy Changing Policy", "EYFS policy") stays as the committee wrote it."""
    rest = title[1:]
    if title[:1].isupper() and not any(ch.isupper() for ch in rest):
        return title[:1].lower() + rest
    return title


def statement(policy: Policy) -> str:
    """What a person confirms by signing."""
    return f"I have read and understood the {in_sentence(policy.title)}"


def rule_block(rule: Rule, kb: KnowledgeBase) -> str:
    """A rule as the walk-through shows it: the plain answer, then the exact wording quoted."""
    from assistant.answer import plain_of, quote_block  # imported here: answer pulls in the search libraries

    # Plain answers reply to a question ("No. Staff must not..."); read in order, the bare Yes/No jars.
    plain = re.sub(r"^(?:Yes|No)\.\s+(?=\S)", "", plain_of(rule))
    return f"{plain}\n{quote_block(rule, kb, whole_passage=False)}"


def pages(rules: tuple[Rule, ...], kb: KnowledgeBase, per_page: int, max_chars: int) -> list[tuple[Rule, ...]]:
    """The walk-through's pages: at most `per_page` rules, and no more text than fits one message
    (a rule is never cut: its wording must be quoted whole)."""
    result: list[list[Rule]] = []
    size = 0
    for rule in rules:
        length = len(rule_block(rule, kb)) + 8
        if not result or len(result[-1]) >= per_page or size + length > max_chars:
            result.append([])
            size = 0
        result[-1].append(rule)
        size += length
    return [tuple(page) for page in result]
