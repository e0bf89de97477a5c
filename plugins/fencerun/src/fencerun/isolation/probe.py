"""Find out once which protections this kernel and this user allow.

Each protection is tried in a throwaway child process exactly the way a block
will use it; what fails is left out with a note, never assumed.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import resource
import signal
import socket
import sys
from dataclasses import dataclass
from typing import Any, NoReturn

from fencerun.isolation import libc
from fencerun.isolation.limits import become_block_uid
from fencerun.isolation.namespaces import (
    BLOCK_HOSTNAME,
    Namespaces,
    PidNamespaceFactory,
    bring_up_loopback,
    enter_namespaces,
    idmap_namespace,
    offline_network_namespace,
)
from fencerun.isolation.policy import GIB, MIB, IsolationPolicy, memory_limit_enforced
from fencerun.isolation.privileges import drop_bounding_set, drop_privileges, last_capability
from fencerun.isolation.view_mounts import build_filesystem
from fencerun.isolation.view_plan import (
    PRIVATE_HOME,
    MachineView,
    plan_filesystem,
    plan_machine_layer,
)

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


_PROBE_PATIENCE_S = 20

# prctl options the sandbox uses where a host may refuse them: (option, argument, what is
# lost without it). Refused, each is left out and named on the protections line.
_OPTIONAL_PRCTLS = {
    "subreaper": (
        libc.PR_SET_CHILD_SUBREAPER,
        1,
        "subreaper (prctl PR_SET_CHILD_SUBREAPER refused)",
    ),
    "death_signal": (
        libc.PR_SET_PDEATHSIG,
        signal.SIGKILL,
        "death signal (prctl PR_SET_PDEATHSIG refused): a worker killed outright may leave "
        "its fork server behind",
    ),
    "no_new_privs": (
        libc.PR_SET_NO_NEW_PRIVS,
        1,
        "no_new_privs (prctl PR_SET_NO_NEW_PRIVS refused): a set-uid program run by a block "
        "takes its owner's uid",
    ),
}


def _allowed_prctls() -> dict[str, bool]:
    """Which of `_OPTIONAL_PRCTLS` the host allows, tried in the probe's child."""
    return {
        name: libc.prctl_allowed(option, argument)
        for name, (option, argument, _) in _OPTIONAL_PRCTLS.items()
    }


def _size(value: int) -> str:
    return f"{value / GIB:g} GiB" if value >= GIB else f"{value / MIB:g} MiB"


def probe(
    policy: IsolationPolicy,
    *,
    process_cap: str,
    machine: MachineView | None = None,
    block_uid: int | None = None,
    project_dir: str | None = None,
) -> Protections:
    """Try every protection in a child process; report what worked. The mount namespace is
    tried with the view blocks will get of `machine`; a root build's `block_uid` as its
    blocks become it, with `project_dir` writable as a workdir is."""
    cgroup_note = [] if "pids cgroup" in process_cap else ["pids cgroup"]
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:
        try:
            os.close(read_end)
            signal.alarm(_PROBE_PATIENCE_S)  # a probe that hangs ends, and says so below
            # First, before any namespace: whatever else fails, the worker must know which
            # of these calls it may make without dying.
            report: dict[str, object] = {"prctls": _allowed_prctls()}
            try:
                identity = (block_uid, project_dir)
                report.update(_probe_here(policy, machine or MachineView(), identity))
            except BaseException as error:  # the probe must report, whatever happens
                report["notes"] = [f"namespaces (probe failed: {error})"]
            os.write(write_end, json.dumps(report).encode())
        finally:
            os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as pipe:
        raw = pipe.read()
    os.waitpid(pid, 0)
    found: dict[str, Any] = (
        json.loads(raw) if raw else {"notes": ["namespaces (the probe did not finish)"]}
    )
    namespaces = Namespaces(
        user=bool(found.get("user")),
        pid=bool(found.get("pid")),
        mount=bool(found.get("mount")),
        network=bool(found.get("network")),
        uts=bool(found.get("uts")),
        own_proc=bool(found.get("proc")),
    )
    notes = [str(note) for note in found.get("notes", [])] + cgroup_note
    # A call the probe could not confirm is not made: a refused one would end the worker.
    allowed = found.get("prctls", {})
    notes += [why for name, (_, _, why) in _OPTIONAL_PRCTLS.items() if not allowed.get(name)]
    return Protections(
        namespaces,
        bool(found.get("caps")),
        process_cap,
        tuple(notes),
        nproc_per_namespace=bool(found.get("nproc_per_namespace")),
        subreaper=bool(allowed.get("subreaper")),
        death_signal=bool(allowed.get("death_signal")),
        own_uid=bool(found.get("own_uid")),
        idmapped_folders=bool(found.get("idmapped_folders")),
    )


