"""Questions by mentioning the bot in a channel of the server, or in a DM: the same answer, as a reply.
DMs are answered as a parent; a public reply never quotes staff-only wording."""
from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING

import discord
from discord.ext import commands

from assistant.bot.access import audience_of
from assistant.bot.cogs.ask import answer_question
from assistant.bot.cogs.ask_views import answer_view
from assistant.bot.errors import APOLOGY, log_error
from assistant.bot.present import is_public_safe
from assistant.bot.send import Reply, reply_to

if TYPE_CHECKING:
    from assistant.bot.client import PolicyBot

log = logging.getLogger("assistant.bot.mentions")

STAFF_ONLY_IN_PUBLIC = ("That's covered by staff-only guidance, so I won't quote it in a channel. "
                        "Use `/ask` for a private answer.")


class MentionsCog(commands.Cog):
    """Answers messages that mention the bot, and DMs."""

    def __init__(self, bot: "PolicyBot"):
        self.bot = bot

    def question_in(self, message: discord.Message) -> str | None:
        """The question a message asks the bot, or None if the message is not for the bot."""
        me = self.bot.user
        if message.author.bot or me is None:
            return None
        if message.guild is None:
            return message.content
        if message.guild.id != self.bot.settings.guild_id or me not in message.mentions:
            return None
        # Only the bot's own mention is removed; any other mention stays and is escaped when echoed.
        return re.sub(rf"<@!?{me.id}>", " ", message.content).strip()

    @commands.Cog.listener()
    async def on_message(self, message: discord.Message) -> None:
        question = self.question_in(message)
        if question is None:
            return
        in_guild = message.guild is not None
        where = "mention" if in_guild else "dm"
        try:
            audience = audience_of(message.author, self.bot.settings, in_guild=in_guild)
            outcome = await answer_question(self.bot, message.author, question, audience, where)
            answer = outcome.answer
            if answer is not None and in_guild and not is_public_safe(answer):
                await reply_to(message, Reply(STAFF_ONLY_IN_PUBLIC))
                return
            await reply_to(message, outcome.reply,
                           answer_view(self.bot, answer, audience, message.author.id, shareable=False))
        except Exception as error:  # noqa: BLE001 - the asker gets an apology, the log one line
            log_error(error, where)
            try:
                await reply_to(message, Reply(APOLOGY))
            except discord.HTTPException:
                log.warning("could not send the apology in %s", where)
