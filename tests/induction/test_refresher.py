"""When a policy changes, people who signed an older version are due again for the changed rules only."""
from __future__ import annotations

from pathlib import Path

from assistant.config import InductionConfig
from assistant.induction.content import policy_version
from assistant.induction.flow import Person, Question, Reading, Signed, UpToDate
from assistant.induction.report import status_rows
from tests.induction.conftest import STAFF, answer_quiz, read_all

OLD = "The use of mobile phones is not permitted within the pre-school hall, toilets or garden."
NEW = "The use of mobile phones is not permitted within the pre-school hall, kitchen, toilets or garden."
COMMITTEE = Person("2002", "Sam Smith", ("committee",))


def sign(induction, person):
    answer_quiz(induction, person)
    assert isinstance(induction.sign_off(person), Signed)


def reword_phone_rule(knowledge: Path) -> None:
    """The leader rewords one rule: the source document and the rule's text change together."""
    for name in ("social_media.txt", "social_media.yaml"):
        path = knowledge / name
        text = path.read_text(encoding="utf-8")
        assert OLD in text
        path.write_text(text.replace(OLD, NEW), encoding="utf-8")


def test_only_the_reworded_rule_is_due(make, knowledge_copy):
    before = make()
    sign(before, STAFF)
    old = before.store.latest_signoff(STAFF.user_id, "social-media")
    old_version, old_hashes = old.version, old.rule_hashes
    reword_phone_rule(knowledge_copy)
    after = make()
    step = after.current(STAFF)
    assert isinstance(step, Reading) and step.refresher
    assert [r.id for r in step.rules] == ["sm-no-mobile-phones"] and step.pages == 1
    assert "1 rule is new or reworded" in step.notice
    step = after.advance(STAFF, 0)
    assert isinstance(step, Question) and step.total == 1 and step.rule.id == "sm-no-mobile-phones"
    step = after.answer(STAFF, step.key, step.item.answer).next
    assert step.passed and step.total == 1
    signed = after.sign_off(STAFF)
    assert isinstance(signed, Signed) and isinstance(signed.next, UpToDate)
    new_version = policy_version(after.kb, after.kb.policies["social-media"])
    assert signed.signoff.version == new_version != old_version
    new_hashes = signed.signoff.rule_hashes
    assert [k for k in new_hashes if new_hashes[k] != old_hashes[k]] == ["sm-no-mobile-phones"]


def test_rule_hashes_of_untouched_rules_are_unchanged_and_a_new_rule_is_due(make, knowledge_copy):
    before = make()
    sign(before, STAFF)
    first = before.store.latest_signoff(STAFF.user_id, "social-media").rule_hashes
    # A new rule: a new sentence in the source and a rule quoting it.
    source = knowledge_copy / "social_media.txt"
    source.write_text(source.read_text(encoding="utf-8") + "\nStaff will keep their phones in the office.\n",
                      encoding="utf-8")
    rules = knowledge_copy / "social_media.yaml"
    text = rules.read_text(encoding="utf-8")
    marker = "\n# Questions this policy does not answer"
    new_rule = ('\n  - id: sm-phones-in-office\n    section: Social Media\n    audience: [staff]\n'
                '    text: "Staff will keep their phones in the office."\n')
    rules.write_text(text.replace(marker, new_rule + marker, 1), encoding="utf-8")
    after = make()
    step = after.current(STAFF)
    assert [r.id for r in step.rules] == ["sm-phones-in-office"]
    step = after.advance(STAFF, 0)
    assert step.total == 0 and step.passed  # a rule without quiz items: read it and sign
    signed = after.sign_off(STAFF)
    hashes = signed.signoff.rule_hashes
    assert set(hashes) == set(first) | {"sm-phones-in-office"}
    assert all(hashes[k] == v for k, v in first.items())


