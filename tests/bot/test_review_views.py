"""/gaps as the committee's review queue: a declined question becomes an example question (or an
off-topic one) in one press, with the file's comments kept, check passed and the bot reloaded; a
failed change leaves the file and the engine as they were."""
from __future__ import annotations

import asyncio
import dataclasses
import errno

import pytest

from assistant import review
from assistant.bot import limits
from assistant.engine import Engine
from tests.bot.conftest import COMMITTEE_ROLE, STAFF_ROLE, bot_settings, make_harness
from tests.bot.harness import MODAL

RULES_FILE = "social_media.yaml"


async def _harness(config, embedder):
    engine = await asyncio.to_thread(Engine.build, config, embedder)
    return await make_harness(config, engine, embedder)


@pytest.fixture
async def review_harness(scratch_config, fake_embedder):
    """A bot over a writable knowledge copy (fake embedder: rebuilding after each change stays fast)."""
    h = await _harness(dataclasses.replace(scratch_config, bot=bot_settings()), fake_embedder)
    with h:
        yield h
    await h.bot.close()


async def open_gaps(h, **who):
    return (await h.command("gaps", role_ids=who.pop("role_ids", [COMMITTEE_ROLE]), **who))[-1]


def comment_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.lstrip().startswith("#")]


async def test_a_declined_question_becomes_an_example_and_is_then_answered(scratch_config, real_embedder,
                                                                             knowledge_copy):
    """End to end on the real model: declined → /gaps → Add as an example → the same question answered."""
    question = "can my childminder bring him in on tuesdays and wednesdays?"
    h = await _harness(dataclasses.replace(scratch_config, bot=bot_settings()), real_embedder)
    with h:
        before = (await h.command("ask", question=question))[-1]
        assert "couldn't find a policy" in before.text  # declined, so it is a gap
        rules_file = knowledge_copy / RULES_FILE
        old_text = rules_file.read_text(encoding="utf-8")
        queue = await open_gaps(h)
        assert question in queue.text and "Question 1 of 1" in queue.text and queue.ephemeral
        [select] = queue.components(3)
        offered = [o["value"] for o in select["options"]]
        assert "sm-scope" in offered  # every nearest rule can be chosen, not only the three buttons
        engine_before = h.bot.service.engine
        done = await h.choose(queue, "sm-scope", role_ids=[COMMITTEE_ROLE])
        said = done[-1].text
        assert "as an example question of rule sm-scope" in said and "Check passed; reloaded" in said
        assert "last question" in said
        new_text = rules_file.read_text(encoding="utf-8")
        assert comment_lines(new_text) == comment_lines(old_text)  # the committee's comments are kept
        assert len(new_text.splitlines()) == len(old_text.splitlines()) + 1
        assert h.bot.service.engine is not engine_before
        assert h.bot.feedback.gaps(30) == []  # dealt with: the stored question is deleted
        after = (await h.command("ask", question=question))[-1]
        assert "sm-scope" in after.text
    await h.bot.close()


async def test_a_failed_write_leaves_the_file_the_engine_and_the_gap(review_harness, knowledge_copy, monkeypatch):
    h = review_harness
    gap = h.bot.feedback.record_gap("declined", "can grandma come to the nativity?", None, 1)
    queue = await open_gaps(h)
    rules_file = knowledge_copy / RULES_FILE
    old_text, engine = rules_file.read_bytes(), h.bot.service.engine

    def full_disk(path, data):
        raise OSError(errno.ENOSPC, "No space left on device")
    monkeypatch.setattr(review, "atomic_write", full_disk)
    replies = await h.click(queue, "Add to 1", role_ids=[COMMITTEE_ROLE])
    assert "Nothing was changed: cannot write" in replies[-1].text and "No space left" in replies[-1].text
    assert "Question 1 of 1" in replies[-1].text  # the same question, to try again
    assert rules_file.read_bytes() == old_text and h.bot.service.engine is engine
    assert [g.id for g in h.bot.feedback.pending(30)] == [gap]


