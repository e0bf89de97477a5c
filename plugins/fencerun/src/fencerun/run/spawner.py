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
import struct
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, NoReturn

from fencerun.isolation import libc
from fencerun.isolation.namespaces import PidNamespaceFactory
from fencerun.isolation.reaper import kill_descendants

# Replies of the server: (kind, pid, wait status or errno, or the length of a message)
_REPLY = struct.Struct("=Bii")
_SPAWNED, _ENDED, _FAILED, _READY, _UNREADY = 1, 2, 3, 4, 5
_LENGTH = struct.Struct("=Q")
_MAX_FDS = 9


class SpawnError(RuntimeError):
    """The fork server could not start a container, or is gone."""


class Spawner:
    """The worker's handle on its fork server."""

    def __init__(
        self,
        first_process: Callable[..., NoReturn],
        *,
        linux: bool,
        pid_namespaces: bool,
        clone_flags: int = 0,
        subreaper: bool | None = None,
        death_signal: bool | None = None,
        keep_fds: Sequence[int] = (),
        prepare: Callable[[], None] | None = None,
        before_fork: Callable[[Any], None] | None = None,
    ) -> None:
        """Fork the server now: the containers get everything this process has imported.

        The server keeps stdin, stdout, stderr and `keep_fds` open, and nothing else of
        this process's. `prepare` runs in the server before its first fork: what every
        container would otherwise do for itself; `before_fork` runs there with each spec,
        before its container is forked. With `pid_namespaces`, each container is PID 1 of
        a namespace of its own: born into it with `clone_flags` where they are given (see
        `Namespaces.clone_flags`), else forked into one the server makes. A container runs
        `first_process(spec, server_pid, *fds)`.
        """
        # Where the host refuses them (the probe says so), neither is asked for.
        subreaper = linux if subreaper is None else subreaper
        death_signal = linux if death_signal is None else death_signal
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        parent = os.getpid()
        pid = os.fork()
        if pid == 0:
            try:
                ours.close()
                _close_all_but({0, 1, 2, theirs.fileno(), *keep_fds})
                options = _ServerOptions(
                    linux,
                    pid_namespaces,
                    clone_flags,
                    subreaper,
                    death_signal,
                    prepare,
                    before_fork,
                )
                _serve(theirs, first_process, parent, options)
            finally:
                os._exit(0)
        theirs.close()
        self.pid = pid
        self._socket = ours
        self._ended: dict[int, int] = {}  # pid -> wait status, reported but not yet asked for
        self._live: set[int] = set()  # containers started and not yet reported ended
        try:
            self._wait_until_ready()
        except SpawnError:
            self.close()
            raise

    def _wait_until_ready(self) -> None:
        """Wait for `prepare` to end in the server; SpawnError with its reason if it failed,
        so that the worker says why at once instead of every block failing later."""
        try:
            kind, _, length, _ = self._reply()
            if kind == _UNREADY:
                reason, _ = _receive(self._socket, length)
                raise SpawnError(
                    f"the fork server could not prepare: {reason.decode(errors='replace')}"
                )
        except OSError as error:
            raise SpawnError(f"the fork server exited before it was ready: {error}") from None

    def spawn(self, spec: object, fds: Sequence[int]) -> tuple[int, int | None]:
        """Start a container's first process with these pipe ends: (pid, pidfd), with no
        pidfd off Linux: then `fileno` becomes readable when a container may have ended."""
        data = pickle.dumps(spec, protocol=pickle.HIGHEST_PROTOCOL)
        try:
            socket.send_fds(self._socket, [_LENGTH.pack(len(data))], list(fds))
            self._socket.sendall(data)
            while True:
                kind, pid, value, received = self._reply()
                if kind == _SPAWNED:
                    self._live.add(pid)
                    return pid, received[0] if received else None
                if kind == _FAILED:
                    raise SpawnError(f"could not fork the block's process: {os.strerror(value)}")
        except OSError as error:
            raise SpawnError(f"the fork server is gone: {error}") from None

    def fileno(self) -> int:
        return self._socket.fileno()

    def has_ended(self, pid: int) -> bool:
        """Whether the server has reported this container's end (kept for `wait_status`)."""
        return pid in self._ended

    def read_reply(self) -> None:
        """Take in one reply of the server, once `fileno` is readable."""
        self._reply()

    def wait_status(self, pid: int) -> int | None:
        """The wait status of a container that ended (blocks until the server reaps it);
        None if the server is gone."""
        try:
            while pid not in self._ended:
                self._reply()
        except OSError:
            return None
        self._live.discard(pid)
        return self._ended.pop(pid)

    def _reply(self) -> tuple[int, int, int, list[int]]:
        data, fds = _receive(self._socket, _REPLY.size, max_fds=1)
        if len(data) < _REPLY.size:
            raise ConnectionResetError("the fork server exited")
        kind, pid, value = _REPLY.unpack(data)
        if kind == _ENDED:
            self._ended[pid] = value
        return kind, pid, value, fds

    def close(self) -> None:
        """Stop the server and every container still running (on Linux they would also die
        with it, of their parent-death signal)."""
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGKILL)
        for pid in self._live:
            kill_group(pid)
        with contextlib.suppress(ChildProcessError):
            os.waitpid(self.pid, 0)
        self._socket.close()


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


