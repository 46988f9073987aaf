"""Mentions and DMs through dpytest (its own fake Discord backend), plus the photo nudge.

dpytest 0.7.0 works with discord.py 2.7.1 with two adjustments: its configure() drops the bot's
allowed_mentions (set again below), and it only finds the bot's own member in the guild cache when
the members intent is on (the real bot doesn't need that intent; the test bot has it)."""
from __future__ import annotations

import dataclasses
import sys

import discord
import discord.ext.test as dpytest
import pytest

from assistant.bot.client import PolicyBot, intents_for
from assistant.bot.service import AnswerService
from assistant.storage import Database
from tests.bot.conftest import bot_settings

BLUR_QUESTION = "do i need to blur the other kids out of my photos"


@pytest.fixture
async def dp(bot_config, engine, real_embedder):
    """A PolicyBot configured into dpytest's fake server, with every send's payload recorded."""
    intents = intents_for(bot_config)
    intents.members = True
    service = AnswerService(bot_config, engine, real_embedder)
    bot = PolicyBot(bot_config, Database.open(bot_config), service=service, intents=intents)
    await bot._async_setup_hook()
    dpytest.configure(bot)
    bot.allowed_mentions = discord.AllowedMentions.none()  # configure() drops it
    guild = dpytest.get_config().guilds[0]
    bot.settings = bot_settings(guild_id=guild.id)
    await bot.setup_hook()
    payloads: list[dict] = []
    send = bot.http.send_message

    async def recording(channel_id, *, params, **kwargs):
        # dpytest's send_message reads `channel` from its caller's frame: hand it on.
        channel = sys._getframe(1).f_locals.get("channel")  # noqa: F841
        payloads.append(params.payload)
        return await send(channel_id, params=params, **kwargs)
    bot.http.send_message = recording
    bot.payloads = payloads
    yield bot
    await dpytest.empty_queue()
    bot.ws = None  # dpytest's fake websocket has no socket to close
    await bot.close()


async def test_mention_gets_the_answer_as_a_reply(dp, kb):
    rule = kb.rule("sm-own-child-only")
    await dpytest.message(f"<@{dp.user.id}> {BLUR_QUESTION}")
    reply = dpytest.get_message()
    assert rule.text in reply.embeds[0].description and rule.plain in reply.embeds[0].description
    [payload] = dp.payloads
    assert payload["allowed_mentions"] == {"parse": [], "replied_user": False}
    assert payload["message_reference"]  # a reply to the question


async def test_messages_not_for_the_bot_are_ignored(dp):
    await dpytest.message(BLUR_QUESTION)
    assert dpytest.verify().message().nothing()
    assert dp.payloads == []


async def test_mention_with_everyone_and_roles_never_pings(dp):
    await dpytest.message(f"<@{dp.user.id}> @everyone @here <@&123456789012345678> {BLUR_QUESTION}")
    reply = dpytest.get_message()
    assert "@everyone" not in reply.content and "@\u200beveryone" in reply.content
    assert all(p["allowed_mentions"]["parse"] == [] for p in dp.payloads)


async def test_dm_is_answered(dp, kb):
    member = dpytest.get_config().members[0]
    channel = await member.create_dm()
    await dpytest.message("can i take pictures on my phone at preschool", channel=channel, member=member)
    reply = dpytest.get_message()
    assert isinstance(reply.channel, discord.DMChannel)
    assert kb.rule("sm-no-photos-on-phones").text in reply.embeds[0].description


async def test_dm_off_topic_is_declined_politely(dp):
    member = dpytest.get_config().members[0]
    channel = await member.create_dm()
    await dpytest.message("what's the weather like tomorrow?", channel=channel, member=member)
    assert "couldn't find a policy" in dpytest.get_message().content


# -- photo nudge (harness: real Message objects with attachments) ------------------------------------
IMAGE = {"id": "1", "filename": "nativity.jpg", "size": 1000, "url": "https://cdn.example/n.jpg",
         "proxy_url": "https://cdn.example/n.jpg", "content_type": "image/jpeg"}
TEXT_FILE = {**IMAGE, "filename": "notes.txt", "content_type": "text/plain"}


@pytest.fixture
async def nudging(bot_config, engine, real_embedder):
    from tests.bot.conftest import make_harness

    config = dataclasses.replace(bot_config, bot=bot_settings(photo_nudge=True, photo_nudge_channel_ids=(4000,)))
    h = await make_harness(config, engine, real_embedder)
    with h:
        yield h
    await h.bot.close()


async def test_photo_nudge_replies_once_with_the_photo_rule(nudging, kb):
    [nudge] = await nudging.message("look at this!", channel_id=4000, attachments=[IMAGE])
    assert kb.rule("sm-own-child-only").text in nudge.content and "cropped out or blurred" in nudge.content
    assert "Lovely photo" not in nudge.content and "if it shows children" in nudge.content  # a poster too
    assert nudge.payload["allowed_mentions"]["parse"] == [] and nudge.payload["message_reference"]
    assert await nudging.message("and another", channel_id=4000, attachments=[IMAGE]) == []  # not nagging


async def test_photo_nudge_only_for_images_in_configured_channels(nudging):
    assert await nudging.message("notes", channel_id=4000, attachments=[TEXT_FILE]) == []
    assert await nudging.message("photo", channel_id=4001, attachments=[IMAGE]) == []


async def test_photo_nudge_is_off_by_default(harness):
    assert not harness.bot.settings.photo_nudge
    assert not intents_for(harness.bot.config).message_content
    assert await harness.message("photo", channel_id=4000, attachments=[IMAGE]) == []
