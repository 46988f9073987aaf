"""What /gaps needs and nothing more: declined or 👎 questions with the nearest rule and the day,
👍/👎 counts per rule, and a salted hash instead of the asker's id. Purged after the retention days."""
from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
import sqlite3
from collections import defaultdict
from dataclasses import dataclass
from typing import Callable

from assistant.storage import Database
from assistant.text import collapse_ws

SALT_KEY = "user_hash_salt"
LABELS = ("picked", "confirmed")
MAX_COMMENT_CHARS = 300

SCHEMA = (
    """CREATE TABLE IF NOT EXISTS gaps (
        id INTEGER PRIMARY KEY,
        day TEXT NOT NULL,            -- the date only: nobody needs the time of a parent's question
        reason TEXT NOT NULL,         -- 'declined', 'thumbs_down', 'none_of_these', or a label
                                      -- candidate: 'picked' (from a choice) or 'confirmed' (👍)
        question TEXT NOT NULL,
        rule_id TEXT,                 -- the nearest rule, if any
        comment TEXT,                 -- the optional "what was wrong?"
        user_hash TEXT NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS gaps_day ON gaps (day)",
    """CREATE TABLE IF NOT EXISTS votes (
        id INTEGER PRIMARY KEY,
        day TEXT NOT NULL,
        rule_id TEXT,
        vote INTEGER NOT NULL,        -- +1 or -1 (a 👍's question is a 'confirmed' gap)
        user_hash TEXT NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS votes_day ON votes (day)",
)


@dataclass(frozen=True)
class Gap:
    """One question the committee should look at; `id` is what the review deletes once it is dealt with."""

    id: int
    day: dt.date
    reason: str
    question: str
    rule_id: str | None
    comment: str | None

    @property
    def why(self) -> str:
        """Why it is in the queue, in words: "declined", "got 👎", "parents chose a rule"..."""
        return {"declined": "declined", "thumbs_down": "got 👎", "none_of_these": "none of the rules offered fitted",
                "picked": "a parent chose a rule", "confirmed": "got 👍"}.get(self.reason, self.reason)

    @property
    def labelled(self) -> bool:
        """An asker said which rule answers it (a pick from a choice, or a 👍): Accept makes it an example."""
        return self.reason in LABELS and self.rule_id is not None


@dataclass(frozen=True)
class GapGroup:
    """Gaps sharing a nearest rule (None: no rule came close), most frequent first."""

    rule_id: str | None
    gaps: list[Gap]


class FeedbackStore:
    """Feedback and gaps in the shared database; creates its own tables."""

    def __init__(self, db: Database, today: Callable[[], dt.date] = dt.date.today):
        self.db = db
        self.today = today
        db.ensure_schema(*SCHEMA)
        salt = db.get_meta(SALT_KEY)
        if salt is None:
            salt = secrets.token_hex(32)
            db.set_meta(SALT_KEY, salt)
        self._salt = bytes.fromhex(salt)

    def user_hash(self, user_id: int) -> str:
        """A stable pseudonym for a Discord user: the same person twice, never who they are."""
        return hmac.new(self._salt, str(user_id).encode(), hashlib.sha256).hexdigest()[:16]

    def record_gap(self, reason: str, question: str, rule_id: str | None, user_id: int) -> int:
        """Keep a declined or 👎 question for /gaps; returns its row id (to attach a comment later)."""
        with self.db.connect() as db:
            return self._insert_gap(db, reason, question, rule_id, user_id)

    def record_thumbs_down(self, question: str, rule_id: str | None, user_id: int) -> int:
        """A 👎: the vote and the question (for /gaps) in one transaction; returns the gap's row id.
        One call, so the button can open its "what was wrong?" box well within Discord's 3 seconds."""
        with self.db.connect() as db:
            self._insert_vote(db, rule_id, -1, user_id)
            return self._insert_gap(db, "thumbs_down", question, rule_id, user_id)

    def _insert_gap(self, db: sqlite3.Connection, reason: str, question: str, rule_id: str | None,
                    user_id: int) -> int:
        day, who = self.today().isoformat(), self.user_hash(user_id)
        # The same person asking the same thing again that day (a retry, a double send) is one gap.
        # A pick and a 👍 of the answer it opened say the same thing: one candidate.
        reasons = LABELS if reason in LABELS else (reason,)
        same = db.execute(f"SELECT id FROM gaps WHERE day = ? AND user_hash = ? AND question = ? AND reason IN "
                          f"({', '.join('?' * len(reasons))})", (day, who, question, *reasons)).fetchone()
        if same:
            return int(same[0])
        cursor = db.execute(
            "INSERT INTO gaps (day, reason, question, rule_id, user_hash) VALUES (?, ?, ?, ?, ?)",
            (day, reason, question, rule_id, who))
        return int(cursor.lastrowid)

    def _insert_vote(self, db: sqlite3.Connection, rule_id: str | None, vote: int, user_id: int) -> None:
        db.execute("INSERT INTO votes (day, rule_id, vote, user_hash) VALUES (?, ?, ?, ?)",
                   (self.today().isoformat(), rule_id, 1 if vote > 0 else -1, self.user_hash(user_id)))

    def add_comment(self, gap_id: int, comment: str) -> None:
        comment = comment.strip()[:MAX_COMMENT_CHARS]
        if comment:
            with self.db.connect() as db:
                db.execute("UPDATE gaps SET comment = ? WHERE id = ?", (comment, gap_id))

    def record_vote(self, rule_id: str | None, vote: int, user_id: int) -> None:
        with self.db.connect() as db:
            self._insert_vote(db, rule_id, vote, user_id)

    def votes(self, days: int) -> dict[str | None, tuple[int, int]]:
        """(👍, 👎) per rule over the last `days` days."""
        since = (self.today() - dt.timedelta(days=days)).isoformat()
        with self.db.connect() as db:
            rows = db.execute("SELECT rule_id, SUM(vote > 0), SUM(vote < 0) FROM votes WHERE day > ? "
                              "GROUP BY rule_id", (since,)).fetchall()
        return {rule: (int(up), int(down)) for rule, up, down in rows}

    def pending(self, days: int) -> list[Gap]:
        """The gaps of the last `days` days, newest first."""
        since = (self.today() - dt.timedelta(days=days)).isoformat()
        with self.db.connect() as db:
            rows = db.execute("SELECT id, day, reason, question, rule_id, comment FROM gaps WHERE day > ? "
                              "ORDER BY day DESC, id DESC", (since,)).fetchall()
        return [Gap(id_, dt.date.fromisoformat(day), reason, question, rule_id, comment)
                for id_, day, reason, question, rule_id, comment in rows]

    def gaps(self, days: int) -> list[GapGroup]:
        """The gaps of the last `days` days, grouped by nearest rule, biggest group first."""
        groups: dict[str | None, list[Gap]] = defaultdict(list)
        for gap in self.pending(days):
            groups[gap.rule_id].append(gap)
        return sorted((GapGroup(r, g) for r, g in groups.items()), key=lambda g: -len(g.gaps))

    def review_queue(self, days: int) -> list[Gap]:
        """The gaps of the last `days` days in the order the committee reviews them: the most asked-about
        rule first, newest first within it."""
        return [gap for group in self.gaps(days) for gap in group.gaps]

    def agreeing_picks(self, question: str, rule_id: str, days: int) -> list[Gap]:
        """The picks of the last `days` days of this rule for this question (the same words, whatever the
        case or spacing), one per person: how many different askers agree that the rule answers it."""
        since = (self.today() - dt.timedelta(days=days)).isoformat()
        with self.db.connect() as db:
            rows = db.execute("SELECT id, day, reason, question, rule_id, comment, user_hash FROM gaps "
                              "WHERE day > ? AND reason = 'picked' AND rule_id = ? ORDER BY id",
                              (since, rule_id)).fetchall()
        wanted, people, found = collapse_ws(question).casefold(), set(), []
        for *gap, who in rows:
            if collapse_ws(gap[3]).casefold() == wanted and who not in people:
                people.add(who)
                found.append(Gap(gap[0], dt.date.fromisoformat(gap[1]), *gap[2:]))
        return found

    def delete_gap(self, gap_id: int) -> bool:
        """Delete one gap the committee has dealt with; False if it was already gone."""
        with self.db.connect() as db:
            gone = db.execute("DELETE FROM gaps WHERE id = ?", (gap_id,)).rowcount
        if gone:
            self.db.checkpoint()
        return bool(gone)

    def forget(self, user_id: int) -> tuple[int, int]:
        """Delete everything stored from one person (/forget-me); returns (questions, votes) deleted."""
        who = self.user_hash(user_id)
        with self.db.connect() as db:
            questions = db.execute("DELETE FROM gaps WHERE user_hash = ?", (who,)).rowcount
            votes = db.execute("DELETE FROM votes WHERE user_hash = ?", (who,)).rowcount
        if questions or votes:
            self.db.checkpoint()
        return questions, votes

    def purge(self, retention_days: int) -> int:
        """Delete everything older than the retention period; returns how many rows went."""
        cutoff = (self.today() - dt.timedelta(days=retention_days)).isoformat()
        with self.db.connect() as db:
            removed = db.execute("DELETE FROM gaps WHERE day <= ?", (cutoff,)).rowcount
            removed += db.execute("DELETE FROM votes WHERE day <= ?", (cutoff,)).rowcount
        if removed:
            self.db.checkpoint()
        return removed
