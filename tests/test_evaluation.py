"""Quality floor on the labelled question set (written apart from the rules' example questions)."""
from pathlib import Path

from assistant.evaluation import evaluate, load_questions

ROOT = Path(__file__).resolve().parents[1]


def test_question_set_is_big_enough_and_independent_of_the_examples(kb):
    questions = load_questions(ROOT / "eval" / "questions.yaml", {r.id for r in kb.rules})
    assert len(questions) >= 80 and sum(not q.in_scope for q in questions) >= 20
    examples = {e.lower().strip() for r in kb.rules for e in r.examples} | {q.lower() for q in kb.off_topic}
    assert not [q.text for q in questions if q.text.lower().strip() in examples]


def test_engine_meets_its_quality_floor(engine, kb):
    report = evaluate(engine, load_questions(ROOT / "eval" / "questions.yaml", {r.id for r in kb.rules}))
    assert report.rate(report.hit1, report.in_scope) >= 0.90
    assert report.rate(report.hit3, report.in_scope) >= 0.97
    assert report.rate(report.declined, report.out_of_scope) >= 0.90
