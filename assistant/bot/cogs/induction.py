"""/induction start (staff and committee) and /induction status (committee or the leader): the staff
induction in Discord, private to the person doing it. Roles are checked when a command or button runs;
the engine (assistant.induction) does the work in a worker thread."""
from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from assistant.bot.access import member_role_ids
from assistant.bot.cogs.induction_views import COG_NAME, InductionButton, outcome_messages, status_messages
from assistant.bot.errors import Refusal
from assistant.bot.send import respond
from assistant.induction.flow import Induction, Person
from assistant.induction.report import status_rows
from assistant.induction.store import InductionStore

if TYPE_CHECKING:
    from assistant.bot.client import PolicyBot

STAFF_ONLY = "Sorry, the induction is for staff and committee members."
LEADERS_ONLY = "Sorry, the induction status is for the committee and the leader."


@app_commands.guild_only()
# Hidden from members without Manage Server until the server's admin shows it to the staff and committee
# roles (Integrations, docs/bot.md): Discord lets only people, not bots, give a command to roles.
@app_commands.default_permissions(manage_guild=True)
class InductionCog(commands.GroupCog, name=COG_NAME, group_name="induction",
                   group_description="Staff induction: the rules, a short quiz and sign-off"):
    """The induction's commands and the handler of its buttons."""

    def __init__(self, bot: "PolicyBot"):
        self.bot = bot
        self.store: InductionStore | None = None
        super().__init__()

    async def cog_load(self) -> None:
        self.store = await asyncio.to_thread(InductionStore, self.bot.db)
        self.bot.add_dynamic_items(InductionButton)

    async def cog_unload(self) -> None:
        self.bot.remove_dynamic_items(InductionButton)

    def person(self, user: discord.abc.User) -> Person:
        """The inductee, with roles from their role ids; anyone else is refused."""
        roles = member_role_ids(user, self.bot.settings)
        found = tuple(role for role, ids in (("staff", self.bot.settings.staff_role_ids),
                                             ("committee", self.bot.settings.committee_role_ids))
                      if roles & set(ids))
        if not found:
            raise Refusal(STAFF_ONLY)
        return Person(str(user.id), user.display_name, found)

    def require_leader(self, user: discord.abc.User) -> None:
        allowed = set(self.bot.settings.committee_role_ids) | set(self.bot.config.induction.leader_role_ids)
        if not member_role_ids(user, self.bot.settings) & allowed:
            raise Refusal(LEADERS_ONLY)

    def engine(self) -> Induction:
        # The knowledge of the moment: /reload may have swapped it since the last step.
        return Induction(self.bot.service.kb, self.store, self.bot.config.induction)

    async def _send(self, interaction: discord.Interaction, outcome, uid: int, kb) -> None:
        for reply, view in outcome_messages(outcome, kb, uid):
            await respond(interaction, reply, ephemeral=True, view=view)

    @app_commands.command(name="start")
    async def start(self, interaction: discord.Interaction) -> None:
        """Staff and committee: the rules that apply to you, a short quiz, and sign-off (only you see it)."""
        person = self.person(interaction.user)
        await interaction.response.defer(ephemeral=True, thinking=True)
        engine = self.engine()
        step = await asyncio.to_thread(engine.current, person)
        await self._send(interaction, step, interaction.user.id, engine.kb)

    @app_commands.command(name="status")
    async def status(self, interaction: discord.Interaction) -> None:
        """Committee and leader: who has started, finished, passed and signed, and who is due a refresher."""
        self.require_leader(interaction.user)
        await interaction.response.defer(ephemeral=True, thinking=True)
        engine = self.engine()
        rows = await asyncio.to_thread(status_rows, engine.kb, self.store, engine.settings)
        for reply, _ in status_messages(rows, engine.settings.pass_mark):
            await respond(interaction, reply, ephemeral=True)

    async def on_button(self, interaction: discord.Interaction, action: str, arg: str, choice: int | None) -> None:
        """A button of the induction was pressed by its owner."""
        person = self.person(interaction.user)  # roles can change between two clicks
        await interaction.response.edit_message(view=None)  # acknowledge at once; the pressed buttons go
        engine = self.engine()
        if action == "n":
            outcome = await asyncio.to_thread(engine.advance, person, int(arg or 0))
        elif action == "a":
            outcome = await asyncio.to_thread(engine.answer, person, arg, choice if choice is not None else -1)
        elif action == "s":
            outcome = await asyncio.to_thread(engine.sign_off, person)
        else:
            outcome = await asyncio.to_thread(engine.retake, person)
        await self._send(interaction, outcome, interaction.user.id, engine.kb)
