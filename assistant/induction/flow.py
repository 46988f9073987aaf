"""The induction as a sequence of steps: read the rules a few at a time, answer the quiz, see the
score, sign off. Every call loads the person's stored progress and saves the next step before it
returns, so any front end (terminal, Discord) can stop and resume at any point."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Callable, Iterable, Mapping, Union

from assistant.config import InductionConfig
from assistant.induction.content import Scope, item_key, key_hash, pages, scopes, statement, valid_roles
from assistant.induction.store import QUIZ, READ, SIGNED, SUMMARY, AnswerRecord, InductionStore, Run, SignOff
from assistant.policy import KnowledgeBase, Policy, QuizItem, Rule

PAGE_CHARS = 3500  # a walk-through page fits one Discord embed (4096) with room for its heading


@dataclass(frozen=True)
class Person:
    """Who is being inducted: a stable id (the Discord user id), a name for the records, their roles."""

    user_id: str
    display_name: str
    roles: tuple[str, ...]


@dataclass(frozen=True)
class Reading:
    """A page of the walk-through: a few rules to read."""

    policy: Policy
    rules: tuple[Rule, ...]
    page: int  # 0-based
    pages: int
    refresher: bool
    notice: str = ""
    questions: int = 0  # in the quiz that follows (none: the reading goes straight to the sign-off)


@dataclass(frozen=True)
class Question:
    """The next quiz question."""

    policy: Policy
    item: QuizItem
    key: str
    rule: Rule
    number: int  # 1-based
    total: int
    notice: str = ""


@dataclass(frozen=True)
class Summary:
    """The end of the quiz: score, pass or not, and the questions answered wrongly with their rules."""

    policy: Policy
    score: int
    total: int
    pass_mark: float
    wrong: tuple[tuple[QuizItem, Rule], ...]
    statement: str
    version: str
    notice: str = ""

    @property
    def passed(self) -> bool:
        return reaches(self.score, self.total, self.pass_mark)


def reaches(score: int, total: int, pass_mark: float) -> bool:
    """Whether `score` out of `total` reaches the pass mark."""
    # No questions (a refresher of rules without quiz items) passes; the epsilon keeps 4/5 at 0.8 a pass.
    return total == 0 or score / total + 1e-9 >= pass_mark


def quiz_items(kb: KnowledgeBase) -> dict[str, QuizItem]:
    """Every quiz item of the knowledge base by its key."""
    return {item_key(item): item for rule in kb.rules for item in rule.quiz}


@dataclass(frozen=True)
class Marks:
    """How a run's current attempt scores: the one scoring of the person's summary and the leader's report."""

    keys: tuple[str, ...]  # the run's quiz items still in the knowledge base, in order
    wrong: tuple[str, ...]  # those of them not answered correctly in the attempt

    @property
    def score(self) -> int:
        return len(self.keys) - len(self.wrong)

    @property
    def total(self) -> int:
        return len(self.keys)

    def passed(self, pass_mark: float) -> bool:
        return reaches(self.score, self.total, pass_mark)


def mark(run: Run, answers: Iterable[AnswerRecord], items: Mapping[str, QuizItem]) -> Marks:
    """Score `answers` (those of the run's current attempt). Quiz items edited away since the run started
    are not asked, so they do not count: quiz items are not part of the policy version."""
    correct = {a.item_key for a in answers if a.correct}
    keys = tuple(k for k in run.item_keys if k in items)
    return Marks(keys, tuple(k for k in keys if k not in correct))


@dataclass(frozen=True)
class UpToDate:
    """Nothing is due: every policy that applies has been signed in its current wording."""

    signoffs: tuple[SignOff, ...]
    notice: str = ""


Step = Union[Reading, Question, Summary, UpToDate]


@dataclass(frozen=True)
class Feedback:
    """The outcome of one answer, and the step that follows it."""

    correct: bool
    item: QuizItem
    chosen: str
    rule: Rule
    see_also: tuple[Rule, ...]
    next: Step


@dataclass(frozen=True)
class Signed:
    """A sign-off just recorded, and what (if anything) is due next."""

    signoff: SignOff
    next: Step


