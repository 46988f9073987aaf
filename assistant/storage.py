"""The bot's one SQLite file (`data_dir/assistant.db`), shared by features that each create their own
tables. Deliberately small: open, a schema hook, a connection per unit of work, and a key-value meta
table for the odd setting (the command-sync hash, the salt of user hashes)."""
from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
from pathlib import Path
from typing import Iterator

from assistant.config import Config

DB_FILE = "assistant.db"


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

    def __init__(self, path: Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        # Parents' questions and staff records: the bot's own user only. A folder or file made by something
        # else first (or by an older version) may be more open, so it is tightened, never loosened.
        _tighten(self.path.parent, 0o700)
        self._lock = threading.Lock()
        new = not self.path.exists()
        with self.connect() as db:
            # WAL lets readers run beside a writer; it is a property of the file, set once.
            db.execute("PRAGMA journal_mode=WAL")
        if new:
            os.chmod(self.path, 0o600)
        # SQLite gives -wal/-shm the mode of the database file when it creates them; older ones are tightened too.
        for path in (self.path, self.path.with_name(self.path.name + "-wal"),
                     self.path.with_name(self.path.name + "-shm")):
            _tighten(path, 0o600)
        self.ensure_schema("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")

    @classmethod
    def open(cls, config: Config) -> "Database":
        """The database of this configuration: `data_dir/assistant.db`."""
        return cls(config.data_dir / DB_FILE)

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
