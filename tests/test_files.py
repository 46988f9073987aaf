"""Files written whole or not at all, and the staging folders that make that so for whole models."""
from __future__ import annotations

import os
import time

from assistant.files import ABANDONED_AFTER, atomic_write, staging_folder


def test_a_write_replaces_the_file_whole_and_leaves_no_temporary_file(tmp_path):
    target = tmp_path / "index.faiss"
    target.write_bytes(b"old")
    atomic_write(target, b"new")
    assert target.read_bytes() == b"new"
    assert list(tmp_path.iterdir()) == [target]


def test_a_staging_folder_left_by_a_killed_run_is_removed_when_the_next_run_starts(tmp_path):
    abandoned = tmp_path / ".training-abc123"
    (abandoned / "half").mkdir(parents=True)
    (abandoned / "half" / "model.safetensors").write_bytes(b"x" * 1000)
    long_ago = time.time() - ABANDONED_AFTER - 60
    os.utime(abandoned, (long_ago, long_ago))
    running = tmp_path / ".training-def456"  # another process's, still filling it
    running.mkdir()
    kept = tmp_path / "0123abcd"  # a finished model is never a staging folder
    kept.mkdir()
    os.utime(kept, (long_ago, long_ago))

    new = staging_folder(tmp_path, ".training-")

    assert new.parent == tmp_path and new.name.startswith(".training-") and not any(new.iterdir())
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([new.name, running.name, kept.name])