class Induction:
    """The induction engine over one knowledge base and one store. Methods take the person each time
    (no state is kept between calls except in the store), and stale clicks just return the current step."""

    def __init__(self, kb: KnowledgeBase, store: InductionStore, settings: InductionConfig,
                 now: Callable[[], dt.datetime] | None = None, page_chars: int = PAGE_CHARS):
        self.kb = kb
        self.store = store
        self.settings = settings
        self.page_chars = page_chars
        self._now = now or (lambda: dt.datetime.now(dt.timezone.utc))
        self._items = quiz_items(kb)

    def _stamp(self) -> str:
        return self._now().astimezone(dt.timezone.utc).isoformat(timespec="seconds")

    # -- public steps -----------------------------------------------------------------------------------

    def current(self, person: Person) -> Step:
        """Where the person is now: starts their induction, resumes it, or says they are up to date."""
        active = self._active(person)
        return active if isinstance(active, UpToDate) else self._step(*active)

    def advance(self, person: Person, page: int) -> Step:
        """Done reading `page` of the walk-through: the next page, or the first question."""
        active = self._active(person)
        if isinstance(active, UpToDate):
            return active
        scope, run, notice = active
        if run.phase != READ or run.page != page:
            return self._step(scope, run, notice)  # a repeated or stale click
        if page + 1 < len(self._pages(run)):
            run = replace(run, page=page + 1)
        else:
            run = self._after_question(replace(run, phase=QUIZ), -1)
        run = replace(run, updated_at=self._stamp())
        self.store.save_run(run)
        return self._step(scope, run)

    def answer(self, person: Person, key: str, choice: int) -> Feedback | Step:
        """Answer the question `key` (a full item key, or just its hash part: buttons have little room)
        with option `choice` (0-based). A stale key (a question already answered) returns the current step."""
        active = self._active(person)
        if isinstance(active, UpToDate):
            return active
        scope, run, notice = active
        position = self._next_position(run, run.position - 1) if run.phase == QUIZ else None
        if position is None or key_hash(run.item_keys[position]) != key_hash(key):
            return self._step(scope, run, "That question has already been answered." if run.phase == QUIZ
                              else notice)
        key = run.item_keys[position]
        item = self._items[key]
        if not 0 <= choice < len(item.options):
            raise ValueError(f"choice {choice} is not one of the {len(item.options)} options")
        stamp = self._stamp()
        record = AnswerRecord(key, item.rule_id, item.options[choice], choice == item.answer, stamp)
        run = replace(self._after_question(run, position), updated_at=stamp)
        self.store.save_run(run, record)  # the answer and the move to the next question are one transaction
        see_also = tuple(r for r in (self.kb.rule(i) for i in item.see_also) if r)
        return Feedback(record.correct, item, record.chosen, self.kb.rule(item.rule_id), see_also,
                        self._step(scope, run))

    def retake(self, person: Person) -> Step:
        """After a quiz that did not reach the pass mark: the same questions again, as a new attempt."""
        active = self._active(person)
        if isinstance(active, UpToDate):
            return active
        scope, run, notice = active
        summary = self._step(scope, run) if run.phase == SUMMARY else None
        if not isinstance(summary, Summary) or summary.passed:
            return self._step(scope, run, notice)
        run = replace(run, phase=QUIZ, attempt=run.attempt + 1, position=0, finished_at=None,
                      updated_at=self._stamp())
        run = self._after_question(run, -1)
        self.store.save_run(run)
        return self._step(scope, run)

    def sign_off(self, person: Person) -> Signed | Step:
        """Record the sign-off of a passed quiz: who, when, which policy and which version of it."""
        active = self._active(person)
        if isinstance(active, UpToDate):
            return active
        scope, run, notice = active
        summary = self._step(scope, run, notice)
        if run.phase != SUMMARY or not isinstance(summary, Summary) or not summary.passed:
            return summary
        policy = scope.policy
        signoff = SignOff(person.user_id, person.display_name, run.roles, policy.id, policy.title, scope.version,
                          policy.last_reviewed.isoformat() if policy.last_reviewed else None, scope.hashes,
                          summary.statement, summary.score, summary.total, self.settings.pass_mark, self._stamp())
        signoff = self.store.sign(signoff, run)
        return Signed(signoff, self.current(person))

    # -- internals ----------------------------------------------------------------------------------------

    def _active(self, person: Person) -> tuple[Scope, Run, str] | UpToDate:
        """The run to continue, starting one if something is due (with a notice saying why); or UpToDate."""
        roles = valid_roles(person.roles)
        signed: list[SignOff] = []
        for scope in scopes(self.kb, roles):
            run = self.store.latest_run(person.user_id, scope.policy.id)
            notice = ""
            if run and run.phase != SIGNED:
                if run.version == scope.version and run.roles == roles:
                    if run.display_name != person.display_name:  # keep the records' name current
                        run = replace(run, display_name=person.display_name)
                        self.store.save_run(run)
                    return scope, run, ""
                notice = (f"“{scope.policy.title}” has changed since you started, so your "
                          "induction starts again with the current wording." if run.version != scope.version
                          else "Your role has changed, so your induction starts again for your new role.")
            last = self.store.latest_signoff(person.user_id, scope.policy.id)
            due = scope.due(last.rule_hashes) if last else scope.rules
            if not due:
                signed.append(last)
                continue
            if last and not notice:
                many = len(due) != 1
                notice = (f"“{scope.policy.title}” has changed since you signed it on "
                          f"{last.signed_at[:10]}: {len(due)} rule{'s are' if many else ' is'} new or reworded. "
                          f"Here {'they are' if many else 'it is'}, then a short quiz on just "
                          f"{'those' if many else 'that'}.")
            return scope, self._start(person, roles, scope, due, "refresher" if last else "full"), notice
        return UpToDate(tuple(signed))

    def _start(self, person: Person, roles: tuple[str, ...], scope: Scope, rules: tuple[Rule, ...],
               mode: str) -> Run:
        stamp = self._stamp()
        keys = tuple(item_key(item) for rule in rules for item in rule.quiz)
        run = Run(0, person.user_id, person.display_name, roles, scope.policy.id, scope.version, mode,
                  tuple(r.id for r in rules), keys, READ, 0, 1, 0, stamp, stamp)
        return self.store.new_run(run)

    def _rules(self, run: Run) -> tuple[Rule, ...]:
        return tuple(r for r in (self.kb.rule(i) for i in run.rule_ids) if r)

    def _pages(self, run: Run) -> list[tuple[Rule, ...]]:
        return pages(self._rules(run), self.kb, self.settings.rules_per_step, self.page_chars)

    def _next_position(self, run: Run, after: int) -> int | None:
        # Quiz items edited away since the run started (the policy wording did not change) are skipped.
        return next((i for i in range(after + 1, len(run.item_keys)) if run.item_keys[i] in self._items), None)

    def _after_question(self, run: Run, position: int) -> Run:
        """The run moved past the question at `position`: on to the next one, or finished."""
        following = self._next_position(run, position)
        if following is None:
            return replace(run, phase=SUMMARY, position=len(run.item_keys), finished_at=self._stamp())
        return replace(run, position=following)

    def _step(self, scope: Scope, run: Run, notice: str = "") -> Step:
        if run.phase == READ:
            book = self._pages(run)
            keys = [k for k in run.item_keys if k in self._items]
            return Reading(scope.policy, book[run.page], run.page, len(book), run.mode == "refresher", notice,
                           len(keys))
        keys = [k for k in run.item_keys if k in self._items]
        position = self._next_position(run, run.position - 1) if run.phase == QUIZ else None
        if position is not None:
            key = run.item_keys[position]
            item = self._items[key]
            return Question(scope.policy, item, key, self.kb.rule(item.rule_id), keys.index(key) + 1, len(keys),
                            notice)
        marks = mark(run, self.store.answers(run.id, run.attempt), self._items)
        wrong = tuple((self._items[k], self.kb.rule(self._items[k].rule_id)) for k in marks.wrong)
        return Summary(scope.policy, marks.score, marks.total, self.settings.pass_mark, wrong,
                       statement(scope.policy), scope.version, notice)
