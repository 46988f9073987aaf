"""The shared SQLite file: WAL, per-feature tables, meta values, feedback that survives reopening."""
from __future__ import annotations

import dataclasses
import datetime as dt
import sqlite3
import threading

from assistant.bot.feedback import FeedbackStore
from assistant.storage import DB_FILE, Database


def test_opens_the_data_dir_file_in_wal_mode(repo_config, tmp_path):
    config = dataclasses.replace(repo_config, data_dir=tmp_path / "data")
    db = Database.open(config)
    assert db.path == tmp_path / "data" / DB_FILE and db.path.exists()
    with db.connect() as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.path.stat().st_mode & 0o777 == 0o600  # only the bot's user may read parents' questions


def test_features_create_their_own_tables_idempotently(tmp_path):
    db = Database(tmp_path / "a.db")
    schema = "CREATE TABLE IF NOT EXISTS things (id INTEGER PRIMARY KEY, name TEXT)"
    db.ensure_schema(schema)
    db.ensure_schema(schema)
    with db.connect() as connection:
        connection.execute("INSERT INTO things (name) VALUES ('x')")
    FeedbackStore(db)  # another feature, same file
    with Database(tmp_path / "a.db").connect() as connection:
        tables = {r[0] for r in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        assert {"things", "gaps", "votes", "meta"} <= tables
        assert connection.execute("SELECT name FROM things").fetchall() == [("x",)]


def test_a_failed_unit_of_work_is_rolled_back(tmp_path):
    db = Database(tmp_path / "a.db")
    db.ensure_schema("CREATE TABLE IF NOT EXISTS t (v INTEGER)")
    try:
        with db.connect() as connection:
            connection.execute("INSERT INTO t VALUES (1)")
            raise RuntimeError
    except RuntimeError:
        pass
    with db.connect() as connection:
        assert connection.execute("SELECT COUNT(*) FROM t").fetchone()[0] == 0


def test_meta_values_persist(tmp_path):
    Database(tmp_path / "a.db").set_meta("k", "v1")
    db = Database(tmp_path / "a.db")
    assert db.get_meta("k") == "v1" and db.get_meta("missing") is None
    db.set_meta("k", "v2")
    assert Database(tmp_path / "a.db").get_meta("k") == "v2"


def test_feedback_survives_reopening_and_keeps_its_salt(tmp_path):
    store = FeedbackStore(Database(tmp_path / "a.db"))
    gap = store.record_gap("thumbs_down", "can I post photos?", "sm-own-child-only", 42)
    store.add_comment(gap, "  wrong rule  ")
    store.record_vote("sm-own-child-only", 1, 42)
    reopened = FeedbackStore(Database(tmp_path / "a.db"))
    [group] = reopened.gaps(30)
    assert [(g.question, g.comment) for g in group.gaps] == [("can I post photos?", "wrong rule")]
    assert reopened.votes(30) == {"sm-own-child-only": (1, 0)}
    assert reopened.user_hash(42) == store.user_hash(42) != store.user_hash(43)
    other = FeedbackStore(Database(tmp_path / "b.db"))
    assert other.user_hash(42) != store.user_hash(42)  # salted per installation


def test_purge_removes_only_what_is_older_than_the_retention(tmp_path):
    today = dt.date(2026, 11, 24)
    store = FeedbackStore(Database(tmp_path / "a.db"), today=lambda: today - dt.timedelta(days=30))
    store.record_gap("declined", "thirty days old", None, 1)
    store.record_vote(None, -1, 1)
    store.today = lambda: today - dt.timedelta(days=29)
    store.record_gap("declined", "twenty-nine days old", None, 1)
    store.today = lambda: today
    assert store.purge(30) == 2
    assert [g.question for group in store.gaps(365) for g in group.gaps] == ["twenty-nine days old"]
    assert store.votes(365) == {}


def test_usable_from_several_threads(tmp_path):
    store = FeedbackStore(Database(tmp_path / "a.db"))
    threads = [threading.Thread(target=lambda n=n: [store.record_vote("r", 1, n) for _ in range(20)])
               for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert store.votes(30) == {"r": (160, 0)}


def test_an_unreadable_database_is_moved_aside_and_a_fresh_one_started(tmp_path):
    path = tmp_path / DB_FILE
    path.write_bytes(b"this is not a database, just some bytes " * 100)
    said = []
    db = Database(path, notice=said.append)
    FeedbackStore(db).record_gap("declined", "a question", None, 1)  # works as new
    [moved] = [p for p in tmp_path.iterdir() if ".unreadable-" in p.name]
    assert moved.read_bytes().startswith(b"this is not a database")  # kept for recovery, never deleted
    assert len(said) == 1 and moved.name in said[0] and "started an empty one" in said[0]


def test_a_purged_question_does_not_linger_in_the_write_ahead_log(tmp_path):
    db = Database(tmp_path / DB_FILE)
    today = [dt.date(2026, 1, 1)]
    store = FeedbackStore(db, today=lambda: today[0])
    other = sqlite3.connect(db.path)  # another connection keeps the log alive (a reader, a second tool)
    other.execute("SELECT COUNT(*) FROM meta").fetchall()
    try:
        store.record_gap("declined", "is ZEBRA-MARKER-QUESTION covered", None, 1)
        today[0] = dt.date(2026, 3, 1)
        assert store.purge(30) == 1
        for path in db.path.parent.iterdir():
            assert b"ZEBRA-MARKER-QUESTION" not in path.read_bytes(), path.name
    finally:
        other.close()


def test_the_same_question_from_the_same_person_that_day_is_one_gap(tmp_path):
    day = dt.date(2026, 3, 2)
    store = FeedbackStore(Database(tmp_path / "a.db"), today=lambda: day)
    first = store.record_gap("declined", "how much are the fees?", None, 1)
    assert store.record_gap("declined", "how much are the fees?", None, 1) == first  # sent twice
    other_person = store.record_gap("declined", "how much are the fees?", None, 2)
    store.today = lambda: day + dt.timedelta(days=1)
    next_day = store.record_gap("declined", "how much are the fees?", None, 1)
    assert len({first, other_person, next_day}) == 3
    assert len(store.pending(30)) == 3


def test_a_reviewed_gap_is_deleted_from_the_file(tmp_path):
    db = Database(tmp_path / "a.db")
    store = FeedbackStore(db)
    gap = store.record_gap("declined", "a question with Amelia's name in it", None, 1)
    assert store.delete_gap(gap) and not store.delete_gap(gap)  # a second press finds it gone
    assert store.pending(30) == []
    raw = b"".join(p.read_bytes() for p in tmp_path.iterdir() if p.name.startswith("a.db"))
    assert b"Amelia" not in raw  # checkpointed: not left in the write-ahead log either
