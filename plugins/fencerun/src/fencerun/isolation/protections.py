"""The record of what protects every block of a build (`Protections`), and the line the build
log shows of it. The probe fills it in where Linux's protections are used; `portable` says
what blocks get where they are not."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass

from fencerun.isolation.namespaces import BLOCK_HOSTNAME, Namespaces
from fencerun.isolation.policy import GIB, MIB, IsolationPolicy, memory_limit_enforced

# Said wherever no mount namespace hides files: the one thing a reader must not miss.
CAN_READ_USER_FILES = (
    "hiding files (no mount namespace): blocks can read every file the build's user can "
    "read, home folders and the project's .git included"
)


@dataclass(frozen=True)
class Protections:
    """The protections every block of this build gets."""

    namespaces: Namespaces
    capabilities_dropped: bool
    process_cap: str  # what keeps the number of processes down: "pids cgroup", "RLIMIT_NPROC"
    notes: tuple[str, ...] = ()  # why a protection is missing
    linux: bool = True  # False: only calls every POSIX system has (see `portable`)
    # RLIMIT_NPROC counts only the processes of the caller's own user namespace (Linux 5.14+),
    # so a block in a user namespace of its own is capped exactly, whatever else its user runs.
    nproc_per_namespace: bool = False
    # prctl calls a host may refuse (seccomp profiles, old kernels); each missing one is noted
    subreaper: bool = True  # the block's first process adopts what its children leave
    death_signal: bool = True  # fork servers and blocks die with their worker
    # A root build's blocks become an unprivileged uid of their own once their view is built
    # (`become_block_uid`), and see their writable folders as their own through idmapped
    # mounts; without those, a block with a workdir stays root, with no capabilities.
    own_uid: bool = False
    idmapped_folders: bool = False

    @property
    def nproc_counts_each_block(self) -> bool:
        """Whether RLIMIT_NPROC counts a block's processes alone: each block is in a user
        namespace of its own, and the kernel counts per namespace."""
        return self.namespaces.user and self.nproc_per_namespace

    def summary(self, policy: IsolationPolicy) -> str:
        """One line for the build log."""
        notes = list(self.notes)
        if self.linux and self.subreaper:
            active = ["process group + subreaper (leftover processes killed)"]
        elif self.linux and self.namespaces.pid:
            active = ["process group (leftover processes killed with its PID namespace)"]
        elif self.linux:
            active = ["process group (a leftover process that leaves it is not killed)"]
        else:
            active = ["own process group (killed when the block ends or times out)"]
        if self.namespaces.pid:
            active.append("PID namespace")
        if self.namespaces.mount:
            view = "read-only outside its folders, " if policy.read_only_filesystem else ""
            active.append(f"mount namespace ({view}private /tmp, homes and secrets hidden)")
        if self.namespaces.network:
            active.append("no network")
        if self.namespaces.uts:
            active.append(f"host name {BLOCK_HOSTNAME!r}")
        if self.namespaces.user:
            active.append("user namespace")
        if self.own_uid:
            but = "" if self.idmapped_folders else " (but blocks with a workdir)"
            active.append(f"unprivileged uid{but}")
        if self.capabilities_dropped:
            active.append("capabilities dropped")
        elif self.linux and (os.geteuid() == 0 or self.namespaces.user):
            # Root's, or root's within the block's own user namespace: either can unmount.
            notes.append(
                "capability dropping (refused): blocks keep their capabilities, and could "
                "undo their view of the machine"
            )
        active.append(f"at most {policy.max_processes} processes ({self.process_cap})")
        memory = f"memory {_size(policy.memory_bytes)}, " if memory_limit_enforced() else ""
        file = _size(policy.file_bytes)
        active.append(f"limits: {memory}file {file}, {policy.open_files} open files, CPU time")
        if not self.namespaces.mount:
            active.append("private temporary working folder")
        active += ["environment allow-list", "private paths rewritten"]
        line = ", ".join(active)
        if not self.namespaces.mount:
            notes.append(CAN_READ_USER_FILES)
        if notes:
            line += "; not available: " + "; ".join(notes)
        return line


def portable(policy: IsolationPolicy, *, process_cap: str) -> Protections:
    """What blocks get where Linux's protections are not used: calls every POSIX system has."""
    why = "Linux only" if policy.linux_isolation else "turned off by the policy"
    notes = [
        f"namespaces, subreaper and capability dropping ({why})",
        "a process that leaves the block's process group (setsid) is not killed with it",
    ]
    if not memory_limit_enforced():
        notes.append("memory limit (this system does not enforce RLIMIT_AS)")
    if not sys.platform.startswith("linux"):
        notes.append("hiding the build's environment (ps can show it to a block)")
    return Protections(Namespaces(), False, process_cap, tuple(notes), linux=False)


def _size(value: int) -> str:
    return f"{value / GIB:g} GiB" if value >= GIB else f"{value / MIB:g} MiB"
