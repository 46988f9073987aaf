"""The buttons under an answer: feedback stored (and kept across a restart), 👎's optional box,
Share posting publicly, Ask the pre-school (with or without the name), clarifying choices."""
from __future__ import annotations

import asyncio
import dataclasses
import sqlite3

import pytest

from assistant.answer import Answer
from assistant.bot.cogs.ask_views import ALREADY_SHARED, NOT_YOURS
from assistant.bot.feedback import FeedbackStore
from assistant.engine import Engine
from assistant.retrieval import Match
from assistant.storage import Database
from tests.bot.conftest import STAFF_CHANNEL, STAFF_ROLE, bot_settings, make_harness
from tests.bot.harness import MODAL, USER_ID, stored_count, write_locked

QUESTION = "do i need to blur the other kids out of my photos"


async def ask(harness, question=QUESTION, **who):
    records = await harness.command("ask", question=question, **who)
    return records[-1]


def votes(harness):
    with harness.bot.db.connect() as db:
        return db.execute("SELECT rule_id, vote FROM votes").fetchall()


async def test_thumbs_up_is_stored_once(harness):
    reply = await ask(harness)
    thanks = (await harness.click(reply, "Helpful"))[-1]
    assert "Thanks" in thanks.content and thanks.ephemeral
    again = (await harness.click(reply, "Helpful"))[-1]
    assert "already" in again.content
    assert votes(harness) == [("sm-own-child-only", 1)]
    await harness.settle()
    # the question a 👍 confirmed is kept once, as a candidate example for the committee's review
    [gap] = harness.bot.feedback.pending(30)
    assert (gap.reason, gap.rule_id) == ("confirmed", "sm-own-child-only") and gap.labelled


async def test_thumbs_down_opens_the_box_and_keeps_the_question(harness, bot_config):
    reply = await ask(harness)
    modal = (await harness.click(reply, "Not helpful"))[-1]
    assert modal.kind == "callback" and modal.payload["type"] == MODAL
    assert modal.payload["data"]["title"] == "What was wrong?"
    done = (await harness.submit(modal, {"What was wrong": "I meant school photos <@&123456789012345678>"}))[-1]
    assert "committee" in done.content and done.ephemeral
    assert votes(harness) == [("sm-own-child-only", -1)]
    # Survives a restart: a fresh Database on the same file sees it.
    reopened = FeedbackStore(Database.open(bot_config))
    [group] = reopened.gaps(30)
    [gap] = group.gaps
    assert (gap.question, gap.reason, gap.rule_id) == (QUESTION, "thumbs_down", "sm-own-child-only")
    assert gap.comment == "I meant school photos <@&123456789012345678>"


async def test_thumbs_down_opens_the_box_at_once_while_the_database_is_locked(harness):
    reply = await ask(harness)
    path = harness.bot.db.path
    with write_locked(path):
        first, clicking = await harness.first_reply(harness.click(reply, "Not helpful"))
        assert first.payload["type"] == MODAL  # within Discord's 3 seconds, whatever the database does
        assert stored_count(path, "gaps") == 0
    modal = (await clicking)[-1]
    await harness.submit(modal, {"What was wrong": "the other children"})
    [group] = harness.bot.feedback.gaps(30)
    assert [(g.question, g.comment) for g in group.gaps] == [(QUESTION, "the other children")]


async def test_a_vote_that_cannot_be_stored_is_still_thanked_and_logged_without_the_question(
        harness, caplog, monkeypatch):
    reply = await ask(harness)

    def full_disk(*_args):
        raise sqlite3.OperationalError("database or disk is full")
    monkeypatch.setattr(harness.bot.feedback, "record_vote", full_disk)
    thanks = (await harness.click(reply, "Helpful"))[-1]
    assert "Thanks" in thanks.content
    assert "could not store feedback" in caplog.text and QUESTION not in caplog.text
    assert votes(harness) == []


def test_a_thumbs_down_keeps_both_the_vote_and_the_question_or_neither(tmp_path):
    store = FeedbackStore(Database(tmp_path / "a.db"))
    with pytest.raises(sqlite3.IntegrityError):
        store.record_thumbs_down(None, "sm-own-child-only", 1)  # the question cannot be stored
    assert store.votes(30) == {} and store.gaps(30) == []  # so the vote was rolled back with it


async def test_thumbs_down_without_a_comment_still_counts(harness):
    reply = await ask(harness)
    await harness.click(reply, "Not helpful")  # the box is closed without submitting
    assert [g.question for group in harness.bot.feedback.gaps(30) for g in group.gaps] == [QUESTION]


async def test_share_posts_the_same_answer_publicly(harness):
    reply = await ask(harness)
    shared = (await harness.click(reply, "Share in channel"))[-1]
    assert shared.kind == "callback" and shared.payload["type"] == 4
    assert not shared.ephemeral
    assert shared.embeds == reply.embeds
    assert shared.message["allowed_mentions"] == {"parse": []}


