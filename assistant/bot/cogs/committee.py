"""Committee tools: /gaps (the review queue of what the assistant could not answer well) and /reload (new knowledge,
without a restart). The committee role is checked when the command runs, not only by Discord."""
from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from assistant.bot import limits
from assistant.bot.access import is_committee
from assistant.bot.errors import COMMITTEE_ONLY, Refusal
from assistant.bot.cogs.review_views import off_topic_reply, open_queue
from assistant.bot.send import Reply, respond
from assistant.bot.service import ReloadReport
from assistant.checker import answered_off_topic

if TYPE_CHECKING:
    from assistant.bot.client import PolicyBot

def reload_reply(report: ReloadReport) -> Reply:
    """What /reload did, in words."""
    if not report.ok:
        # File names and YAML messages: shown as they are (Markdown escaping would mangle "social_media"),
        # but never able to ping.
        listed = "\n".join(f"• {limits.shorten(discord.utils.escape_mentions(p), 300)}"
                           for p in report.problems[:10])
        more = f"\n…and {len(report.problems) - 10} more" if len(report.problems) > 10 else ""
        text = (f"The new knowledge has problems, so I'm still answering from the previous version "
                f"({report.rules} rules). Fix these and run /reload again:\n{listed}{more}")
        return Reply(limits.shorten(text, limits.CONTENT))
    if not (report.added or report.removed or report.changed):
        return Reply(f"Reloaded: {report.rules} rules, nothing changed.")

    def ids(label: str, values: list[str]) -> str:
        return f"\n{label}: " + ", ".join(f"`{v}`" for v in values) if values else ""

    text = (f"Reloaded: now {report.rules} rules." + ids("Added", report.added)
            + ids("Removed", report.removed) + ids("Changed", report.changed))
    return Reply(limits.shorten(text, limits.CONTENT))


class CommitteeCog(commands.Cog):
    """/gaps and /reload, for the committee only."""

    def __init__(self, bot: "PolicyBot"):
        self.bot = bot

    def require_committee(self, interaction: discord.Interaction) -> None:
        if not is_committee(interaction.user, self.bot.settings):
            raise Refusal(COMMITTEE_ONLY)

    @app_commands.command(name="gaps")
    @app_commands.guild_only()
    @app_commands.default_permissions(manage_guild=True)
    @app_commands.describe(days="How many days back to look (default 30)")
    async def gaps(self, interaction: discord.Interaction, days: app_commands.Range[int, 1, 365] = 30) -> None:
        """Committee: review the questions the assistant declined or that got 👎, one at a time."""
        self.require_committee(interaction)
        await interaction.response.defer(ephemeral=True, thinking=True)
        days = max(1, min(days, 365))  # Range is a hint to Discord only
        queue = await asyncio.to_thread(self.bot.feedback.review_queue, days)
        reply, view = await open_queue(self.bot, interaction.user.id, queue, days)
        await respond(interaction, reply, ephemeral=True, view=view)
        conflicts = await asyncio.to_thread(answered_off_topic, self.bot.config.knowledge_dir, self.bot.service.kb)
        offer = off_topic_reply(self.bot, interaction.user.id, conflicts)
        if offer:
            await respond(interaction, offer[0], ephemeral=True, view=offer[1])

    @app_commands.command(name="reload")
    @app_commands.guild_only()
    @app_commands.default_permissions(manage_guild=True)
    async def reload(self, interaction: discord.Interaction) -> None:
        """Committee: re-read the policy files and rebuild the index, keeping the old ones if broken."""
        self.require_committee(interaction)
        await interaction.response.defer(ephemeral=True, thinking=True)
        report = await self.bot.service.reload()
        await respond(interaction, reload_reply(report), ephemeral=True)
