"""/induction through the offline harness: the whole flow (start, right and wrong answers, resume after
the bot restarts, sign-off stored, status listing) and who may use it."""
from __future__ import annotations

import dataclasses
import itertools

import pytest

from assistant.bot.cogs.induction import LEADERS_ONLY, STAFF_ONLY
from assistant.bot.cogs.induction_views import NOT_YOURS
from assistant.bot.errors import APOLOGY
from assistant.config import InductionConfig
from assistant.induction.content import policy_version, scopes
from assistant.induction.render import LETTERS
from assistant.induction.store import InductionStore
from assistant.storage import Database
from tests.bot.conftest import COMMITTEE_ROLE, STAFF_ROLE, make_harness
from tests.bot.harness import DEFERRED, EPHEMERAL, USER_ID

LEADER_ROLE = 333
UPDATE_MESSAGE = 7
_ids = itertools.count(50_000)


@pytest.fixture
def config(bot_config):
    return dataclasses.replace(bot_config, induction=InductionConfig(pass_mark=0.8, rules_per_step=4,
                                                                     leader_role_ids=(LEADER_ROLE,)))


@pytest.fixture
async def bot(config, engine, real_embedder):
    h = await make_harness(config, engine, real_embedder)
    with h:
        yield h
    await h.bot.close()


async def induction(h, action: str, *, role_ids=(), user_id: int = USER_ID):
    """Run `/induction <action>` (a subcommand, which the harness's `command` does not build)."""
    data = {"type": 1, "name": "induction", "id": str(next(_ids)),
            "options": [{"type": 1, "name": action, "options": []}]}
    interaction = h.interaction(2, data, role_ids=role_ids, user_id=user_id)
    return await h._collect(h.bot.tree._call(interaction))


def staff_items(kb):
    [scope] = scopes(kb, ("staff",))
    return scope.items


def assert_private_and_quiet(records):
    for record in records:
        assert APOLOGY not in record.text and "Traceback" not in record.text
        if record.kind == "followup":
            assert record.ephemeral and record.message["allowed_mentions"] == {"parse": []}


async def test_the_whole_flow_with_a_restart_in_the_middle(bot, config, engine, real_embedder, kb):
    staff = dict(role_ids=[STAFF_ROLE])
    items = staff_items(kb)
    records = await induction(bot, "start", **staff)
    assert records[0].payload["type"] == DEFERRED and records[0].payload["data"]["flags"] & EPHEMERAL
    assert "Induction: Social media procedures** (part 1 of 3)" in records[-1].text
    assert f"> {kb.rule('sm-scope').text}" in records[-1].text  # the exact wording, quoted
    assert records[-1].labels == ["Next"]
    transcript = list(records)

    page = records[-1]
    for label in ("Next", "Next"):
        page = (await bot.click(page, label, **staff))[-1]
    assert "(part 3 of 3)" in page.text and page.labels == ["Start the quiz"]
    records = await bot.click(page, "Start the quiz", **staff)
    assert records[0].payload["type"] == UPDATE_MESSAGE and records[0].payload["data"]["components"] == []
    question = records[-1]
    assert "Question 1 of 14" in question.text and items[0].question in question.text
    assert question.labels == list(LETTERS[:len(items[0].options)])

    records = await bot.click(question, LETTERS[items[0].answer], **staff)  # right
    text = "\n".join(r.text for r in records)
    assert "Right." in text and "Not quite" not in text
    assert f"> {kb.rule(items[0].rule_id).text}" in text and "Question 2 of 14" in text
    wrong = (items[1].answer + 1) % len(items[1].options)
    records = await bot.click(records[-1], LETTERS[wrong], **staff)  # wrong
    text = "\n".join(r.text for r in records)
    assert "Not quite" in text and items[1].correct in text and items[1].why in text
    assert f"> {kb.rule(items[1].rule_id).text}" in text and "Question 3 of 14" in text
    records = await bot.click(records[-1], LETTERS[items[2].answer], **staff)
    old_question = records[-1]
    transcript += records
    assert "Question 4 of 14" in old_question.text

    await bot.bot.close()  # the bot restarts: a new bot object over the same database file
    again = await make_harness(config, engine, real_embedder)
    with again:
        records = await induction(again, "start", **staff)
        assert "Question 4 of 14" in records[-1].text  # resumed where they left off
        # A button of the message sent before the restart still works (its id carries what it does).
        records = await again.click(old_question, LETTERS[items[3].answer], **staff)
        assert "Question 5 of 14" in records[-1].text
        for item in items[4:]:
            records = await again.click(records[-1], LETTERS[item.answer], **staff)
            transcript += records
        summary = "\n".join(r.text for r in records)
        assert "You scored 13 out of 14" in summary and "pass mark 80%" in summary
        assert f"> {kb.rule(items[1].rule_id).text}" in summary  # the rule got wrong, shown again
        statement = "I have read and understood the social media procedures"
        assert records[-1].labels == [statement]
        records = await again.click(records[-1], statement, **staff)
        transcript += records
        assert "Signed:" in records[-1].text and "up to date" in records[-1].text

        signoff = InductionStore(Database.open(config)).latest_signoff(str(USER_ID), "social-media")
        policy = kb.policies["social-media"]
        assert (signoff.user_id, signoff.display_name, signoff.roles) == (str(USER_ID), f"user{USER_ID}", ("staff",))
        assert signoff.version == policy_version(kb, policy) and signoff.statement == statement
        assert (signoff.score, signoff.total) == (13, 14)

        records = await induction(again, "start", **staff)
        assert "You're up to date" in records[-1].text and not records[-1].labels

        for role in (COMMITTEE_ROLE, LEADER_ROLE):
            records = await induction(again, "status", role_ids=[role], user_id=888)
            assert f"user{USER_ID} (id {USER_ID}; staff) — Social media procedures: signed; score 13/14, passed" \
                in records[-1].text
            assert "1 record: 1 signed and up to date" in records[-1].text
            transcript += records
    await again.bot.close()
    assert_private_and_quiet(transcript)


