"""The worker's side of its fork server (`run/fork_server.py` is the server's side): fork
the server once, after the worker's imports, then ask it for a container per job and learn
from it how each one ended.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import signal
import socket
from collections.abc import Callable, Sequence
from typing import Any, NoReturn

from fencerun.run.fork_protocol import ENDED, FAILED, LENGTH, REPLY, SPAWNED, UNREADY, receive
from fencerun.run.fork_server import ServerOptions, kill_group, serve


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
                options = ServerOptions(
                    linux,
                    pid_namespaces,
                    clone_flags,
                    subreaper,
                    death_signal,
                    prepare,
                    before_fork,
                    tuple(keep_fds),
                )
                serve(theirs, first_process, parent, options)
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
            if kind == UNREADY:
                reason, _ = receive(self._socket, length)
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
            socket.send_fds(self._socket, [LENGTH.pack(len(data))], list(fds))
            self._socket.sendall(data)
            while True:
                kind, pid, value, received = self._reply()
                if kind == SPAWNED:
                    self._live.add(pid)
                    return pid, received[0] if received else None
                if kind == FAILED:
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
        data, fds = receive(self._socket, REPLY.size, max_fds=1)
        if len(data) < REPLY.size:
            raise ConnectionResetError("the fork server exited")
        kind, pid, value = REPLY.unpack(data)
        if kind == ENDED:
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
