"""/ask, and the shared path from a question to a reply that mentions and DMs use too."""
from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from assistant.answer import Answer
from assistant.bot.access import audience_of
from assistant.bot.cogs.ask_views import AnswerButton, answer_view
from assistant.bot.present import answer_reply
from assistant.bot.send import Reply, respond

if TYPE_CHECKING:
    from assistant.bot.client import PolicyBot

log = logging.getLogger("assistant.bot.ask")


@dataclass
class Outcome:
    """What to send for one question: the reply, and the answer behind it (None when refused)."""

    reply: Reply
    answer: Answer | None = None


async def answer_question(bot: "PolicyBot", user: discord.abc.User, question: str, audience: str,
                          where: str) -> Outcome:
    """Length limit, cooldown, the engine (off the loop), and storing a declined question for /gaps
    (after the reply, never before it)."""
    limit = bot.settings.max_question_chars
    if len(question) > limit:
        return Outcome(Reply(f"That's a long question! Could you ask it in a sentence or two "
                             f"(under {limit} characters)?"))
    key = bot.user_key(user)
    wait = bot.cooldown.retry_after(key)
    if wait:
        # A slash command's text is gone once sent: give it back, in a block that copies as typed.
        typed = question.replace("```", "'''")
        return Outcome(Reply(f"Just a moment, please: you can ask again in {wait:.0f} seconds. "
                             f"Here is your question to send again:\n```\n{typed}\n```"))
    answer = await bot.service.ask(question, audience)
    if answer.kind == "decline":
        nearest = answer.rules[0].id if answer.rules else None
        bot.store_later(bot.feedback.record_gap, "declined", answer.question, nearest, user.id)
    log.info("%s: user=%s audience=%s kind=%s rule=%s", where, key, audience, answer.kind,
             answer.rules[0].id if answer.rules and answer.answered else "-")
    return Outcome(answer_reply(answer, bot.service.kb), answer)


class AskCog(commands.Cog):
    """Private answers to policy questions, and the handler of the buttons under every answer."""

    def __init__(self, bot: "PolicyBot"):
        self.bot = bot

    async def cog_unload(self) -> None:
        self.bot.remove_dynamic_items(AnswerButton)

    async def cog_load(self) -> None:
        self.bot.add_dynamic_items(AnswerButton)
        # The configured limit, not the decorator's ceiling, is what Discord's box enforces as people type.
        for command in self.get_app_commands():
            if command.name == "ask":
                command._params["question"].max_value = self.bot.settings.max_question_chars  # no public setter

    @app_commands.command(name="ask")
    @app_commands.guild_only()
    @app_commands.describe(question="Your question, e.g. “Can I put nativity photos on Facebook?”")
    async def ask(self, interaction: discord.Interaction, question: app_commands.Range[str, 1, 1000]) -> None:
        """Ask about the pre-school's policies; the answer quotes the policy's exact words."""
        audience = audience_of(interaction.user, self.bot.settings, in_guild=interaction.guild_id is not None)
        # Staff and committee may see staff-only wording: their answers are private whatever the setting.
        ephemeral = self.bot.settings.ephemeral or audience != "parents"
        await interaction.response.defer(ephemeral=ephemeral, thinking=True)
        outcome = await answer_question(self.bot, interaction.user, question, audience, "/ask")
        view = answer_view(self.bot, outcome.answer, audience, interaction.user.id, shareable=ephemeral)
        await respond(interaction, outcome.reply, ephemeral=ephemeral, view=view)
