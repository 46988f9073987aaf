"""/privacy: what the bot keeps (parents' feedback and staff induction records), for how long, and what
it never keeps."""
from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from assistant.bot.send import Reply, respond

if TYPE_CHECKING:
    from assistant.bot.client import PolicyBot


def privacy_text(retention_days: int, staff_channel: bool) -> str:
    passed_on = ("\n• If you press **Ask the pre-school** and choose to pass your question on, it is posted "
                 "in the staff channel, with your name only if you choose so." if staff_channel else "")
    return (
        "**What this bot keeps**\n"
        "• Nothing about questions it answered and you didn't mark 👎.\n"
        "• Questions it couldn't answer, and questions marked 👎 (with your optional comment): the "
        "question, the nearest policy rule and the date, so the committee can improve the answers. "
        "Instead of who asked, a scrambled code (a salted hash), not your name or Discord id.\n"
        "• 👍/👎 counts per rule.\n"
        f"These are deleted after **{retention_days} days**.{passed_on}\n"
        "**Staff induction records** (staff and committee only): your Discord id, display name and roles, "
        "your quiz answers and score, and your sign-offs with the date and policy version. These are your "
        "staff records, so they are kept with no expiry, until the leader deletes them with "
        "`python -m assistant induction forget USER_ID` (ask them to).\n"
        "Because staff Discord ids sit in the same file as the salt of the scrambled codes, someone holding "
        "that file could link a staff member's declined or 👎 questions to them.\n"
        "The bot's logs never contain your question, your name or your Discord id. "
        "Answers to `/ask` are visible only to you unless you press **Share in channel**."
    )


class PrivacyCog(commands.Cog):
    """/privacy."""

    def __init__(self, bot: "PolicyBot"):
        self.bot = bot

    @app_commands.command(name="privacy")
    @app_commands.guild_only()
    async def privacy(self, interaction: discord.Interaction) -> None:
        """What the bot stores about your questions, and for how long."""
        settings = self.bot.settings
        text = privacy_text(settings.gaps_retention_days, bool(settings.staff_channel_id))
        await respond(interaction, Reply(text), ephemeral=True)
