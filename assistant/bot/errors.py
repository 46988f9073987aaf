"""The one place errors end up: the user gets a short, polite message (never a traceback), the log
gets one line with the error's type and where it happened (never the question or who asked)."""
from __future__ import annotations

import logging

import discord
from discord import app_commands

from assistant.bot.send import Reply, respond

log = logging.getLogger("assistant.bot.errors")

APOLOGY = "Sorry, something went wrong on my side. Please try again in a moment."
COMMITTEE_ONLY = "Sorry, that command is for the pre-school committee only."


class Refusal(app_commands.AppCommandError):
    """A polite, expected 'no' (not committee, not here): the message is shown as it is."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def user_message(error: BaseException) -> str:
    """What a user reads for this error."""
    error = getattr(error, "original", error)
    if isinstance(error, Refusal):
        return error.message
    if isinstance(error, app_commands.CheckFailure):
        return COMMITTEE_ONLY
    if isinstance(error, app_commands.CommandOnCooldown):
        return f"Please wait {error.retry_after:.0f} seconds before asking again."
    return APOLOGY


def log_error(error: BaseException, where: str) -> None:
    """One line, no message text: exception messages may carry user input."""
    original = getattr(error, "original", error)
    if isinstance(original, (Refusal, app_commands.CheckFailure, app_commands.CommandOnCooldown)):
        log.info("refused in %s: %s", where, type(original).__name__)
        return
    frame = original.__traceback__
    while frame is not None and frame.tb_next is not None:
        frame = frame.tb_next
    place = f"{frame.tb_frame.f_code.co_filename.rsplit('/', 1)[-1]}:{frame.tb_lineno}" if frame else "?"
    log.error("unexpected %s in %s at %s", type(original).__name__, where, place)


async def apologise(interaction: discord.Interaction, error: BaseException, where: str) -> None:
    """The error handler of the command tree, of every view and every modal."""
    log_error(error, where)
    try:
        await respond(interaction, Reply(user_message(error)), ephemeral=True)
    except discord.HTTPException:
        log.warning("could not send the apology in %s", where)


class SafeView(discord.ui.View):
    """A view whose callbacks end in the one error handler."""

    async def on_error(self, interaction: discord.Interaction, error: Exception, item: discord.ui.Item) -> None:
        await apologise(interaction, error, f"button {type(self).__name__}")


class SafeModal(discord.ui.Modal):
    """A modal whose submit ends in the one error handler."""

    async def on_error(self, interaction: discord.Interaction, error: Exception) -> None:
        await apologise(interaction, error, f"form {type(self).__name__}")
