"""Find and kill every process a block left behind.

The process that runs a block is a child subreaper (PR_SET_CHILD_SUBREAPER):
whatever its descendants do, `setsid` and double forks included, orphans are
re-parented to it and never to the system's init. So its descendants are
exactly the block's leftovers, found through /proc/PID/task/TID/children.
"""

from __future__ import annotations

import contextlib
import os
import signal
from collections.abc import Collection
from pathlib import Path

_MAX_ROUNDS = 10_000


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
    return sum(_threads_of(member) for member in _tree([pid]))


def _tree(roots: list[int]) -> list[int]:
    found, pending = [], list(roots)
    while pending:
        pid = pending.pop()
        found.append(pid)
        pending += children_of(pid)
    return found


def kill_descendants(keep: Collection[int] = ()) -> None:
    """SIGKILL and reap every descendant of this process except the subtrees in `keep`.

    Runs in rounds: a process killed while forking leaves children that reach
    this process as orphans, and the next round finds them.
    """
    for _ in range(_MAX_ROUNDS):
        direct = [pid for pid in children_of(os.getpid()) if pid not in keep]
        if not direct:
            return
        for pid in _tree(direct):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        for pid in direct:
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, 0)
