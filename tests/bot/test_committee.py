"""/gaps and /reload for the committee: grouped gaps within Discord's limits, and a reload that keeps
serving the last good knowledge when the new files are broken."""
from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from assistant.bot.feedback import FeedbackStore
from assistant.engine import Engine
from tests.bot.conftest import COMMITTEE_ROLE, bot_settings, make_harness
from tests.bot.harness import DEFERRED


# -- /reload --------------------------------------------------------------------------------------
@pytest.fixture
async def reload_harness(scratch_config, fake_embedder):
    """A bot over a writable knowledge copy (fake embedder: rebuilding stays fast)."""
    config = dataclasses.replace(scratch_config, bot=bot_settings())
    engine = await _build(config, fake_embedder)
    h = await make_harness(config, engine, fake_embedder)
    with h:
        yield h
    await h.bot.close()


async def _build(config, embedder):
    import asyncio

    return await asyncio.to_thread(Engine.build, config, embedder)


async def test_reload_with_broken_yaml_keeps_the_last_good_knowledge(reload_harness, knowledge_copy):
    before = reload_harness.bot.service.engine
    rules = knowledge_copy / "social_media.yaml"
    lines = rules.read_text(encoding="utf-8").splitlines()
    bad_line = next(n for n, line in enumerate(lines, 1) if line.strip().startswith("- id: sm-facebook-page"))
    lines[bad_line - 1] = "  - id: sm-facebook-page\n    section: [unclosed"
    rules.write_text("\n".join(lines) + "\n", encoding="utf-8")
    records = await reload_harness.command("reload", role_ids=[COMMITTEE_ROLE])
    assert records[0].payload["type"] == DEFERRED
    report = records[-1].content
    assert "still answering from the previous version" in report
    assert "social_media.yaml:" in report  # the file and the line of the problem
    line = int(report.split("social_media.yaml:")[1].split(":")[0])
    assert abs(line - bad_line) <= 2
    assert reload_harness.bot.service.engine is before
    answer = (await reload_harness.command("ask", question="is there a preschool facebook page?"))[-1]
    assert answer.embeds  # still serving


async def test_reload_with_a_rule_that_is_not_in_the_source_is_refused(reload_harness, knowledge_copy):
    rules = knowledge_copy / "social_media.yaml"
    text = rules.read_text(encoding="utf-8")
    rules.write_text(text.replace("Staff will not discuss individuals", "Staff will never discuss individuals", 1),
                     encoding="utf-8")
    report = (await reload_harness.command("reload", role_ids=[COMMITTEE_ROLE]))[-1].content
    assert "still answering" in report and "word for word" in report and "social_media.yaml:" in report


async def test_reload_reports_what_changed(reload_harness, knowledge_copy):
    rules = knowledge_copy / "social_media.yaml"
    text = rules.read_text(encoding="utf-8")
    old_plain = reload_harness.bot.service.kb.rule("sm-facebook-page").plain
    text = text.replace(old_plain, "There is a pre-school Facebook page for parents.", 1)
    start = text.index("  - id: sm-scope")
    end = text.index("  - id: sm-facebook-page")
    rules.write_text(text[:start] + text[end:], encoding="utf-8")  # sm-scope removed
    report = (await reload_harness.command("reload", role_ids=[COMMITTEE_ROLE]))[-1].content
    assert report.startswith("Reloaded:")
    assert "Removed: `sm-scope`" in report and "Changed: `sm-facebook-page`" in report
    assert reload_harness.bot.service.kb.rule("sm-scope") is None
    assert reload_harness.bot.service.kb.rule("sm-facebook-page").plain.startswith("There is a pre-school")


async def test_purge_runs_at_start(bot_config, engine, real_embedder):
    from assistant.storage import Database

    store = FeedbackStore(Database.open(bot_config), today=lambda: dt.date.today() - dt.timedelta(days=31))
    store.record_gap("declined", "too old to keep", None, 1)
    store.today = dt.date.today
    store.record_gap("declined", "recent enough", None, 1)
    h = await make_harness(bot_config, engine, real_embedder)
    remaining = [g.question for group in h.bot.feedback.gaps(365) for g in group.gaps]
    await h.bot.close()
    assert remaining == ["recent enough"]
