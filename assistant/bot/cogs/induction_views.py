"""The induction's messages and buttons in Discord. The buttons are persistent (a DynamicItem): their
custom id says whose they are and what they do, and all progress is in the database, so a button
still works after the bot restarts."""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

import discord

from assistant.bot import limits
from assistant.bot.access import owner_only
from assistant.bot.errors import apologise
from assistant.bot.present import COLOUR
from assistant.bot.send import Reply
from assistant.induction.content import key_hash
from assistant.induction.flow import Feedback, Question, Reading, Signed, Step, Summary
from assistant.induction.render import LETTERS, feedback_blocks, pack, signed_text, step_blocks
from assistant.induction.report import StatusRow, status_lines
from assistant.policy import KnowledgeBase
from assistant.text import count_of

if TYPE_CHECKING:
    from assistant.bot.cogs.induction import InductionCog

COG_NAME = "Induction"
NOT_YOURS = "These buttons belong to the person doing this induction."
RIGHT, WRONG = discord.Colour.green(), discord.Colour.red()
EMBED_TEXT = limits.EMBED_DESCRIPTION - 96  # 4000: room to spare in one embed's description
MESSAGE_TEXT = limits.EMBED_TOTAL - 500  # 5500: room to spare in all embeds of one message
# ind:<user id>:<n next page | a answer | s sign | r retake>:<page or question hash>[:<option>]
TEMPLATE = r"ind:(?P<uid>[0-9]{1,20}):(?P<action>[nasr]):(?P<arg>[0-9a-f]{0,16})(?::(?P<choice>[0-9]))?"


class InductionButton(discord.ui.DynamicItem[discord.ui.Button], template=TEMPLATE):
    """One button of someone's induction; only that person may press it."""

    def __init__(self, uid: int, action: str, arg: str = "", choice: int | None = None, *, label: str = "",
                 style: discord.ButtonStyle = discord.ButtonStyle.primary):
        custom_id = f"ind:{uid}:{action}:{arg}" + (f":{choice}" if choice is not None else "")
        super().__init__(discord.ui.Button(label=limits.shorten(label, limits.BUTTON_LABEL), style=style,
                                           custom_id=custom_id))
        self.uid, self.action, self.arg, self.choice = uid, action, arg, choice

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Button,
                             match: re.Match[str]) -> "InductionButton":
        choice = match["choice"]
        return cls(int(match["uid"]), match["action"], match["arg"], int(choice) if choice else None,
                   label=item.label or "", style=item.style)

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        return await owner_only(interaction, self.uid, NOT_YOURS)

    async def callback(self, interaction: discord.Interaction) -> None:
        # discord.py only logs errors of dynamic items: route them to the one polite handler ourselves.
        try:
            cog: InductionCog | None = interaction.client.get_cog(COG_NAME)  # type: ignore[attr-defined]
            if cog is None:
                raise RuntimeError("the induction is not loaded")
            await cog.on_button(interaction, self.action, self.arg, self.choice)
        except Exception as error:  # noqa: BLE001 - every failure gets the same polite reply
            await apologise(interaction, error, "induction button")


def step_view(step: Step, uid: int) -> discord.ui.View | None:
    """The buttons under a step: next page, answer options, sign-off or retake."""
    view = discord.ui.View(timeout=None)
    if isinstance(step, Reading):
        label = "Start the quiz" if step.page + 1 == step.pages else "Next"
        view.add_item(InductionButton(uid, "n", str(step.page), label=label))
    elif isinstance(step, Question):
        for n in range(len(step.item.options)):
            view.add_item(InductionButton(uid, "a", key_hash(step.key), n, label=LETTERS[n],
                                          style=discord.ButtonStyle.secondary))
    elif isinstance(step, Summary):
        if step.passed:
            view.add_item(InductionButton(uid, "s", label=step.statement, style=discord.ButtonStyle.success))
        else:
            view.add_item(InductionButton(uid, "r", label="Try the quiz again"))
    return view if view.children else None


def _embeds(blocks: list[str], colour: discord.Colour) -> list[discord.Embed]:
    return [discord.Embed(description=text, colour=colour) for text in pack(blocks, EMBED_TEXT)]


def _messages(embeds: list[discord.Embed], view: discord.ui.View | None) -> list[tuple[Reply, discord.ui.View | None]]:
    """Embeds grouped into as few messages as Discord allows; the buttons go under the last one."""
    groups: list[list[discord.Embed]] = []
    for embed in embeds:
        if groups and len(groups[-1]) < limits.EMBEDS and sum(map(len, groups[-1])) + len(embed) <= MESSAGE_TEXT:
            groups[-1].append(embed)
        else:
            groups.append([embed])
    return [(Reply(None, group), view if n == len(groups) - 1 else None) for n, group in enumerate(groups)]


def outcome_messages(outcome: Feedback | Signed | Step, kb: KnowledgeBase,
                     uid: int) -> list[tuple[Reply, discord.ui.View | None]]:
    """What to send after a command or a button: feedback or a sign-off receipt, then the next step."""
    embeds: list[discord.Embed] = []
    if isinstance(outcome, Feedback):
        embeds += _embeds(feedback_blocks(outcome, kb), RIGHT if outcome.correct else WRONG)
        outcome = outcome.next
    elif isinstance(outcome, Signed):
        embeds += _embeds([signed_text(outcome)], RIGHT)
        outcome = outcome.next
    embeds += _embeds(step_blocks(outcome, kb), COLOUR)
    return _messages(embeds, step_view(outcome, uid))


def status_messages(rows: list[StatusRow], pass_mark: float) -> list[tuple[Reply, None]]:
    """The leader's listing: a summary line, then one line per person and policy."""
    if not rows:
        return [(Reply("No one has started the induction yet."), None)]
    signed = sum(r.state == "signed" or r.state.startswith("signed ") for r in rows)
    due = sum(bool(r.due) for r in rows)
    head = (f"**Induction status** — {count_of(len(rows), 'record')}: {signed} signed and up to date, {due} due a refresher, "
            f"{len(rows) - signed - due} in progress or not passed. Pass mark {pass_mark:.0%}.")
    lines = [f"• {line}" for line in status_lines(rows, escape=lambda name: limits.escape_user_text(name, 100))]
    embeds = [discord.Embed(description=text, colour=COLOUR)
              for text in limits.split("\n".join([head, *lines]), EMBED_TEXT)]
    return [(reply, None) for reply, _ in _messages(embeds, None)]
