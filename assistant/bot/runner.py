"""Starting and stopping the bot (`python -m assistant bot [--sync]`): the token from DISCORD_TOKEN
only, a one-line explanation and a non-zero exit when something is missing or rejected, and a clean
close on SIGTERM/SIGINT."""
from __future__ import annotations

import asyncio
import logging
import os
import signal
import sys

import discord

from assistant.config import Config

TOKEN_VARIABLE = "DISCORD_TOKEN"
log = logging.getLogger("assistant.bot")


def _fail(message: str, code: int = 1) -> int:
    print(f"error: {message}", file=sys.stderr)
    return code


def configure_logging() -> None:
    """INFO for everything, discord.py included: at DEBUG it logs interaction tokens."""
    discord.utils.setup_logging(level=logging.INFO, root=True)
    logging.getLogger("discord").setLevel(logging.INFO)


def run(config: Config, *, sync: bool = False) -> int:
    """Run the bot until it is stopped; the process exit code."""
    problems = config.bot.problems()
    if problems:
        return _fail(problems[0] + " (see docs/bot.md)")
    token = os.environ.get(TOKEN_VARIABLE, "").strip()
    if not token:
        return _fail(f"set the {TOKEN_VARIABLE} environment variable to the bot's token (see docs/bot.md)")
    configure_logging()
    return asyncio.run(_serve(config, token, sync))


async def _serve(config: Config, token: str, sync: bool) -> int:
    from assistant.bot.client import PolicyBot
    from assistant.bot.service import AnswerService
    from assistant.storage import Database

    def make_service() -> AnswerService:
        # Runs in a worker thread from setup_hook: torch and the index load off the event loop.
        from assistant.bot.service import leave_a_core_for_the_loop
        from assistant.embedder import SentenceTransformerEmbedder
        from assistant.engine import Engine

        leave_a_core_for_the_loop()
        embedder = SentenceTransformerEmbedder(config.model)
        engine = Engine.build(config, embedder)
        return AnswerService(config, engine, embedder, max_concurrent=config.bot.max_concurrent)

    bot = PolicyBot(config, Database.open(config), make_service=make_service, force_sync=sync)
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, lambda: asyncio.ensure_future(bot.close()))
    try:
        async with bot:
            await bot.start(token)
    except discord.LoginFailure:
        return _fail(f"Discord rejected the token in {TOKEN_VARIABLE}; copy it again from the Developer "
                     "Portal (Bot → Reset Token)", 1)
    except discord.PrivilegedIntentsRequired:
        return _fail("the photo nudge needs the Message Content intent: turn it on in the Developer Portal "
                     "(Bot → Privileged Gateway Intents) or set bot.photo_nudge to false", 1)
    log.info("closed cleanly")
    return 0
