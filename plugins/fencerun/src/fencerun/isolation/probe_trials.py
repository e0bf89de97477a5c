"""The trials the probe runs, each in a throwaway child and the way a block will do it: the
view a block gets, a PID namespace (by fork as root, by one clone without), RLIMIT_NPROC
counted per user namespace, and a root build's block as a uid of its own.
"""

from __future__ import annotations

import contextlib
import errno
import os
import resource
from typing import NoReturn

from fencerun.isolation import libc
from fencerun.isolation.limits import become_block_uid
from fencerun.isolation.namespaces import (
    Namespaces,
    PidNamespaceFactory,
    enter_namespaces,
    idmap_namespace,
)
from fencerun.isolation.policy import IsolationPolicy
from fencerun.isolation.privileges import drop_bounding_set, last_capability
from fencerun.isolation.view_mounts import build_filesystem
from fencerun.isolation.view_plan import (
    PRIVATE_HOME,
    MachineView,
    plan_filesystem,
    plan_machine_layer,
)

# What a root build's block that stays root can still do, said where it must.
_READS_ROOTS_FILES = "run as root without capabilities, and can read root's files the view shows"


def workdir_idmap(project_dir: str, uid: int) -> tuple[str, int] | str:
    """(the project, a user namespace that maps its owner to `uid`) for the idmapped mount of
    a workdir, or why it could not be made."""
    try:
        found = os.stat(project_dir)
        return project_dir, idmap_namespace((found.st_uid, found.st_gid), uid)
    except OSError as error:
        return error.strerror or str(error)


def block_identity(
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


def build_block_view(
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


def nproc_counts_this_namespace() -> bool:
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


def pid_namespace_works(*, mount_proc: bool) -> bool:
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


# How the child of `pid_namespace_by_clone` ends: what it found.
_PID_ONE_WITH_PROC, _NOT_PID_ONE, _PROC_REFUSED, _NO_VIEW = 0, 1, 3, 4


def pid_namespace_by_clone(
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
            build_block_view(policy, machine, worker_mount_namespace)
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
