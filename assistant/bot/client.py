"""The Discord client: a commands.Bot given its collaborators (config, answer service, database), so
tests build it with a real engine and a scratch database and drive it offline."""
from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import sys
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

import discord
from discord import app_commands
from discord.ext import commands, tasks

from assistant.bot.cogs.ask_views import Claims
from assistant.bot.errors import apologise, log_error
from assistant.bot.feedback import FeedbackStore
from assistant.bot.service import AnswerService, Cooldown
from assistant.config import Config
from assistant.storage import Database

log = logging.getLogger("assistant.bot")

SYNC_HASH_KEY = "command_sync_hash"
T = TypeVar("T")


def intents_for(config: Config) -> discord.Intents:
    """The fewest intents that work: server and message events (mentions and DMs carry their text
    without the privileged Message Content intent); that intent only for the photo nudge."""
    intents = discord.Intents.none()
    intents.guilds = True
    intents.guild_messages = True
    intents.dm_messages = True
    intents.message_content = config.bot.photo_nudge
    return intents


class PolicyTree(app_commands.CommandTree):
    """The command tree, with the one error handler."""

    async def on_error(self, interaction: discord.Interaction, error: app_commands.AppCommandError) -> None:
        name = interaction.command.name if interaction.command else "a command"
        await apologise(interaction, error, f"/{name}")


class PolicyBot(commands.Bot):
    """The pre-school policy bot. `service` may be given ready-made (tests) or be built off the event
    loop in setup_hook by `make_service` (production: the model loads before the bot reports ready)."""

    def __init__(self, config: Config, db: Database, *, service: AnswerService | None = None,
                 make_service: Callable[[], AnswerService] | None = None, force_sync: bool = False,
                 intents: discord.Intents | None = None):
        super().__init__(command_prefix=commands.when_mentioned, intents=intents or intents_for(config),
                         allowed_mentions=discord.AllowedMentions.none(), tree_cls=PolicyTree,
                         help_command=None)
        self.config = config
        self.settings = config.bot
        self.db = db
        self.feedback = FeedbackStore(db)
        self.cooldown = Cooldown(config.bot.cooldown_seconds)
        self._service = service
        self._make_service = make_service
        self.force_sync = force_sync
        self.guild_object = discord.Object(id=config.bot.guild_id)
        self._writes: set[asyncio.Task] = set()
        self.claims = Claims()  # presses already acted on, so a button never acts twice

    @property
    def service(self) -> AnswerService:
        if self._service is None:
            raise RuntimeError("the answer service is not ready yet")
        return self._service

    def store_later(self, work: Callable[..., T], *args: Any) -> "asyncio.Task[T]":
        """Run a feedback write in a worker thread without waiting for it: a reply never waits on the
        database, and a locked database or a full disk costs only that record (logged, never its text)."""
        return self.later(asyncio.to_thread(work, *args))

    def later(self, work: Coroutine[Any, Any, T]) -> "asyncio.Task[T]":
        """Run follow-up work of a reply (parents' picks becoming an example) without waiting for it;
        a failure is logged like a failed write, and the reply is never affected."""
        task = asyncio.create_task(work)
        self._writes.add(task)
        task.add_done_callback(self._write_done)
        return task

    def _write_done(self, task: asyncio.Task) -> None:
        self._writes.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.warning("could not store feedback (%s); the reply was not affected",
                        type(task.exception()).__name__)

    async def writes_settled(self, timeout: float | None = None) -> None:
        """Wait for the feedback writes under way (at close, and in tests)."""
        if self._writes:
            await asyncio.wait(list(self._writes), timeout=timeout)

    def user_key(self, user: discord.abc.User) -> str:
        """The salted hash that stands for a user in logs and in the database."""
        return self.feedback.user_hash(user.id)

    async def add_features(self) -> None:
        """Load every cog, its commands registered to the configured server only."""
        from assistant.bot.cogs import ALL_COGS

        for cog_class in ALL_COGS:
            await self.add_cog(cog_class(self), guild=self.guild_object)

    async def setup_hook(self) -> None:
        if self._service is None and self._make_service is not None:
            log.info("loading the model and the index")
            self._service = await asyncio.to_thread(self._make_service)
        await self.add_features()
        removed = await asyncio.to_thread(self.feedback.purge, self.settings.gaps_retention_days)
        log.info("purged %d feedback rows older than %d days", removed, self.settings.gaps_retention_days)
        self.daily_purge.start()
        if self.http.token:  # offline tests build the bot without logging in
            await self.sync_commands()

    def command_hash(self) -> str:
        """A hash of the command payloads registered for the server: changes when the command set does."""
        payload = [command.to_dict(self.tree) for command in self.tree.get_commands(guild=self.guild_object)]
        return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()

    async def sync_commands(self) -> bool:
        """Sync to the configured server only when the commands changed (or --sync); never globally."""
        digest = self.command_hash()
        stored = await asyncio.to_thread(self.db.get_meta, SYNC_HASH_KEY)
        if not self.force_sync and stored == digest:
            log.info("slash commands unchanged; not syncing")
            return False
        synced = await self.tree.sync(guild=self.guild_object)
        await asyncio.to_thread(self.db.set_meta, SYNC_HASH_KEY, digest)
        log.info("synced %d slash commands to the configured server", len(synced))
        return True

    @tasks.loop(hours=24)
    async def daily_purge(self) -> None:
        removed = await asyncio.to_thread(self.feedback.purge, self.settings.gaps_retention_days)
        log.info("daily purge removed %d feedback rows", removed)

    @daily_purge.before_loop
    async def _skip_first_purge(self) -> None:
        await asyncio.sleep(24 * 3600)  # setup_hook purged already

    async def on_ready(self) -> None:
        # Fires on every reconnect: nothing here may sync commands or load anything.
        log.info("ready: serving %d rules", len(self.service.kb.rules))

    async def on_message(self, message: discord.Message) -> None:
        # No prefix commands: the cogs' listeners answer messages (mentions, DMs, the photo nudge).
        return

    async def on_error(self, event: str, *args, **kwargs) -> None:
        log_error(sys.exc_info()[1] or RuntimeError("unknown"), event)

    async def close(self) -> None:
        self.daily_purge.cancel()
        await self.writes_settled(timeout=15)
        await super().close()
        if self._service is not None:
            self._service.close()
