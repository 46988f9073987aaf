"""Writing files so that a crash never leaves half a file behind."""
from __future__ import annotations

import os
import shutil
import tempfile
import time
from pathlib import Path

ABANDONED_AFTER = 24 * 3600  # seconds: a staging folder this old belongs to no run still going


def atomic_write(path: Path, data: bytes) -> None:
    """Write to a temporary file beside `path`, flush it to disk, then rename it over `path`."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def staging_folder(parent: Path, prefix: str) -> Path:
    """A new empty folder in `parent` to fill and then rename into place when whole. Folders of the
    same prefix left there over a day ago, by a run killed before it could clean up (a model's
    half-written weights, hundreds of MB), are removed first."""
    cutoff = time.time() - ABANDONED_AFTER
    for old in parent.glob(f"{prefix}*"):
        try:
            if old.is_dir() and old.stat().st_mtime < cutoff:
                shutil.rmtree(old, ignore_errors=True)
        except OSError:
            continue  # gone already, or not ours to look at: never a reason to stop the new run
    return Path(tempfile.mkdtemp(dir=parent, prefix=prefix))
