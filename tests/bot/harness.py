"""Drives the bot offline through real discord.py objects: slash commands through the real
CommandTree, button clicks and modal submits through the real view store, with every interaction
response, followup and channel send recorded. No network, no token.

Reusable by any cog: build the bot with `start_bot(config, db, service)`, then

    h = Harness(bot)
    with h:
        recs = await h.command("ask", question="...", role_ids=[STAFF])
        await h.click(recs[-1], "Share in channel")
        await h.submit(modal_record, {"What was wrong": "..."})

It relies on discord.py internals (async_context, AsyncWebhookAdapter, the view store, `_connection`),
which is why discord.py is pinned; see /work/shared/examples/discord_offline_harness.py.
"""
from __future__ import annotations

import asyncio
import contextlib
import itertools
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

import discord
from discord.webhook.async_ import AsyncWebhookAdapter, async_context

from assistant.bot.client import PolicyBot
from assistant.bot.service import AnswerService
from assistant.config import Config
from assistant.storage import Database

APP_ID = 4242
BOT_USER_ID = 555
USER_ID = 777
CHANNEL_ID = 2000
EPHEMERAL = 64
DEFERRED = 5
MESSAGE = 4
MODAL = 9

_ids = itertools.count(10_000)


@dataclass
class Record:
    """One thing the bot sent: an interaction callback, a followup, or a channel message."""

    kind: str  # "callback", "followup" or "channel"
    payload: dict[str, Any]
    message_id: int | None = None
    channel_id: int | None = None

    @property
    def message(self) -> dict[str, Any]:
        """The message fields of the payload (a callback nests them under 'data')."""
        return self.payload.get("data", {}) if self.kind == "callback" else self.payload

    @property
    def ephemeral(self) -> bool:
        return bool(self.message.get("flags", 0) & EPHEMERAL)

    @property
    def content(self) -> str:
        return self.message.get("content") or ""

    @property
    def embeds(self) -> list[dict[str, Any]]:
        return self.message.get("embeds") or []

    @property
    def text(self) -> str:
        """Everything a reader sees: content, embed titles, descriptions, fields, footers."""
        parts = [self.content]
        for embed in self.embeds:
            parts += [embed.get("title", ""), embed.get("description", ""),
                      (embed.get("footer") or {}).get("text", "")]
            parts += [f"{f['name']}\n{f['value']}" for f in embed.get("fields", [])]
        return "\n".join(p for p in parts if p)

    def components(self, kind: int | None = None) -> list[dict[str, Any]]:
        """All leaf components (buttons, inputs), depth first."""
        found: list[dict[str, Any]] = []

        def walk(nodes: Iterable[dict[str, Any]]) -> None:
            for node in nodes:
                if "components" in node or "component" in node:
                    walk(node.get("components") or [node["component"]])
                elif kind is None or node.get("type") == kind:
                    found.append(node)
        walk(self.message.get("components") or [])
        return found

    @property
    def labels(self) -> list[str]:
        return [c.get("label", "") for c in self.components(2)]


def message_payload(content: str = "", *, message_id: int | None = None, channel_id: int = CHANNEL_ID,
                    author_id: int = APP_ID, **extra: Any) -> dict[str, Any]:
    """A message as Discord sends it."""
    return {
        "id": str(message_id or next(_ids)), "channel_id": str(channel_id), "type": 0, "content": content,
        "author": {"id": str(author_id), "username": "policybot", "discriminator": "0", "avatar": None},
        "attachments": [], "embeds": [], "mentions": [], "mention_roles": [], "pinned": False,
        "mention_everyone": False, "tts": False, "timestamp": "2026-01-01T00:00:00+00:00",
        "edited_timestamp": None, "flags": 0, "components": [], **extra,
    }


