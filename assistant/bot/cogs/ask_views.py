"""The buttons under an answer: 👍 / 👎 (with an optional "what was wrong?" box), Share in channel,
Ask the pre-school (contact routes, and passing the question to the staff channel), and the
rules offered to choose from when the assistant is not sure (and None of these). Only the person who
asked may press them. A pick, a 👍 and a None of these are kept for the committee's review (/gaps),
where a pick can become an example question of the rule in one click.

They are persistent (a DynamicItem): the custom id holds the action, the asker and the rules, the
question is read back from the message the button sits under, and everything else is the knowledge
served when the button is pressed, so a button works after any time and after a restart, and never
acts on wording the committee has changed since."""
from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import logging
import re
from collections import OrderedDict
from typing import TYPE_CHECKING, Awaitable, Callable

import discord

from assistant.answer import Answer, contact_text, plain_of
from assistant.bot import limits
from assistant.bot.access import audience_of, owner_only
from assistant.bot.auto_accept import accept_if_agreed
from assistant.bot.errors import SafeModal, apologise
from assistant.bot.present import answer_reply, choice_labels, contact_reply, is_public_safe, read_back
from assistant.bot.send import Reply, post, respond
from assistant.policy import KnowledgeBase, Rule
from assistant.retrieval import Match

if TYPE_CHECKING:
    from assistant.bot.client import PolicyBot

log = logging.getLogger("assistant.bot.ask")

NOT_YOURS = "These buttons belong to the person who asked."
ALREADY_SHARED = "You've already shared this answer in the channel."
ALREADY_VOTED = "You've already given feedback on this answer, thank you."
ALREADY_PASSED = "Your question has already been passed on."
CHANGED_SINCE = ("The policy has been updated since I gave this answer, so I won't share the old one. "
                 "Ask again to see the current wording.")
GONE = "That rule is no longer in the policies. Ask again to see what they say now."
# ans:<action>:<asker id>:<version of the wording shown>:<rule ids>
# actions: u 👍, d 👎, s share, p ask the pre-school, n / w pass on without / with the name, c choose a rule,
# x none of the rules offered
TEMPLATE = r"ans:(?P<action>[udspnwcx]):(?P<uid>[0-9]{1,20}):(?P<version>[0-9a-f]{0,8}):(?P<rules>[^:]*)"


def version(rules: list[Rule], kb: KnowledgeBase) -> str:
    """A short fingerprint of what a reader saw of these rules (with their passages): Share refuses
    if it changed since."""
    seen = "\n".join(f"{r.id}|{kb.passage_text(r)}|{plain_of(r)}|{r.internal}|{','.join(r.audience)}"
                     for r in rules)
    return hashlib.sha256(seen.encode()).hexdigest()[:8]


class Claims:
    """Which presses were already acted on (a vote, a share, a pass-on per message), so a double click
    or a second vote does nothing twice. In memory: after a restart a second 👍 would count again."""

    def __init__(self, size: int = 20_000):
        self.size = size
        self._seen: OrderedDict[tuple[int, str], None] = OrderedDict()

    def claim(self, message_id: int, what: str) -> bool:
        key = (message_id, what)
        if key in self._seen:
            return False
        self._seen[key] = None
        if len(self._seen) > self.size:
            self._seen.popitem(last=False)
        return True

    def release(self, message_id: int, what: str) -> None:
        self._seen.pop((message_id, what), None)


class AnswerButton(discord.ui.DynamicItem[discord.ui.Button], template=TEMPLATE):
    """One button under an answer; only the asker may press it."""

    def __init__(self, action: str, uid: int, rule_ids: tuple[str, ...] = (), shown: str = "", *,
                 label: str = "", style: discord.ButtonStyle = discord.ButtonStyle.secondary,
                 emoji: str | discord.PartialEmoji | None = None):
        custom_id = f"ans:{action}:{uid}:{shown}:{','.join(rule_ids)}"
        super().__init__(discord.ui.Button(label=limits.shorten(label, limits.BUTTON_LABEL), style=style,
                                           emoji=emoji, custom_id=custom_id))
        self.action, self.uid, self.rule_ids, self.shown = action, uid, rule_ids, shown

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Button,
                             match: re.Match[str]) -> "AnswerButton":
        return cls(match["action"], int(match["uid"]), tuple(r for r in match["rules"].split(",") if r),
                   match["version"], label=item.label or "", style=item.style, emoji=item.emoji)

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        return await owner_only(interaction, self.uid, NOT_YOURS)

    async def callback(self, interaction: discord.Interaction) -> None:
        # discord.py only logs errors of dynamic items: route them to the one polite handler ourselves.
        try:
            await ACTIONS[self.action](interaction.client, interaction, self)  # type: ignore[arg-type]
        except Exception as error:  # noqa: BLE001 - every failure gets the same polite reply
            await apologise(interaction, error, f"answer button {self.action}")

    @property
    def rule_id(self) -> str | None:
        return self.rule_ids[0] if self.rule_ids else None


