"""The induction flow without Discord: scope, walk-through, quiz, pass mark, resume, sign-off."""
from __future__ import annotations

import sqlite3

import pytest

from assistant.config import InductionConfig
from assistant.induction.content import policy_version, rule_hash, scopes
from assistant.induction.flow import Feedback, Induction, Person, Question, Reading, Signed, Summary, UpToDate
from assistant.induction.render import feedback_blocks, pack, step_blocks
from assistant.induction.report import status_lines, status_rows
from assistant.induction.store import InductionStore
from assistant.loader import load_knowledge
from assistant.storage import Database
from tests.induction.conftest import STAFF, answer_quiz, read_all

STAFF_RULES = {"sm-scope", "sm-staff-no-posting", "sm-no-mobile-phones", "sm-no-photos-on-phones",
               "sm-email-work-only", "sm-children-no-email", "sm-policy-shared-with-parents",
               "sm-staff-professional-online", "sm-electronic-communication", "sm-partnership",
               "sm-professional-boundaries", "sm-staff-not-on-parents-social"}


def test_scope_follows_audience(kb):
    [staff] = scopes(kb, ("staff",))
    [committee] = scopes(kb, ("committee",))
    [visitors] = scopes(kb, ("visitors",))
    assert {r.id for r in staff.rules} == STAFF_RULES
    assert {"sm-facebook-page", "sm-page-moderation", "sm-email-work-only"} <= {r.id for r in committee.rules}
    assert "sm-staff-no-posting" not in {r.id for r in committee.rules}
    assert {"sm-own-child-only", "sm-no-photos-on-phones"} <= {r.id for r in visitors.rules}
    assert "sm-email-work-only" not in {r.id for r in visitors.rules}
    for scope in (staff, committee, visitors):  # parents-only rules are never part of an induction
        assert "sm-parents-no-posting" not in {r.id for r in scope.rules}
        assert all(r.quiz for r in scope.rules), "every rule a person is inducted on has a scenario"


def test_walkthrough_shows_every_rule_once_a_few_at_a_time_with_exact_wording(make):
    induction = make(rules_per_step=3)
    step = induction.current(STAFF)
    seen = []
    while isinstance(step, Reading):
        assert len(step.rules) <= 3
        text = "\n".join(step_blocks(step, induction.kb))
        for rule in step.rules:
            assert f"> {rule.text}" in text  # quoted word for word
        seen += [r.id for r in step.rules]
        step = induction.advance(STAFF, step.page)
    assert sorted(seen) == sorted(STAFF_RULES) and len(seen) == len(STAFF_RULES)
    assert isinstance(step, Question) and step.number == 1 and step.total == 14


def test_right_and_wrong_answers_say_why_and_quote_the_rule(make):
    induction = make()
    step = read_all(induction, STAFF)
    item = step.item
    wrong = induction.answer(STAFF, step.key, (item.answer + 1) % len(item.options))
    assert isinstance(wrong, Feedback) and not wrong.correct
    assert wrong.rule.id == item.rule_id and wrong.chosen != item.correct
    text = "\n".join(feedback_blocks(wrong, induction.kb))
    assert "Not quite" in text and item.correct in text and item.why in text and f"> {wrong.rule.text}" in text
    step = wrong.next
    right = induction.answer(STAFF, step.key, step.item.answer)
    assert isinstance(right, Feedback) and right.correct
    assert "Right" in "\n".join(feedback_blocks(right, induction.kb))
    assert right.next.number == 3


def test_see_also_rules_are_quoted_with_the_feedback(make):
    induction = make()
    step = read_all(induction, STAFF)
    while step.item.question != "A parent sends you a friend request on Facebook. What do you do?":
        step = induction.answer(STAFF, step.key, step.item.answer).next
    feedback = induction.answer(STAFF, step.key, step.item.answer)
    assert [r.id for r in feedback.see_also] == ["sm-professional-boundaries"]
    assert f"> {feedback.see_also[0].text}" in "\n".join(feedback_blocks(feedback, induction.kb))


def test_resume_after_restart_where_they_left_off(make):
    first = make()
    step = read_all(first, STAFF)
    for _ in range(4):
        step = first.answer(STAFF, step.key, step.item.answer).next
    again = make()  # a new engine and store over the same file: a restart
    resumed = again.current(STAFF)
    assert isinstance(resumed, Question) and resumed.key == step.key and resumed.number == 5


def test_resume_in_the_walkthrough(make):
    first = make()
    step = first.current(STAFF)
    first.advance(STAFF, step.page)
    resumed = make().current(STAFF)
    assert isinstance(resumed, Reading) and resumed.page == 1


def test_a_crash_while_saving_an_answer_loses_neither_progress_nor_consistency(make, db_path):
    induction = make()
    step = read_all(induction, STAFF)
    step = induction.answer(STAFF, step.key, step.item.answer).next
    with sqlite3.connect(db_path) as db:  # the run update fails after the answer was written
        db.execute("CREATE TRIGGER crash BEFORE UPDATE ON induction_runs BEGIN SELECT RAISE(ABORT, 'crash'); END")
    with pytest.raises(sqlite3.DatabaseError):
        induction.answer(STAFF, step.key, step.item.answer)
    with sqlite3.connect(db_path) as db:
        db.execute("DROP TRIGGER crash")
        assert db.execute("SELECT COUNT(*) FROM induction_answers").fetchone()[0] == 1  # rolled back together
    resumed = make().current(STAFF)
    assert resumed.key == step.key and resumed.number == 2


