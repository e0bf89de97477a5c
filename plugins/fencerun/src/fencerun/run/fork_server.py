"""A fork server: the idle process that containers are forked from.

Forking copies nothing at first; a page is copied when either side writes to it
while both still share it. If the worker forked containers itself, every page
it wrote while a block ran (polling, reading output, building the result) would
be copied again for every block. So the worker forks this server once, after
its imports; the server sits idle in `recvmsg` while a block runs, forks the
next container on request and reports how each one ended. Containers are the
server's children: it reaps them and, where there is no PID namespace to do
it, kills what they left behind.

    worker ── fork server ── first process of a block ── whatever the block starts

Requests and replies go over a Unix socket; the pipes of a block travel with
its request as file descriptors, and the server answers with a pidfd of the
new process, which stays valid whoever reaps it.

Off Linux (`linux=False`) the server uses only what every POSIX system has: it
learns that a container ended from SIGCHLD, the worker from the server's reply
(there is no pidfd), and what a block left behind is killed with the block's
process group instead of being found as orphans.
"""

from __future__ import annotations

import contextlib
import gc
import os
import pickle
import select
import signal
import socket
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, NoReturn

from fencerun.isolation import libc
from fencerun.isolation.namespaces import PidNamespaceFactory
from fencerun.isolation.reaper import kill_descendants
from fencerun.run.fork_protocol import (
    ENDED,
    FAILED,
    LENGTH,
    MAX_FDS,
    READY,
    REPLY,
    SPAWNED,
    UNREADY,
    receive,
)


@dataclass(frozen=True)
class ServerOptions:
    """What the worker asked of its fork server (see `Spawner`)."""

    linux: bool
    pid_namespaces: bool
    clone_flags: int
    subreaper: bool
    death_signal: bool
    prepare: Callable[[], None] | None
    before_fork: Callable[[Any], None] | None
    keep_fds: tuple[int, ...]  # of the worker's, besides stdin, stdout and stderr