async def test_a_rule_removed_meanwhile_is_refused_and_nothing_changes(review_harness, knowledge_copy):
    h = review_harness
    h.bot.feedback.record_gap("declined", "what about tiktok?", None, 1)
    queue = await open_gaps(h)
    rule_id = queue.components(3)[0]["options"][0]["value"]
    rules_file = knowledge_copy / RULES_FILE
    text = rules_file.read_text(encoding="utf-8")
    start = text.index(f"  - id: {rule_id}\n")
    end = text.find("\n  - id: ", start + 1)
    rules_file.write_text(text[:start] + text[end + 1:], encoding="utf-8")
    edited = rules_file.read_bytes()
    replies = await h.click(queue, "Add to 1", role_ids=[COMMITTEE_ROLE])
    assert f"Nothing was changed: there is no rule {rule_id}" in replies[-1].text
    assert rules_file.read_bytes() == edited


async def test_not_covered_goes_to_off_topic_and_is_declined_from_then_on(review_harness, knowledge_copy):
    h = review_harness
    h.bot.feedback.record_gap("thumbs_down", "what time does the summer fete start", "sm-scope", 1)
    queue = await open_gaps(h)
    assert "Got 👎" in queue.text
    replies = await h.click(queue, "Not covered", role_ids=[COMMITTEE_ROLE])
    assert "off-topic questions (off_topic.yaml)" in replies[-1].text and "reloaded" in replies[-1].text
    listed = (knowledge_copy / "off_topic.yaml").read_text(encoding="utf-8")
    assert "- \"what time does the summer fete start\"" in listed and listed.startswith("# Questions no policy")
    assert h.bot.service.kb.off_topic_by_policy["*"] == ("what time does the summer fete start",)
    assert h.bot.feedback.pending(30) == []
    again = (await h.command("ask", question="what time does the summer fete start"))[-1]
    assert "couldn't find a policy" in again.text


async def test_the_question_can_be_edited_before_it_is_saved(review_harness, knowledge_copy):
    h = review_harness
    h.bot.feedback.record_gap("declined", "can Amelia's nan film the nativity?", None, 1)
    queue = await open_gaps(h)
    modal = (await h.click(queue, "Edit the question", role_ids=[COMMITTEE_ROLE]))[-1]
    assert modal.payload["type"] == MODAL
    [box] = modal.components(4)
    assert box["value"] == "can Amelia's nan film the nativity?"  # shown as asked, to be checked
    shown = (await h.submit(modal, {"as it will be saved": "can a grandparent film the nativity?"},
                            on=queue, role_ids=[COMMITTEE_ROLE]))[-1]
    assert "can a grandparent film the nativity?" in shown.text and "edited by you" in shown.text
    replies = await h.click(shown, "Add to 1", role_ids=[COMMITTEE_ROLE])
    assert "Check passed" in replies[-1].text
    text = (knowledge_copy / RULES_FILE).read_text(encoding="utf-8")
    assert "can a grandparent film the nativity?" in text and "Amelia" not in text


async def test_a_parents_pick_is_accepted_in_one_press_once_any_name_is_edited_out(review_harness, knowledge_copy):
    h = review_harness
    h.bot.feedback.record_gap("picked", "can Amelia's nan film the nativity?", "sm-own-child-only", 1)
    queue = await open_gaps(h)
    assert "Parents chose `sm-own-child-only` for:" in queue.text and "It may name someone (Amelia)" in queue.text
    accept = next(b for b in queue.components(2) if b["label"].startswith("Accept"))
    assert accept["disabled"]  # a name never reaches a rules file: Edit first
    modal = (await h.click(queue, "Edit the question", role_ids=[COMMITTEE_ROLE]))[-1]
    shown = (await h.submit(modal, {"as it will be saved": "can a grandparent film the nativity?"},
                            on=queue, role_ids=[COMMITTEE_ROLE]))[-1]
    replies = await h.click(shown, "Accept", role_ids=[COMMITTEE_ROLE])
    assert "as an example question of rule sm-own-child-only" in replies[-1].text
    text = (knowledge_copy / RULES_FILE).read_text(encoding="utf-8")
    assert "can a grandparent film the nativity?" in text and "Amelia" not in text
    assert h.bot.feedback.pending(30) == []


