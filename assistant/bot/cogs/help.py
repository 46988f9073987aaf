"""/help (what the bot can do for this person, by their role) and /about (version, policies, last
reload, model): both private to the person who asks."""
from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from assistant import __version__
from assistant.bot import limits
from assistant.bot.access import audience_of
from assistant.bot.present import COLOUR
from assistant.bot.send import Reply, respond
from assistant.policy import KnowledgeBase

if TYPE_CHECKING:
    from assistant.bot.client import PolicyBot

FOR_EVERYONE = (
    "`/ask` — ask about the pre-school's policies; the answer quotes the policy's exact words",
    "mention me in a channel, or send me a direct message — the same answers",
    "`/policy` — the policies and their sections · `/rule` — one rule in full",
    "`/privacy` — what I keep about you · `/forget-me` — delete it now",
    "`/help` — this list · `/about` — which policies I know, and how current they are",
)
FOR_STAFF = ("`/induction start` — the staff induction: read the rules, a short quiz, sign-off",)
FOR_COMMITTEE = (
    "`/gaps` — questions I couldn't answer, or that got 👎, grouped by the nearest rule",
    "`/reload` — read the policy files again after you change them (the last good version stays if not)",
    "`/induction status` — who has done the induction, and who is due a refresher",
)


def help_text(audience: str) -> str:
    """What this kind of asker can do here."""
    lines = list(FOR_EVERYONE)
    if audience in ("staff", "committee"):
        lines += FOR_STAFF
    if audience == "committee":
        lines += FOR_COMMITTEE
    who = {"parents": "", "visitors": "", "staff": " (as staff)", "committee": " (as committee)"}[audience]
    return f"**What I can do for you{who}**\n" + "\n".join(f"• {line}" for line in lines)


def about_reply(kb: KnowledgeBase, loaded_at: str, model: str) -> Reply:
    """The version, when the policies were read, the model; then each policy with its rule count and
    review date (in an embed: a pack of forty policies does not fit a message)."""
    head = (f"**Pre-school policy assistant {__version__}**: {len(kb.policies)} policies, {len(kb.rules)} "
            f"rules, read {loaded_at}. Answers are found on this computer with the model `{model}`; "
            "nothing is sent elsewhere.")
    policies = "\n".join(f"• {p.title}: {len(kb.rules_of(p.id))} rules (last reviewed: {p.reviewed_label})"
                         for p in kb.policies.values())
    return Reply(head, [discord.Embed(description=limits.shorten(policies, limits.EMBED_DESCRIPTION),
                                      colour=COLOUR)])


class HelpCog(commands.Cog):
    """/help and /about."""

    def __init__(self, bot: "PolicyBot"):
        self.bot = bot

    @app_commands.command(name="help")
    @app_commands.guild_only()
    async def help(self, interaction: discord.Interaction) -> None:
        """What this bot can do for you."""
        audience = audience_of(interaction.user, self.bot.settings, in_guild=interaction.guild_id is not None)
        await respond(interaction, Reply(help_text(audience)), ephemeral=True)

    @app_commands.command(name="about")
    @app_commands.guild_only()
    async def about(self, interaction: discord.Interaction) -> None:
        """Which policies the bot knows, how current they are, and its version."""
        service = self.bot.service
        loaded = discord.utils.format_dt(service.loaded_at, "f")
        await respond(interaction, about_reply(service.kb, loaded, self.bot.config.model), ephemeral=True)
