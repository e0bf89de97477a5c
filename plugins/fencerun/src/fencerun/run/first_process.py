"""The block's side of the fork: its first process builds the sandbox, then becomes the
block (`run/container.py` is the worker's side).

It starts its own session and process group, becomes a child subreaper, unshares its
namespaces, mounts its view, sets its limits, takes the block's uid where it has one and
drops its capabilities; only then does any code of the block run. It reports each step
on the control pipe, one JSON line each.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import resource
import signal
from collections.abc import Sequence
from typing import NoReturn

from fencerun.isolation import libc
from fencerun.isolation.limits import apply_rlimits, become_block_uid
from fencerun.isolation.namespaces import bring_up_loopback, enter_namespaces
from fencerun.isolation.privileges import drop_privileges
from fencerun.isolation.view_mounts import build_filesystem
from fencerun.run.container_spec import ContainerSpec, SandboxPlan
from fencerun.run.python_runtime import serve
from fencerun.run.shell_runtime import COMMAND_FD, CONTROL_FD, STDERR_FD, exec_shell

# The first process's exit status when its sandbox could not be built.
SETUP_FAILED = 70


def _write_record(record: dict[str, object], fd: int = CONTROL_FD) -> None:
    data = json.dumps(record).encode() + b"\n"
    while data:
        data = data[os.write(fd, data) :]


def _arrange_fds(pipes: Sequence[int], kept: Sequence[int]) -> list[int]:
    """0 = /dev/null, 1 = the output pipe, 2 and STDERR_FD = the stderr pipe, the command
    and control pipes at fixed numbers, then `kept` (returned where they now are, closed on
    exec); everything else the worker had open is closed.

    Each step then points its fd 2 at the output pipe or at STDERR_FD, as its block's
    stderr option says (`steps.stderr_shown`)."""
    # Lift the pipes above the target numbers first: a pipe may already sit on one.
    output, errors, commands, control, *kept = (
        fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 100) for fd in (*pipes, *kept)
    )
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.dup2(output, 1)
    os.dup2(errors, 2)
    os.dup2(commands, COMMAND_FD, inheritable=False)
    os.dup2(control, CONTROL_FD, inheritable=False)
    os.dup2(errors, STDERR_FD, inheritable=False)
    placed = [os.dup2(fd, STDERR_FD + 1 + n, inheritable=False) for n, fd in enumerate(kept)]
    os.closerange(3, COMMAND_FD)
    # Where closerange closes one number at a time (off Linux), only up to the fd limit.
    highest = resource.getrlimit(resource.RLIMIT_NOFILE)[0]
    if highest == resource.RLIM_INFINITY or highest > 1 << 20:
        highest = 1 << 20
    os.closerange(STDERR_FD + 1 + len(placed), highest)
    return placed


def adopt_environment(spec: ContainerSpec) -> None:
    """In the fork server, before it forks the container: make os.environ the block's."""
    if spec.env is None:
        return
    for name in [name for name in os.environ if name not in spec.env]:
        del os.environ[name]
    for name, value in spec.env.items():
        if os.environ.get(name) != value:
            os.environ[name] = value


def first_process(
    plan: SandboxPlan,
    spec: ContainerSpec,
    server_pid: int,
    output: int,
    errors: int,
    commands: int,
    control: int,
    *idmaps: int,
) -> NoReturn:
    """The block's first process, in a fork of the fork server: build the sandbox, then
    become the block. Never returns into the server's code, whatever fails."""
    try:
        _become_block(plan, spec, server_pid, (output, errors, commands, control), idmaps)
    finally:
        os._exit(SETUP_FAILED)


def _become_block(
    plan: SandboxPlan,
    spec: ContainerSpec,
    server_pid: int,
    pipes: tuple[int, int, int, int],
    idmaps: Sequence[int],
) -> None:
    # What the fork server did once is not repeated here: SIGTERM's default action, the
    # offline network namespace (prepare_fork_server), the environment (adopt_environment),
    # Python's std streams (prepare_in_fork_server). drop_privileges sets no_new_privs again
    # and finds the bounding set already empty: one system call each.
    control_fd = pipes[3]
    try:
        if plan.death_signal:
            # Dies with the fork server, which dies with the worker; without a PID
            # namespace, a server already gone cannot be noticed by the signal,
            # hence the check.
            libc.prctl(libc.PR_SET_PDEATHSIG, signal.SIGKILL)
        if signal.getsignal(signal.SIGCHLD) is not signal.SIG_DFL:
            # The server's way of noticing ended children (no pidfds) is not the block's.
            signal.set_wakeup_fd(-1)
            signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        if os.getpid() != 1 and os.getppid() != server_pid:
            os._exit(SETUP_FAILED)
        os.setsid()
        if plan.subreaper:
            libc.prctl(libc.PR_SET_CHILD_SUBREAPER, 1)
        idmaps = _arrange_fds(pipes, idmaps)
        control_fd = CONTROL_FD
        if plan.namespaces.own_flags or plan.namespaces.clone_flags:
            enter_namespaces(plan.namespaces, plan.outside_ids)
        if spec.filesystem is not None:
            build_filesystem(
                spec.filesystem,
                worker_mount_namespace=plan.worker_mount_namespace,
                base_prepared=plan.mounts_prepared,
                idmaps=idmaps,
            )
        for fd in idmaps:
            os.close(fd)
        if plan.namespaces.own_flags & libc.CLONE_NEWNET:
            bring_up_loopback()
        os.chdir(spec.workdir)
        limit = spec.process_limit
        processes = None if limit is None else limit.value
        apply_rlimits(plan.policy, cpu_seconds=spec.cpu_seconds, processes=processes)
        if spec.uid is not None:
            become_block_uid(spec.uid, real_only=not spec.uid_in_full)
        if plan.linux:
            drop_privileges(plan.last_capability)
        if spec.shell_steps:
            # A shell resets an effective uid that differs from the real one, unless -p.
            keep_euid = spec.uid is not None and not spec.uid_in_full
            exec_shell(spec.shell, spec.shell_name, spec.shell_steps, privileged=keep_euid)
    except BaseException as error:
        with contextlib.suppress(BaseException):
            message = f"could not start the block's sandbox: {error!r}"
            _write_record({"failed": message}, control_fd)
        os._exit(SETUP_FAILED)
    command_pipe = os.fdopen(COMMAND_FD, "rb", buffering=0)
    serve(
        spec.python_steps,
        wait_for_go=lambda: bool(command_pipe.readline()),
        report=_write_record,
    )
