"""Who is asking: the audience a Discord user is answered as, decided from role *ids* only."""
from __future__ import annotations

import discord

from assistant.config import BotConfig


def role_ids(user: discord.abc.User) -> set[int]:
    """The role ids a member carries. Read from the member payload itself (`_roles`): that needs no
    member cache and no privileged intent, and roles that are not cached still count."""
    return set(getattr(user, "_roles", ()) or ())


def audience_of(user: discord.abc.User, settings: BotConfig, *, in_guild: bool) -> str:
    """committee, staff or parents; outside the configured server (a DM) always parents."""
    if not in_guild or not isinstance(user, discord.Member) or user.guild.id != settings.guild_id:
        return "parents"
    roles = role_ids(user)
    if roles & set(settings.committee_role_ids):
        return "committee"
    if roles & set(settings.staff_role_ids):
        return "staff"
    return "parents"


def is_committee(user: discord.abc.User, settings: BotConfig) -> bool:
    """Checked when a committee command runs, whatever Discord's permission hints let through."""
    return (isinstance(user, discord.Member) and user.guild.id == settings.guild_id
            and bool(role_ids(user) & set(settings.committee_role_ids)))