def test_a_stale_click_does_not_answer_twice(make, db_path):
    induction = make()
    step = read_all(induction, STAFF)
    induction.answer(STAFF, step.key, step.item.answer)
    again = induction.answer(STAFF, step.key, 0)  # the same button pressed again
    assert isinstance(again, Question) and again.number == 2 and "already been answered" in again.notice
    with sqlite3.connect(db_path) as db:
        assert db.execute("SELECT COUNT(*) FROM induction_answers").fetchone()[0] == 1
    assert isinstance(induction.advance(STAFF, 0), Question)  # a stale "next page" click changes nothing


@pytest.mark.parametrize("wrong, passed", [(2, True), (3, False)])
def test_pass_mark(make, wrong, passed):
    induction = make(pass_mark=0.8)  # 14 questions: 12/14 = 86% passes, 11/14 = 79% does not
    _, summary = answer_quiz(induction, STAFF, wrong=wrong)
    assert isinstance(summary, Summary)
    assert (summary.score, summary.total, summary.passed) == (14 - wrong, 14, passed)
    assert len(summary.wrong) == wrong
    text = "\n".join(step_blocks(summary, induction.kb))
    for item, rule in summary.wrong:  # the rules got wrong are shown again, quoted
        assert item.correct in text and f"> {rule.text}" in text
    assert ("confirm" in text) is passed


def test_below_the_pass_mark_no_sign_off_until_a_retake_passes(make):
    induction = make(pass_mark=1.0)
    _, summary = answer_quiz(induction, STAFF, wrong=1)
    assert not summary.passed
    assert isinstance(induction.sign_off(STAFF), Summary)  # refused
    assert induction.store.latest_signoff(STAFF.user_id, "social-media") is None
    retake = induction.retake(STAFF)
    assert isinstance(retake, Question) and retake.number == 1
    _, summary = answer_quiz(induction, STAFF)
    assert summary.passed and summary.score == 14
    assert isinstance(induction.sign_off(STAFF), Signed)


def test_sign_off_records_who_when_which_policy_and_version(make, clock):
    induction = make()
    _, summary = answer_quiz(induction, STAFF, wrong=1)
    signed = induction.sign_off(STAFF)
    assert isinstance(signed, Signed) and isinstance(signed.next, UpToDate)
    stored = make().store.latest_signoff(STAFF.user_id, "social-media")
    policy = induction.kb.policies["social-media"]
    assert (stored.user_id, stored.display_name, stored.roles) == ("1001", "Jo Bloggs", ("staff",))
    assert stored.policy_title == "Social media procedures"
    assert stored.statement == "I have read and understood the social media procedures"
    assert stored.version == policy_version(induction.kb, policy) and len(stored.version) == 16
    assert stored.last_reviewed is None  # the shipped policy has no review date yet
    assert stored.signed_at == clock.now.isoformat(timespec="seconds")
    assert (stored.score, stored.total, stored.pass_mark) == (13, 14, 0.8)
    assert stored.rule_hashes == {r.id: rule_hash(r) for r in induction.kb.rules if r.id in STAFF_RULES}
    assert isinstance(make().current(STAFF), UpToDate)


def test_display_name_changes_are_kept(make):
    induction = make()
    induction.current(STAFF)
    induction.current(Person(STAFF.user_id, "Jo B.", STAFF.roles))
    assert induction.store.latest_run(STAFF.user_id, "social-media").display_name == "Jo B."


def test_people_are_kept_apart(make):
    induction = make()
    read_all(induction, STAFF)
    other = Person("2002", "Sam", ("committee",))
    step = induction.current(other)
    assert isinstance(step, Reading) and step.page == 0
    assert "sm-facebook-page" in {r.id for page in [step.rules] for r in page}


def test_pack_keeps_blocks_whole_and_respects_the_limit():
    blocks = ["a" * 1500, "b" * 1500, "c" * 900, "line\n" * 1000]
    messages = pack(blocks, 2000)
    assert all(len(m) <= 2000 for m in messages)
    assert messages[0] == "a" * 1500 and messages[1].startswith("b" * 1500)
    assert "".join(messages).replace("\n", "") == "".join(blocks).replace("\n", "")


def test_a_policy_without_quiz_items_goes_from_reading_to_sign_off_without_a_score(tmp_path, db_path, clock):
    knowledge = tmp_path / "nappies"
    knowledge.mkdir()
    (knowledge / "nappy.txt").write_text("Nappy Changing Policy\nStaff wear gloves and an apron for every "
                                         "nappy change.\n", encoding="utf-8")
    (knowledge / "nappy.yaml").write_text(
        "policy:\n  id: nappy\n  title: Nappy Changing Policy\n  source: nappy.txt\n  sections: [Nappy Changing Policy]\n"
        "rules:\n  - id: nappy-gloves\n    section: Nappy Changing Policy\n    audience: [staff]\n"
        "    text: Staff wear gloves and an apron for every nappy change.\n", encoding="utf-8")
    kb = load_knowledge(knowledge)
    induction = Induction(kb, InductionStore(Database(db_path)), InductionConfig(), now=clock)
    step = induction.current(STAFF)
    assert isinstance(step, Reading)
    text = "\n".join(step_blocks(step, kb))
    assert "quiz" not in text and "confirm" in text
    summary = induction.advance(STAFF, step.page)
    assert isinstance(summary, Summary) and summary.statement == "I have read and understood the Nappy Changing Policy"
    induction.sign_off(STAFF)
    [line] = status_lines(status_rows(kb, induction.store, InductionConfig()))
    assert "score" not in line and "0/0" not in line and "Nappy Changing Policy" in line