def public_shares(harness):
    return [r for r in harness.records if "Shared from a private answer" in r.content and not r.ephemeral]


async def test_share_twice_posts_once_and_says_so(harness):
    reply = await ask(harness)
    await harness.click(reply, "Share in channel")
    again = await harness.click(reply, "Share in channel")
    assert [r.content for r in again] == [ALREADY_SHARED] and again[0].ephemeral
    assert len(public_shares(harness)) == 1


@pytest.fixture
async def editable_harness(scratch_config, real_embedder, serving_threads):
    """A bot over a writable knowledge copy, for a committee /reload between the answer and the press."""
    config = dataclasses.replace(scratch_config, bot=bot_settings())
    engine = await asyncio.to_thread(Engine.build, config, real_embedder)
    h = await make_harness(config, engine, real_embedder)
    with h:
        yield h
    await h.bot.close()


async def test_share_made_before_a_reload_never_posts_a_rule_made_staff_only(editable_harness, knowledge_copy):
    reply = await ask(editable_harness)
    rules = knowledge_copy / "social_media.yaml"
    text = rules.read_text(encoding="utf-8")
    rules.write_text(text.replace("  - id: sm-own-child-only\n    section: Social media procedures for all stakeholders\n"
                                  "    audience: [parents, visitors]\n",
                                  "  - id: sm-own-child-only\n    section: Social media procedures for all stakeholders\n"
                                  "    audience: [staff]\n    internal: true\n", 1), encoding="utf-8")
    assert (await editable_harness.bot.service.reload()).ok
    pressed = (await editable_harness.click(reply, "Share in channel"))[-1]
    assert pressed.ephemeral and "updated since" in pressed.content
    assert public_shares(editable_harness) == []


async def slow_responses(harness, monkeypatch):
    """Make Discord take a moment to acknowledge each click, so two quick clicks overlap."""
    adapter = harness._adapter
    original = adapter.create_interaction_response

    async def slow(*args, **kwargs):
        await asyncio.sleep(0.05)
        return await original(*args, **kwargs)
    monkeypatch.setattr(adapter, "create_interaction_response", slow)


async def test_a_quick_double_click_on_share_posts_once(harness, monkeypatch):
    reply = await ask(harness)
    await slow_responses(harness, monkeypatch)
    await asyncio.gather(harness.click(reply, "Share in channel"), harness.click(reply, "Share in channel"))
    assert len(public_shares(harness)) == 1
    assert [r.content for r in harness.records].count(ALREADY_SHARED) == 1


async def test_a_quick_double_click_passes_the_question_on_once(harness, monkeypatch):
    reply = await ask(harness, question="how much are the fees per session?")
    offer = (await harness.click(reply, "Ask the pre-school"))[-1]
    await slow_responses(harness, monkeypatch)
    await asyncio.gather(harness.click(offer, "without my name"), harness.click(offer, "with my name"))
    assert len([r for r in harness.records if r.kind == "channel"]) == 1
    assert [r.content for r in harness.records].count("Your question has already been passed on.") == 1


async def test_only_the_asker_may_press_the_buttons(harness):
    reply = await ask(harness)
    other = (await harness.click(reply, "Share in channel", user_id=USER_ID + 1))[-1]
    assert other.content == NOT_YOURS and other.ephemeral
    assert votes(harness) == []


async def test_ask_the_preschool_passes_on_without_the_name(harness, kb):
    reply = await ask(harness, question="how much are the fees per session?")
    offer = (await harness.click(reply, "Ask the pre-school"))[-1]
    assert offer.ephemeral and all(route in offer.content for route in kb.contact_routes)
    records = await harness.click(offer, "without my name")
    [posted] = [r for r in records if r.kind == "channel"]
    assert posted.channel_id == STAFF_CHANNEL
    assert "how much are the fees per session?" in posted.content
    assert str(USER_ID) not in posted.content and "<@" not in posted.content
    assert posted.payload["allowed_mentions"] == {"parse": []}
    again = await harness.click(offer, "with my name")
    assert not [r for r in again if r.kind == "channel"]  # passed on once only


async def test_links_a_parent_typed_are_passed_on_and_shared_without_a_preview(harness):
    link = "https://example.com/party-invite"
    reply = await ask(harness, question=f"what are the fees on {link} per session?")
    offer = (await harness.click(reply, "Ask the pre-school"))[-1]
    [posted] = [r for r in await harness.click(offer, "without my name") if r.kind == "channel"]
    assert f"<{link}>" in posted.content
    answered = await ask(harness, question=f"{QUESTION} like https://pics.example/kids.jpg")
    [shared] = [r for r in await harness.click(answered, "Share in channel") if not r.ephemeral]
    assert "<https://pics.example/kids.jpg>" in shared.content


async def test_ask_the_preschool_with_the_name_when_agreed(harness):
    reply = await ask(harness, question="how much are the fees per session?")
    offer = (await harness.click(reply, "Ask the pre-school"))[-1]
    [posted] = [r for r in await harness.click(offer, "with my name") if r.kind == "channel"]
    assert f"<@{USER_ID}>" in posted.content  # shown to staff, but never a ping:
    assert posted.payload["allowed_mentions"] == {"parse": []}


