"""How answers look in Discord: the plain answer, the exact wording quoted, and its source, as embeds
that always fit Discord's limits (a long rule is shortened with a pointer to /rule)."""
from __future__ import annotations

import discord

from assistant.answer import Answer, contact_text, plain_of
from assistant.bot import limits
from assistant.bot.send import Reply
from assistant.config import ContactConfig
from assistant.policy import KnowledgeBase, Rule

COLOUR = discord.Colour.teal()
QUESTION_ECHO_CHARS = 400
# Room left for titles, fields and the footer when several embeds share the 6000-character total.
EMBED_BUDGET = 5400
CHOICE_CHARS = 700  # a rule offered to choose from is shown shortly: picking it shows it whole


ASKED = "**You asked:** "


def asked_line(question: str) -> str:
    """The asker's question, echoed safely."""
    return f"{ASKED}{limits.escape_user_text(question, QUESTION_ECHO_CHARS)}"


def read_back(content: str) -> str:
    """The question echoed in a reply's `asked_line`, as the asker wrote it (buttons read it from there)."""
    start = content.find(ASKED)
    if start < 0:
        return ""
    return limits.unescape_user_text(content[start + len(ASKED):].split("\n", 1)[0])


def quote(text: str) -> str:
    return "\n".join(f"> {line}" if line else ">" for line in text.splitlines())


def rule_embed(rule: Rule, kb: KnowledgeBase, *, heading: str = "", budget: int = limits.EMBED_DESCRIPTION,
               with_plain: bool = True, whole_passage: bool = True) -> discord.Embed:
    """One rule: plain answer, exact wording (with the rest of its paragraph, unless `whole_passage` is
    false; shortened to `budget` with a pointer to /rule), source."""
    policy = kb.policy_of(rule)
    lead = f"{plain_of(rule)}\n\n" if with_plain else ""
    pointer = f"> (shortened; the full wording: `/rule {rule.id}`)"
    room = min(budget, limits.EMBED_DESCRIPTION) - len(lead)
    wording = kb.passage_text(rule) if whole_passage else rule.text
    description = lead + limits.shorten(quote(wording), max(room, 200), pointer)
    title = f"{heading}{policy.title}" if heading else policy.title
    embed = discord.Embed(title=limits.shorten(title, limits.EMBED_TITLE),
                          description=limits.shorten(description, limits.EMBED_DESCRIPTION), colour=COLOUR)
    embed.add_field(name="Section", value=limits.shorten(rule.section, limits.FIELD_VALUE), inline=True)
    embed.add_field(name="Last reviewed", value=policy.reviewed_label, inline=True)
    embed.add_field(name="Rule", value=limits.shorten(f"`{rule.id}`", limits.FIELD_VALUE), inline=True)
    return embed


_TRAILING = {"the", "a", "an", "in", "on", "of", "to", "and", "or", "for", "with", "at", "by", "is", "are", "be"}
TOPIC_CHARS = 45  # what a phone shows of a button label without cutting it


def topic(rule: Rule, other: Rule | None = None, limit: int = TOPIC_CHARS) -> str:
    """What a rule is about, in a few whole words: its section when that tells it from `other`,
    else the start of its plain answer (or wording), cut at a word and never on a dangling "the"."""
    if other is not None and rule.section != other.section and len(rule.section) <= limit:
        return rule.section
    source = rule.plain or rule.text
    words: list[str] = []
    for word in source.split():
        if len(" ".join([*words, word])) > limit:
            break
        words.append(word)
    cut = len(words) < len(source.split())
    while cut and len(words) > 1 and words[-1].lower().strip(",;:") in _TRAILING:
        words.pop()
    text = " ".join(words).rstrip(",;:.") if cut else " ".join(words)
    return text + ("…" if cut else "")


def choice_labels(rules: list[Rule]) -> list[str]:
    """'1. …', '2. …': the rules offered to choose from, each named by what tells it from the others."""
    others = [rules[1] if n == 0 else rules[0] for n in range(len(rules))] if len(rules) > 1 else [None]
    return [f"{n}. {topic(rule, other)}" for n, (rule, other) in enumerate(zip(rules, others), 1)]


def answer_reply(answer: Answer, kb: KnowledgeBase, *, echo: bool = True) -> Reply:
    """The whole reply to one answer: the question echoed, then what the engine said."""
    echo = echo and answer.kind != "small_talk"  # "You asked: hi" would only repeat them
    head = asked_line(answer.question) + "\n" if echo and answer.question else ""
    if answer.kind == "answer":
        rules = answer.rules[:2]
        budget = min(limits.EMBED_DESCRIPTION, EMBED_BUDGET // max(len(rules), 1))
        embeds = [rule_embed(rule, kb, budget=budget, heading="" if n == 0 else "Also relevant — ")
                  for n, rule in enumerate(rules)]
        return Reply(limits.shorten(head.rstrip("\n"), limits.CONTENT) or None, embeds)
    if answer.kind == "choose":
        rules = answer.rules[:3]
        budget = min(limits.EMBED_DESCRIPTION, EMBED_BUDGET // max(len(rules), 1))
        embeds = [rule_embed(rule, kb, budget=min(budget, CHOICE_CHARS), heading=f"{label} — ")
                  for label, rule in zip(choice_labels(rules), rules)]
        text = f"{head}{answer.plain} Pick one below and I'll show it in full, or press **None of these**."
        return Reply(limits.shorten(text, limits.CONTENT), embeds)
    # decline, small talk, empty, too_long: a short message, no policy to quote.
    return Reply(limits.shorten(head + answer.message, limits.CONTENT))


def rule_reply(rule: Rule, kb: KnowledgeBase) -> Reply:
    """/rule: one rule in full, split over several embeds if it is very long."""
    first = rule_embed(rule, kb, budget=limits.EMBED_DESCRIPTION, whole_passage=False)
    if len(quote(rule.text)) + len(plain_of(rule)) + 2 <= limits.EMBED_DESCRIPTION:
        return Reply(None, [first])
    pieces = limits.split(quote(rule.text), limits.EMBED_DESCRIPTION - 100)
    embeds = [discord.Embed(title=limits.shorten(kb.policy_of(rule).title, limits.EMBED_TITLE),
                            description=plain_of(rule), colour=COLOUR)]
    used = len(embeds[0])
    for piece in pieces:
        room = limits.EMBED_TOTAL - used - 200
        if room < 300 or len(embeds) == limits.EMBEDS - 1:
            break
        embeds.append(discord.Embed(description=limits.shorten(
            piece, min(room, limits.EMBED_DESCRIPTION),
            f"> (continues in {kb.policy_of(rule).source.name})"), colour=COLOUR))
        used += len(embeds[-1])
    for field in first.fields:
        embeds[-1].add_field(name=field.name, value=field.value, inline=True)
    return Reply(None, embeds)


def contact_reply(kb: KnowledgeBase, contact: ContactConfig, question: str, staff_channel: bool) -> Reply:
    """'Ask the pre-school': the contact routes, and the offer to pass the question (echoed) on."""
    text = contact_text(kb, contact)
    if staff_channel:
        text = (f"{asked_line(question)}\n{text}\n\nI can also pass your question to the pre-school team on "
                "this server so a person can pick it up. Your name is only included if you choose so.")
    return Reply(limits.shorten(text, limits.CONTENT))


def is_public_safe(answer: Answer) -> bool:
    """Whether the answer may be shown to anyone: it quotes no staff-only (internal) rule."""
    shown = answer.rules if answer.kind in ("answer", "choose") else []
    return all(not rule.internal for rule in shown)
