"""The committee's review queue in Discord (/gaps): one declined or 👎 question at a time, with its
nearest rules as buttons. "Add as an example", "Not covered" and "Dismiss" act at once: the knowledge
file is changed only if `check` passes, the bot reloads, and the question is deleted from the gaps.
The question is shown first and can be edited, so a child's name never ends up in a rules file."""
from __future__ import annotations

import asyncio
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Callable

import discord

from assistant import review
from assistant.bot import limits
from assistant.bot.access import is_committee
from assistant.bot.errors import COMMITTEE_ONLY, SafeModal, apologise
from assistant.bot.feedback import Gap
from assistant.bot.present import COLOUR, topic
from assistant.bot.send import NO_MENTIONS, Reply, respond
from assistant.bot.service import ChangeReport
from assistant.ingest.conflicts import OffTopicConflict
from assistant.policy import Rule
from assistant.review import possible_names
from assistant.text import count_of

if TYPE_CHECKING:
    from assistant.bot.client import PolicyBot

BUTTON_RULES = 3  # nearest rules offered as buttons
SELECT_RULES = 25  # Discord's most options in a select
TIMEOUT = 14 * 60  # an ephemeral message can be edited for 15 minutes
OFF_TOPIC_SHOWN = 5  # off-topic questions a rule may answer, offered for removal per /gaps
NOT_YOURS = "This review belongs to the committee member who opened it; use /gaps to open your own."


@dataclass(frozen=True)
class Item:
    """The gap on screen: the question as it will be saved (perhaps edited) and its nearest rules."""

    gap: Gap
    question: str
    nearest: list[Rule]
    position: int
    total: int


def item_embed(item: Item, names: list[str] = ()) -> discord.Embed:
    gap = item.gap
    edited = item.question != gap.question
    lines = [f"> {limits.escape_user_text(item.question, 600)}",
             f"{gap.why.capitalize()} on {gap.day.isoformat()}"
             + (" (edited by you before saving)" if edited else "")]
    if gap.labelled:
        lines.insert(0, f"Parents chose `{gap.rule_id}` for:")
    if names:
        lines.append(f"It may name someone ({limits.escape_user_text(', '.join(names), 100)}): "
                     "**Edit** it before it can be saved.")
    if gap.comment:
        lines.append(f"Their comment: {limits.escape_user_text(gap.comment, 300)}")
    embed = discord.Embed(title=f"Question {item.position + 1} of {item.total}", colour=COLOUR,
                          description="\n".join(lines))
    if item.nearest:
        listed = "\n".join(f"**{n}.** {topic(rule)} (`{rule.id}`)" for n, rule in enumerate(item.nearest[:BUTTON_RULES], 1))
        embed.add_field(name="Nearest rules", value=limits.shorten(listed, limits.FIELD_VALUE), inline=False)
    embed.set_footer(text="Check the question names no child or family before you save it (Edit first if it "
                          "does). Saving writes the policy files, checks them and reloads.")
    return embed


def change_said(report: ChangeReport) -> str:
    """What a saved change did, in words: the change, the reload, and any warning about the file."""
    reload = report.reload
    said = report.said + (f" Check passed; reloaded: now {reload.rules} rules." if reload.ok else
                          " It passed check, but the reload failed, so I'm still answering from the previous "
                          "version: " + "; ".join(reload.problems[:3]))
    if report.warnings:
        said += f" {count_of(len(report.warnings), 'warning')} about that file: see `python -m assistant check`."
    return said


class EditModal(SafeModal, title="Edit the question before saving"):
    """Change the wording that will be saved (remove names, fix typos); nothing is saved yet."""

    def __init__(self, view: "ReviewView"):
        super().__init__(timeout=TIMEOUT)
        self.view = view
        self.text = discord.ui.TextInput(label="The question as it will be saved", default=view.item.question,
                                         style=discord.TextStyle.paragraph, max_length=500)
        self.add_item(self.text)

    async def on_submit(self, interaction: discord.Interaction) -> None:
        question = " ".join(self.text.value.split())
        if not question:
            await respond(interaction, Reply("The question can't be empty; it is unchanged."), ephemeral=True)
            return
        view = self.view
        view.item = replace(view.item, question=question,
                            nearest=await view.bot.service.nearest(question, SELECT_RULES))
        view.rebuild()
        await interaction.response.edit_message(embed=item_embed(view.item, view.names), view=view,
                                                allowed_mentions=NO_MENTIONS)


