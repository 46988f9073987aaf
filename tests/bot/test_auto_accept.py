"""Parents' picks accepted without the committee, where it turned that on: three different people
picking the same rule for the same question make it that rule's example question (never one that may
name someone); off, or with fewer people, their picks wait in /gaps."""
from __future__ import annotations

import asyncio
import dataclasses

import pytest

from assistant.answer import Answer
from assistant.checker import check
from assistant.engine import Engine
from assistant.retrieval import Match
from tests.bot.conftest import bot_settings, make_harness
from tests.bot.harness import USER_ID
from tests.fakes import FakeEmbedder

PARENTS = (USER_ID, USER_ID + 1, USER_ID + 2)


async def learning_harness(scratch_config, auto_accept: bool):
    config = dataclasses.replace(scratch_config, bot=bot_settings(auto_accept_picks=auto_accept))
    embedder = FakeEmbedder()  # the logic of accepting; the real model's reload is tested with /gaps
    engine = await asyncio.to_thread(Engine.build, config, embedder)
    harness = await make_harness(config, engine, embedder)
    kb = harness.bot.service.kb
    first, second = kb.rule("sm-no-mobile-phones"), kb.rule("sm-no-photos-on-phones")

    async def unsure(question, audience):
        return Answer(question, "choose", "I'm not sure which rule answers that. Is it one of these?", "",
                      [Match(first, 0.8, 0.8, 0.0), Match(second, 0.79, 0.79, 0.0)], 0.8)
    harness.bot.service.ask = unsure
    return harness


async def pick_second(harness, question: str, user_id: int) -> None:
    reply = (await harness.command("ask", question=question, user_id=user_id))[-1]
    await harness.click(reply, "2. ", user_id=user_id)
    await harness.settle()


def examples(knowledge_dir, rule_id: str) -> list[str]:
    kb, problems = check(knowledge_dir)
    assert kb is not None and not [p for p in problems if p.severity == "error"]
    return kb.rule(rule_id).examples


async def test_three_parents_picking_the_same_rule_make_it_an_example(scratch_config):
    harness = await learning_harness(scratch_config, auto_accept=True)
    with harness:
        knowledge = scratch_config.knowledge_dir
        before = (knowledge / "social_media.yaml").read_text(encoding="utf-8")
        await pick_second(harness, "can i text photos from my phone to grandma?", PARENTS[0])
        await pick_second(harness, "can i text photos from my phone to grandma?", PARENTS[0])  # same person again
        await pick_second(harness, "Can I text photos from my phone  to grandma?", PARENTS[1])
        assert (knowledge / "social_media.yaml").read_text(encoding="utf-8") == before  # two people: not yet
        assert len(harness.bot.feedback.pending(30)) == 2  # one pick per person
        await pick_second(harness, "can i text photos from my phone to grandma?", PARENTS[2])
        assert "can i text photos from my phone to grandma?" in examples(knowledge, "sm-no-photos-on-phones")
        assert "# " in (knowledge / "social_media.yaml").read_text(encoding="utf-8")  # comments kept
        assert "can i text photos from my phone to grandma?" in harness.bot.service.kb.rule(
            "sm-no-photos-on-phones").examples  # reloaded: answered from it now
        assert harness.bot.feedback.pending(30) == []  # dealt with: gone from /gaps
        assert "When three people pick the same rule" in (await harness.command("privacy"))[-1].content
    await harness.bot.close()


@pytest.mark.parametrize("auto_accept, question", [(False, "can i text photos from my phone to grandma?"),
                                                   (True, "can i text Ollie's photos to grandma?")],
                         ids=["off by default", "may name a child"])
async def test_picks_wait_for_the_committee(scratch_config, auto_accept, question):
    harness = await learning_harness(scratch_config, auto_accept)
    with harness:
        before = (scratch_config.knowledge_dir / "social_media.yaml").read_text(encoding="utf-8")
        for parent in PARENTS:
            await pick_second(harness, question, parent)
        assert (scratch_config.knowledge_dir / "social_media.yaml").read_text(encoding="utf-8") == before
        picks = harness.bot.feedback.pending(30)
        assert len(picks) == 3 and all(gap.labelled for gap in picks)
        said = (await harness.command("privacy"))[-1].content
        assert ("When three people pick the same rule" in said) is auto_accept
    await harness.bot.close()


def test_auto_accept_is_off_unless_the_committee_turns_it_on(repo_config):
    assert repo_config.bot.auto_accept_picks is False