def _fits(action: str, uid: int, rule_ids: list[str], shown: str = "") -> tuple[str, ...]:
    """As many of the rule ids as fit Discord's 100-character custom id (the first always leads)."""
    while rule_ids and len(f"ans:{action}:{uid}:{shown}:{','.join(rule_ids)}") > 100:
        rule_ids = rule_ids[:-1]
    return tuple(rule_ids)


def answer_view(bot: "PolicyBot", answer: Answer | None, audience: str, asker_id: int, *,
                shareable: bool) -> discord.ui.View | None:
    """The buttons for an answer, or None when it has none (a refusal, an empty question)."""
    if answer is None:
        return None
    view = discord.ui.View(timeout=None)
    ids = [rule.id for rule in answer.rules]
    top = _fits("u", asker_id, ids[:1])
    if answer.kind == "choose":
        for label, rule in zip(choice_labels(answer.rules[:3]), answer.rules[:3]):
            view.add_item(AnswerButton("c", asker_id, _fits("c", asker_id, [rule.id]), label=label,
                                       style=discord.ButtonStyle.primary))
        view.add_item(AnswerButton("x", asker_id, top, label="None of these"))
    if answer.kind == "answer":
        view.add_item(AnswerButton("u", asker_id, top, label="Helpful", emoji="👍"))
        view.add_item(AnswerButton("d", asker_id, top, label="Not helpful", emoji="👎"))
        # Staff-only wording never goes public, whoever asked.
        if shareable and is_public_safe(answer):
            shown = answer.rules[:2]
            view.add_item(AnswerButton("s", asker_id, _fits("s", asker_id, [r.id for r in shown], version(shown, bot.service.kb)),
                                       version(shown, bot.service.kb), label="Share in channel"))
    if answer.kind in ("answer", "choose", "decline"):
        view.add_item(AnswerButton("p", asker_id, top, label="Ask the pre-school"))
    return view if view.children else None


def _audience(bot: "PolicyBot", interaction: discord.Interaction) -> str:
    return audience_of(interaction.user, bot.settings, in_guild=interaction.guild_id is not None)


def _message_id(interaction: discord.Interaction) -> int:
    return interaction.message.id if interaction.message is not None else interaction.id


def _question(interaction: discord.Interaction) -> str:
    return read_back(interaction.message.content if interaction.message is not None else "")


async def choose(bot: "PolicyBot", interaction: discord.Interaction, button: AnswerButton) -> None:
    await interaction.response.defer(ephemeral=True, thinking=True)
    audience = _audience(bot, interaction)
    question = _question(interaction)
    chosen = await bot.service.answer_rule(button.rule_id or "", question, audience)
    if chosen is None:
        await respond(interaction, Reply(GONE), ephemeral=True)
        return
    # The asker's pick labels their question: the committee may make it an example of that rule.
    # Once per message: a second pick (of another rule) shows it, but is not a second vote.
    if question and bot.claims.claim(_message_id(interaction), "pick"):
        stored = bot.store_later(bot.feedback.record_gap, "picked", question, button.rule_id, interaction.user.id)
        if bot.settings.auto_accept_picks and button.rule_id:
            bot.later(accept_if_agreed(bot, stored, question, button.rule_id))
        log.info("choice: picked rule=%s user=%s", button.rule_id, bot.user_key(interaction.user))
    view = answer_view(bot, chosen, audience, button.uid, shareable=True)
    await respond(interaction, answer_reply(chosen, bot.service.kb), ephemeral=True, view=view)


async def none_of_these(bot: "PolicyBot", interaction: discord.Interaction, button: AnswerButton) -> None:
    """None of the rules offered: the question joins the committee's gaps, as a decline does."""
    if bot.claims.claim(_message_id(interaction), "pick"):
        bot.store_later(bot.feedback.record_gap, "none_of_these", _question(interaction), button.rule_id,
                        interaction.user.id)
        log.info("choice: none of these user=%s", bot.user_key(interaction.user))
    text = (f"Thanks: the committee will see that the policies didn't answer this. "
            f"{contact_text(bot.service.kb, bot.config.contact)}")
    await respond(interaction, Reply(limits.shorten(text, limits.CONTENT)), ephemeral=True)


async def thumbs_up(bot: "PolicyBot", interaction: discord.Interaction, button: AnswerButton) -> None:
    if not bot.claims.claim(_message_id(interaction), "vote"):
        await respond(interaction, Reply(ALREADY_VOTED), ephemeral=True)
        return
    bot.store_later(bot.feedback.record_vote, button.rule_id, +1, interaction.user.id)
    question = _question(interaction)
    if question:  # a 👍 confirms the rule answers the question: a candidate example, like a pick
        bot.store_later(bot.feedback.record_gap, "confirmed", question, button.rule_id, interaction.user.id)
    log.info("feedback: up rule=%s user=%s", button.rule_id, bot.user_key(interaction.user))
    await respond(interaction, Reply("Thanks for letting us know! 👍"), ephemeral=True)


