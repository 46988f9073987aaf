"""The bot's one SQLite file (`data_dir/assistant.db`), shared by features that each create their own
tables. Deliberately small: open, a schema hook, a connection per unit of work, and a key-value meta
table for the odd setting (the command-sync hash, the salt of user hashes)."""
from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
import sqlite3
import threading
from pathlib import Path
from typing import Callable, Iterator

from assistant.config import Config

DB_FILE = "assistant.db"
log = logging.getLogger("assistant.storage")


def _tighten(path: Path, most: int) -> None:
    """Take away any permission of `path` beyond `most` (a missing path is left alone)."""
    try:
        mode = path.stat().st_mode & 0o777
    except FileNotFoundError:
        return
    if mode & ~most:
        os.chmod(path, mode & most)


class Database:
    """A SQLite file in WAL mode. Safe to use from the event loop and from worker threads: every
    `connect()` is its own short-lived connection, and writers are serialised by one lock."""

    def __init__(self, path: Path, notice: Callable[[str], None] = log.warning):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        # Parents' questions and staff records: the bot's own user only. A folder or file made by something
        # else first (or by an older version) may be more open, so it is tightened, never loosened.
        _tighten(self.path.parent, 0o700)
        self._lock = threading.Lock()
        try:
            self._open()
        except sqlite3.DatabaseError:
            aside = self._move_aside()
            notice(f"{self.path} could not be read as a database (damaged, or not the assistant's): moved it "
                   f"to {aside.name} and started an empty one; keep the moved file if its records must be "
                   "recovered.")
            self._open()
        self.ensure_schema("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")

    def _open(self) -> None:
        new = not self.path.exists()
        with self.connect() as db:
            if db.execute("PRAGMA quick_check").fetchone()[0] != "ok":
                raise sqlite3.DatabaseError("quick_check failed")
            # WAL lets readers run beside a writer; it is a property of the file, set once.
            db.execute("PRAGMA journal_mode=WAL")
        if new:
            os.chmod(self.path, 0o600)
        # SQLite gives -wal/-shm the mode of the database file when it creates them; older ones are tightened too.
        for path in self._files():
            _tighten(path, 0o600)

    def _files(self) -> list[Path]:
        return [self.path, *(self.path.with_name(self.path.name + tail) for tail in ("-wal", "-shm"))]

    def _move_aside(self) -> Path:
        """Rename an unreadable file (and its -wal/-shm) out of the way, never deleting it."""
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        aside = self.path.with_name(f"{self.path.name}.unreadable-{stamp}")
        for path, tail in zip(self._files(), ("", "-wal", "-shm")):
            if path.exists():
                path.rename(aside.with_name(aside.name + tail))
        return aside

    @classmethod
    def open(cls, config: Config, notice: Callable[[str], None] = log.warning) -> "Database":
        """The database of this configuration: `data_dir/assistant.db`."""
        return cls(config.data_dir / DB_FILE, notice)

    def checkpoint(self) -> None:
        """Fold the write-ahead log into the file and empty it: after a purge, deleted questions must not
        linger in `-wal` while another connection keeps the log alive."""
        with self._lock:
            connection = sqlite3.connect(self.path, timeout=10, isolation_level=None)
            try:
                connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            finally:
                connection.close()

    @contextlib.contextmanager
    def connect(self) -> Iterator[sqlite3.Connection]:
        """One transaction: committed when the block ends, rolled back if it raises."""
        with self._lock:
            connection = sqlite3.connect(self.path, timeout=10)
            try:
                connection.execute("PRAGMA foreign_keys=ON")
                # In WAL mode NORMAL stays consistent after a crash and spares an fsync per commit.
                connection.execute("PRAGMA synchronous=NORMAL")
                # secure_delete overwrites purged rows, so deleted questions do not linger in the file.
                connection.execute("PRAGMA secure_delete=ON")
                with connection:
                    yield connection
            finally:
                connection.close()

    def ensure_schema(self, *statements: str) -> None:
        """Run a feature's CREATE TABLE/INDEX IF NOT EXISTS statements."""
        with self.connect() as db:
            for statement in statements:
                db.execute(statement)

    def get_meta(self, key: str) -> str | None:
        with self.connect() as db:
            row = db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        with self.connect() as db:
            db.execute("INSERT INTO meta (key, value) VALUES (?, ?) "
                       "ON CONFLICT(key) DO UPDATE SET value = excluded.value", (key, value))