def test_changing_examples_or_plain_answers_makes_nobody_due(make, knowledge_copy):
    induction = make()
    sign(induction, STAFF)
    rules = knowledge_copy / "social_media.yaml"
    text = rules.read_text(encoding="utf-8")
    text = text.replace('      - "can i use my phone in the garden"\n',
                        '      - "can i use my phone in the garden"\n      - "phone in the toilets?"\n', 1)
    text = text.replace("No. Mobile phones can't be used", "No. Mobile phones may not be used", 1)
    rules.write_text(text, encoding="utf-8")
    assert isinstance(make().current(STAFF), UpToDate)


def test_committee_signed_too_is_due_for_the_rule_that_applies_to_them(make, knowledge_copy):
    before = make()
    sign(before, STAFF)
    sign(before, COMMITTEE)
    reword_phone_rule(knowledge_copy)
    after = make()
    assert [r.id for r in after.current(COMMITTEE).rules] == ["sm-no-mobile-phones"]
    rows = {row.user_id: row for row in status_rows(after.kb, after.store, InductionConfig())}
    assert rows["1001"].due == ("sm-no-mobile-phones",) and rows["1001"].state == "refresher due (1 rule)"
    # Sam has started the refresher by opening /induction: in progress, still due.
    assert rows["2002"].state == "refresher: reading" and rows["2002"].due == ("sm-no-mobile-phones",)


def test_a_change_mid_induction_starts_again_with_the_current_wording(make, knowledge_copy):
    before = make()
    step = before.current(STAFF)
    before.advance(STAFF, step.page)
    reword_phone_rule(knowledge_copy)
    step = make().current(STAFF)
    assert isinstance(step, Reading) and step.page == 0 and not step.refresher
    assert "changed since you started" in step.notice
    assert make().store.latest_run(STAFF.user_id, "social-media").version == \
        policy_version(make().kb, make().kb.policies["social-media"])


def edit_away(knowledge: Path, questions: list[str]) -> None:
    """The leader rewords quiz questions: the old items are gone (a new item key), the policy version is not."""
    path = knowledge / "social_media.yaml"
    text = path.read_text(encoding="utf-8")
    for question in questions:
        assert text.count(f'question: "{question}"') == 1
        text = text.replace(f'question: "{question}"', f'question: "Reworded: {question}"')
    path.write_text(text, encoding="utf-8")


def test_the_report_scores_as_the_summary_after_quiz_items_were_edited_away(make, knowledge_copy):
    settings = InductionConfig(pass_mark=0.8, rules_per_step=3)
    induction = make(pass_mark=0.8)
    feedback, summary = answer_quiz(induction, STAFF, wrong=4)
    assert (summary.score, summary.total, summary.passed) == (10, 14, False)
    [row] = status_rows(induction.kb, induction.store, settings)
    assert (row.score, row.total, row.passed) == (10, 14, False)
    edit_away(knowledge_copy, [f.item.question for f in feedback if not f.correct])
    after = make(pass_mark=0.8)
    assert policy_version(after.kb, after.kb.policies["social-media"]) == summary.version
    summary = after.current(STAFF)
    assert (summary.score, summary.total, summary.passed) == (10, 10, True)  # what the person sees
    [row] = status_rows(after.kb, after.store, settings)
    assert (row.score, row.total, row.passed) == (10, 10, True)  # and what the leader sees
    assert row.state == "induction: passed, not signed yet"
    signed = after.sign_off(STAFF)
    assert isinstance(signed, Signed) and (signed.signoff.score, signed.signoff.total) == (10, 10)
    [row] = status_rows(after.kb, after.store, settings)
    assert (row.score, row.total, row.passed, row.state) == (10, 10, True, "signed")


def test_the_report_works_out_each_role_sets_scopes_once(make, monkeypatch):
    import assistant.induction.report as report

    induction = make()
    for n in range(4):
        read_all(induction, Person(f"s{n}", f"Staff {n}", ("staff",)))
    read_all(induction, COMMITTEE)
    calls = []
    real = report.scopes
    monkeypatch.setattr(report, "scopes", lambda kb, roles: calls.append(roles) or real(kb, roles))
    rows = status_rows(induction.kb, induction.store, InductionConfig())
    assert len(rows) == 5 and sorted(calls) == [("committee",), ("staff",)]
