"""Fixtures of the induction tests: a real knowledge copy, a fresh database, a controllable clock."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from assistant.config import InductionConfig
from assistant.induction.flow import Feedback, Induction, Person, Question, Reading
from assistant.induction.store import InductionStore
from assistant.loader import load_knowledge
from assistant.storage import Database

STAFF = Person("1001", "Jo Bloggs", ("staff",))


class Clock:
    """A clock the test moves on by hand, so stored times are exact."""

    def __init__(self) -> None:
        self.now = dt.datetime(2026, 9, 1, 9, 0, tzinfo=dt.timezone.utc)

    def __call__(self) -> dt.datetime:
        self.now += dt.timedelta(minutes=1)
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "assistant.db"


@pytest.fixture
def make(knowledge_copy: Path, db_path: Path, clock: Clock):
    """A new engine over the knowledge copy and the database, as after a restart."""

    def build(pass_mark: float = 0.8, rules_per_step: int = 3) -> Induction:
        return Induction(load_knowledge(knowledge_copy), InductionStore(Database(db_path)),
                         InductionConfig(pass_mark=pass_mark, rules_per_step=rules_per_step), now=clock)

    return build


def read_all(induction: Induction, person: Person):
    """Page through the walk-through; returns the first step after it."""
    step = induction.current(person)
    while isinstance(step, Reading):
        step = induction.advance(person, step.page)
    return step


def answer_quiz(induction: Induction, person: Person, wrong: int = 0):
    """Answer every question, the first `wrong` of them wrongly; returns the feedback list."""
    step = read_all(induction, person)
    feedback = []
    while isinstance(step, Question):
        item = step.item
        choice = (item.answer + 1) % len(item.options) if len(feedback) < wrong else item.answer
        result = induction.answer(person, step.key, choice)
        assert isinstance(result, Feedback)
        feedback.append(result)
        step = result.next
    return feedback, step
