"""Quality floors on the labelled question sets (written apart from the rules' example questions;
holdout.yaml was written last and never used for tuning)."""
from pathlib import Path

import pytest

from assistant.evaluation import evaluate, load_questions

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("name, size, out", [("questions.yaml", 80, 20), ("holdout.yaml", 60, 20)])
def test_question_sets_are_big_enough_and_independent_of_the_examples(kb, name, size, out):
    questions = load_questions(ROOT / "eval" / name, {r.id for r in kb.rules})
    assert len(questions) >= size and sum(not q.in_scope for q in questions) >= out
    examples = {e.lower().strip() for r in kb.rules for e in r.examples} | {q.lower() for q in kb.off_topic}
    assert not [q.text for q in questions if q.text.lower().strip() in examples]


@pytest.mark.parametrize("name", ["questions.yaml", "holdout.yaml"])
def test_engine_meets_its_quality_floor(engine, kb, name):
    report = evaluate(engine, load_questions(ROOT / "eval" / name, {r.id for r in kb.rules}))
    assert report.rate(report.hit1, report.in_scope) >= 0.90
    assert report.rate(report.hit3, report.in_scope) >= 0.97
    assert report.rate(report.declined, report.out_of_scope) >= 0.85
