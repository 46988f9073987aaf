"""Fixtures of the bot tests: the real engine behind a real bot, driven offline by the harness."""
from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pytest

from assistant.bot.service import AnswerService
from assistant.config import BotConfig, Config
from assistant.storage import Database
from tests.bot.harness import Harness, start_bot
from tests.conftest import ROOT

GUILD_ID = 999
STAFF_ROLE = 111
COMMITTEE_ROLE = 222
STAFF_CHANNEL = 3000

INTERNAL_SENTENCE = ("Staff must report any worrying social media post about a child to the Leader "
                     "on the same day, using the incident book kept in the office.")
INTERNAL_RULE = f"""
  - id: sm-staff-report-posts
    section: Social Media
    audience: [staff]
    internal: true
    text: "{INTERNAL_SENTENCE}"
    plain: "Report it to the Leader the same day, in the incident book in the office."
    examples:
      - "how do staff report a worrying social media post about a child"
      - "where do i record a concerning facebook post about one of the children"
      - "who do staff tell about a worrying post about a child online"
"""


def bot_settings(**overrides) -> BotConfig:
    values = dict(guild_id=GUILD_ID, staff_role_ids=(STAFF_ROLE,), committee_role_ids=(COMMITTEE_ROLE,),
                  staff_channel_id=STAFF_CHANNEL, cooldown_seconds=0.0)
    values.update(overrides)
    return BotConfig(**values)


@pytest.fixture
def bot_config(repo_config: Config, tmp_path: Path) -> Config:
    """The shipped configuration with bot settings, writing into this test's folder."""
    return dataclasses.replace(repo_config, data_dir=tmp_path / "data", bot=bot_settings())


def add_internal_rule(knowledge: Path) -> None:
    """Give a knowledge folder a staff-only rule (its sentence appended to the source)."""
    source = knowledge / "social_media.txt"
    source.write_text(source.read_text(encoding="utf-8") + "\n" + INTERNAL_SENTENCE + "\n", encoding="utf-8")
    rules = knowledge / "social_media.yaml"
    text = rules.read_text(encoding="utf-8")
    marker = "\n  - id: sm-dont-ask-staff-to-join"
    assert marker in text
    rules.write_text(text.replace(marker, INTERNAL_RULE + marker, 1), encoding="utf-8")


@pytest.fixture(scope="session")
def internal_config(repo_config: Config, tmp_path_factory: pytest.TempPathFactory) -> Config:
    """Configuration over a knowledge copy holding one internal (staff-only) rule."""
    folder = tmp_path_factory.mktemp("internal")
    shutil.copytree(ROOT / "knowledge", folder / "knowledge")
    add_internal_rule(folder / "knowledge")
    return dataclasses.replace(repo_config, knowledge_dir=folder / "knowledge", index_dir=folder / "embeddings",
                               data_dir=folder / "data", bot=bot_settings())


@pytest.fixture(scope="session")
def internal_engine(internal_config: Config, real_embedder):
    from assistant.engine import Engine

    return Engine.build(internal_config, real_embedder)


async def make_harness(config: Config, engine, embedder, **bot_kwargs):
    service = AnswerService(config, engine, embedder, max_concurrent=config.bot.max_concurrent)
    bot = await start_bot(config, Database.open(config), service, **bot_kwargs)
    return Harness(bot)


@pytest.fixture
def serving_threads():
    """torch's thread count as the bot sets it (`python -m assistant bot`), put back afterwards."""
    import torch

    from assistant.bot.service import leave_a_core_for_the_loop

    previous = leave_a_core_for_the_loop()
    yield
    torch.set_num_threads(previous)


@pytest.fixture
async def harness(bot_config: Config, engine, real_embedder, serving_threads):
    """The real bot over the real engine, recording what it sends."""
    h = await make_harness(bot_config, engine, real_embedder)
    with h:
        yield h
    await h.bot.close()


@pytest.fixture
async def internal_harness(internal_config: Config, internal_engine, real_embedder, tmp_path: Path):
    """The real bot over knowledge with a staff-only rule."""
    config = dataclasses.replace(internal_config, data_dir=tmp_path / "data")
    h = await make_harness(config, internal_engine, real_embedder)
    with h:
        yield h
    await h.bot.close()