async def test_a_parent_can_neither_start_nor_view_induction(bot):
    for action, refusal in (("start", STAFF_ONLY), ("status", LEADERS_ONLY)):
        records = await induction(bot, action, role_ids=[])
        assert len(records) == 1 and records[0].payload["type"] == 4
        assert records[0].ephemeral and records[0].content == refusal
    store = InductionStore(bot.bot.db)
    assert store.people() == []


async def test_staff_cannot_view_status_but_committee_can_start_on_their_own_rules(bot, kb):
    records = await induction(bot, "status", role_ids=[STAFF_ROLE])
    assert records[-1].content == LEADERS_ONLY
    records = await induction(bot, "start", role_ids=[COMMITTEE_ROLE], user_id=888)
    assert "Induction: Social media procedures" in records[-1].text
    assert f"> {kb.rule('sm-facebook-page').text}" in records[-1].text  # a committee rule
    assert kb.rule("sm-staff-no-posting").text not in records[-1].text  # not a staff-only one


async def test_someone_elses_buttons_do_nothing_and_lost_roles_are_refused(bot):
    records = await induction(bot, "start", role_ids=[STAFF_ROLE])
    page = records[-1]
    records = await bot.click(page, "Next", role_ids=[STAFF_ROLE], user_id=888)
    assert records[-1].content == NOT_YOURS
    records = await bot.click(page, "Next", role_ids=[])  # the staff role was taken away meanwhile
    assert records[-1].content == STAFF_ONLY
    run = InductionStore(bot.bot.db).latest_run(str(USER_ID), "social-media")
    assert run.page == 0  # neither click moved the induction on


async def test_status_with_nobody_started(bot):
    records = await induction(bot, "status", role_ids=[COMMITTEE_ROLE])
    assert records[-1].content == "No one has started the induction yet."


def test_commands_are_a_guild_only_group(bot):
    group = bot.bot.tree.get_command("induction", guild=bot.bot.guild_object)
    payload = group.to_dict(bot.bot.tree)
    assert {o["name"] for o in payload["options"]} == {"start", "status"}
    assert payload["contexts"] == [0]


def test_every_message_fits_discords_limits_even_with_big_pages_and_everything_wrong(knowledge_copy, tmp_path):
    from assistant.bot.cogs.induction_views import outcome_messages
    from assistant.bot.limits import check_message
    from assistant.induction.flow import Induction, Person, Question, Reading, Summary
    from assistant.loader import load_knowledge

    kb = load_knowledge(knowledge_copy)
    engine = Induction(kb, InductionStore(Database(tmp_path / "assistant.db")), InductionConfig(rules_per_step=10))
    person = Person("1", "A", ("staff", "committee"))
    step, sent = engine.current(person), []
    while not isinstance(step, Summary):
        sent += outcome_messages(step, kb, 1)
        if isinstance(step, Reading):
            assert len(step.rules) <= 10
            step = engine.advance(person, step.page)
        else:
            assert isinstance(step, Question)
            feedback = engine.answer(person, step.key, (step.item.answer + 1) % len(step.item.options))
            sent += outcome_messages(feedback, kb, 1)
            step = feedback.next
    assert step.score == 0 and len(step.wrong) == step.total > 14
    sent += outcome_messages(step, kb, 1)
    for reply, view in sent:
        check_message(reply.content, reply.embeds)  # raises LimitError if any limit is broken
    summary_text = "\n".join(e.description for reply, _ in outcome_messages(step, kb, 1) for e in reply.embeds)
    for item, rule in step.wrong:
        assert item.correct in summary_text and f"> {rule.text}" in summary_text  # nothing cut off
