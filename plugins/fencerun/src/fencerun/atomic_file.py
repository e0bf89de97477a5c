"""Files replaced in one step, so that a reader never sees half of one."""

from __future__ import annotations

import itertools
import os
import time
from pathlib import Path

# A temporary this old was left by a build that was killed mid-write.
STALE_TEMPORARY_S = 3600.0


def write_atomically(path: Path, content: str | bytes) -> None:
    """Replace `path` with `content` (text is written as UTF-8) in one step: readers see
    the old file or the new one.

    No fsync: a file a crash cuts short fails to parse and is written again, which costs
    less than syncing every one. Few system calls: frozen recordings are written from the
    executor's threads, and each call hands the GIL back and forth with the thread
    rendering pages.
    """
    data = content.encode("utf-8") if isinstance(content, str) else content
    temporary = path.with_name(f".{path.name}.{os.getpid()}-{next(_temporary_numbers)}.tmp")
    try:
        handle = os.open(temporary, _NEW_FILE, 0o666)
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle = os.open(temporary, _NEW_FILE, 0o666)
    try:
        with os.fdopen(handle, "wb") as stream:  # buffered: writes the whole file
            stream.write(data)
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


_NEW_FILE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC
# Unique within the process; the pid in the name keeps two builds apart.
_temporary_numbers = itertools.count()


def remove_stale_temporaries(folder: Path) -> None:
    """Removes what `write_atomically` left in `folder` when its process was killed."""
    now = time.time()
    for path in folder.glob(".*.tmp"):
        if now - modified_at(path) > STALE_TEMPORARY_S:
            path.unlink(missing_ok=True)


def modified_at(path: Path) -> float:
    """When the file last changed; 0 for one that is gone."""
    try:
        return path.stat().st_mtime
    except FileNotFoundError:
        return 0.0
