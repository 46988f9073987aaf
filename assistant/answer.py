"""Turns a ranking into what the asker reads: a plain answer, the exact wording quoted with its
source, a second rule when it also applies, a clarifying choice, or an honest decline."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from assistant.config import ContactConfig, RetrievalConfig
from assistant.policy import KnowledgeBase, Rule
from assistant.retrieval import Match, Ranking

NEUTRAL_LEAD = "The policy says:"


@dataclass(frozen=True)
class Answer:
    """A reply to one question. `kind` is answer, clarify, decline, small_talk, refused, empty or
    too_long."""

    question: str
    kind: str
    plain: str
    message: str
    matches: list[Match] = field(default_factory=list)
    confidence: float = 0.0

    @property
    def answered(self) -> bool:
        """True when the reply quotes policy that governs the question."""
        return self.kind in ("answer", "clarify")

    @property
    def rules(self) -> list[Rule]:
        return [m.rule for m in self.matches]


def quote_block(rule: Rule, kb: KnowledgeBase, *, whole_passage: bool = True) -> str:
    """The rule's exact wording as a quote (with the rest of its paragraph or bullet, unless a walk
    through every rule shows each on its own), then where it comes from."""
    policy = kb.policy_of(rule)
    wording = kb.passage_text(rule) if whole_passage else rule.text
    quoted = "\n".join(f"> {line}" if line else ">" for part in wording.split("\n") for line in _display_lines(part))
    return (f"{quoted}\n— {policy.title}, section “{rule.section}” "
            f"(rule {rule.id}; last reviewed: {policy.reviewed_label})")


def _display_lines(text: str) -> list[str]:
    # Inline "· item" lists (the contact routes) read better one item per line; the words are unchanged.
    parts = [p.strip() for p in re.split(r"\s·\s", text)]
    return [parts[0]] + [f"· {p}" for p in parts[1:]] if len(parts) > 1 else [text]


def plain_of(rule: Rule) -> str:
    """The curated plain answer, or a neutral lead: never an invented summary. A rule whose wording
    changed since its plain answer was written (flagged for review) leads neutrally until a person confirms."""
    return rule.plain if rule.plain and not rule.review else NEUTRAL_LEAD


def contact_text(kb: KnowledgeBase, contact: ContactConfig = ContactConfig()) -> str:
    """How to ask a person: the routes the policies name, then the pre-school's details from config."""
    routes = kb.contact_routes
    if routes:
        listed = ", ".join(routes[:-1]) + f" or {routes[-1]}" if len(routes) > 1 else routes[0]
        text = f"Please ask the pre-school directly: {listed}."
    else:
        text = "Please ask the pre-school directly."
    details = contact.lines()
    if details:
        text += " You can reach the office by " + " or ".join(details)
        text += f" ({contact.hours})." if contact.hours else "."
    elif contact.hours:
        text += f" The office is open {contact.hours}."
    return text


def rule_answer(question: str, rule: Rule, kb: KnowledgeBase, confidence: float = 1.0,
                match: Match | None = None) -> Answer:
    """The full answer for one chosen rule (a clarifying button, `/rule`)."""
    plain = plain_of(rule)
    message = f"{plain}\n\n{quote_block(rule, kb)}"
    return Answer(question, "answer", plain, message, [match or Match(rule, confidence, confidence, 0.0)],
                  confidence)


NOT_FOUND = "I couldn't find a policy that covers that, so I won't guess."
ENGLISH_ONLY = "I can only read questions in English for now, so I can't answer this one."


def decline(question: str, kb: KnowledgeBase, nearest: list[Match], contact: ContactConfig,
            plain: str = NOT_FOUND) -> Answer:
    """The honest "no": why, then how to ask a person."""
    message = f"{plain} {contact_text(kb, contact)}"
    confidence = nearest[0].dense if nearest else 0.0
    return Answer(question, "decline", plain, message, nearest[:3], confidence)


def compose(question: str, ranking: Ranking, kb: KnowledgeBase, settings: RetrievalConfig,
            contact: ContactConfig = ContactConfig()) -> Answer:
    """Choose what to say for a ranked question."""
    matches = ranking.matches
    if not matches:
        return decline(question, kb, [], contact)
    top = matches[0]
    # Closer to a known off-topic question than to any rule (within a margin): not covered.
    # In scope when any of the nearest few rules is close in meaning: words and audience may put a
    # near neighbour first, and that must not turn an answerable question into a decline.
    # A neighbour vouches only when its own policy's off-topic questions are not as close.
    vouching = [m.dense for m in matches[:settings.scope_candidates]
                if ranking.off_topic_for(m.rule.policy_id) < m.dense - settings.off_topic_margin]
    sure = max(vouching, default=-1.0)
    if sure < settings.answer_threshold or ranking.off_topic_for(top.rule.policy_id) >= sure - settings.off_topic_margin:
        return decline(question, kb, matches, contact)
    runner_up = matches[1] if len(matches) > 1 else None
    close = runner_up is not None and runner_up.dense >= settings.answer_threshold
    # Two rules of one paragraph are quoted together anyway: no need to ask which was meant.
    together = runner_up is not None and runner_up.rule in kb.passage(top.rule)
    if (close and not together and top.score - runner_up.score < settings.clarify_margin
            and top.rule.plain != runner_up.rule.plain):
        plain = "Your question could be about either of two rules:"
        options = "\n\n".join(f"**{n}.** {plain_of(m.rule)}\n{quote_block(m.rule, kb)}"
                              for n, m in enumerate((top, runner_up), 1))
        return Answer(question, "clarify", plain, f"{plain}\n\n{options}", [top, runner_up], top.dense)
    answer = rule_answer(question, top.rule, kb, top.dense, top)
    if close and not together and top.score - runner_up.score < settings.second_rule_margin:
        message = (f"{answer.message}\n\nAlso relevant: {plain_of(runner_up.rule)}\n"
                   f"{quote_block(runner_up.rule, kb)}")
        return Answer(question, "answer", answer.plain, message, [top, runner_up], top.dense)
    return answer
