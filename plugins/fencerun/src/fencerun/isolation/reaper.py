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

from fencerun.isolation.processes import children_of, tree

_MAX_ROUNDS = 10_000


def kill_descendants(keep: Collection[int] = ()) -> None:
    """SIGKILL and reap every descendant of this process except the subtrees in `keep`.

    Runs in rounds: a process killed while forking leaves children that reach
    this process as orphans, and the next round finds them.
    """
    for _ in range(_MAX_ROUNDS):
        direct = [pid for pid in children_of(os.getpid()) if pid not in keep]
        if not direct:
            return
        for pid in tree(direct):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        for pid in direct:
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, 0)