def _probe_here(
    policy: IsolationPolicy, machine: MachineView, identity: tuple[int | None, str | None]
) -> dict[str, object]:
    report: dict[str, object] = {}
    notes: list[str] = []
    report["notes"] = notes
    if not policy.namespaces:
        notes.append("namespaces (turned off by the policy)")
        report["caps"] = drop_privileges(last_capability())
        return report
    worker_mount_namespace = os.readlink("/proc/self/ns/mnt")
    uid, project_dir = identity
    # Made as the worker makes it, before any view (where /proc is read-only).
    workdir = _workdir_idmap(project_dir, uid) if uid is not None and project_dir else None
    if os.geteuid() != 0:
        # First, from outside any user namespace, as the fork server will make them.
        report.update(_pid_namespace_by_clone(policy, machine, worker_mount_namespace))
        try:
            enter_namespaces(Namespaces(user=True))
            report["user"] = True
            report["nproc_per_namespace"] = _nproc_counts_this_namespace()
        except OSError as error:
            for found_by_clone in ("pid", "proc", "pid_note"):
                report.pop(found_by_clone, None)
            notes.append(f"user namespaces ({error.strerror}): no PID, mount or network namespace")
            report["caps"] = drop_privileges(last_capability())
            return report
    wanted = [("mount", libc.CLONE_NEWNS), ("uts", libc.CLONE_NEWUTS)]
    if policy.network:
        notes.append("network namespace (the policy allows the network)")
    else:
        wanted.append(("network", libc.CLONE_NEWNET))
    for name, flag in wanted:
        try:
            libc.unshare(flag)
            report[name] = True
        except OSError as error:
            notes.append(f"{name} namespace ({error.strerror})")
    if report.get("mount"):
        try:
            _build_block_view(policy, machine, worker_mount_namespace)
        except (OSError, RuntimeError) as error:
            report["mount"] = False
            notes.append(f"mount namespace ({error})")
    if report.get("uts"):
        try:
            socket.sethostname(BLOCK_HOSTNAME)
        except OSError as error:
            report["uts"] = False
            notes.append(f"UTS namespace (host name: {error.strerror})")
    if report.get("network"):
        try:
            bring_up_loopback()
            if not report.get("user"):
                # The fork server joins it (setns), which a host may refuse.
                offline = offline_network_namespace()
                try:
                    libc.setns(offline, libc.CLONE_NEWNET)
                finally:
                    os.close(offline)
        except OSError as error:
            report["network"] = False
            notes.append(f"network namespace (loopback: {error.strerror})")
    if report.get("mount") and not report.get("user") and uid is not None:
        # Before the PID namespace's children mount their /proc over this one.
        report.update(_block_identity(policy, machine, uid, workdir, notes))
    if report.get("user"):
        if "pid_note" in report:
            notes.append(str(report.pop("pid_note")))
        report["proc"] = report.get("proc") and report.get("mount")
    elif _pid_namespace_works(mount_proc=bool(report.get("mount"))):
        report["pid"] = True
        report["proc"] = report.get("mount")
    else:
        notes.append("PID namespace (not permitted)")
    report["caps"] = drop_privileges(last_capability())
    return report


# What a root build's block that stays root can still do, said where it must.
_READS_ROOTS_FILES = "run as root without capabilities, and can read root's files the view shows"


