"""The only ways the bot sends anything: each checks Discord's limits first and never lets a mention ping."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import discord

from assistant.bot.limits import check_message

NO_MENTIONS = discord.AllowedMentions.none()


@dataclass
class Reply:
    """What one message says: some content and/or embeds (already within limits when built by `present`)."""

    content: str | None = None
    embeds: list[discord.Embed] = field(default_factory=list)

    def kwargs(self, view: discord.ui.View | None) -> dict[str, Any]:
        check_message(self.content, self.embeds)
        out: dict[str, Any] = {"allowed_mentions": NO_MENTIONS}
        if self.content:
            out["content"] = self.content
        if self.embeds:
            out["embeds"] = self.embeds
        if view is not None:
            out["view"] = view
        return out


async def respond(interaction: discord.Interaction, reply: Reply, *, ephemeral: bool,
                  view: discord.ui.View | None = None) -> None:
    """Answer an interaction: the first response if none was sent yet, else a followup."""
    kwargs = reply.kwargs(view)
    if interaction.response.is_done():
        await interaction.followup.send(ephemeral=ephemeral, **kwargs)
    else:
        await interaction.response.send_message(ephemeral=ephemeral, **kwargs)


async def reply_to(message: discord.Message, reply: Reply, view: discord.ui.View | None = None) -> discord.Message:
    """Reply to a user's message without pinging them (or anyone)."""
    return await message.reply(mention_author=False, **reply.kwargs(view))


async def post(channel: discord.abc.Messageable, reply: Reply, view: discord.ui.View | None = None) -> discord.Message:
    """Post in a channel (the staff channel, a shared answer)."""
    return await channel.send(**reply.kwargs(view))
