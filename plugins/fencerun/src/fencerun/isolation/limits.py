"""Resource limits: rlimits for one block process, and a pids cgroup per block.

RLIMIT_NPROC does not bind root (the kernel exempts uid 0, and any process with
CAP_SYS_RESOURCE or CAP_SYS_ADMIN), so where the pids controller (of cgroup v1,
or of v2 where the build's cgroup may have children) is writable each block gets
its own cgroup with `pids.max`; elsewhere RLIMIT_NPROC is
the fallback, and a root build's blocks run under a real uid of their own
(`block_uid`) for it to bind. Where a root build's blocks have a mount namespace they
become that uid in full, pids cgroup or not, so that they read only what any user may.
"""

from __future__ import annotations

import contextlib
import os
import resource
import signal
import time
from pathlib import Path

from fencerun.isolation import libc
from fencerun.isolation.policy import IsolationPolicy, memory_limit_enforced


def _lower(limit: int, value: int) -> None:
    _, hard = resource.getrlimit(limit)
    if hard != resource.RLIM_INFINITY:
        value = min(value, hard)
    resource.setrlimit(limit, (value, value if hard == resource.RLIM_INFINITY else hard))


def apply_rlimits(policy: IsolationPolicy, *, cpu_seconds: int, processes: int | None) -> None:
    """Limit this process and everything it starts; `processes` None = left to the cgroup."""
    if memory_limit_enforced():
        _lower(resource.RLIMIT_AS, policy.memory_bytes)
    _lower(resource.RLIMIT_CPU, cpu_seconds)
    _lower(resource.RLIMIT_FSIZE, policy.file_bytes)
    _lower(resource.RLIMIT_NOFILE, policy.open_files)
    _lower(resource.RLIMIT_CORE, 0)
    if processes is not None:
        _lower(resource.RLIMIT_NPROC, processes)


# Far above the uids a system or a container runtime hands out, so that RLIMIT_NPROC
# counts a block's processes alone.
_BLOCK_UID_BASE = 0x5F00_0000


def block_uid(worker_pid: int, slot: int) -> int:
    """The uid of one worker's containers of one kind (`slot` 0 to 3: a job's containers of
    different languages run at once)."""
    return _BLOCK_UID_BASE + 4 * worker_pid + slot


def become_block_uid(uid: int, *, real_only: bool) -> None:
    """Take on `uid` before the block runs.

    In full (real, effective, saved and file system uid, the gid alike, no groups), the
    block reads only what any user may, and RLIMIT_NPROC, which counts processes by real
    uid, binds it. With `real_only` (a Linux block that must stay root to write its
    folders, and drops every capability, as the limit also requires) the effective uid stays
    0, so the block reads and writes the build's files as it would otherwise.
    """
    if real_only:
        with libc.named("setreuid"):
            os.setreuid(uid, -1)
        return
    # As root, setreuid with both set makes the saved uid the new one too; the file system
    # uid follows the effective one.
    with libc.named("setgroups"):
        os.setgroups([])
    with libc.named("setregid"):
        os.setregid(uid, uid)
    with libc.named("setreuid"):
        os.setreuid(uid, uid)
    # Giving up root made the process undumpable (its /proc files root's, its own environ
    # unreadable to it); it is the block's process now, as an exec would make it.
    libc.prctl_allowed(libc.PR_SET_DUMPABLE, 1)


def pids_parent(mountinfo: str, membership: str) -> tuple[Path, int] | None:
    """(this process's cgroup, cgroup version) where the pids controller applies to it,
    from the texts of /proc/self/mountinfo and /proc/self/cgroup; None where it does not.

    The controller is in one hierarchy at most: a cgroup v1 one mounted with the `pids`
    option, or the unified (v2) one, where it is listed in the cgroup's
    cgroup.controllers when its parent hands it down.
    """
    v1_mount = v2_mount = None
    for line in mountinfo.splitlines():
        before, _, after = line.partition(" - ")
        fields, tail = before.split(), after.split()
        if len(fields) < 5 or not tail:
            continue
        if tail[0] == "cgroup" and len(tail) >= 3 and "pids" in tail[2].split(","):
            v1_mount = fields[4]
        elif tail[0] == "cgroup2":
            v2_mount = fields[4]
    for line in membership.splitlines():
        number, controllers, path = line.split(":", 2)
        if v1_mount is not None and "pids" in controllers.split(","):
            return Path(v1_mount) / path.lstrip("/"), 1
        if v2_mount is not None and number == "0" and not controllers:
            own = Path(v2_mount) / path.lstrip("/")
            with contextlib.suppress(OSError):
                if "pids" in (own / "cgroup.controllers").read_text().split():
                    return own, 2
    return None