def _workdir_idmap(project_dir: str, uid: int) -> tuple[str, int] | str:
    """(the project, a user namespace that maps its owner to `uid`) for the idmapped mount of
    a workdir, or why it could not be made."""
    try:
        found = os.stat(project_dir)
        return project_dir, idmap_namespace((found.st_uid, found.st_gid), uid)
    except OSError as error:
        return error.strerror or str(error)


def _block_identity(
    policy: IsolationPolicy,
    machine: MachineView,
    uid: int,
    workdir: tuple[str, int] | str | None,
    notes: list[str],
) -> dict[str, object]:
    """Whether a root build's blocks can become `uid` once their view is built, and see a
    folder of the project (`workdir`) as their own where they may write it: tried on top of
    this process's view, each in a child, as a container does it."""
    refused = _as_a_block(policy, machine, uid, None)
    if refused:
        notes.append(f"unprivileged uid ({refused}): blocks {_READS_ROOTS_FILES}")
        return {}
    if isinstance(workdir, tuple):
        refused = _as_a_block(policy, machine, uid, workdir)
    elif workdir is not None:
        refused = workdir
    if refused:
        notes.append(
            f"unprivileged uid for blocks with a workdir (idmapped mount: {refused}): they "
            + _READS_ROOTS_FILES
        )
    return {"own_uid": True, "idmapped_folders": workdir is not None and not refused}