async def test_a_rejected_pick_writes_nothing(review_harness, knowledge_copy):
    h = review_harness
    h.bot.feedback.record_gap("confirmed", "so grandparents can film then?", "sm-own-child-only", 1)
    before = (knowledge_copy / RULES_FILE).read_bytes()
    queue = await open_gaps(h)
    assert "Got 👍" in queue.text
    replies = await h.click(queue, "Reject", role_ids=[COMMITTEE_ROLE])
    assert "nothing was added" in replies[-1].text
    assert (knowledge_copy / RULES_FILE).read_bytes() == before and h.bot.feedback.pending(30) == []


async def test_dismiss_deletes_the_question_and_writes_nothing(review_harness, knowledge_copy):
    h = review_harness
    store = h.bot.feedback
    store.record_gap("declined", "first question", None, 1)
    store.record_gap("declined", "second question", None, 2)
    before = {p.name: p.read_bytes() for p in knowledge_copy.iterdir()}
    queue = await open_gaps(h)
    assert "2 questions" in queue.text and "Question 1 of 2" in queue.text
    first = "second question" if "second question" in queue.text else "first question"
    replies = await h.click(queue, "Dismiss", role_ids=[COMMITTEE_ROLE])
    assert "Dismissed" in replies[-1].text and "Question 1 of 1" in replies[-1].text
    assert {p.name: p.read_bytes() for p in knowledge_copy.iterdir()} == before
    assert [g.question for g in store.pending(30)] == [({"first question", "second question"} - {first}).pop()]
    skipped = await h.click(replies[-1], "Skip", role_ids=[COMMITTEE_ROLE])
    assert "last question" in skipped[-1].text and len(store.pending(30)) == 1  # skipped stays for later


async def test_only_the_committee_member_who_opened_it_may_press(review_harness, knowledge_copy):
    h = review_harness
    h.bot.feedback.record_gap("declined", "a question", None, 1)
    queue = await open_gaps(h)
    before = (knowledge_copy / RULES_FILE).read_bytes()
    staff = await h.click(queue, "Add to 1", role_ids=[STAFF_ROLE])
    assert "committee" in staff[-1].content.lower() and staff[-1].ephemeral
    other = await h.click(queue, "Add to 1", role_ids=[COMMITTEE_ROLE], user_id=999)
    assert "/gaps to open your own" in other[-1].content
    assert (knowledge_copy / RULES_FILE).read_bytes() == before and len(h.bot.feedback.pending(30)) == 1
    refused = (await h.command("gaps"))[-1]
    assert "committee" in refused.content.lower() and not refused.embeds


async def test_the_queue_is_in_discords_limits_and_never_pings(review_harness):
    h = review_harness
    for n in range(60):
        h.bot.feedback.record_gap("declined", f"@everyone <@&123> question {n} " + "word " * 90, f"rule-{n % 7}", n)
    queue = await open_gaps(h)
    assert "60 questions" in queue.text and "@everyone" not in queue.text and "<@&123>" not in queue.text
    [embed] = queue.embeds
    assert len(embed["description"]) <= limits.EMBED_DESCRIPTION
    assert all(len(label) <= limits.BUTTON_LABEL for label in queue.labels)
    assert len(queue.components(3)[0]["options"]) <= 25


async def test_no_gaps_says_so(review_harness):
    reply = await open_gaps(review_harness, days=7)
    assert reply.content == "No declined or 👎 questions in the last 7 days." and not reply.components()


async def test_an_off_topic_question_a_rule_now_answers_can_be_removed(review_harness, knowledge_copy):
    h = review_harness
    (knowledge_copy / "off_topic.yaml").write_text(
        "# kept comment\noff_topic:\n  - can I post nativity photos on facebook\n  - how much are the fees\n",
        encoding="utf-8")
    await h.command("reload", role_ids=[COMMITTEE_ROLE])
    records = await h.command("gaps", role_ids=[COMMITTEE_ROLE])
    [offer] = [r for r in records if "may be answered by a policy now" in r.content]
    assert "can I post nativity photos on facebook" in offer.content and "fees" not in offer.content
    replies = await h.click(offer, "Remove 1 from off-topic", role_ids=[COMMITTEE_ROLE])
    assert "Removed “can I post nativity photos on facebook”" in replies[-1].text and "reloaded" in replies[-1].text
    text = (knowledge_copy / "off_topic.yaml").read_text(encoding="utf-8")
    assert text == "# kept comment\noff_topic:\n  - how much are the fees\n"
    assert h.bot.service.kb.off_topic_by_policy["*"] == ("how much are the fees",)