def _hand_down_pids(cgroup: Path) -> None:
    """cgroup v2: let the children of `cgroup` have pids.max (refused, OSError, where the
    build's own cgroup may not: the kernel's rules or its owner's)."""
    if "pids" not in (cgroup / "cgroup.subtree_control").read_text().split():
        (cgroup / "cgroup.subtree_control").write_text("+pids")


def _remove_abandoned(parent: Path) -> None:
    with contextlib.suppress(OSError):
        for folder in parent.glob("fencerun-*-*"):
            pid = folder.name.split("-")[1]
            if pid.isdigit() and not Path(f"/proc/{pid}").exists():
                PidsCgroup(folder).remove()


class PidsCgroup:
    """One pids cgroup: caps the number of processes and knows every one of them."""

    def __init__(self, path: Path) -> None:
        self.path = path

    @classmethod
    def create_root(cls, name: str, *, proc: Path = Path("/proc/self")) -> PidsCgroup | None:
        """A fresh cgroup under this process's own, or None where that is not allowed.

        Cgroups left by builds that died (named fencerun-PID-...) are removed first.
        `proc` is where mountinfo and cgroup are read (a test's own tree).
        """
        try:
            found = pids_parent((proc / "mountinfo").read_text(), (proc / "cgroup").read_text())
        except OSError:
            return None
        if found is None:
            return None
        parent, version = found
        _remove_abandoned(parent)
        try:
            if version == 2:
                _hand_down_pids(parent)
            (parent / name).mkdir()
            if version == 2:  # new and empty: its children may have pids.max
                (parent / name / "cgroup.subtree_control").write_text("+pids")
        except OSError:
            with contextlib.suppress(OSError):
                (parent / name).rmdir()
            return None
        return cls(parent / name)

    def child(self, name: str, max_processes: int) -> PidsCgroup:
        (self.path / name).mkdir(exist_ok=True)
        (self.path / name / "pids.max").write_text(str(max_processes))
        return PidsCgroup(self.path / name)

    def add(self, pid: int) -> None:
        """Move a process into this cgroup; the children it starts afterwards follow."""
        with contextlib.suppress(ProcessLookupError):
            (self.path / "cgroup.procs").write_text(str(pid))

    def members(self) -> list[int]:
        try:
            return [int(pid) for pid in (self.path / "cgroup.procs").read_text().split()]
        except OSError:
            return []

    def count(self) -> int:
        """How many processes it holds now (pids.current)."""
        try:
            return int((self.path / "pids.current").read_text())
        except (OSError, ValueError):
            return 0

    def refused_forks(self) -> int:
        """How many forks its pids.max has refused so far: the "max" line of pids.events
        (cgroup v1 and v2 alike), a count the kernel keeps exactly."""
        with contextlib.suppress(OSError):
            for line in (self.path / "pids.events").read_text().splitlines():
                name, _, value = line.partition(" ")
                if name == "max" and value.strip().isdigit():
                    return int(value)
        return 0

    def kill_all(self, *, patience: float = 5.0) -> None:
        """SIGKILL every member until none is left (a fork bomb needs a few rounds)."""
        deadline = time.monotonic() + patience
        while (members := self.members()) and time.monotonic() < deadline:
            for pid in members:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
            time.sleep(0.001)

    def remove(self) -> None:
        """Kill what is left, then delete the cgroup and any child cgroups."""
        with contextlib.suppress(OSError):
            for sub in [p for p in self.path.iterdir() if p.is_dir()]:
                PidsCgroup(sub).remove()
        self.kill_all()
        for _ in range(100):
            try:
                self.path.rmdir()
                return
            except FileNotFoundError:
                return
            except OSError:
                time.sleep(0.01)