def serve(
    channel: socket.socket,
    first_process: Callable[..., NoReturn],
    worker: int,
    options: ServerOptions,
) -> None:
    """The fork server's life, in the worker's fresh fork: prepare, then fork containers as
    `channel` asks, until the worker goes away."""
    _close_all_but({0, 1, 2, channel.fileno(), *options.keep_fds})
    if options.death_signal:
        # Dies with the worker, and so do the containers, which die with it.
        libc.prctl(libc.PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != worker:
        return
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if options.subreaper:
        # Orphans of blocks come back here, where they are killed.
        libc.prctl(libc.PR_SET_CHILD_SUBREAPER, 1)
    try:
        if options.prepare is not None:
            options.prepare()
    except Exception as error:
        reason = repr(error).encode()
        channel.sendall(REPLY.pack(UNREADY, 0, len(reason)) + reason)
        return
    channel.sendall(REPLY.pack(READY, 0, 0))
    made_here = options.pid_namespaces and not options.clone_flags
    factory = PidNamespaceFactory() if made_here else None
    pidfds = options.linux and _pidfds_allowed()
    child_ended = None if pidfds else _wake_on_child_exit()
    own_pid = os.getpid()
    # Objects the collector never visits are never written to, so each fork shares
    # their pages instead of copying them.
    gc.freeze()
    running: dict[int, int | None] = {}  # pid -> its pidfd (None off Linux)
    poll = select.poll()
    poll.register(channel, select.POLLIN)
    if child_ended is not None:
        poll.register(child_ended, select.POLLIN)

    def ended(pid: int, status: int) -> None:
        pidfd = running.pop(pid)
        if pidfd is not None:
            poll.unregister(pidfd)
            os.close(pidfd)
        if not options.linux:
            kill_group(pid)
        elif not options.pid_namespaces:  # else they ended with the namespace's PID 1
            kill_descendants(keep=set(running))
        channel.sendall(REPLY.pack(ENDED, pid, status))

    try:
        while True:
            for fd, _ in poll.poll():
                if fd == channel.fileno():
                    request = _read_request(channel)
                    if request is None:
                        return  # the worker went away
                    started = _start(
                        channel, request, first_process, own_pid, factory, options, pidfds
                    )
                    if started is not None:
                        pid, pidfd = started
                        running[pid] = pidfd
                        if pidfd is not None:
                            poll.register(pidfd, select.POLLIN)
                elif fd == child_ended:
                    with contextlib.suppress(BlockingIOError):
                        os.read(fd, 512)
                    for pid in list(running):
                        done, status = os.waitpid(pid, os.WNOHANG)
                        if done:
                            ended(pid, status)
                else:
                    pid = next(pid for pid, pidfd in running.items() if pidfd == fd)
                    ended(pid, os.waitpid(pid, 0)[1])
    finally:
        for pid in running:
            kill_group(pid)


def _close_all_but(keep: set[int]) -> None:
    listing = "/proc/self/fd" if os.path.isdir("/proc/self/fd") else "/dev/fd"
    for name in os.listdir(listing):
        if int(name) not in keep:
            with contextlib.suppress(OSError):
                os.close(int(name))


def _wake_on_child_exit() -> int:
    """A pipe that becomes readable when a child ends (SIGCHLD), where there are no pidfds."""
    read_end, write_end = os.pipe()
    for fd in (read_end, write_end):
        os.set_blocking(fd, False)
    signal.set_wakeup_fd(write_end)
    signal.signal(signal.SIGCHLD, lambda number, frame: None)
    return read_end


def _pidfds_allowed() -> bool:
    """Whether pidfd_open works here; a host may refuse it (seccomp), and then ended
    containers are noticed as off Linux, by SIGCHLD."""
    try:
        os.close(os.pidfd_open(os.getpid()))
    except OSError:
        return False
    return True


def _reseed_random() -> None:
    """What `os.fork` would do for `random`: blocks must not share one sequence."""
    module = sys.modules.get("random")
    if module is not None:
        module.seed()


def _read_request(channel: socket.socket) -> tuple[object, list[int]] | None:
    header, fds = receive(channel, LENGTH.size, max_fds=MAX_FDS)
    if len(header) < LENGTH.size:
        return None
    (size,) = LENGTH.unpack(header)
    data, _ = receive(channel, size)
    if len(data) < size:
        return None
    return pickle.loads(data), fds


def _start(
    channel: socket.socket,
    request: tuple[object, list[int]],
    first_process: Callable[..., NoReturn],
    server_pid: int,
    factory: PidNamespaceFactory | None,
    options: ServerOptions,
    pidfds: bool,
) -> tuple[int, int | None] | None:
    """Fork the container's first process: (pid, pidfd or None off Linux), or None if the
    fork failed."""
    spec, fds = request
    if options.before_fork is not None:
        options.before_fork(spec)
    # Here rather than in the container: each inherits a sequence of its own, and the
    # pages the reseeding writes are written once, not once more in every container.
    _reseed_random()
    if factory is not None:
        factory.before_fork()
    try:
        if options.clone_flags:
            pid = libc.clone_into(options.clone_flags)
        else:
            pid = libc.plain_fork() if options.linux else os.fork()
    except OSError as error:
        pid = -error.errno if error.errno else -1
    if pid == 0:
        channel.close()
        first_process(spec, server_pid, *fds)
    if factory is not None:
        factory.after_fork()
    if pid < 0:
        for fd in fds:
            os.close(fd)
        channel.sendall(REPLY.pack(FAILED, 0, -pid))
        return None
    for fd in fds:
        os.close(fd)
    if not pidfds:
        channel.sendall(REPLY.pack(SPAWNED, pid, 0))
        return pid, None
    pidfd = os.pidfd_open(pid)
    socket.send_fds(channel, [REPLY.pack(SPAWNED, pid, 0)], [pidfd])
    return pid, pidfd


def kill_group(pid: int, *, patience: float = 5.0) -> None:
    """SIGKILL the process group a container's first process led, until none of it is left.

    Its members are not this process's children (off Linux there is no subreaper to
    make them so): they are gone once their new parent has reaped them.
    """
    deadline = time.monotonic() + patience
    while time.monotonic() < deadline:
        try:
            os.killpg(pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            return
        time.sleep(0.001)
