"""One block's container, seen from the worker that forks it.

Process tree for one job (one block, or the blocks of one session):

    worker ── fork server ── first process of the block (PID 1 of its own PID namespace)
                                └── whatever the block starts

The worker's fork server (run/fork_server.py) gives the fork its own PID namespace
where the kernel allows it; the first process then builds its sandbox
(run/first_process.py, the other side of the fork); the worker moves it into the
block's pids cgroup; only then does any code of the block run. When the first process
ends, the kernel kills what is left in its PID namespace; without one, what is left is
re-parented to the fork server (a subreaper too), which kills it.

Whatever is the same for every container the fork server does once, before its first
fork (`prepare_fork_server`, `prepare_in_fork_server`) or when it changes
(`adopt_environment`): a page the fresh fork writes is a page copied, and in a
Python block's container those copies were two thirds of its time.

The worker talks to the block through four pipes: output (fd 1 of the block, and
fd 2 too for a step whose stderr shows: one pipe, so that the order is kept), stderr
(fd 2 of a step whose stderr is kept apart), commands (one "go" per step) and control
(one JSON line per finished step).

A root build's first process becomes the block's own unprivileged uid just before it
drops its capabilities, where the probe found that it can; the user namespaces of its
idmapped writable folders come from the worker, with the pipes.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import select
import signal
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from fencerun.isolation.limits import PidsCgroup
from fencerun.isolation.processes import children_of, processes_of, tasks_in_tree
from fencerun.run.container_spec import ContainerSpec, ProcessLimit
from fencerun.run.spawner import Spawner, SpawnError

_READ_SIZE = 65536
# How long processes a block left behind may go on once its last step has ended, before
# they are killed: long enough for a fork bomb that backgrounds itself (`:(){ :|:& };:`)
# to reach the process cap and be reported, where killing it at once would hide it.
LEFTOVER_GRACE_S = 0.5
_LEFTOVER_POLL_S = 0.01
# How long a step that has reached the process cap may go on before it is killed, and how
# often a running step's processes are looked at.
CAPPED_GRACE_S = 1.0
_CAP_POLL_S = 0.1
# What bash and dash print when the kernel refuses them a fork (EAGAIN). Under RLIMIT_NPROC
# that is the cap, and the shell's word for it is surer than a count of processes, which
# can miss the moment (`Container.note_cap`).
_SHELL_FORK_REFUSED = re.compile(rb"fork: (retry: )?Resource temporarily unavailable|Cannot fork")
# How far below its RLIMIT_NPROC a block's count may sit and still be taken as the cap
# reached (`Container.note_cap`).
_NEAR_CAP = 3


@dataclass(frozen=True)
class Sinks:
    """Where what the block writes goes, as it is read: its output, and its stderr apart."""

    output: Callable[[bytes], None]
    errors: Callable[[bytes], None]


@dataclass
class StepOutcome:
    returncode: int | None = None  # None: no status (killed at the timeout)
    timed_out: bool = False
    ended: bool = False  # the block's process is gone; later steps cannot run
    figures: list[str] = field(default_factory=list)


class ContainerSetupError(RuntimeError):
    """The sandbox could not be built: a fault of the machine or the engine, not of the block."""


class Container:
    """A running container; steps are run one at a time with `run_step`."""

    def __init__(
        self,
        spec: ContainerSpec,
        spawner: Spawner,
        cgroup: PidsCgroup | None,
        *,
        subreaper: bool = False,
        idmaps: Sequence[int] = (),
    ) -> None:
        """`subreaper`: the first process is a child subreaper (Linux), so that its
        children are every process the block left. `idmaps`: the user namespaces its view's
        idmapped mounts take on (`FilesystemPlan.idmap_owners`), the worker's to keep."""
        self._cgroup = cgroup
        self._spawner = spawner
        output_read, output_write = os.pipe()
        errors_read, errors_write = os.pipe()
        command_read, command_write = os.pipe()
        control_read, control_write = os.pipe()
        theirs = (output_write, errors_write, command_read, control_write)
        try:
            self.pid, self._pidfd = spawner.spawn(spec, (*theirs, *idmaps))
        except SpawnError as error:
            for fd in (output_read, errors_read, command_write, control_read):
                os.close(fd)
            raise ContainerSetupError(str(error)) from None
        finally:
            for fd in theirs:  # the server has sent its copies on
                os.close(fd)
        # Moved in by the worker: its view of the cgroup folder is writable, the block's is
        # not. The block's code starts only at the first "go", after this.
        if self._cgroup is not None:
            self._cgroup.add(self.pid)
        self._output = output_read
        self._errors = errors_read
        self._commands: int | None = command_write
        self._control = control_read
        for fd in (output_read, errors_read, control_read):
            os.set_blocking(fd, False)
        self._poll = select.poll()
        # Without a pidfd, the fork server's replies say when the process ended.
        ended_fd = spawner.fileno() if self._pidfd is None else self._pidfd
        for fd in (output_read, errors_read, control_read, ended_fd):
            self._poll.register(fd, select.POLLIN)
        self._control_buffer = b""
        self._reported: list[StepOutcome] = []  # steps that reported, not yet collected
        self.exit_code: int | None = None  # how the first process ended, once it has
        self.ended = False
        self._subreaper = subreaper
        # Where RLIMIT_NPROC is the cap: whose processes it counts, and its value.
        self._counted_uid = spec.uid if spec.uid is not None else os.getuid()
        self.nproc_limit = spec.process_limit if cgroup is None else None
        self._refused_before = 0
        self._fork_refused = False  # a shell of the current block said so (RLIMIT_NPROC)
        self.cap_reached = False  # by the current block (`start_block`)

    def run_step(self, sinks: Sinks, deadline: float) -> StepOutcome:
        """Let the next step run; collect its output until it reports, ends, or times out.

        A step that reaches the process cap gets `CAPPED_GRACE_S` to end by itself (a
        fork loop that catches the refusal prints its error) and is then killed: a shell
        that is refused a fork retries with growing pauses, and would otherwise hold the
        block until its timeout.
        """
        # If it is already gone, the wait below finds out how it ended.
        with contextlib.suppress(BrokenPipeError):
            if self._commands is not None:
                os.write(self._commands, b"go\n")
        capped_until: float | None = None
        while True:
            if self._reported:
                self._drain(sinks)
                return self._reported.pop(0)
            if self.ended:
                self._drain(sinks)
                return StepOutcome(returncode=self.exit_code, ended=True)
            now = time.monotonic()
            remaining = deadline - now
            if remaining <= 0:
                self.kill()
                self._drain(sinks)
                return StepOutcome(timed_out=True, ended=True)
            if capped_until is None and self.note_cap():
                capped_until = now + CAPPED_GRACE_S
            if capped_until is not None and now >= capped_until:
                self.kill()
                self._drain(sinks)
                return StepOutcome(ended=True)
            # Awake now and then to look at the cap, which no file descriptor reports.
            self._wait(sinks, min(remaining, _CAP_POLL_S))

    def start_block(self) -> None:
        """A new block of the job starts: `cap_reached` is about it alone from now on."""
        self.cap_reached = self._fork_refused = False
        if self._cgroup is not None:
            self._refused_before = self._cgroup.refused_forks()

    def note_cap(self) -> bool:
        """Whether the current block has reached its process cap, so far (`cap_reached`).

        Under a pids cgroup, a fork its pids.max refused: counted by the kernel, exact and
        one file read. Under RLIMIT_NPROC nothing counts refused forks; the limit binds the
        processes of one uid (or of the block's user namespace), so counting them (a walk of
        /proc, done only while the block has processes besides its first) tells how close
        the block is. A shell that backs off after a refused fork (bash sleeps a second
        before it retries) lets some of its processes end meanwhile, so a count taken then
        can sit a little below the limit: `_NEAR_CAP` allows for that.
        """
        if self.cap_reached:
            return True
        if self._fork_refused:
            self.cap_reached = True
        elif self._cgroup is not None:
            self.cap_reached = self._cgroup.refused_forks() > self._refused_before
        elif self.nproc_limit is not None and not self.ended:
            self.cap_reached = self._near_nproc_limit(self.nproc_limit)
        return self.cap_reached

    def _near_nproc_limit(self, limit: ProcessLimit) -> bool:
        """Whether the block, with processes besides its first, is within `_NEAR_CAP` of its
        RLIMIT_NPROC. Looked at every `_CAP_POLL_S` while a step runs, so /proc is walked
        once, and only once the block's first process has children where that tells."""
        if self._subreaper and not children_of(self.pid):
            return False
        counted = self._counted_processes()
        return counted > limit.processes_before + 1 and counted >= limit.value - _NEAR_CAP

    def _counted_processes(self) -> int:
        """The tasks RLIMIT_NPROC counts against this block's limit, as far as /proc tells
        (elsewhere, macOS, it would cost a `ps` run: 0)."""
        if not os.path.isdir("/proc/self"):
            return 0
        assert self.nproc_limit is not None
        if self.nproc_limit.own_namespace:
            return tasks_in_tree(self.pid)  # every process of its namespace is its descendant
        return processes_of(self._counted_uid)

    def _has_leftovers(self) -> bool:
        """Whether the block's first process has company (started by the block, still there)."""
        if self._cgroup is not None:
            return self._cgroup.count() > 1
        if self._subreaper:  # every leftover is its descendant, and its children name them
            return bool(children_of(self.pid))
        if self.nproc_limit is None:
            return False
        return self._counted_processes() > self.nproc_limit.processes_before + 1

    def _watch_leftovers(self, sinks: Sinks, until: float) -> None:
        """Let what the block left behind run a little (`LEFTOVER_GRACE_S`), while it
        keeps running and has not reached the cap."""
        while not self.ended and self._has_leftovers() and not self.note_cap():
            remaining = until - time.monotonic()
            if remaining <= 0:
                return
            self._wait(sinks, min(remaining, _LEFTOVER_POLL_S))

    def _release(self) -> None:
        """Tell the first process, which waits after its last step, to end (EOF)."""
        if self._commands is not None:
            os.close(self._commands)
            self._commands = None

    def finish(self, sinks: Sinks, deadline: float) -> bool:
        """Wait for the container to end after its last step; kill it at the deadline.

        Whatever the block left running gets a short grace first (`_watch_leftovers`).
        Returns False if it had to be killed.
        """
        if not self.ended:
            self._watch_leftovers(sinks, min(deadline, time.monotonic() + LEFTOVER_GRACE_S))
            self._release()
        while not self.ended:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                self.kill()
                self._drain(sinks)
                return False
            self._wait(sinks, remaining)
        self._drain(sinks)
        return True

    def _wait(self, sinks: Sinks, remaining: float) -> None:
        if self._pidfd is None and self._spawner.has_ended(self.pid):
            self._reap()  # reported while another container of the job was waiting
            return
        for fd, _ in self._poll.poll(max(1, int(remaining * 1000))):
            if fd == self._output:
                self._read(fd, sinks.output)
            elif fd == self._errors:
                self._read(fd, sinks.errors)
            elif fd == self._control:
                self._read_control()
            elif fd == self._pidfd:
                self._reap()
            elif self._pidfd is None and fd == self._spawner.fileno():
                self._spawner.read_reply()
                if self._spawner.has_ended(self.pid):
                    self._reap()

    def _read(self, fd: int, sink: Callable[[bytes], None]) -> bool:
        """Read what is there; False once nothing more can come (EOF or nothing ready)."""
        try:
            data = os.read(fd, _READ_SIZE)
        except BlockingIOError:
            return False
        if not data:
            self._forget(fd)
            return False
        if self.nproc_limit is not None and _SHELL_FORK_REFUSED.search(data):
            self._fork_refused = True
        sink(data)
        return True

    def _drain(self, sinks: Sinks) -> None:
        """Take what is already in the pipes, without waiting for anyone still holding them."""
        while self._read(self._output, sinks.output):
            pass
        while self._read(self._errors, sinks.errors):
            pass

    def _read_control(self) -> None:
        try:
            data = os.read(self._control, _READ_SIZE)
        except BlockingIOError:
            return
        if not data:
            self._forget(self._control)
            return
        self._control_buffer += data
        *lines, self._control_buffer = self._control_buffer.split(b"\n")
        for line in lines:
            try:
                record = json.loads(line)
            except ValueError:
                continue  # the block wrote to the control fd itself: not ours
            if isinstance(record, dict) and "failed" in record:
                self.kill()
                raise ContainerSetupError(str(record["failed"]))
            if outcome := _step_report(record):
                self._reported.append(outcome)

    def _reap(self) -> None:
        """The first process ended: its status, once the fork server has reaped it (and
        killed whatever it left behind)."""
        self._ended()
        while self._control in {fd for fd, _ in self._poll.poll(0)}:
            self._read_control()

    def _ended(self) -> None:
        self._forget(self._spawner.fileno() if self._pidfd is None else self._pidfd)
        self.ended = True
        # Once the server says how it ended, the first process is reaped and whatever it
        # left is gone (killed by the kernel with its PID namespace, or by the server):
        # a result never arrives while a process of its block, even a zombie, remains.
        status = self._spawner.wait_status(self.pid)
        if status is not None:
            self.exit_code = os.waitstatus_to_exitcode(status)

    def kill(self) -> None:
        """Kill the block and every process it started, wherever they went."""
        if self.ended:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.pid, signal.SIGKILL)
        if self._pidfd is not None:
            with contextlib.suppress(ProcessLookupError):
                # In case it left its process group; the pidfd cannot name another process.
                signal.pidfd_send_signal(self._pidfd, signal.SIGKILL)
        if self._cgroup is not None:
            self._cgroup.kill_all()
        self._ended()

    def _forget(self, fd: int) -> None:
        with contextlib.suppress(KeyError):
            self._poll.unregister(fd)

    def close(self) -> None:
        self.kill()
        for fd in (self._output, self._errors, self._commands, self._control, self._pidfd):
            if fd is not None:
                with contextlib.suppress(OSError):
                    os.close(fd)


def _step_report(record: object) -> StepOutcome | None:
    """A step's report, {"rc": int, "figures": [svg, ...]}; None for anything else."""
    if not isinstance(record, dict) or not isinstance(record.get("rc"), int):
        return None
    figures = record.get("figures", [])
    if not isinstance(figures, list):
        return None
    return StepOutcome(returncode=record["rc"], figures=[str(svg) for svg in figures])