class ReviewView(discord.ui.View):
    """The buttons of one gap; each press acts on it and then shows the next gap."""

    def __init__(self, bot: "PolicyBot", owner_id: int, queue: list[Gap], item: Item):
        super().__init__(timeout=TIMEOUT)
        self.bot, self.owner_id, self.queue, self.item = bot, owner_id, queue, item
        self.rebuild()

    @property
    def names(self) -> list[str]:
        """Words that may name a child or family; none once the committee member has edited it."""
        if self.item.question != self.item.gap.question:
            return []
        return possible_names(self.item.question, self.bot.service.kb.policy_text)

    def rebuild(self) -> None:
        self.clear_items()
        blocked = bool(self.names)
        gap = self.item.gap
        if gap.labelled:
            self.add_item(self._button(f"Accept: add to {gap.rule_id}"[:80], discord.ButtonStyle.success, 0,
                                       self._adder(gap.rule_id or ""), disabled=blocked))
        for n, rule in enumerate(self.item.nearest[:BUTTON_RULES], 1):
            if gap.labelled and rule.id == gap.rule_id:
                continue
            self.add_item(self._button(f"Add to {n}: {topic(rule, limit=60)}", discord.ButtonStyle.success, 0,
                                       self._adder(rule.id), disabled=blocked))
        if len(self.item.nearest) > BUTTON_RULES:
            options = [discord.SelectOption(label=limits.shorten(topic(rule, limit=90), 100), value=rule.id,
                                            description=limits.shorten(rule.id, 100))
                       for rule in self.item.nearest[:SELECT_RULES]]
            select = discord.ui.Select(placeholder="…or add as an example of another rule", options=options, row=1,
                                       disabled=blocked)

            async def chosen(interaction: discord.Interaction) -> None:
                await self._adder(select.values[0])(interaction)
            select.callback = chosen
            self.add_item(select)
        if not gap.labelled:
            self.add_item(self._button("Not covered: add to off-topic", discord.ButtonStyle.danger, 2,
                                       self._off_topic, disabled=blocked))
        self.add_item(self._button("Edit the question", discord.ButtonStyle.secondary, 2, self._edit))
        self.add_item(self._button("Reject" if gap.labelled else "Dismiss", discord.ButtonStyle.secondary, 2,
                                   self._dismiss))
        self.add_item(self._button("Skip", discord.ButtonStyle.secondary, 2, self._skip))

    @staticmethod
    def _button(label: str, style: discord.ButtonStyle, row: int, action: Callable, *,
                disabled: bool = False) -> discord.ui.Button:
        button = discord.ui.Button(label=label, style=style, row=row, disabled=disabled)
        button.callback = action
        return button

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        if interaction.user.id == self.owner_id and is_committee(interaction.user, self.bot.settings):
            return True
        await respond(interaction, Reply(NOT_YOURS if is_committee(interaction.user, self.bot.settings)
                                         else COMMITTEE_ONLY), ephemeral=True)
        return False

    async def on_error(self, interaction: discord.Interaction, error: Exception, item) -> None:
        await apologise(interaction, error, "the review queue")

    def _adder(self, rule_id: str) -> Callable:
        async def add(interaction: discord.Interaction) -> None:
            question = self.item.question
            await self._save(interaction, f"Adding it as an example of `{rule_id}`…",
                             lambda directory: review.add_example(directory, rule_id, question))
        return add

    async def _off_topic(self, interaction: discord.Interaction) -> None:
        question = self.item.question
        await self._save(interaction, "Adding it to the off-topic questions…",
                         lambda directory: review.add_off_topic(directory, question))

    async def _edit(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_modal(EditModal(self))

    async def _acknowledge(self, interaction: discord.Interaction, working: str) -> None:
        """Answer the press at once (a reload can take longer than Discord waits); its buttons go."""
        await interaction.response.edit_message(content=working, embeds=[], view=None)
        self.stop()

    async def _dismiss(self, interaction: discord.Interaction) -> None:
        await self._acknowledge(interaction, "Dismissing it…")
        await self._done(interaction, "Dismissed: the question was deleted and nothing was added.")

    async def _skip(self, interaction: discord.Interaction) -> None:
        await self._acknowledge(interaction, "Skipped.")
        await self._next(interaction, "Skipped: it stays in the gaps for later.")

    async def _save(self, interaction: discord.Interaction, working: str, make: Callable) -> None:
        await self._acknowledge(interaction, working)
        try:
            report = await self.bot.service.change(make)
        except review.ReviewError as exc:
            await self._show(interaction, f"Nothing was changed: {exc}.", self.item)
            return
        await self._done(interaction, change_said(report))

    async def _done(self, interaction: discord.Interaction, said: str) -> None:
        """The gap dealt with (the press already acknowledged): deleted from the database, then the next one."""
        await asyncio.to_thread(self.bot.feedback.delete_gap, self.item.gap.id)
        self.queue = [g for g in self.queue if g.id != self.item.gap.id]
        await self._next(interaction, said, removed=True)

    async def _next(self, interaction: discord.Interaction, said: str, *, removed: bool = False) -> None:
        following = self.item.position if removed else self.item.position + 1
        if following >= len(self.queue):
            await respond(interaction, Reply(limits.shorten(f"{said}\nThat was the last question to look at.",
                                                            limits.CONTENT)), ephemeral=True)
            return
        item = await load_item(self.bot, self.queue, following)
        await self._show(interaction, said, item)

    async def _show(self, interaction: discord.Interaction, said: str, item: Item) -> None:
        view = ReviewView(self.bot, self.owner_id, self.queue, item)
        await respond(interaction, Reply(limits.shorten(said, limits.CONTENT), [item_embed(item, view.names)]),
                      ephemeral=True, view=view)


async def load_item(bot: "PolicyBot", queue: list[Gap], position: int) -> Item:
    gap = queue[position]
    nearest = await bot.service.nearest(gap.question, SELECT_RULES)
    return Item(gap, gap.question, nearest, position, len(queue))


async def open_queue(bot: "PolicyBot", owner_id: int, queue: list[Gap], days: int) -> tuple[Reply, ReviewView | None]:
    """The first message of the review: how many questions, and the first of them with its buttons."""
    if not queue:
        return Reply(f"No declined or 👎 questions in the last {days} days."), None
    item = await load_item(bot, queue, 0)
    heading = (f"{count_of(len(queue), 'question')} from the last {days} days to look at, the most asked "
               "topics first. Add each to the rule that answers it, mark it as not covered, or dismiss it.")
    view = ReviewView(bot, owner_id, queue, item)
    return Reply(heading, [item_embed(item, view.names)]), view


class OffTopicView(discord.ui.View):
    """Off-topic questions that a rule may answer now (a newly ingested policy): a button each to take
    it out of the off-topic list, so those questions are answered again."""

    def __init__(self, bot: "PolicyBot", owner_id: int, questions: list[str]):
        super().__init__(timeout=TIMEOUT)
        self.bot, self.owner_id = bot, owner_id
        for n, question in enumerate(questions, 1):
            button = discord.ui.Button(label=f"Remove {n} from off-topic", style=discord.ButtonStyle.danger)
            button.callback = self._remover(question, button)
            self.add_item(button)

    interaction_check = ReviewView.interaction_check
    on_error = ReviewView.on_error

    def _remover(self, question: str, button: discord.ui.Button) -> Callable:
        async def remove(interaction: discord.Interaction) -> None:
            button.disabled = True
            await interaction.response.edit_message(view=self)
            try:
                report = await self.bot.service.change(lambda directory: review.remove_off_topic(directory, question))
            except review.ReviewError as exc:
                await respond(interaction, Reply(f"Nothing was changed: {exc}."), ephemeral=True)
                return
            await respond(interaction, Reply(limits.shorten(change_said(report), limits.CONTENT)), ephemeral=True)
        return remove


def off_topic_reply(bot: "PolicyBot", owner_id: int,
                    found: list[OffTopicConflict]) -> tuple[Reply, OffTopicView] | None:
    """The knowledge-wide off-topic questions a rule may answer now (what `check` warns of), to remove."""
    found = list({c.question: c for c in found}.values())[:OFF_TOPIC_SHOWN]
    if not found:
        return None
    listed = "\n".join(f"**{n}.** {limits.escape_user_text(c.question, 200)} (near rule `{c.rule_id}`)"
                       for n, c in enumerate(found, 1))
    text = ("These off-topic questions may be answered by a policy now, so they would be declined wrongly. "
            f"Remove those a policy answers:\n{listed}")
    return Reply(limits.shorten(text, limits.CONTENT)), OffTopicView(bot, owner_id, [c.question for c in found])
