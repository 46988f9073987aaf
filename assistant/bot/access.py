"""Who is asking: the audience a Discord user is answered as, decided from role *ids* only."""
from __future__ import annotations

import discord

from assistant.bot.send import Reply, respond
from assistant.config import BotConfig


def role_ids(user: discord.abc.User) -> set[int]:
    """The role ids a member carries. Read from the member payload itself (`_roles`): that needs no
    member cache and no privileged intent, and roles that are not cached still count."""
    return set(getattr(user, "_roles", ()) or ())


def member_role_ids(user: discord.abc.User, settings: BotConfig) -> set[int]:
    """The role ids of a member of the configured server; none for anyone else (a DM, another server)."""
    if not isinstance(user, discord.Member) or user.guild.id != settings.guild_id:
        return set()
    return role_ids(user)


def audience_of(user: discord.abc.User, settings: BotConfig, *, in_guild: bool) -> str:
    """committee, staff or parents; outside the configured server (a DM) always parents."""
    roles = member_role_ids(user, settings) if in_guild else set()
    if roles & set(settings.committee_role_ids):
        return "committee"
    if roles & set(settings.staff_role_ids):
        return "staff"
    return "parents"


def is_committee(user: discord.abc.User, settings: BotConfig) -> bool:
    """Checked when a committee command runs, whatever Discord's permission hints let through."""
    return bool(member_role_ids(user, settings) & set(settings.committee_role_ids))


async def owner_only(interaction: discord.Interaction, owner_id: int, refusal: str) -> bool:
    """A button's check: only its owner may press it; anyone else is told `refusal`, privately."""
    if interaction.user.id == owner_id:
        return True
    await respond(interaction, Reply(refusal), ephemeral=True)
    return False
