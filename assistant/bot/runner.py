"""Starting and stopping the bot (`python -m assistant bot [--sync]`): the token from DISCORD_TOKEN
only, a one-line explanation and a non-zero exit when something is missing or rejected, and a clean
close on SIGTERM/SIGINT."""
from __future__ import annotations

import asyncio
import logging
import os
import signal
import sys

import aiohttp
import discord

from assistant.config import Config, LoggingConfig

TOKEN_VARIABLE = "DISCORD_TOKEN"
log = logging.getLogger("assistant.bot")


def _fail(message: str, code: int = 1) -> int:
    print(f"error: {message}", file=sys.stderr)
    return code


# Libraries that announce themselves at start-up (faiss's loader, the model load, bm25s): their
# warnings are kept, their chatter is not.
CHATTY = ("faiss", "sentence_transformers", "bm25s", "transformers", "huggingface_hub")
PLAIN_FORMAT = "%(asctime)s %(levelname)-8s %(name)s: %(message)s"


def configure_logging(settings: LoggingConfig = LoggingConfig()) -> None:
    """The configured level and place; discord.py never below INFO (at DEBUG it logs interaction
    tokens); a log file gets no terminal colours."""
    level = getattr(logging, settings.level)
    if settings.file is not None:
        settings.file.parent.mkdir(parents=True, exist_ok=True)
        handler = logging.FileHandler(settings.file, encoding="utf-8")
        discord.utils.setup_logging(handler=handler, formatter=logging.Formatter(PLAIN_FORMAT), level=level,
                                    root=True)
    else:
        discord.utils.setup_logging(level=level, root=True)  # colours only on a terminal that shows them
    logging.getLogger("discord").setLevel(max(level, logging.INFO))
    for name in CHATTY:
        logging.getLogger(name).setLevel(max(level, logging.WARNING))
    discord.VoiceClient.warn_nacl = False  # "PyNaCl is not installed": the bot has no voice to support


def run(config: Config, *, sync: bool = False) -> int:
    """Run the bot until it is stopped; the process exit code."""
    problems = config.bot.problems()
    if problems:
        return _fail(problems[0] + " (see docs/bot.md)")
    token = os.environ.get(TOKEN_VARIABLE, "").strip()
    if not token:
        return _fail(f"set the {TOKEN_VARIABLE} environment variable to the bot's token (see docs/bot.md)")
    configure_logging(config.logging)
    return asyncio.run(_serve(config, token, sync))


async def _serve(config: Config, token: str, sync: bool) -> int:
    from assistant.bot.client import PolicyBot
    from assistant.bot.service import AnswerService
    from assistant.storage import Database

    def make_service() -> AnswerService:
        # Runs in a worker thread from setup_hook: torch and the index load off the event loop.
        from assistant.bot.service import leave_a_core_for_the_loop
        from assistant.engine import Engine

        leave_a_core_for_the_loop()
        engine = Engine.build(config)
        return AnswerService(config, engine, engine.retriever.embedder, max_concurrent=config.bot.max_concurrent)

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
    except discord.Forbidden:
        return _fail("Discord refused to register the slash commands (403 Missing Access): check that "
                     "bot.guild_id is your server's id and that the bot was invited with the "
                     "applications.commands scope (docs/bot.md)", 1)
    except (aiohttp.ClientError, OSError) as exc:
        return _fail(f"cannot reach Discord ({type(exc).__name__}): check this computer's internet "
                     "connection and that discord.com is not blocked, then start the bot again", 1)
    log.info("closed cleanly")
    return 0
