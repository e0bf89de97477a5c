"""What /proc says about processes: a process's children and its whole tree, and how
many tasks a user runs. The one place that walks /proc for them."""

from __future__ import annotations

import contextlib
import os
import subprocess
from pathlib import Path


def children_of(pid: int) -> list[int]:
    found: list[int] = []
    try:
        tasks = list(Path(f"/proc/{pid}/task").iterdir())
    except OSError:
        return found
    for task in tasks:
        with contextlib.suppress(OSError):
            found += [int(child) for child in (task / "children").read_text().split()]
    return found


def _threads_of(pid: int) -> int:
    try:
        return sum(1 for _ in os.scandir(f"/proc/{pid}/task"))
    except OSError:
        return 0  # ended meanwhile


def tasks_in_tree(pid: int) -> int:
    """The tasks (threads included, as RLIMIT_NPROC counts them) of `pid` and its descendants."""
    return sum(_threads_of(member) for member in tree([pid]))


def tree(roots: list[int]) -> list[int]:
    found, pending = [], list(roots)
    while pending:
        pid = pending.pop()
        found.append(pid)
        pending += children_of(pid)
    return found


def processes_of(uid: int) -> int:
    """How many tasks the user runs now, as RLIMIT_NPROC counts them: by real uid, threads
    and zombies included. From each /proc/PID/status where there is /proc: the owner of
    /proc/PID is the effective uid, and root for a zombie or a process that changed uid."""
    if os.path.isdir("/proc/self"):
        return sum(_tasks_of(entry.name, uid) for entry in os.scandir("/proc"))
    listing = subprocess.run(["ps", "-A", "-o", "ruid="], capture_output=True, text=True)
    return sum(1 for line in listing.stdout.split() if line == str(uid))


def _tasks_of(pid: str, uid: int) -> int:
    """The tasks of process `pid` if its real uid is `uid`, else 0."""
    if not pid.isdigit():
        return 0
    try:
        handle = os.open(f"/proc/{pid}/status", os.O_RDONLY | os.O_CLOEXEC)
        try:
            status = os.read(handle, 8192)
        finally:
            os.close(handle)
        if int(status.partition(b"\nUid:")[2].split(None, 1)[0]) != uid:
            return 0
        threads = status.partition(b"\nThreads:")[2].split(None, 1)
        return int(threads[0]) if threads else 1
    except (OSError, ValueError, IndexError):
        return 0  # ended meanwhile
