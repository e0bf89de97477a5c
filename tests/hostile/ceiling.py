"""A cap on every process a test starts, set by the test itself, so that a fork bomb that
got past fencerun's own cap cannot take down a machine shared with other work."""

from __future__ import annotations

import contextlib
import os
import resource
import signal
from collections.abc import Iterator
from pathlib import Path

PIDS_V1 = Path("/sys/fs/cgroup/pids")


def _own_v1_pids_cgroup() -> Path | None:
    with contextlib.suppress(OSError):
        for line in Path("/proc/self/cgroup").read_text().splitlines():
            _, controllers, path = line.split(":", 2)
            if "pids" in controllers.split(",") and (PIDS_V1 / "cgroup.procs").exists():
                return PIDS_V1 / path.lstrip("/")
    return None


def pids_mount() -> Path | None:
    """Where the hierarchy holding the pids controller is mounted: cgroup v1's pids, or the
    unified (v2) hierarchy when its root hands pids down."""
    unified = None
    for line in Path("/proc/self/mountinfo").read_text().splitlines():
        before, _, after = line.partition(" - ")
        point, kind = Path(before.split()[4]), after.split()
        if kind[0] == "cgroup" and "pids" in kind[2].split(","):
            return point
        if kind[0] == "cgroup2":
            unified = point
    if unified is not None and "pids" in (unified / "cgroup.controllers").read_text().split():
        return unified
    return None


def _processes_of(uid: int) -> int:
    count = 0
    for entry in Path("/proc").iterdir():
        with contextlib.suppress(OSError):
            if entry.name.isdigit() and entry.stat().st_uid == uid:
                count += 1
    return count


@contextlib.contextmanager
def process_ceiling(limit: int) -> Iterator[str]:
    """Cap this process and what it starts from now on at `limit` more processes.

    Yields how: "pids cgroup" where cgroup v1's pids hierarchy is writable; else
    "RLIMIT_NPROC". It does not bind root itself, but it is a hard limit that every block
    inherits, and a root build without a pids cgroup runs its blocks under uids of their own,
    which it binds.
    """
    parent = _own_v1_pids_cgroup()
    if parent is not None:
        ceiling = parent / f"fencerun-tests-{os.getpid()}"
        try:
            ceiling.mkdir()
            (ceiling / "pids.max").write_text(str(limit))
            (ceiling / "cgroup.procs").write_text(str(os.getpid()))
        except OSError:
            with contextlib.suppress(OSError):
                ceiling.rmdir()
        else:
            try:
                yield "pids cgroup"
            finally:
                (parent / "cgroup.procs").write_text(str(os.getpid()))
                while members := (ceiling / "cgroup.procs").read_text().split():
                    for pid in members:
                        with contextlib.suppress(ProcessLookupError):
                            os.kill(int(pid), signal.SIGKILL)
                ceiling.rmdir()
            return
    before = resource.getrlimit(resource.RLIMIT_NPROC)
    cap = _processes_of(os.getuid()) + limit
    if before[1] != resource.RLIM_INFINITY:
        cap = min(cap, before[1])
    if os.getuid() == 0:
        # Root may lower its hard limit and not raise it again: for the rest of this
        # process, which ends with the tests.
        resource.setrlimit(resource.RLIMIT_NPROC, (cap, cap))
        yield "RLIMIT_NPROC"
        return
    resource.setrlimit(resource.RLIMIT_NPROC, (cap, before[1]))
    try:
        yield "RLIMIT_NPROC"
    finally:
        resource.setrlimit(resource.RLIMIT_NPROC, before)
