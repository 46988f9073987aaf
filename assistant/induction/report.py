"""What the leader can show: everyone with an induction record, how far they got, their score, which
version they signed, and who is due a refresher. One row per person and policy."""
from __future__ import annotations

import csv
from dataclasses import dataclass
from typing import Callable, TextIO

from assistant.config import InductionConfig
from assistant.induction.content import Scope, scopes
from assistant.induction.flow import mark, quiz_items
from assistant.induction.store import QUIZ, READ, SIGNED, SUMMARY, InductionStore
from assistant.policy import KnowledgeBase
from assistant.text import count_of

CSV_COLUMNS = ("user_id", "display_name", "roles", "policy", "state", "started_at", "finished_at", "score",
               "total", "passed", "pass_mark", "signed_version", "signed_last_reviewed", "signed_at",
               "current_version", "refresher_due_rules")


@dataclass(frozen=True)
class StatusRow:
    """One person's standing on one policy."""

    user_id: str
    display_name: str
    roles: tuple[str, ...]
    policy_id: str
    policy_title: str
    state: str
    started_at: str
    finished_at: str | None
    score: int | None
    total: int | None
    passed: bool | None
    pass_mark: float
    signed_version: str | None
    signed_last_reviewed: str | None
    signed_at: str | None
    current_version: str | None
    due: tuple[str, ...]  # rule ids new or reworded since their last sign-off

    @property
    def finished(self) -> bool:
        return self.finished_at is not None


def status_rows(kb: KnowledgeBase, store: InductionStore, settings: InductionConfig) -> list[StatusRow]:
    """Everyone with any induction record, oldest first."""
    rows = []
    items = quiz_items(kb)
    scopes_of: dict[tuple[str, ...], dict[str, Scope]] = {}  # per distinct role set: few sets, many people
    for user_id, policy_id, first_at in store.people():
        run = store.latest_run(user_id, policy_id)
        signoff = store.latest_signoff(user_id, policy_id)
        roles = run.roles if run else signoff.roles
        if roles not in scopes_of:
            scopes_of[roles] = {s.policy.id: s for s in scopes(kb, roles)}
        scope = scopes_of[roles].get(policy_id)
        title = scope.policy.title if scope else (signoff.policy_title if signoff else policy_id)
        due = tuple(r.id for r in scope.due(signoff.rule_hashes)) if scope and signoff else ()
        name = run.display_name if run else signoff.display_name
        score = total = passed = None
        finished_at = None
        open_run = run is not None and run.phase != SIGNED
        if open_run:
            kind = "refresher" if run.mode == "refresher" else "induction"
            state = {READ: f"{kind}: reading", QUIZ: f"{kind}: quiz"}.get(run.phase, "")
            if run.phase == SUMMARY:
                marks = mark(run, store.answers(run.id, run.attempt), items)  # as the person's summary scored it
                score, total, passed = marks.score, marks.total, marks.passed(settings.pass_mark)
                finished_at = run.finished_at
                state = f"{kind}: passed, not signed yet" if passed else f"{kind}: below the pass mark"
            if scope and run.version != scope.version:
                state += " (started on an older version)"
        if signoff:
            if not open_run:
                score, total, passed, finished_at = signoff.score, signoff.total, True, signoff.signed_at
                state = "signed" if not due else f"refresher due ({count_of(len(due), 'rule')})"
                if scope and signoff.version != scope.version and not due:
                    state += " (older version; no rule of theirs changed)"
        rows.append(StatusRow(user_id, name, roles, policy_id, title, state, first_at, finished_at, score, total,
                              passed, settings.pass_mark, signoff.version if signoff else None,
                              signoff.last_reviewed if signoff else None, signoff.signed_at if signoff else None,
                              scope.version if scope else None, due))
    return rows


def status_lines(rows: list[StatusRow], escape: Callable[[str], str] = lambda text: text) -> list[str]:
    """One line per row, for a terminal or a Discord message (`escape` neutralises names' Markdown)."""
    lines = []
    for row in rows:
        parts = [f"{escape(row.display_name)} (id {row.user_id}; {', '.join(row.roles)}) — "
                 f"{row.policy_title}: {row.state}"]
        if row.total:  # a policy with no quiz items has no score to show
            parts.append(f"score {row.score}/{row.total}" + (", passed" if row.passed else ", not passed"))
        if row.signed_at:
            parts.append(f"signed {row.signed_at[:10]}, version {row.signed_version[:8]} "
                         f"(last reviewed: {row.signed_last_reviewed or 'not recorded'})")
        if row.due:
            parts.append(f"due: {', '.join(row.due)}")
        lines.append("; ".join(parts))
    return lines


def _cell(value: object) -> str:
    text = "" if value is None else str(value)
    # A name starting with =, +, - or @ would run as a formula in a spreadsheet.
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def write_csv(rows: list[StatusRow], out: TextIO) -> None:
    """The report as CSV for the setting's records (one row per person and policy)."""
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for row in rows:
        writer.writerow([_cell(v) for v in (
            row.user_id, row.display_name, " ".join(row.roles), row.policy_title, row.state, row.started_at,
            row.finished_at, row.score, row.total,
            "" if row.passed is None else ("yes" if row.passed else "no"), row.pass_mark,
            row.signed_version, row.signed_last_reviewed, row.signed_at, row.current_version, " ".join(row.due))])
