"""Re-ingesting a new version: what people wrote survives, reworded rules are flagged, new rules
are added, removed ones dropped (and named, with what they carried), the review date recorded."""
import datetime as dt

import yaml

from assistant.answer import NEUTRAL_LEAD, rule_answer
from assistant.checker import check
from assistant.ingest import ingest_file
from assistant.loader import load_knowledge
from tests.conftest import ROOT
from tests.ingest.conftest import FIXTURES, knowledge_hash

UNCHANGED = "lunch-snacks-healthy-snack-offered-mid"
REWORDED = "lunch-snacks-sweets-chocolate-bars-fizzy"
REMOVED = "lunch-snacks-parents-asked-contribute-1"
QUIZ = {"question": "When is snack offered?", "options": ["Mid-morning and mid-afternoon", "Only at lunch"],
        "answer": "Mid-morning and mid-afternoon", "why": "A healthy snack is offered mid-morning and mid-afternoon."}


def _curate(path):
    """What a person does after the first ingest: plain answers, examples, a quiz item, an audience."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    rules = {r["id"]: r for r in data["rules"]}
    rules[UNCHANGED].update(plain="Yes, a healthy snack morning and afternoon.", examples=["is there a snack?"],
                            quiz=[QUIZ], audience=["parents", "staff"])
    rules[REWORDED].update(plain="Please don't pack sweets or fizzy drinks.", examples=["can i send sweets?"])
    rules[REMOVED].update(plain="Snack costs £1 a week.", examples=["how much is snack?", "do i pay for snack?"])
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")


def test_reingest_keeps_curated_fields_flags_rewording_and_reports_the_diff(knowledge_copy, run_cli):
    assert run_cli("ingest", str(FIXTURES / "lunch_snacks.txt"), "--reviewed", "2026-01-10")[0] == 0
    rules_file = knowledge_copy / "lunch-snacks.yaml"
    _curate(rules_file)
    before = {r.id: r for r in load_knowledge(knowledge_copy).rules if r.policy_id == "lunch-snacks"}

    code, out, err = run_cli("ingest", str(FIXTURES / "lunch_snacks_v2.txt"), "--reviewed", "2026-11-20")
    assert code == 0, err
    assert "Policy 'lunch-snacks'" in out and "updated from lunch_snacks_v2.txt" in out
    assert "last reviewed: 2026-01-10 -> 2026-11-20" in out
    assert "unchanged: 11 rules" in out
    assert "reworded: 1 rules" in out and REWORDED in out
    assert '"Sweets, chocolate bars, crisps and fizzy drinks must not be sent in lunch boxes."' in out
    assert "added: 1 new rules" in out and "Children are encouraged to try new foods" in out
    assert "removed: 1 rules" in out and REMOVED in out
    assert 'dropped with it: plain answer "Snack costs £1 a week."; 2 examples' in out

    kb = load_knowledge(knowledge_copy)
    after = {r.id: r for r in kb.rules if r.policy_id == "lunch-snacks"}
    assert str(kb.policies["lunch-snacks"].last_reviewed) == "2026-11-20"
    kept = after[UNCHANGED]
    assert (kept.plain, kept.examples, kept.audience) == (before[UNCHANGED].plain, ("is there a snack?",),
                                                           ("parents", "staff"))
    assert [q.question for q in kept.quiz] == ["When is snack offered?"] and kept.review is None
    reworded = after[REWORDED]
    assert reworded.text == "Sweets, chocolate bars, crisps and fizzy drinks must not be sent in lunch boxes."
    assert reworded.plain == "Please don't pack sweets or fizzy drinks." and reworded.examples == ("can i send sweets?",)
    assert "wording changed" in reworded.review and "Sweets, chocolate bars and fizzy drinks" in reworded.review
    assert REMOVED not in after
    added = [r for r in after.values() if r.id not in before]
    assert [r.text for r in added] == ["Children are encouraged to try new foods but are never made to eat."]
    assert added[0].plain is None and added[0].section == "Aims"
    # every other id, and everything curated, unchanged
    for rule_id, rule in before.items():
        if rule_id not in (REWORDED, REMOVED):
            assert (after[rule_id].text, after[rule_id].plain, after[rule_id].examples) == (rule.text, rule.plain, rule.examples)

    _, problems = check(knowledge_copy)
    assert any(f"rule '{REWORDED}' is flagged for review" in p.message for p in problems)
    # the plain answer written for the old wording is not shown above the new wording
    shown = rule_answer("can i send crisps?", reworded, kb)
    assert shown.plain == NEUTRAL_LEAD and "Please don't pack sweets" not in shown.message
    assert rule_answer("is there a snack?", kept, kb).plain == kept.plain
    # and `check` says the old plain answer opens with a yes/no word
    assert any(p.code == "yes_no" and REWORDED in p.message for p in problems)
    assert "1 are flagged for review" in out


def test_reingesting_the_same_version_changes_nothing(knowledge_copy):
    day = dt.date(2026, 11, 20)
    ingest_file(FIXTURES / "lunch_snacks.txt", knowledge_copy, reviewed=day, today=day)
    _curate(knowledge_copy / "lunch-snacks.yaml")
    first = ingest_file(FIXTURES / "lunch_snacks.txt", knowledge_copy, reviewed=day, today=day)
    assert not first.summary.changed and len(first.summary.unchanged) == 13
    before = knowledge_hash(knowledge_copy)
    again = ingest_file(FIXTURES / "lunch_snacks.txt", knowledge_copy, reviewed=day, today=day)
    assert "no wording changed" in "\n".join(again.summary.lines())
    assert knowledge_hash(knowledge_copy) == before


def test_a_new_version_under_another_file_name_updates_the_policy_with_the_same_title(knowledge_copy, tmp_path):
    ingest_file(FIXTURES / "lunch_snacks.txt", knowledge_copy)
    renamed = tmp_path / "Food policy FINAL.txt"
    renamed.write_bytes((FIXTURES / "lunch_snacks_v2.txt").read_bytes())
    result = ingest_file(renamed, knowledge_copy)
    assert result.policy_id == "lunch-snacks" and not result.summary.new_policy
    assert sorted(p.name for p in knowledge_copy.glob("lunch*")) == ["lunch-snacks.txt", "lunch-snacks.yaml"]


def test_dry_run_reports_and_writes_nothing(knowledge_copy, run_cli):
    assert run_cli("ingest", str(FIXTURES / "lunch_snacks.txt"))[0] == 0
    before = knowledge_hash(knowledge_copy)
    code, out, _ = run_cli("ingest", str(FIXTURES / "lunch_snacks_v2.txt"), "--dry-run")
    assert code == 0 and "reworded: 1 rules" in out and "Dry run: nothing written" in out
    assert knowledge_hash(knowledge_copy) == before


def test_reingesting_the_hand_curated_social_media_policy_keeps_every_curated_field(knowledge_copy):
    original = load_knowledge(ROOT / "knowledge")
    result = ingest_file(knowledge_copy / "social_media.txt", knowledge_copy, policy_id="social-media",
                         reviewed=dt.date(2026, 11, 20))
    assert len(result.summary.unchanged) == len(original.rules) and not result.summary.changed
    assert result.rules_file.name == "social_media.yaml"  # updated in place, whatever its file name
    assert result.summary.comments_dropped  # the hand-written comments are named, not lost silently
    updated = load_knowledge(knowledge_copy)
    policy = updated.policies["social-media"]
    assert policy.sections == original.policies["social-media"].sections
    assert policy.contact_routes == original.policies["social-media"].contact_routes
    assert str(policy.last_reviewed) == "2026-11-20" and updated.off_topic == original.off_topic
    for rule in original.rules:
        new = updated.rule(rule.id)
        for name in ("text", "section", "audience", "plain", "examples", "internal", "review"):
            assert getattr(new, name) == getattr(rule, name), (rule.id, name)
        assert [(q.question, q.options, q.answer, q.why, q.see_also) for q in new.quiz] == \
            [(q.question, q.options, q.answer, q.why, q.see_also) for q in rule.quiz]
