"""Start-up: the token from DISCORD_TOKEN only, one-line failures with a non-zero exit, no retry,
commands synced only when they changed (or --sync), and the bot's config validated by key."""
from __future__ import annotations

import asyncio
import dataclasses
import logging
import os
import signal
from pathlib import Path

import aiohttp
import discord
import pytest

from assistant.bot import runner
from assistant.bot.client import SYNC_HASH_KEY
from assistant.cli import main
from assistant.config import LoggingConfig, load_config
from assistant.errors import ConfigError
from tests.bot.conftest import bot_settings
from tests.conftest import ROOT

SENTINEL_TOKEN = "SENTINEL.TOKEN.Zx9-never-print-me"


def test_missing_token_is_one_line_and_non_zero(bot_config, monkeypatch, capsys):
    monkeypatch.delenv("DISCORD_TOKEN", raising=False)
    assert runner.run(bot_config) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "DISCORD_TOKEN" in err


def test_unconfigured_server_is_refused_before_anything(repo_config, monkeypatch, capsys):
    monkeypatch.setenv("DISCORD_TOKEN", SENTINEL_TOKEN)
    assert runner.run(repo_config) == 1  # the shipped config has guild_id 0
    assert "bot.guild_id" in capsys.readouterr().err


def test_rejected_token_is_one_line_non_zero_no_retry_and_never_shown(bot_config, monkeypatch, capsys, caplog):
    attempts = []

    async def reject(self, token):
        attempts.append(token)
        raise discord.LoginFailure("Improper token has been passed.")
    monkeypatch.setattr(discord.http.HTTPClient, "static_login", reject)
    monkeypatch.setattr(runner, "configure_logging", lambda settings: None)  # keep pytest's log capture
    monkeypatch.setenv("DISCORD_TOKEN", SENTINEL_TOKEN)
    caplog.set_level(logging.DEBUG)
    loaded = []
    monkeypatch.setattr("assistant.engine.Engine.build", lambda *a, **k: loaded.append(1))
    assert runner.run(bot_config) == 1
    out = capsys.readouterr()
    assert out.err.count("\n") == 1 and "rejected the token" in out.err
    assert attempts == [SENTINEL_TOKEN]  # once: no retry loop
    assert loaded == []  # the model is never loaded for a bot that cannot log in
    assert SENTINEL_TOKEN not in out.err + out.out + caplog.text
    files = [p for p in Path(bot_config.data_dir).rglob("*") if p.is_file()]
    assert all(SENTINEL_TOKEN.encode() not in p.read_bytes() for p in files)


def test_discord_loggers_stay_at_info():
    root = logging.getLogger()
    before = list(root.handlers), root.level
    runner.configure_logging()
    try:
        assert logging.getLogger("discord").getEffectiveLevel() == logging.INFO
        assert not logging.getLogger("discord.webhook.async_").isEnabledFor(logging.DEBUG)
    finally:
        for handler in root.handlers[:]:
            if handler not in before[0]:
                root.removeHandler(handler)
        root.setLevel(before[1])


@pytest.fixture
def restore_logging():
    root = logging.getLogger()
    before = list(root.handlers), root.level
    yield
    for handler in root.handlers[:]:
        if handler not in before[0]:
            root.removeHandler(handler)
            handler.close()
    root.setLevel(before[1])


def test_a_log_file_gets_the_bots_lines_without_colours_or_library_chatter(tmp_path, restore_logging):
    log_file = tmp_path / "logs" / "bot.log"
    runner.configure_logging(LoggingConfig("DEBUG", log_file))
    logging.getLogger("assistant.bot").info("ready: serving 31 rules")
    logging.getLogger("faiss.loader").info("Loading faiss with AVX2 support.")
    logging.getLogger("bm25s").debug("Building index")
    text = log_file.read_text(encoding="utf-8")
    assert "ready: serving 31 rules" in text and "\x1b[" not in text
    assert "faiss" not in text and "bm25s" not in text
    assert not logging.getLogger("discord.http").isEnabledFor(logging.DEBUG)  # tokens stay out, even at DEBUG
    assert discord.VoiceClient.warn_nacl is False


