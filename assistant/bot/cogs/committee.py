"""Committee tools: /gaps (what the assistant could not answer well) and /reload (new knowledge,
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
from assistant.bot.feedback import GapGroup
from assistant.bot.present import COLOUR
from assistant.bot.send import Reply, respond
from assistant.bot.service import ReloadReport

if TYPE_CHECKING:
    from assistant.bot.client import PolicyBot

REASONS = {"declined": "declined", "thumbs_down": "👎"}


def gaps_reply(groups: list[GapGroup], days: int) -> Reply:
    """The gaps as one embed: a field per nearest rule, cut to Discord's limits."""
    if not groups:
        return Reply(f"No declined or 👎 questions in the last {days} days.")
    total = sum(len(g.gaps) for g in groups)
    embed = discord.Embed(title=f"Questions to look at: last {days} days", colour=COLOUR,
                          description=(f"{total} questions were declined or got 👎. Consider adding one as an "
                                       "example question to its nearest rule, or a new rule."))
    left_out = 0
    for group in groups:
        name = f"Nearest rule `{group.rule_id}`" if group.rule_id else "No rule came close"
        name = f"{name} ({len(group.gaps)})"
        lines = []
        for gap in group.gaps:
            line = f"• {gap.day.isoformat()} {REASONS.get(gap.reason, gap.reason)}: " \
                   f"{limits.escape_user_text(gap.question, 200)}"
            if gap.comment:
                line += f"\n  ↳ {limits.escape_user_text(gap.comment, 150)}"
            lines.append(line)
        value = limits.shorten("\n".join(lines), limits.FIELD_VALUE, f"(+ more for `{group.rule_id}`)")
        if len(embed.fields) == limits.FIELDS - 1 or len(embed) + len(name) + len(value) > limits.EMBED_TOTAL - 150:
            left_out += 1
            continue
        embed.add_field(name=limits.shorten(name, limits.FIELD_NAME), value=value, inline=False)
    if left_out:
        embed.set_footer(text=f"{left_out} more groups not shown; ask for fewer days.")
    return Reply(None, [embed])


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
        """Committee: questions the assistant declined or that got 👎, grouped by nearest rule."""
        self.require_committee(interaction)
        await interaction.response.defer(ephemeral=True, thinking=True)
        days = max(1, min(days, 365))  # Range is a hint to Discord only
        groups = await asyncio.to_thread(self.bot.feedback.gaps, days)
        await respond(interaction, gaps_reply(groups, days), ephemeral=True)

    @app_commands.command(name="reload")
    @app_commands.guild_only()
    @app_commands.default_permissions(manage_guild=True)
    async def reload(self, interaction: discord.Interaction) -> None:
        """Committee: re-read the policy files and rebuild the index, keeping the old ones if broken."""
        self.require_committee(interaction)
        await interaction.response.defer(ephemeral=True, thinking=True)
        report = await self.bot.service.reload()
        await respond(interaction, reload_reply(report), ephemeral=True)