class RecordingAdapter(AsyncWebhookAdapter):
    """Stands in for Discord's interaction endpoints, recording what is sent."""

    def __init__(self, harness: "Harness"):
        super().__init__()
        self.harness = harness

    async def create_interaction_response(self, interaction_id, token, *, session, proxy=None,
                                          proxy_auth=None, params):
        # An update (type 7) edits the message whose component was used: it keeps that message's id.
        message_id = self.harness.acting_on if params.payload["type"] == 7 else next(_ids)
        self.harness.records.append(Record("callback", params.payload, message_id))
        data = params.payload.get("data") or {}
        return {"interaction": {"id": str(interaction_id), "type": 2},
                "resource": {"type": params.payload["type"],
                             "message": message_payload(data.get("content", ""), message_id=message_id)}}

    async def execute_webhook(self, webhook_id, token, *, session, proxy=None, proxy_auth=None,
                              payload=None, multipart=None, files=None, thread_id=None, wait=False,
                              with_components=False):
        message_id = next(_ids)
        self.harness.records.append(Record("followup", payload, message_id))
        return message_payload(payload.get("content", ""), message_id=message_id, flags=payload.get("flags", 0))


async def start_bot(config: Config, db: Database, service: AnswerService, *,
                    intents: discord.Intents | None = None, fake_login: bool = True) -> PolicyBot:
    """The real bot, with its cogs loaded, as if logged in (but never connected)."""
    bot = PolicyBot(config, db, service=service, intents=intents)
    await bot._async_setup_hook()  # what login() does first: bind the client to this loop
    if fake_login:
        bot._connection.user = discord.ClientUser(state=bot._connection, data={
            "id": str(BOT_USER_ID), "username": "policybot", "discriminator": "0", "avatar": None,
            "bot": True, "verified": True, "mfa_enabled": False})
        bot._connection.application_id = APP_ID
        # The configured server, cached as after READY, so messages there carry real Members.
        bot._connection._add_guild(discord.Guild(state=bot._connection, data={
            "id": str(config.bot.guild_id), "name": "Pre-school", "roles": [], "channels": [], "members": []}))
    await bot.setup_hook()
    return bot


