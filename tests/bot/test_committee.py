"""/gaps and /reload for the committee: grouped gaps within Discord's limits, and a reload that keeps
serving the last good knowledge when the new files are broken."""
from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from assistant.bot import limits
from assistant.bot.feedback import FeedbackStore
from assistant.engine import Engine
from tests.bot.conftest import COMMITTEE_ROLE, bot_settings, make_harness
from tests.bot.harness import DEFERRED


async def test_gaps_groups_declined_and_thumbs_down_by_nearest_rule(harness):
    store = harness.bot.feedback
    store.record_gap("declined", "how much are the fees?", "sm-partnership", 1)
    store.record_gap("declined", "when are the fees due?", "sm-partnership", 2)
    gap = store.record_gap("thumbs_down", "can I blur faces?", "sm-own-child-only", 3)
    store.add_comment(gap, "it didn't say how")
    store.record_gap("declined", "@everyone what's for lunch?", None, 4)
    records = await harness.command("gaps", role_ids=[COMMITTEE_ROLE], days=7)
    assert records[0].payload["type"] == DEFERRED and records[0].ephemeral
    embed = records[-1].embeds[0]
    names = [f["name"] for f in embed["fields"]]
    assert names[0] == "Nearest rule `sm-partnership` (2)"  # biggest group first
    assert set(names[1:]) == {"Nearest rule `sm-own-child-only` (1)", "No rule came close (1)"}
    text = records[-1].text
    assert "how much are the fees?" in text and "👎: can I blur faces?" in text and "it didn't say how" in text
    assert "@everyone" not in text and "@\u200beveryone" in text


async def test_gaps_fits_discords_limits_however_many(harness):
    store = harness.bot.feedback
    for n in range(300):
        store.record_gap("declined", f"question {n} " + "word " * 60, f"rule-{n % 40}", n)
    reply = (await harness.command("gaps", role_ids=[COMMITTEE_ROLE]))[-1]
    [embed] = reply.embeds
    assert len(embed["fields"]) <= limits.FIELDS
    assert all(len(f["value"]) <= limits.FIELD_VALUE for f in embed["fields"])
    total = (len(embed["title"]) + len(embed["description"]) + len(embed.get("footer", {}).get("text", ""))
             + sum(len(f["name"]) + len(f["value"]) for f in embed["fields"]))
    assert total <= limits.EMBED_TOTAL and "more groups not shown" in embed["footer"]["text"]


async def test_gaps_only_looks_back_the_asked_days(harness):
    today = dt.date.today()
    store = harness.bot.feedback
    store.today = lambda: today - dt.timedelta(days=10)
    store.record_gap("declined", "an old question", None, 1)
    store.today = lambda: today
    store.record_gap("declined", "a new question", None, 1)
    text = (await harness.command("gaps", role_ids=[COMMITTEE_ROLE], days=5))[-1].text
    assert "a new question" in text and "an old question" not in text


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
