"""Optional (off by default): in the configured channels, a polite reminder of the photo rules when
someone posts an image. Needs the Message Content intent (attachments are message content)."""
from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import discord
from discord.ext import commands

from assistant.bot import limits
from assistant.bot.present import quote
from assistant.bot.send import Reply, reply_to
from assistant.bot.service import Cooldown

if TYPE_CHECKING:
    from assistant.bot.client import PolicyBot

log = logging.getLogger("assistant.bot.photo_nudge")

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".webp", ".heic", ".heif", ".bmp", ".tif", ".tiff")
PER_PERSON_SECONDS = 6 * 3600  # one reminder per person and channel every few hours is plenty


def has_image(message: discord.Message) -> bool:
    return any((a.content_type or "").startswith("image/") or a.filename.lower().endswith(IMAGE_SUFFIXES)
               for a in message.attachments)


class PhotoNudgeCog(commands.Cog):
    """Reminds, once per image post, that only your own child may be shown."""

    def __init__(self, bot: "PolicyBot"):
        self.bot = bot
        self.recently = Cooldown(PER_PERSON_SECONDS)

    def nudge(self) -> Reply:
        kb = self.bot.service.kb
        quoted = []
        for rule_id in self.bot.settings.photo_nudge_rule_ids:
            rule = kb.rule(rule_id)
            if rule is not None and not rule.internal:
                quoted.append(f"{quote(rule.text)}\n— {kb.policy_of(rule).title}")
        # Any image may be a poster or a screenshot, not a photo of children: the words must fit them all.
        text = ("📷 A gentle reminder for every picture shared here, from our social media policy: if it shows "
                "children, please only show your own child; other children must be cropped out or blurred.")
        if quoted:
            text += "\n\n" + "\n\n".join(quoted)
        return Reply(limits.shorten(text, limits.CONTENT))

    @commands.Cog.listener()
    async def on_message(self, message: discord.Message) -> None:
        settings = self.bot.settings
        if (not settings.photo_nudge or message.author.bot or message.guild is None
                or message.guild.id != settings.guild_id
                or message.channel.id not in settings.photo_nudge_channel_ids or not has_image(message)):
            return
        if self.recently.retry_after(f"{self.bot.user_key(message.author)}:{message.channel.id}"):
            return
        try:
            await reply_to(message, self.nudge())
            log.info("photo nudge sent")
        except discord.HTTPException as error:
            log.warning("photo nudge not sent: %s", type(error).__name__)