async def thumbs_down(bot: "PolicyBot", interaction: discord.Interaction, button: AnswerButton) -> None:
    if not bot.claims.claim(_message_id(interaction), "vote"):
        await respond(interaction, Reply(ALREADY_VOTED), ephemeral=True)
        return
    # The modal must be the first response, within Discord's 3 seconds: the write goes on beside it.
    stored = bot.store_later(bot.feedback.record_thumbs_down, _question(interaction), button.rule_id,
                             interaction.user.id)
    log.info("feedback: down rule=%s user=%s", button.rule_id, bot.user_key(interaction.user))
    await interaction.response.send_modal(WhatWasWrong(bot, stored))


async def share(bot: "PolicyBot", interaction: discord.Interaction, button: AnswerButton) -> None:
    kb = bot.service.kb
    rules = [kb.rule(rule_id) for rule_id in button.rule_ids]
    audience = _audience(bot, interaction)
    current = [r for r in rules if r is not None and r.visible_to(audience) and not r.internal]
    if not current or len(current) != len(rules) or version(current, kb) != button.shown:
        await respond(interaction, Reply(CHANGED_SINCE), ephemeral=True)
        return
    if not bot.claims.claim(_message_id(interaction), "share"):
        await respond(interaction, Reply(ALREADY_SHARED), ephemeral=True)
        return
    answer = Answer(_question(interaction), "answer", plain_of(current[0]), "",
                    [Match(rule, 1.0, 1.0, 0.0) for rule in current])
    reply = answer_reply(answer, kb)
    reply.content = limits.shorten(f"Shared from a private answer.\n{reply.content or ''}".strip(), limits.CONTENT)
    log.info("shared an answer rule=%s", button.rule_id)
    await respond(interaction, reply, ephemeral=False)


async def ask_preschool(bot: "PolicyBot", interaction: discord.Interaction, button: AnswerButton) -> None:
    view = None
    if bot.settings.staff_channel_id:
        view = discord.ui.View(timeout=None)
        view.add_item(AnswerButton("n", button.uid, button.rule_ids, label="Pass it on without my name",
                                   style=discord.ButtonStyle.primary))
        view.add_item(AnswerButton("w", button.uid, button.rule_ids, label="Pass it on with my name"))
    await respond(interaction, contact_reply(bot.service.kb, bot.config.contact, _question(interaction), bool(view)), ephemeral=True,
                  view=view)


async def pass_on(bot: "PolicyBot", interaction: discord.Interaction, button: AnswerButton) -> None:
    """Send the question to the staff channel, with or without the asker's name (their choice)."""
    message_id = _message_id(interaction)
    if not bot.claims.claim(message_id, "pass"):
        await respond(interaction, Reply(ALREADY_PASSED), ephemeral=True)
        return
    try:
        await interaction.response.defer(ephemeral=True, thinking=True)
    except BaseException:
        bot.claims.release(message_id, "pass")  # nothing was posted: the question can still be passed on
        raise
    named = button.action == "w"
    nearest = f"\nNearest rule: `{button.rule_id}`" if button.rule_id else ""
    who = (f"Asked by {interaction.user.mention}; please reply to them." if named
           else "The asker chose not to share their name; if it's of general interest, "
                "please answer in a public channel.")
    text = (f"**A question the assistant couldn't settle** ({dt.date.today().isoformat()}):\n"
            f"> {limits.escape_user_text(_question(interaction), 800)}{nearest}\n{who}")
    await post(bot.get_partial_messageable(bot.settings.staff_channel_id), Reply(limits.shorten(text, limits.CONTENT)))
    log.info("passed a question to the staff channel named=%s", named)
    await respond(interaction, Reply("Done: a member of the pre-school team will pick it up."), ephemeral=True)


ACTIONS: dict[str, Callable[["PolicyBot", discord.Interaction, AnswerButton], Awaitable[None]]] = {
    "c": choose, "u": thumbs_up, "d": thumbs_down, "s": share, "p": ask_preschool, "n": pass_on, "w": pass_on,
    "x": none_of_these,
}


class WhatWasWrong(SafeModal, title="What was wrong?"):
    """The optional comment after a 👎, attached to the stored question for /gaps."""

    comment = discord.ui.TextInput(label="What was wrong with the answer? (optional)",
                                   style=discord.TextStyle.paragraph, required=False, max_length=300)

    def __init__(self, bot: "PolicyBot", stored: "asyncio.Task[int]"):
        super().__init__(timeout=15 * 60)
        self.bot = bot
        self.stored = stored  # the 👎's own write, whose row the comment joins

    async def on_submit(self, interaction: discord.Interaction) -> None:
        await respond(interaction, Reply("Thank you. The committee will look at it."), ephemeral=True)
        try:
            gap_id = await asyncio.shield(self.stored)
        except Exception:  # noqa: BLE001 - already logged by store_later: no row to attach the comment to
            return
        self.bot.store_later(self.bot.feedback.add_comment, gap_id, self.comment.value or "")
