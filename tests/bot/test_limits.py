"""Discord's limits: escaping, shortening with a pointer to /rule, splitting, and the last check."""
from __future__ import annotations

import dataclasses

import discord
import pytest

from assistant.answer import rule_answer
from assistant.bot import limits
from assistant.bot.present import answer_reply, rule_reply
from assistant.text import collapse_ws


def test_escape_defuses_every_kind_of_mention_and_markdown():
    text = limits.escape_user_text("@everyone @here <@1> <@!123456789012345678> <@&42> **bold** `code`")
    assert "@everyone" not in text and "@here" not in text
    for raw in ("<@1>", "<@!123456789012345678>", "<@&42>"):
        assert raw not in text
    assert "\\*\\*bold\\*\\*" in text and "\\`code\\`" in text


def test_escaped_links_and_invites_show_no_preview():
    text = limits.escape_user_text("is https://example.com/fees_2025?x=1, ok? join discord.gg/abcd <https://kept.org>")
    assert "<https://example.com/fees_2025?x=1>," in text  # a link in <> keeps working but never unfurls
    assert "discord.gg/" not in text and "discord\u200b.gg/abcd" in text
    assert "<https://kept.org>" in text and "<<" not in text


def test_escape_caps_the_length():
    assert len(limits.escape_user_text("a" * 5000, 300)) == 300


def test_shorten_adds_the_pointer_within_the_limit():
    out = limits.shorten("word " * 500, 100, "full wording: /rule x")
    assert len(out) <= 100 and out.endswith("full wording: /rule x") and "…" in out
    assert limits.shorten("short", 100, "pointer") == "short"


def test_split_keeps_every_piece_within_the_limit_and_loses_nothing():
    text = "\n".join(f"line {n} " + "x" * (n * 7 % 90) for n in range(300)) + " " + "y" * 500
    pieces = limits.split(text, 200)
    assert all(len(p) <= 200 for p in pieces)
    assert "".join(pieces).replace("\n", "").replace(" ", "") == text.replace("\n", "").replace(" ", "")


def test_check_message_refuses_what_discord_would():
    with pytest.raises(limits.LimitError):
        limits.check_message("x" * 2001)
    with pytest.raises(limits.LimitError):
        limits.check_message(None, [discord.Embed(description="d" * 3500), discord.Embed(description="d" * 3500)])
    big = discord.Embed(title="t")
    for n in range(26):
        big.add_field(name=str(n), value="v")
    with pytest.raises(limits.LimitError):
        limits.check_message(None, [big])
    limits.check_message("x" * 2000, [discord.Embed(description="d" * 4096)])


def long_rule(kb, length: int):
    rule = kb.rule("sm-own-child-only")
    return dataclasses.replace(rule, text=("All photographs must be checked. " * (length // 33 + 1))[:length])


@pytest.mark.parametrize("length, shortened", [(3000, False), (5000, True), (12000, True)])
def test_a_long_rule_is_shortened_with_a_pointer_to_rule(kb, length, shortened):
    rule = long_rule(kb, length)
    reply = answer_reply(rule_answer("q", rule, kb), kb)
    limits.check_message(reply.content, reply.embeds)
    assert (f"/rule {rule.id}" in reply.embeds[0].description) is shortened
    assert (rule.text in reply.embeds[0].description) is not shortened


def test_two_long_rules_share_the_6000_total(kb):
    from assistant.answer import Answer
    from assistant.retrieval import Match

    first, second = long_rule(kb, 4000), dataclasses.replace(long_rule(kb, 4000), id="sm-other")
    answer = Answer("q", "answer", "p", "m", [Match(first, 1, 1, 0), Match(second, 1, 1, 0)], 1.0)
    reply = answer_reply(answer, kb)
    limits.check_message(reply.content, reply.embeds)
    assert len(reply.embeds) == 2 and sum(len(e) for e in reply.embeds) <= limits.EMBED_TOTAL


@pytest.mark.parametrize("length", [200, 4500, 9000, 30000])
def test_rule_command_shows_long_rules_within_limits(kb, length):
    # Numbered sentences, not one repeated: a piece lost or repeated anywhere would show.
    wording = " ".join(f"Photograph {n} must be checked." for n in range(1, 1 + length // 20))[:length]
    rule = dataclasses.replace(long_rule(kb, length), text=wording)
    reply = rule_reply(rule, kb)
    limits.check_message(reply.content, reply.embeds)
    # The pieces are split at spaces or line ends, so they are joined with a space and compared collapsed.
    shown = collapse_ws(" ".join(e.description or "" for e in reply.embeds).replace("> ", ""))
    if length <= 4500:  # fits: the whole wording, in order
        assert collapse_ws(rule.text) in shown
    if length > 5000:  # too long: the start of the wording, then where the rest is
        pointer = f"{limits.ELLIPSIS} (continues in {kb.policy_of(rule).source.name})"
        assert shown.endswith(pointer)
        quoted = collapse_ws(" ".join(e.description or "" for e in reply.embeds[1:]).replace("> ", ""))
        start = quoted.removesuffix(pointer).rstrip()
        assert len(start) > 1000 and collapse_ws(rule.text).startswith(start)


def test_long_question_echo_is_cut(kb):
    rule = kb.rule("sm-own-child-only")
    reply = answer_reply(rule_answer("q" * 1900, rule, kb), kb)
    limits.check_message(reply.content, reply.embeds)
    assert len(reply.content) < 500