class Harness:
    """Records everything `bot` sends while active (use as a context manager)."""

    def __init__(self, bot: PolicyBot):
        self.bot = bot
        self.records: list[Record] = []
        self.acting_on: int | None = None  # the message whose button, select or form is being used
        self._adapter = RecordingAdapter(self)
        self._token = None
        self._original_send = None

    def __enter__(self) -> "Harness":
        self._token = async_context.set(self._adapter)
        self._original_send = self.bot.http.send_message

        async def send_message(channel_id, *, params, **_):
            message_id = next(_ids)
            self.records.append(Record("channel", params.payload, message_id, int(channel_id)))
            return message_payload(params.payload.get("content") or "", message_id=message_id,
                                   channel_id=int(channel_id))
        self.bot.http.send_message = send_message
        return self

    def __exit__(self, *exc) -> None:
        async_context.reset(self._token)
        self.bot.http.send_message = self._original_send

    # -- building interactions ------------------------------------------------------------------
    def interaction_payload(self, kind: int, data: dict[str, Any], *, role_ids: Iterable[int] = (),
                            guild: bool = True, user_id: int = USER_ID,
                            message: dict[str, Any] | None = None) -> dict[str, Any]:
        payload: dict[str, Any] = {
            "id": str(next(_ids)), "application_id": str(APP_ID), "token": "interaction-token", "version": 1,
            "type": kind, "data": data, "attachment_size_limit": 0, "channel_id": str(CHANNEL_ID),
            "app_permissions": "0", "entitlements": [], "authorizing_integration_owners": {},
            "context": 0 if guild else 1, "locale": "en-GB",
        }
        user = {"id": str(user_id), "username": f"user{user_id}", "discriminator": "0", "avatar": None}
        if guild:
            payload["guild_id"] = str(self.bot.settings.guild_id)
            payload["guild_locale"] = "en-GB"
            payload["member"] = {"user": user, "roles": [str(r) for r in role_ids], "joined_at": None,
                                 "deaf": False, "mute": False, "permissions": "0", "flags": 0}
        else:
            payload["user"] = user
        if message is not None:
            payload["message"] = message
        return payload

    def interaction(self, kind: int, data: dict[str, Any], **who: Any) -> discord.Interaction:
        if kind in (2, 4) and who.get("guild", True):
            # Discord names the guild a guild-registered command belongs to.
            data = {**data, "guild_id": str(self.bot.settings.guild_id)}
        return discord.Interaction(data=self.interaction_payload(kind, data, **who), state=self.bot._connection)

    @staticmethod
    def options(values: dict[str, Any], focused: str | None = None) -> list[dict[str, Any]]:
        return [{"type": 4 if isinstance(v, int) and not isinstance(v, bool) else 3, "name": k, "value": v,
                 **({"focused": True} if k == focused else {})} for k, v in values.items()]

    # -- driving --------------------------------------------------------------------------------
    async def _collect(self, run) -> list[Record]:
        start = len(self.records)
        await run
        await self.settle()
        return self.records[start:]

    async def settle(self) -> None:
        """Wait for the tasks discord.py spawned for views and modals, and the feedback writes after them."""
        tasks = self.bot._connection._view_store._ViewStore__tasks  # private: pinned discord.py
        while tasks:
            await asyncio.gather(*list(tasks), return_exceptions=True)
        await self.bot.writes_settled()

    async def first_reply(self, run, kind: str | None = None) -> tuple[Record, asyncio.Task]:
        """Start `run` (a command, a click) and return the first thing it sends (of `kind`, if given)
        while it may still be busy after it (storing feedback), with the task to await."""
        start = len(self.records)
        task = asyncio.create_task(run)

        def sent() -> list[Record]:
            return [r for r in self.records[start:] if kind is None or r.kind == kind]
        for _ in range(3000):  # the real engine answers well within this; a database wait would not
            if sent() or task.done():
                break
            await asyncio.sleep(0.01)
        assert sent(), "nothing was sent"
        return sent()[0], task

    async def command(self, name: str, *, role_ids: Iterable[int] = (), guild: bool = True,
                      user_id: int = USER_ID, **options: Any) -> list[Record]:
        """Run a slash command; returns what it sent."""
        data = {"type": 1, "name": name, "id": str(next(_ids)), "options": self.options(options)}
        interaction = self.interaction(2, data, role_ids=role_ids, guild=guild, user_id=user_id)
        return await self._collect(self.bot.tree._call(interaction))

    def message_object(self, content: str, *, guild: bool = True, role_ids: Iterable[int] = (),
                       user_id: int = USER_ID, mention_bot: bool = False, channel_id: int = CHANNEL_ID,
                       attachments: list[dict[str, Any]] | None = None) -> discord.Message:
        """A real discord.Message as the gateway would deliver it (guild channel or DM)."""
        author = {"id": str(user_id), "username": f"user{user_id}", "discriminator": "0", "avatar": None}
        me = self.bot.user
        extra: dict[str, Any] = {"author": author, "attachments": attachments or [],
                                 "mentions": [{"id": str(me.id), "username": me.name, "discriminator": "0",
                                               "avatar": None, "bot": True}] if mention_bot else []}
        if guild:
            guild_id = self.bot.settings.guild_id
            extra.update(guild_id=str(guild_id), member={"roles": [str(r) for r in role_ids], "joined_at": None,
                                                         "deaf": False, "mute": False, "flags": 0})
            channel = self.bot.get_partial_messageable(channel_id, guild_id=guild_id, type=discord.ChannelType.text)
        else:
            channel = self.bot.get_partial_messageable(channel_id, type=discord.ChannelType.private)
        data = message_payload(content, channel_id=channel_id, **extra)
        data["author"] = author
        return discord.Message(state=self.bot._connection, channel=channel, data=data)

    async def message(self, content: str, **how: Any) -> list[Record]:
        """Deliver a message to every on_message listener of the bot's cogs; returns what they sent."""
        message = self.message_object(content, **how)

        async def run() -> None:
            for listener in self.bot.extra_events.get("on_message", []):
                await listener(message)
        return await self._collect(run())

    async def autocomplete(self, name: str, focused: str, *, role_ids: Iterable[int] = (),
                           **options: Any) -> list[dict[str, Any]]:
        """The choices a command's autocomplete offers for the focused option."""
        data = {"type": 1, "name": name, "id": str(next(_ids)), "options": self.options(options, focused)}
        records = await self._collect(self.bot.tree._call(self.interaction(4, data, role_ids=role_ids)))
        return records[-1].payload["data"]["choices"]

    async def click(self, record: Record, label: str, *, role_ids: Iterable[int] = (), guild: bool = True,
                    user_id: int = USER_ID) -> list[Record]:
        """Press the button whose label contains `label` on a recorded message."""
        button = next((c for c in record.components(2) if label in c.get("label", "")), None)
        if button is None:
            raise AssertionError(f"no button {label!r} in {record.labels}")
        data = {"custom_id": button["custom_id"], "component_type": 2}
        return await self._use(record, 2, data, role_ids=role_ids, guild=guild, user_id=user_id)

    async def choose(self, record: Record, value: str, *, role_ids: Iterable[int] = (),
                     user_id: int = USER_ID) -> list[Record]:
        """Pick the option with this value in the (first) select menu of a recorded message."""
        [select] = record.components(3)
        if value not in [o["value"] for o in select["options"]]:
            raise AssertionError(f"no option {value!r} in the select")
        data = {"custom_id": select["custom_id"], "component_type": 3, "values": [value]}
        return await self._use(record, 3, data, role_ids=role_ids, user_id=user_id)

    def _message_of(self, record: Record) -> dict[str, Any]:
        self.acting_on = record.message_id
        return message_payload(record.content, message_id=record.message_id,
                               components=record.message.get("components") or [])

    async def _use(self, record: Record, component_type: int, data: dict[str, Any], **who: Any) -> list[Record]:
        interaction = self.interaction(3, data, message=self._message_of(record), **who)

        async def run() -> None:
            self.bot._connection._view_store.dispatch_view(component_type, data["custom_id"], interaction)
        return await self._collect(run())

    async def submit(self, modal: Record, values: dict[str, str], *, user_id: int = USER_ID,
                     guild: bool = True, on: Record | None = None, role_ids: Iterable[int] = ()) -> list[Record]:
        """Submit a recorded modal; `values` maps (part of) each input's label to its value. `on`: the
        message whose button opened it."""
        def filled(node: dict[str, Any], label: str = "") -> dict[str, Any]:
            label = node.get("label", label)
            if node.get("type") == 4:
                value = next((v for k, v in values.items() if k in label), "")
                return {"type": 4, "custom_id": node["custom_id"], "value": value}
            out = {k: v for k, v in node.items() if k not in ("components", "component")}
            if "components" in node:
                out["components"] = [filled(c, label) for c in node["components"]]
            if "component" in node:
                out["component"] = filled(node["component"], label)
            return out
        components = [filled(c) for c in modal.message.get("components", [])]
        data = {"custom_id": modal.message["custom_id"], "components": components}
        message = self._message_of(on) if on is not None else None
        interaction = self.interaction(5, data, user_id=user_id, guild=guild, message=message, role_ids=role_ids)

        async def run() -> None:
            self.bot._connection._view_store.dispatch_modal(data["custom_id"], interaction, components, {})
        return await self._collect(run())


@contextlib.contextmanager
def write_locked(path: Path):
    """The database file as another process holding its write lock (a backup, a second bot) leaves it."""
    other = sqlite3.connect(path, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        yield
    finally:
        other.close()


def stored_count(path: Path, table: str) -> int:
    """Rows in a table, read beside any writer (WAL readers never wait)."""
    with contextlib.closing(sqlite3.connect(path)) as db:
        return db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