def _offer(kb) -> Answer:
    first, second = kb.rule("sm-no-mobile-phones"), kb.rule("sm-no-photos-on-phones")
    return Answer("can i use my phone?", "choose", "I'm not sure which rule answers that. Is it one of these?",
                  "", [Match(first, 0.8, 0.8, 0.0), Match(second, 0.79, 0.79, 0.0)], 0.8)


async def test_a_choice_answers_the_picked_rule_privately_and_records_the_pick_once(harness, kb):
    offer = _offer(kb)

    async def unsure(question, audience):
        return offer
    harness.bot.service.ask = unsure
    reply = await ask(harness, question="can i use my phone?")
    labels = reply.labels
    assert labels[:3] == ["1. Mobile phones can't be used in the pre-school…",
                          "2. Taking photos on a mobile phone or similar…", "None of these"]
    titles = [embed["title"] for embed in reply.embeds]
    assert titles[0].startswith("1. Mobile phones") and titles[1].startswith("2. Taking photos") and titles[0] != titles[1]
    records = await harness.click(reply, "2. ")
    chosen = records[-1]
    second = offer.rules[1]
    assert chosen.ephemeral and second.text in chosen.text and offer.rules[0].text not in chosen.text
    assert "Helpful" in chosen.labels
    await harness.click(reply, "2. ")  # a double click, or a second look: still one pick
    await harness.settle()
    [gap] = harness.bot.feedback.pending(30)
    assert (gap.reason, gap.rule_id, gap.question) == ("picked", second.id, "can i use my phone?")
    assert gap.labelled


async def test_none_of_these_joins_the_gaps_and_says_how_to_ask(harness, kb):
    offer = _offer(kb)

    async def unsure(question, audience):
        return offer
    harness.bot.service.ask = unsure
    reply = await ask(harness, question="can i use my phone?")
    said = (await harness.click(reply, "None of these"))[-1]
    assert said.ephemeral and "committee" in said.text
    await harness.settle()
    [gap] = harness.bot.feedback.pending(30)
    assert gap.reason == "none_of_these" and not gap.labelled


async def test_buttons_keep_working_after_a_restart(bot_config, engine, real_embedder, serving_threads):
    first = await make_harness(bot_config, engine, real_embedder)
    with first:
        reply = await ask(first, question=QUESTION + " on https://example.com/nativity_pics")
    await first.bot.close()
    restarted = await make_harness(bot_config, engine, real_embedder)  # a new process: nothing in memory
    with restarted:
        modal = (await restarted.click(reply, "Not helpful"))[-1]
        assert modal.payload["type"] == MODAL
        shared = [r for r in await restarted.click(reply, "Share in channel") if not r.ephemeral]
        offer = (await restarted.click(reply, "Ask the pre-school"))[-1]
        [posted] = [r for r in await restarted.click(offer, "without my name") if r.kind == "channel"]
        [group] = restarted.bot.feedback.gaps(30)
    await restarted.bot.close()
    asked = QUESTION + " on https://example.com/nativity_pics"
    assert [(g.question, g.reason) for g in group.gaps] == [(asked, "thumbs_down")]  # read back as typed
    assert shared and shared[0].embeds == reply.embeds
    assert "<https://example.com/nativity_pics>" in posted.content and "sm-own-child-only" in posted.content


async def test_choice_buttons_keep_working_after_a_restart(bot_config, engine, real_embedder, serving_threads):
    # asked by staff, "can I post photos?" is one the real engine is unsure of: the rules it offers are buttons
    first = await make_harness(bot_config, engine, real_embedder)
    with first:
        reply = await ask(first, question="can I post photos?", role_ids=[STAFF_ROLE])
    await first.bot.close()
    assert "None of these" in reply.labels
    restarted = await make_harness(bot_config, engine, real_embedder)  # a new process: nothing in memory
    with restarted:
        chosen = (await restarted.click(reply, "1. ", role_ids=[STAFF_ROLE]))[-1]
        await restarted.settle()
        [gap] = restarted.bot.feedback.pending(30)
    await restarted.bot.close()
    assert chosen.ephemeral and chosen.embeds and gap.reason == "picked" and gap.question == "can I post photos?"


async def test_ask_the_preschool_gives_the_configured_contact_details(bot_config, engine, real_embedder):
    from assistant.config import ContactConfig

    config = dataclasses.replace(bot_config, contact=ContactConfig(phone="01234 567890", hours="weekdays 8-4"))
    h = await make_harness(config, engine, real_embedder)
    with h:
        reply = await ask(h, question="how much are the fees per session?")
        offer = (await h.click(reply, "Ask the pre-school"))[-1]
        assert "phone 01234 567890 (weekdays 8-4)" in offer.content
    await h.bot.close()
