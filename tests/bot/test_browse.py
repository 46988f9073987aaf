"""/policy, /rule (with autocomplete) and /privacy."""
from __future__ import annotations

import pytest

from assistant import __version__
from assistant.bot import limits
from tests.bot.conftest import COMMITTEE_ROLE, STAFF_ROLE


async def test_policy_lists_policies_then_sections(harness, kb):
    listing = (await harness.command("policy"))[-1]
    assert listing.ephemeral and all(p.title in listing.content for p in kb.policies.values())
    policy = next(iter(kb.policies.values()))
    detail = (await harness.command("policy", policy=policy.id))[-1]
    [embed] = detail.embeds
    assert embed["title"] == policy.title
    names = [f["name"].removesuffix(" (continued)") for f in embed["fields"]]
    assert list(dict.fromkeys(names)) == list(policy.sections)
    assert all(rule.id in detail.text for rule in kb.rules if rule.policy_id == policy.id)


async def test_policy_autocomplete(harness, kb):
    choices = await harness.autocomplete("policy", "policy", policy="soc")
    assert [c["value"] for c in choices] == [p.id for p in kb.policies.values() if "soc" in p.title.lower()]


async def test_rule_shows_one_rule_in_full(harness, kb):
    rule = kb.rule("sm-contact-routes")
    reply = (await harness.command("rule", rule_id=rule.id))[-1]
    assert reply.ephemeral and rule.plain in reply.text
    assert all(line in reply.text for line in rule.text.split(" · ")[:1])
    unknown = (await harness.command("rule", rule_id="<@&123456789012345678>"))[-1]
    assert "don't know a rule" in unknown.content


async def test_rule_autocomplete_matches_ids_and_plain_words(harness):
    by_id = await harness.autocomplete("rule", "rule_id", rule_id="sm-own")
    assert [c["value"] for c in by_id] == ["sm-own-child-only"]
    by_words = await harness.autocomplete("rule", "rule_id", rule_id="blurred")
    assert "sm-own-child-only" in [c["value"] for c in by_words]
    everything = await harness.autocomplete("rule", "rule_id", rule_id="")
    assert len(everything) <= 25 and all(len(c["name"]) <= limits.CHOICE_NAME for c in everything)


async def test_privacy_says_what_is_kept_and_for_how_long(harness):
    reply = (await harness.command("privacy"))[-1]
    assert reply.ephemeral and "30 days" in reply.content and "never contain your question" in reply.content
    # Induction records are kept too, with no expiry: /privacy says so, how to delete them, and the linkage risk.
    text = reply.content
    assert "Staff induction records" in text and "no expiry" in text
    assert "Discord id, display name" in text and "quiz answers" in text
    assert "python -m assistant induction forget USER_ID" in text
    assert "same file as the key" in text and "which unanswered or 👎 questions came from a member of staff" in text
    assert "Everything is deleted after" not in text  # not everything is
    assert "hash" not in text and "/forget-me" in text
    assert "staff channel" in text and "stays until someone deletes it" in text  # not deleted after 30 days


async def test_forget_me_deletes_that_persons_questions_and_votes_only(harness):
    await harness.command("ask", question="how much are the fees per session?")
    await harness.command("ask", question="what time does the breakfast club open?", user_id=4321)
    answer = (await harness.command("ask", question="do i need to blur the other kids out of my photos"))[-1]
    await harness.click(answer, "Helpful")
    reply = (await harness.command("forget-me"))[-1]
    # the declined question and the one the 👍 confirmed
    assert reply.ephemeral and "deleted 2 stored questions and 1 👍/👎 vote of yours" in reply.content
    assert [g.question for group in harness.bot.feedback.gaps(30) for g in group.gaps] == [
        "what time does the breakfast club open?"]
    assert harness.bot.feedback.votes(30) == {}
    again = (await harness.command("forget-me"))[-1]
    assert "nothing of yours stored" in again.content


@pytest.mark.parametrize("roles, shown, hidden", [
    ((), "/ask", "/gaps"),
    ((STAFF_ROLE,), "/induction start", "/reload"),
    ((COMMITTEE_ROLE,), "/gaps", None),
])
async def test_help_lists_what_this_person_can_do(harness, roles, shown, hidden):
    reply = (await harness.command("help", role_ids=roles))[-1]
    assert reply.ephemeral and shown in reply.content and "/forget-me" in reply.content
    assert hidden is None or hidden not in reply.content


async def test_about_says_the_version_policies_and_model(harness, kb):
    reply = (await harness.command("about"))[-1]
    assert reply.ephemeral and __version__ in reply.content and harness.bot.config.model in reply.content
    for policy in kb.policies.values():
        assert f"{policy.title}: {len(kb.rules_of(policy.id))} rules" in reply.embeds[0]["description"]