def test_the_logging_section_is_validated(tmp_path):
    path = tmp_path / "config.yaml"
    path.write_text("logging:\n  level: chatty\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="'logging.level'"):
        load_config(path)
    path.write_text("logging:\n  file: data/bot.log\n", encoding="utf-8")
    assert load_config(path).logging.file == tmp_path / "data" / "bot.log"


@pytest.mark.parametrize("failure, said", [
    (aiohttp.ClientConnectionError("Cannot connect to host discord.com:443"), "cannot reach Discord"),
    (OSError("Temporary failure in name resolution"), "cannot reach Discord"),
    ("forbidden", "403 Missing Access"),
])
def test_start_up_failures_are_one_line_with_what_to_do(bot_config, monkeypatch, capsys, failure, said):
    if failure == "forbidden":
        class Response:
            status, reason = 403, "Forbidden"
        failure = discord.Forbidden(Response(), {"code": 50001, "message": "Missing Access"})

    async def fail(self, token):
        raise failure
    monkeypatch.setattr(discord.Client, "login", fail)
    monkeypatch.setattr(runner, "configure_logging", lambda settings: None)
    monkeypatch.setenv("DISCORD_TOKEN", SENTINEL_TOKEN)
    assert runner.run(bot_config) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and said in err and "Traceback" not in err


def test_cli_has_the_bot_command(monkeypatch, tmp_path):
    calls = []
    monkeypatch.setattr(runner, "run", lambda config, sync=False: calls.append(sync) or 0)
    config = str(ROOT / "config.yaml")
    assert main(["--config", config, "bot", "--sync"]) == 0 and main(["--config", config, "bot"]) == 0
    assert calls == [True, False]


async def test_commands_sync_only_when_changed(harness, monkeypatch):
    bot = harness.bot
    synced = []

    async def fake_sync(*, guild=None):
        synced.append(guild.id)
        return []
    monkeypatch.setattr(bot.tree, "sync", fake_sync)
    assert await bot.sync_commands() is True
    assert await bot.sync_commands() is False  # a reconnect, a restart: nothing changed
    assert bot.db.get_meta(SYNC_HASH_KEY) == bot.command_hash()
    bot.force_sync = True
    assert await bot.sync_commands() is True
    bot.force_sync = False
    bot.tree.remove_command("privacy", guild=bot.guild_object)  # the command set changed
    assert await bot.sync_commands() is True
    assert synced == [bot.settings.guild_id] * 3


async def test_on_ready_does_not_sync(harness, monkeypatch):
    async def forbidden(**_):
        raise AssertionError("synced on on_ready")
    monkeypatch.setattr(harness.bot.tree, "sync", forbidden)
    await harness.bot.on_ready()


# -- config ---------------------------------------------------------------------------------------
def write_config(tmp_path: Path, bot_yaml: str) -> Path:
    path = tmp_path / "config.yaml"
    path.write_text(f"knowledge_dir: knowledge\nbot:\n{bot_yaml}", encoding="utf-8")
    return path


@pytest.mark.parametrize("bot_yaml, key", [
    ("  guild_id: pre-school\n", "bot.guild_id"),
    ("  staff_role_ids: [Staff]\n", "bot.staff_role_ids"),
    ("  committee_role_ids: 5\n", "bot.committee_role_ids"),
    ("  ephemeral: yes please\n", "bot.ephemeral"),
    ("  cooldown_seconds: -1\n", "bot.cooldown_seconds"),
    ("  max_concurrent: 0\n", "bot.max_concurrent"),
    ("  gaps_retention_days: 1.5\n", "bot.gaps_retention_days"),
    ("  max_question_chars: 5000\n", "bot.max_question_chars"),
    ("  guild: 1\n", "bot.guild"),
])
def test_bad_bot_config_names_the_key(tmp_path, bot_yaml, key):
    with pytest.raises(ConfigError, match=f"'{key}'"):
        load_config(write_config(tmp_path, bot_yaml))


def test_bot_config_reads_ids_and_defaults(tmp_path):
    config = load_config(write_config(tmp_path, "  guild_id: 123456789012345678\n"
                                                "  staff_role_ids: [1, '2']\n"))
    assert config.bot.guild_id == 123456789012345678 and config.bot.staff_role_ids == (1, 2)
    assert (config.bot.ephemeral, config.bot.photo_nudge, config.bot.gaps_retention_days) == (True, False, 30)
    assert config.bot.problems() == []
    assert dataclasses.replace(config.bot, photo_nudge=True).problems()  # needs channels
    assert bot_settings(guild_id=0).problems()


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_a_stop_signal_closes_the_bot_cleanly(bot_config, monkeypatch, signum):
    from assistant.bot.client import PolicyBot

    closed = []

    async def start(self, token):
        # Stands in for the gateway connection: runs until the bot is closed.
        os.kill(os.getpid(), signum)
        for _ in range(500):
            if self.is_closed():
                closed.append(True)
                return
            await asyncio.sleep(0.01)
    monkeypatch.setattr(PolicyBot, "start", start)
    monkeypatch.setattr(runner, "configure_logging", lambda settings: None)
    monkeypatch.setenv("DISCORD_TOKEN", SENTINEL_TOKEN)
    assert runner.run(bot_config) == 0
    assert closed == [True]
