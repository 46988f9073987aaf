"""The buttons under an answer: 👍 / 👎 (with an optional "what was wrong?" box), Share in channel,
Ask the pre-school (contact routes, and passing the question to the staff channel), and the
clarifying choices. Only the person who asked may press them."""
from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import logging
from typing import TYPE_CHECKING

import discord

from assistant.answer import Answer, plain_of
from assistant.bot import limits
from assistant.bot.access import owner_only
from assistant.bot.errors import SafeModal, SafeView
from assistant.bot.present import answer_reply, choice_labels, contact_reply, is_public_safe
from assistant.bot.send import Reply, post, respond
from assistant.policy import KnowledgeBase

if TYPE_CHECKING:
    from assistant.bot.client import PolicyBot

log = logging.getLogger("assistant.bot.ask")

TIMEOUT = 15 * 60  # buttons live in memory only; after this they stop answering
NOT_YOURS = "These buttons belong to the person who asked."
ALREADY_SHARED = "You've already shared this answer in the channel."
CHANGED_SINCE = ("The policy has been updated since I gave this answer, so I won't share the old one. "
                 "Ask again to see the current wording.")


def as_now(answer: Answer, kb: KnowledgeBase, audience: str) -> Answer | None:
    """The answer over the knowledge served now, or None if what it showed has changed since (a rule
    gone, reworded, or no longer for this asker): a button acts on today's policy, not the one it was made with."""
    matches = []
    for match in answer.matches:
        rule = kb.rule(match.rule.id)
        if (rule is None or not rule.visible_to(audience) or rule.internal != match.rule.internal
                or rule.text != match.rule.text or plain_of(rule) != plain_of(match.rule)):
            return None
        matches.append(dataclasses.replace(match, rule=rule))
    return dataclasses.replace(answer, matches=matches)


class AskerView(SafeView):
    """A view only the asker may use."""

    def __init__(self, bot: "PolicyBot", asker_id: int):
        super().__init__(timeout=TIMEOUT)
        self.bot = bot
        self.asker_id = asker_id

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        return await owner_only(interaction, self.asker_id, NOT_YOURS)

    def button(self, label: str, style: discord.ButtonStyle, callback, emoji: str | None = None) -> discord.ui.Button:
        item = discord.ui.Button(label=limits.shorten(label, limits.BUTTON_LABEL), style=style, emoji=emoji)
        item.callback = callback
        self.add_item(item)
        return item


class AnswerView(AskerView):
    """The buttons under one answer (or clarifying question, or decline)."""

    def __init__(self, bot: "PolicyBot", answer: Answer, audience: str, asker_id: int, *, shareable: bool):
        super().__init__(bot, asker_id)
        self.answer = answer
        self.audience = audience
        self.voted = False
        self.shared = False
        if answer.kind == "clarify":
            for label, rule in zip(choice_labels(answer.rules[:2]), answer.rules[:2]):
                self.button(label, discord.ButtonStyle.primary, self._chooser(rule.id))
        if answer.kind == "answer":
            self.button("Helpful", discord.ButtonStyle.secondary, self.thumbs_up, emoji="👍")
            self.button("Not helpful", discord.ButtonStyle.secondary, self.thumbs_down, emoji="👎")
            # Staff-only wording never goes public, whoever asked.
            if shareable and is_public_safe(answer):
                self.button("Share in channel", discord.ButtonStyle.secondary, self.share)
        if answer.kind in ("answer", "clarify", "decline"):
            self.button("Ask the pre-school", discord.ButtonStyle.secondary, self.ask_preschool)

    @property
    def rule_id(self) -> str | None:
        return self.answer.rules[0].id if self.answer.rules else None

    def _chooser(self, rule_id: str):
        async def choose(interaction: discord.Interaction) -> None:
            await interaction.response.defer(ephemeral=True, thinking=True)
            chosen = await self.bot.service.answer_rule(rule_id, self.answer.question, self.audience)
            if chosen is None:
                await respond(interaction, Reply("That rule is no longer available."), ephemeral=True)
                return
            view = answer_view(self.bot, chosen, self.audience, self.asker_id, shareable=True)
            await respond(interaction, answer_reply(chosen, self.bot.service.kb), ephemeral=True, view=view)
        return choose

    async def _already(self, interaction: discord.Interaction) -> bool:
        if self.voted:
            await respond(interaction, Reply("You've already given feedback on this answer, thank you."),
                          ephemeral=True)
        return self.voted

    async def thumbs_up(self, interaction: discord.Interaction) -> None:
        if await self._already(interaction):
            return
        self.voted = True
        self.bot.store_later(self.bot.feedback.record_vote, self.rule_id, +1, interaction.user.id)
        log.info("feedback: up rule=%s user=%s", self.rule_id, self.bot.user_key(interaction.user))
        await respond(interaction, Reply("Thanks for letting us know! 👍"), ephemeral=True)

    async def thumbs_down(self, interaction: discord.Interaction) -> None:
        if await self._already(interaction):
            return
        self.voted = True
        # The modal must be the first response, within Discord's 3 seconds: the write goes on beside it.
        stored = self.bot.store_later(self.bot.feedback.record_thumbs_down, self.answer.question,
                                      self.rule_id, interaction.user.id)
        log.info("feedback: down rule=%s user=%s", self.rule_id, self.bot.user_key(interaction.user))
        await interaction.response.send_modal(WhatWasWrong(self.bot, stored))

    async def share(self, interaction: discord.Interaction) -> None:
        if not is_public_safe(self.answer):  # defence in depth: the button is not even offered
            await respond(interaction, Reply("This answer can't be shared publicly."), ephemeral=True)
            return
        if self.shared:
            await respond(interaction, Reply(ALREADY_SHARED), ephemeral=True)
            return
        kb = self.bot.service.kb
        current = as_now(self.answer, kb, self.audience)
        if current is None or not is_public_safe(current):
            await respond(interaction, Reply(CHANGED_SINCE), ephemeral=True)
            return
        self.shared = True  # before any await, so a quick second click cannot post it again
        reply = answer_reply(current, kb)
        reply.content = limits.shorten(f"Shared from a private answer.\n{reply.content or ''}".strip(),
                                       limits.CONTENT)
        log.info("shared an answer rule=%s", self.rule_id)
        await respond(interaction, reply, ephemeral=False)

    async def ask_preschool(self, interaction: discord.Interaction) -> None:
        staff_channel = self.bot.settings.staff_channel_id
        view = PassOnView(self.bot, self.answer, self.asker_id) if staff_channel else None
        await respond(interaction, contact_reply(self.bot.service.kb, bool(staff_channel)), ephemeral=True,
                      view=view)


