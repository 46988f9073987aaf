"""/privacy: what the bot keeps (parents' feedback and staff induction records), for how long, and what
it never keeps; /forget-me: a person deletes their own stored questions and votes."""
from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from assistant.bot.send import Reply, respond
from assistant.text import count_of

if TYPE_CHECKING:
    from assistant.bot.client import PolicyBot


def privacy_text(retention_days: int, staff_channel: bool, auto_accept: bool = False) -> str:
    passed_on = ("\n• If you press **Ask the pre-school** and pass your question on, it is posted as a message in "
                 "the staff channel (with your name only if you choose). That message stays until someone "
                 "deletes it: ask the pre-school if you want it gone." if staff_channel else "")
    return (
        "**What this bot keeps about you**\n"
        "• Questions it answered: nothing, unless you mark the answer 👍 or 👎.\n"
        "• Questions it couldn't answer, answers you marked 👍 or 👎 (with your comment, if you wrote one), "
        "and the rule you picked when it wasn't sure (or **None of these**): the question, the nearest or "
        "chosen policy rule and the date, so the committee can improve the answers. "
        "Your name and Discord id are not kept with them: a code stands in for you, so the committee can "
        "see that two questions came from one person, but not who.\n"
        "• How many 👍 and 👎 each rule got.\n"
        f"These are deleted after **{retention_days} days**, or straight away when you use `/forget-me`. "
        "When the committee reviews a question it is deleted too; they may first add its wording (never "
        "who asked, and edited if it names anyone) to the policies' example questions, so others asking "
        "the same thing get an answer."
        + (" When three people pick the same rule for the same question, its wording is added that way "
           "without waiting for the committee, unless it may name someone." if auto_accept else "") +
        f"{passed_on}\n"
        "**Staff induction records** (staff and committee only): your Discord id, display name and roles, "
        "your quiz answers and score, and your sign-offs with the date and policy version. These are your "
        "staff records, so they are kept with no expiry, until the leader deletes them with "
        "`python -m assistant induction forget USER_ID` (ask them to). Because staff Discord ids are in "
        "the same file as the key to those codes, someone holding that file could work out which "
        "unanswered or 👎 questions came from a member of staff.\n"
        "The bot's logs never contain your question, your name or your Discord id. "
        "Answers to `/ask` are visible only to you unless you press **Share in channel**."
    )


class PrivacyCog(commands.Cog):
    """/privacy and /forget-me."""

    def __init__(self, bot: "PolicyBot"):
        self.bot = bot

    @app_commands.command(name="privacy")
    @app_commands.guild_only()
    async def privacy(self, interaction: discord.Interaction) -> None:
        """What the bot stores about your questions, and for how long."""
        settings = self.bot.settings
        text = privacy_text(settings.gaps_retention_days, bool(settings.staff_channel_id),
                            settings.auto_accept_picks)
        await respond(interaction, Reply(text), ephemeral=True)

    @app_commands.command(name="forget-me")
    @app_commands.guild_only()
    async def forget_me(self, interaction: discord.Interaction) -> None:
        """Delete the questions and feedback of yours that the bot keeps (see /privacy)."""
        await interaction.response.defer(ephemeral=True, thinking=True)
        await self.bot.writes_settled(timeout=15)  # a 👎 being stored right now is deleted too
        questions, votes = await asyncio.to_thread(self.bot.feedback.forget, interaction.user.id)
        if questions or votes:
            text = (f"Done: I deleted {count_of(questions, 'stored question')} and "
                    f"{count_of(votes, '👍/👎 vote')} of yours.")
        else:
            text = "There was nothing of yours stored, so there was nothing to delete."
        if self.bot.settings.staff_channel_id:
            text += " Questions you passed on to the staff channel are messages there: ask the pre-school to delete them."
        await respond(interaction, Reply(text), ephemeral=True)
