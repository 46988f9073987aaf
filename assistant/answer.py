"""Turns a ranking into what the asker reads: a plain answer, the exact wording quoted with its
source, a second rule when it also applies, the nearest rules to choose from when unsure, or an
honest decline."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from assistant.config import ContactConfig, RetrievalConfig
from assistant.policy import KnowledgeBase, Rule
from assistant.retrieval import Match, Ranking

NEUTRAL_LEAD = "The policy says:"


@dataclass(frozen=True)
class Answer:
    """A reply to one question. `kind` is answer, choose (not sure which rule: the nearest few are
    offered), decline, small_talk, refused, empty or too_long."""

    question: str
    kind: str
    plain: str
    message: str
    matches: list[Match] = field(default_factory=list)
    confidence: float = 0.0

    @property
    def answered(self) -> bool:
        """True when the reply quotes policy that governs the question."""
        return self.kind in ("answer", "choose")

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
    """The full answer for one chosen rule (a rule picked from a choice, `/rule`)."""
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


CHOOSE_LEAD = "I'm not sure which rule answers that. Is it one of these?"
NONE_OF_THESE = "None of these?"


def rule_lead(rule: Rule, words: int = 24) -> str:
    """What a rule is about in a line: its plain answer, or the start of its wording while it has none."""
    if rule.plain and not rule.review:
        return rule.plain
    parts = rule.text.split()
    return " ".join(parts[:words]) + ("…" if len(parts) > words else "")


def distinct_matches(matches: list[Match], kb: KnowledgeBase, limit: int | None = None) -> list[Match]:
    """The first `limit` of the ranking with each passage once: rules written in one paragraph are
    quoted together, so they are one choice, not two; nor are two rules with the same plain answer."""
    kept: list[Match] = []
    for m in matches:
        if len(kept) == limit:
            break
        if any(m.rule in kb.passage(k.rule) or (m.rule.plain and m.rule.plain == k.rule.plain) for k in kept):
            continue
        kept.append(m)
    return kept


def is_sure(ranked: list[Match], settings: RetrievalConfig) -> bool:
    """Whether the first rule is clearly the one: close in meaning and well ahead of the next one.
    A rule with example questions that the question is near has earned more trust than a rule known
    only by its wording (fresh from ingest), so it needs less of a lead."""
    top = ranked[0]
    if len(ranked) < 2:
        return top.dense >= settings.sure_threshold
    lead = top.score - ranked[1].score
    needed = settings.sure_lead if not top.rule.examples else settings.sure_lead_curated
    return top.dense >= settings.sure_threshold and lead >= needed


def choose(question: str, offered: list[Match], kb: KnowledgeBase, contact: ContactConfig) -> Answer:
    """The honest "not sure": the nearest rules, each in a line, for the asker to pick from."""
    options = "\n\n".join(f"**{n}.** {rule_lead(m.rule)}\n{quote_block(m.rule, kb)}"
                           for n, m in enumerate(offered, 1))
    message = f"{CHOOSE_LEAD}\n\n{options}\n\n{NONE_OF_THESE} {contact_text(kb, contact)}"
    return Answer(question, "choose", CHOOSE_LEAD, message, offered, offered[0].dense)


def compose(question: str, ranking: Ranking, kb: KnowledgeBase, settings: RetrievalConfig,
            contact: ContactConfig = ContactConfig()) -> Answer:
    """Choose what to say for a ranked question: a direct answer when sure, the nearest rules to
    choose from when not, and a decline when no rule governs it."""
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
    # The choice offered, and the runner-up a direct answer may quote too: no need to go further down.
    ranked = distinct_matches(matches[:settings.candidates], kb, limit=max(settings.choose_count, 2))
    if not is_sure(ranked, settings):
        offered = [m for m in ranked[:settings.choose_count] if m.dense >= settings.choose_floor]
        if len(offered) >= 2:
            return choose(question, offered, kb, contact)
    answer = rule_answer(question, top.rule, kb, top.dense, top)
    runner_up = ranked[1] if len(ranked) > 1 else None
    if (runner_up is not None and runner_up.dense >= settings.answer_threshold
            and top.score - runner_up.score < settings.second_rule_margin):
        message = (f"{answer.message}\n\nAlso relevant: {plain_of(runner_up.rule)}\n"
                   f"{quote_block(runner_up.rule, kb)}")
        return Answer(question, "answer", answer.plain, message, [top, runner_up], top.dense)
    return answer