def _as_a_block(
    policy: IsolationPolicy, machine: MachineView, uid: int, workdir: tuple[str, int] | None
) -> str:
    """In a child: build a container's view on top of this one, with `workdir` (a folder, the
    user namespace of its idmapped mount) writable, and become `uid`; what went wrong, or ""
    where the block could then write its folders."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:
        try:
            os.close(read_end)
            try:
                _become_a_block(policy, machine, uid, workdir)
                refused = ""
            except (OSError, RuntimeError) as error:
                refused = (error.strerror if isinstance(error, OSError) else "") or str(error)
            os.write(write_end, refused.encode())
        finally:
            os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as pipe:
        refused = pipe.read().decode(errors="replace")
    status = os.waitpid(pid, 0)[1]
    if not refused and os.waitstatus_to_exitcode(status) != 0:
        return "the probe's child failed"
    return refused


def _become_a_block(
    policy: IsolationPolicy, machine: MachineView, uid: int, workdir: tuple[str, int] | None
) -> None:
    """What a root build's container does (`_become_block`), on top of this process's view,
    which stands for the fork server's: build its view and become `uid`; then it must read
    the project and the interpreter, and write its folders."""
    server_mount_namespace = os.readlink("/proc/self/ns/mnt")
    libc.unshare(libc.CLONE_NEWNS)
    writable, idmaps = ((workdir[0],), [workdir[1]]) if workdir else ((), [])
    plan = plan_filesystem(
        writable=writable,
        needed=machine.needed,
        machine=None,
        read_only=policy.read_only_filesystem,
        tmp_bytes=policy.tmp_bytes,
        mount_proc=False,
        block_uid=uid,
    )
    build_filesystem(
        plan, worker_mount_namespace=server_mount_namespace, base_prepared=True, idmaps=idmaps
    )
    with contextlib.suppress(OSError):  # as the fork server does, before its first fork
        drop_bounding_set(last_capability())
    become_block_uid(uid, real_only=False)
    # The project and the interpreter, where a view shows them as they are on disk.
    for path in machine.needed:
        if not os.access(path, os.R_OK | (os.X_OK if os.path.isdir(path) else 0)):
            raise OSError(errno.EACCES, f"{path} cannot be read by other users")
    for folder in (PRIVATE_HOME, *writable):
        if not os.access(folder, os.W_OK):
            raise OSError(errno.EACCES, f"{folder} is not writable as uid {uid}")


def _build_block_view(
    policy: IsolationPolicy, machine: MachineView, worker_mount_namespace: str
) -> None:
    """Mount the view of `machine` a block without a workdir gets, its own /proc aside."""
    plan = plan_filesystem(
        writable=[],
        needed=machine.needed,
        machine=plan_machine_layer(machine),
        read_only=policy.read_only_filesystem,
        tmp_bytes=policy.tmp_bytes,
        mount_proc=False,
    )
    build_filesystem(plan, worker_mount_namespace=worker_mount_namespace)


def _nproc_counts_this_namespace() -> bool:
    """Whether RLIMIT_NPROC counts only this user namespace's processes: a child limited to
    3 processes forks one more (it, the prober and the grandchild make 3 here). Where the
    kernel counts every process of the user (before Linux 5.14) the build alone has more."""
    pid = os.fork()
    if pid == 0:
        try:
            resource.setrlimit(resource.RLIMIT_NPROC, (3, 3))
            grandchild = os.fork()
            if grandchild == 0:
                os._exit(0)
            os.waitpid(grandchild, 0)
            os._exit(0)
        except BaseException:
            os._exit(1)
    return os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) == 0


def _pid_namespace_works(*, mount_proc: bool) -> bool:
    """Two children in turn, each PID 1 of its own namespace, as the worker will make them."""
    try:
        factory = PidNamespaceFactory()
        for _ in range(2):
            factory.before_fork()
            pid = os.fork()
            if pid == 0:
                _check_first_process(mount_proc)
            factory.after_fork()
            if os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) != 0:
                return False
    except OSError:
        return False
    return True


# How the child of `_pid_namespace_by_clone` ends: what it found.
_PID_ONE_WITH_PROC, _NOT_PID_ONE, _PROC_REFUSED, _NO_VIEW = 0, 1, 3, 4


def _pid_namespace_by_clone(
    policy: IsolationPolicy, machine: MachineView, worker_mount_namespace: str
) -> dict[str, object]:
    """Without root: whether a child born by one clone into a user namespace and a PID
    namespace is PID 1 there, and may mount a /proc of that namespace over the view a block
    gets (a host whose /proc has parts covered, as container runtimes do, refuses that)."""
    outside = (os.geteuid(), os.getegid())
    try:
        pid = libc.clone_into(libc.CLONE_NEWUSER | libc.CLONE_NEWPID)
    except OSError as error:
        return {"pid_note": f"PID namespace ({error.strerror})"}
    if pid == 0:
        _check_pid_one(policy, machine, worker_mount_namespace, outside)
    found = os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])
    if found == _PID_ONE_WITH_PROC:
        return {"pid": True, "proc": True}
    if found in (_PROC_REFUSED, _NO_VIEW):
        why = "refused by the host" if found == _PROC_REFUSED else "no mount namespace"
        return {
            "pid": True,
            "pid_note": f"a /proc of the block's own ({why}): blocks can list the machine's "
            "processes and read their command lines, though not signal them",
        }
    return {"pid_note": "PID namespace (not permitted)"}


def _check_pid_one(
    policy: IsolationPolicy,
    machine: MachineView,
    worker_mount_namespace: str,
    outside: tuple[int, int],
) -> NoReturn:
    try:
        enter_namespaces(Namespaces(user=True, pid=True, mount=True), outside)
        if os.getpid() != 1:
            os._exit(_NOT_PID_ONE)
        try:
            _build_block_view(policy, machine, worker_mount_namespace)
        except (OSError, RuntimeError):
            os._exit(_NO_VIEW)  # the mount namespace's own trial says why
        try:
            libc.mount("proc", "/proc", "proc", libc.MS_NOSUID | libc.MS_NODEV | libc.MS_NOEXEC)
        except OSError:
            os._exit(_PROC_REFUSED)
        os._exit(_PID_ONE_WITH_PROC)
    except BaseException:
        os._exit(_NOT_PID_ONE)


def _check_first_process(mount_proc: bool) -> NoReturn:
    try:
        if mount_proc:
            libc.mount("proc", "/proc", "proc", libc.MS_NOSUID | libc.MS_NODEV | libc.MS_NOEXEC)
        os._exit(0 if os.getpid() == 1 else 1)
    except BaseException:
        os._exit(1)