def answer_view(bot: "PolicyBot", answer: Answer | None, audience: str, asker_id: int, *,
                shareable: bool) -> AnswerView | None:
    """The buttons for an answer, or None when it has none (a refusal, an empty question)."""
    if answer is None:
        return None
    view = AnswerView(bot, answer, audience, asker_id, shareable=shareable)
    return view if view.children else None


class WhatWasWrong(SafeModal, title="What was wrong?"):
    """The optional comment after a 👎, attached to the stored question for /gaps."""

    comment = discord.ui.TextInput(label="What was wrong with the answer? (optional)",
                                   style=discord.TextStyle.paragraph, required=False, max_length=300)

    def __init__(self, bot: "PolicyBot", stored: "asyncio.Task[int]"):
        super().__init__(timeout=TIMEOUT)
        self.bot = bot
        self.stored = stored  # the 👎's own write, whose row the comment joins

    async def on_submit(self, interaction: discord.Interaction) -> None:
        await respond(interaction, Reply("Thank you. The committee will look at it."), ephemeral=True)
        try:
            gap_id = await asyncio.shield(self.stored)
        except Exception:  # noqa: BLE001 - already logged by store_later: no row to attach the comment to
            return
        self.bot.store_later(self.bot.feedback.add_comment, gap_id, self.comment.value or "")


class PassOnView(AskerView):
    """Send the question to the staff channel, with or without the asker's name (their choice)."""

    def __init__(self, bot: "PolicyBot", answer: Answer, asker_id: int):
        super().__init__(bot, asker_id)
        self.answer = answer
        self.sent = False
        self.button("Pass it on without my name", discord.ButtonStyle.primary, self.anonymous)
        self.button("Pass it on with my name", discord.ButtonStyle.secondary, self.named)

    async def anonymous(self, interaction: discord.Interaction) -> None:
        await self._pass_on(interaction, named=False)

    async def named(self, interaction: discord.Interaction) -> None:
        await self._pass_on(interaction, named=True)

    async def _pass_on(self, interaction: discord.Interaction, *, named: bool) -> None:
        if self.sent:
            await respond(interaction, Reply("Your question has already been passed on."), ephemeral=True)
            return
        # Claimed before the first await: a second click arriving while this one waits must see it.
        self.sent = True
        try:
            await interaction.response.defer(ephemeral=True, thinking=True)
        except BaseException:
            self.sent = False  # nothing was posted: the question can still be passed on
            raise
        nearest = f"\nNearest rule: `{self.answer.rules[0].id}`" if self.answer.rules else ""
        who = (f"Asked by {interaction.user.mention}; please reply to them." if named
               else "The asker chose not to share their name; if it's of general interest, "
                    "please answer in a public channel.")
        text = (f"**A question the assistant couldn't settle** ({dt.date.today().isoformat()}):\n"
                f"> {limits.escape_user_text(self.answer.question, 800)}{nearest}\n{who}")
        channel = self.bot.get_partial_messageable(self.bot.settings.staff_channel_id)
        await post(channel, Reply(limits.shorten(text, limits.CONTENT)))
        log.info("passed a question to the staff channel named=%s", named)
        await respond(interaction, Reply("Done: a member of the pre-school team will pick it up."),
                      ephemeral=True)
