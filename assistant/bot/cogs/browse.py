"""/policy (the policies and their sections) and /rule (one rule by id, with autocomplete)."""
from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from assistant.answer import plain_of
from assistant.bot import limits
from assistant.bot.access import audience_of
from assistant.bot.present import COLOUR, rule_reply
from assistant.bot.send import Reply, respond
from assistant.policy import Rule

if TYPE_CHECKING:
    from assistant.bot.client import PolicyBot


class BrowseCog(commands.Cog):
    """Browsing the knowledge without asking a question."""

    def __init__(self, bot: "PolicyBot"):
        self.bot = bot

    def visible_rules(self, interaction: discord.Interaction) -> list[Rule]:
        audience = audience_of(interaction.user, self.bot.settings, in_guild=interaction.guild_id is not None)
        return [r for r in self.bot.service.kb.rules if r.visible_to(audience)]

    @app_commands.command(name="policy")
    @app_commands.guild_only()
    @app_commands.describe(policy="Which policy (leave empty to list them all)")
    async def policy(self, interaction: discord.Interaction, policy: str | None = None) -> None:
        """Browse the pre-school's policies and their sections."""
        kb = self.bot.service.kb
        if policy is None or policy not in kb.policies:
            lines = [f"• **{p.title}** (`{p.id}`), last reviewed {p.reviewed_label}" for p in kb.policies.values()]
            text = "The policies I can answer from:\n" + "\n".join(lines) + \
                   "\n\nPick one with `/policy policy:` to see its sections."
            await respond(interaction, Reply(limits.shorten(text, limits.CONTENT)), ephemeral=True)
            return
        chosen = kb.policies[policy]
        embed = discord.Embed(title=limits.shorten(chosen.title, limits.EMBED_TITLE), colour=COLOUR,
                              description=f"Last reviewed: {chosen.reviewed_label}. "
                                          "Show a rule in full with `/rule`.")
        rules = [r for r in self.visible_rules(interaction) if r.policy_id == chosen.id]
        for section in chosen.sections or tuple(dict.fromkeys(r.section for r in rules)):
            lines = [f"`{r.id}` {limits.shorten(plain_of(r), 80)}" for r in rules if r.section == section]
            # A long section continues in further fields rather than losing rules.
            for n, value in enumerate(limits.split("\n".join(lines) or "(no rules)", limits.FIELD_VALUE)):
                name = limits.shorten(section if n == 0 else f"{section} (continued)", limits.FIELD_NAME)
                if len(embed.fields) == limits.FIELDS or len(embed) + len(name) + len(value) > limits.EMBED_TOTAL - 100:
                    embed.set_footer(text="More rules than fit here: find them with /rule.")
                    break
                embed.add_field(name=name, value=value, inline=False)
        await respond(interaction, Reply(None, [embed]), ephemeral=True)

    @policy.autocomplete("policy")
    async def policy_choices(self, interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        current = current.lower()
        return [app_commands.Choice(name=limits.shorten(p.title, limits.CHOICE_NAME), value=p.id)
                for p in self.bot.service.kb.policies.values()
                if current in p.title.lower() or current in p.id][:25]

    @app_commands.command(name="rule")
    @app_commands.guild_only()
    @app_commands.describe(rule_id="The rule's id, e.g. sm-own-child-only")
    async def rule(self, interaction: discord.Interaction, rule_id: str) -> None:
        """Show one policy rule in full, by its id."""
        rule = next((r for r in self.visible_rules(interaction) if r.id == rule_id), None)
        if rule is None:
            await respond(interaction, Reply("I don't know a rule with that id. Start typing and pick one "
                                             "from the list."), ephemeral=True)
            return
        await respond(interaction, rule_reply(rule, self.bot.service.kb), ephemeral=True)

    @rule.autocomplete("rule_id")
    async def rule_choices(self, interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        current = current.lower()
        found = [r for r in self.visible_rules(interaction)
                 if current in r.id or current in plain_of(r).lower()]
        return [app_commands.Choice(name=limits.shorten(f"{r.id}: {plain_of(r)}", limits.CHOICE_NAME), value=r.id)
                for r in found[:25]]