def _close_all_but(keep: set[int]) -> None:
    listing = "/proc/self/fd" if os.path.isdir("/proc/self/fd") else "/dev/fd"
    for name in os.listdir(listing):
        if int(name) not in keep:
            with contextlib.suppress(OSError):
                os.close(int(name))


@dataclass(frozen=True)
class _ServerOptions:
    linux: bool
    pid_namespaces: bool
    clone_flags: int
    subreaper: bool
    death_signal: bool
    prepare: Callable[[], None] | None
    before_fork: Callable[[Any], None] | None


def _wake_on_child_exit() -> int:
    """A pipe that becomes readable when a child ends (SIGCHLD), where there are no pidfds."""
    read_end, write_end = os.pipe()
    for fd in (read_end, write_end):
        os.set_blocking(fd, False)
    signal.set_wakeup_fd(write_end)
    signal.signal(signal.SIGCHLD, lambda number, frame: None)
    return read_end


def _serve(
    channel: socket.socket,
    first_process: Callable[..., NoReturn],
    worker: int,
    options: _ServerOptions,
) -> None:
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
        channel.sendall(_REPLY.pack(_UNREADY, 0, len(reason)) + reason)
        return
    channel.sendall(_REPLY.pack(_READY, 0, 0))
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
        channel.sendall(_REPLY.pack(_ENDED, pid, status))

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
    header, fds = _receive(channel, _LENGTH.size, max_fds=_MAX_FDS)
    if len(header) < _LENGTH.size:
        return None
    (size,) = _LENGTH.unpack(header)
    data, _ = _receive(channel, size)
    if len(data) < size:
        return None
    return pickle.loads(data), fds


def _receive(channel: socket.socket, size: int, *, max_fds: int = 0) -> tuple[bytes, list[int]]:
    """`size` bytes and the descriptors sent with the first of them; fewer bytes at EOF."""
    data: bytes = b""
    fds: list[int] = []
    if max_fds:
        data, fds, _, _ = socket.recv_fds(channel, size, max_fds)
    while len(data) < size:
        chunk = channel.recv(size - len(data))
        if not chunk:
            break
        data += chunk
    return data, fds


def _start(
    channel: socket.socket,
    request: tuple[object, list[int]],
    first_process: Callable[..., NoReturn],
    server_pid: int,
    factory: PidNamespaceFactory | None,
    options: _ServerOptions,
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
        channel.sendall(_REPLY.pack(_FAILED, 0, -pid))
        return None
    for fd in fds:
        os.close(fd)
    if not pidfds:
        channel.sendall(_REPLY.pack(_SPAWNED, pid, 0))
        return pid, None
    pidfd = os.pidfd_open(pid)
    socket.send_fds(channel, [_REPLY.pack(_SPAWNED, pid, 0)], [pidfd])
    return pid, pidfd
