"""Induction records in the bot's SQLite file (`data_dir/assistant.db`), in tables of their own.

Every step is one short transaction on its own connection, so progress survives a restart or a crash
between any two steps, and the store can be used from worker threads. Only the induction tables are
touched; the bot's other tables are none of this module's business."""
from __future__ import annotations

import json
from dataclasses import dataclass, replace

from assistant.storage import Database

SCHEMA = (
    # A run is one pass through one policy: reading, quiz (possibly several attempts), summary, sign-off.
    """CREATE TABLE IF NOT EXISTS induction_runs (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        user_id TEXT NOT NULL, display_name TEXT NOT NULL, roles TEXT NOT NULL,
        policy_id TEXT NOT NULL, version TEXT NOT NULL, mode TEXT NOT NULL,
        rule_ids TEXT NOT NULL, item_keys TEXT NOT NULL,
        phase TEXT NOT NULL, page INTEGER NOT NULL, attempt INTEGER NOT NULL, position INTEGER NOT NULL,
        started_at TEXT NOT NULL, updated_at TEXT NOT NULL, finished_at TEXT)""",
    "CREATE INDEX IF NOT EXISTS induction_runs_person ON induction_runs (user_id, policy_id, id)",
    """CREATE TABLE IF NOT EXISTS induction_answers (
        run_id INTEGER NOT NULL, attempt INTEGER NOT NULL, item_key TEXT NOT NULL, rule_id TEXT NOT NULL,
        chosen TEXT NOT NULL, correct INTEGER NOT NULL, answered_at TEXT NOT NULL,
        PRIMARY KEY (run_id, attempt, item_key))""",
    """CREATE TABLE IF NOT EXISTS induction_signoffs (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        user_id TEXT NOT NULL, display_name TEXT NOT NULL, roles TEXT NOT NULL,
        policy_id TEXT NOT NULL, policy_title TEXT NOT NULL, version TEXT NOT NULL, last_reviewed TEXT,
        rule_hashes TEXT NOT NULL, statement TEXT NOT NULL,
        score INTEGER NOT NULL, total INTEGER NOT NULL, pass_mark REAL NOT NULL,
        run_id INTEGER, signed_at TEXT NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS induction_signoffs_person ON induction_signoffs (user_id, policy_id, id)",
)

READ, QUIZ, SUMMARY, SIGNED = "read", "quiz", "summary", "signed"


@dataclass(frozen=True)
class Run:
    """A person's progress through one policy, exactly as stored."""

    id: int
    user_id: str
    display_name: str
    roles: tuple[str, ...]
    policy_id: str
    version: str
    mode: str  # "full" (first induction) or "refresher" (only rules changed since the last sign-off)
    rule_ids: tuple[str, ...]
    item_keys: tuple[str, ...]
    phase: str  # read, quiz, summary or signed
    page: int
    attempt: int
    position: int  # index into item_keys of the next question
    started_at: str
    updated_at: str
    finished_at: str | None = None


@dataclass(frozen=True)
class AnswerRecord:
    """One answer to one quiz item in one attempt."""

    item_key: str
    rule_id: str
    chosen: str
    correct: bool
    answered_at: str


@dataclass(frozen=True)
class SignOff:
    """The record the leader relies on: who signed what, which version, when, with what score."""

    user_id: str
    display_name: str
    roles: tuple[str, ...]
    policy_id: str
    policy_title: str
    version: str
    last_reviewed: str | None
    rule_hashes: dict[str, str]
    statement: str
    score: int
    total: int
    pass_mark: float
    signed_at: str
    run_id: int | None = None
    id: int = 0


_RUN_COLUMNS = ("id, user_id, display_name, roles, policy_id, version, mode, rule_ids, item_keys, phase, "
                "page, attempt, position, started_at, updated_at, finished_at")
_SIGNOFF_COLUMNS = ("user_id, display_name, roles, policy_id, policy_title, version, last_reviewed, "
                    "rule_hashes, statement, score, total, pass_mark, signed_at, run_id, id")


def _run(row: tuple) -> Run:
    values = list(row)
    values[3] = tuple(values[3].split(","))
    values[7], values[8] = tuple(json.loads(values[7])), tuple(json.loads(values[8]))
    return Run(*values)


def _signoff(row: tuple) -> SignOff:
    values = list(row)
    values[2] = tuple(values[2].split(","))
    values[7] = json.loads(values[7])
    return SignOff(*values)


class InductionStore:
    """Reads and writes induction runs, answers and sign-offs."""

    def __init__(self, db: Database):
        # The bot's own Database: its file mode, WAL, secure_delete (forgotten records are overwritten,
        # not left in the file) and write lock apply to the induction tables too.
        self.db = db
        db.ensure_schema(*SCHEMA)

    def latest_run(self, user_id: str, policy_id: str) -> Run | None:
        with self.db.connect() as db:
            row = db.execute(f"SELECT {_RUN_COLUMNS} FROM induction_runs WHERE user_id = ? AND policy_id = ? "
                             "ORDER BY id DESC LIMIT 1", (user_id, policy_id)).fetchone()
        return _run(row) if row else None

    def new_run(self, run: Run) -> Run:
        """Store a new run (its id is assigned here)."""
        with self.db.connect() as db:
            cursor = db.execute(
                f"INSERT INTO induction_runs ({_RUN_COLUMNS.removeprefix('id, ')}) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (run.user_id, run.display_name, ",".join(run.roles), run.policy_id, run.version, run.mode,
                 json.dumps(run.rule_ids), json.dumps(run.item_keys), run.phase, run.page, run.attempt,
                 run.position, run.started_at, run.updated_at, run.finished_at))
            return replace(run, id=cursor.lastrowid)

    def save_run(self, run: Run, answer: AnswerRecord | None = None) -> None:
        """Store a run's progress, with the answer that moved it on, in one transaction."""
        with self.db.connect() as db:
            if answer is not None:
                db.execute("INSERT OR REPLACE INTO induction_answers VALUES (?, ?, ?, ?, ?, ?, ?)",
                           (run.id, run.attempt, answer.item_key, answer.rule_id, answer.chosen,
                            int(answer.correct), answer.answered_at))
            db.execute("UPDATE induction_runs SET display_name = ?, phase = ?, page = ?, attempt = ?, "
                       "position = ?, updated_at = ?, finished_at = ? WHERE id = ?",
                       (run.display_name, run.phase, run.page, run.attempt, run.position, run.updated_at,
                        run.finished_at, run.id))

    def answers(self, run_id: int, attempt: int) -> list[AnswerRecord]:
        with self.db.connect() as db:
            rows = db.execute("SELECT item_key, rule_id, chosen, correct, answered_at FROM induction_answers "
                              "WHERE run_id = ? AND attempt = ? ORDER BY answered_at, rowid",
                              (run_id, attempt)).fetchall()
        return [AnswerRecord(k, r, c, bool(ok), at) for k, r, c, ok, at in rows]

    def sign(self, signoff: SignOff, run: Run) -> SignOff:
        """Record a sign-off and close its run, in one transaction."""
        with self.db.connect() as db:
            cursor = db.execute(
                f"INSERT INTO induction_signoffs ({_SIGNOFF_COLUMNS.removesuffix(', id')}) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (signoff.user_id, signoff.display_name, ",".join(signoff.roles), signoff.policy_id,
                 signoff.policy_title, signoff.version, signoff.last_reviewed,
                 json.dumps(signoff.rule_hashes, sort_keys=True), signoff.statement, signoff.score,
                 signoff.total, signoff.pass_mark, signoff.signed_at, run.id))
            db.execute("UPDATE induction_runs SET phase = ?, updated_at = ? WHERE id = ?",
                       (SIGNED, signoff.signed_at, run.id))
            return replace(signoff, id=cursor.lastrowid, run_id=run.id)

    def latest_signoff(self, user_id: str, policy_id: str) -> SignOff | None:
        with self.db.connect() as db:
            row = db.execute(f"SELECT {_SIGNOFF_COLUMNS} FROM induction_signoffs WHERE user_id = ? "
                             "AND policy_id = ? ORDER BY id DESC LIMIT 1", (user_id, policy_id)).fetchone()
        return _signoff(row) if row else None

    def people(self) -> list[tuple[str, str, str]]:
        """(user id, policy id, first started or signed) of everyone with any record, oldest first."""
        with self.db.connect() as db:
            return db.execute(
                "SELECT user_id, policy_id, MIN(at) FROM (SELECT user_id, policy_id, started_at AS at "
                "FROM induction_runs UNION ALL SELECT user_id, policy_id, signed_at FROM induction_signoffs) "
                "GROUP BY user_id, policy_id ORDER BY MIN(at), user_id").fetchall()

    def forget(self, user_id: str) -> int:
        """Delete every induction record of a person; returns how many rows went."""
        with self.db.connect() as db:
            gone = db.execute("DELETE FROM induction_answers WHERE run_id IN "
                              "(SELECT id FROM induction_runs WHERE user_id = ?)", (user_id,)).rowcount
            gone += db.execute("DELETE FROM induction_runs WHERE user_id = ?", (user_id,)).rowcount
            gone += db.execute("DELETE FROM induction_signoffs WHERE user_id = ?", (user_id,)).rowcount
        if gone:
            self.db.checkpoint()
        return gone
