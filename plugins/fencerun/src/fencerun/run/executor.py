"""The run stage: a pool of warm worker processes that run jobs of blocks.

The build submits jobs (one block, or the blocks of one session, in order)
and gets one Future per block. Each pool slot is a thread in the build that
feeds one worker process; the workers fork a container per job, so blocks
never run in the build process and many run at once.

Two lanes: lean workers hold as little as possible, because forking a
process costs in proportion to its memory; the warm lane (started when the
first job needs it) has matplotlib and numpy imported, for the Python blocks
that name them.
"""

from __future__ import annotations

import collections
import contextlib
import dataclasses
import os
import queue
import re
import secrets
import select
import shutil
import subprocess
import sys
import tempfile
import threading
import weakref
from collections.abc import Sequence
from concurrent.futures import Future, InvalidStateError
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import IO, cast

import fencerun
from fencerun.isolation.environment import hide_build_environment, worker_environment
from fencerun.isolation.limits import PidsCgroup
from fencerun.isolation.policy import IsolationPolicy
from fencerun.isolation.project_view import project_view
from fencerun.isolation.protections import Protections
from fencerun.isolation.scrub import build_private_paths
from fencerun.model import Block, Result
from fencerun.run.protocol import (
    BlockReply,
    Hello,
    JobFailure,
    JobRequest,
    WorkerSettings,
    encode,
    receive,
    send,
)
from fencerun.run.steps import FAMILIES, check_runnable
from fencerun.settings import DEFAULT_MAX_OUTPUT, DEFAULT_TIMEOUT, Settings

# Imported by the warm lane's workers before their first block.
DEFAULT_WARM_MODULES = ("numpy", "matplotlib.pyplot")

_STOP_GRACE_S = 5.0
_START_TIMEOUT_S = 120.0  # a warm worker imports matplotlib, which can build its font cache
_BOOT = (
    "import sys; sys.path.append({package_parent!r}); from fencerun.run.worker import main; main()"
)


class WorkerFailure(RuntimeError):
    """A worker could not run a job: a fault of the engine or the machine, not of a block."""


@dataclass(frozen=True)
class _Job:
    blocks: tuple[Block, ...]
    futures: tuple[Future[Result], ...]


@dataclass
class _Sent:
    """A job in a worker's hands: its request, which futures still wait, how many replied."""

    job: _Job
    request: bytes
    live: list[bool]
    replied: int = 0


# Jobs a worker holds at once: the one it runs and the next ones, already in its pipe, so
# that it never waits for the build thread that feeds it (which needs the GIL, held for
# up to a switch interval by the thread rendering pages). Requests queue up in the pipe
# only while they fit in it together, so writing one never blocks.
_BACKLOG = 3
_QUEUED_BYTES = 48 * 1024


class _WorkerSlot:
    """One thread of the build feeding one worker process, restarting it if it dies."""

    def __init__(
        self,
        settings: WorkerSettings,
        jobs: queue.SimpleQueue[_Job | None],
        hello: Future[Protections],
        name: str,
    ) -> None:
        self._settings = settings
        self._jobs = jobs
        self._hello = hello
        self._process: subprocess.Popen[bytes] | None = None
        self._stopping = False
        self._lock = threading.Lock()
        self._sent: collections.deque[_Sent] = collections.deque()
        self._thread = threading.Thread(target=self._serve, name=name, daemon=True)
        self._thread.start()

    def _start_process(self) -> subprocess.Popen[bytes]:
        package_parent = str(Path(fencerun.__file__).resolve().parent.parent)
        process = subprocess.Popen(
            [sys.executable, "-I", "-c", _BOOT.format(package_parent=package_parent)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=worker_environment(os.environ),
            cwd=self._settings.project_dir,
            # Ctrl-C reaches the build, which then stops the pool in order.
            start_new_session=True,
        )
        with self._lock:
            self._process = process
        send(self._stdin(process), self._settings)
        ready, _, _ = select.select([self._stdout(process)], [], [], _START_TIMEOUT_S)
        hello = receive(self._stdout(process)) if ready else None
        if not isinstance(hello, Hello):
            self._discard_process()
            if not ready:
                raise WorkerFailure(
                    f"a fencerun worker did not start within {_START_TIMEOUT_S:g} s; "
                    "its error, if any, is above"
                )
            raise WorkerFailure(
                "a fencerun worker ended as it started; its reason is above "
                "(`fencerun worker: ...`)"
            )
        hide_build_environment(hello.protections)
        with contextlib.suppress(InvalidStateError):
            self._hello.set_result(hello.protections)
        return process

    @staticmethod
    def _stdin(process: subprocess.Popen[bytes]) -> IO[bytes]:
        return cast(IO[bytes], process.stdin)

    @staticmethod
    def _stdout(process: subprocess.Popen[bytes]) -> IO[bytes]:
        return cast(IO[bytes], process.stdout)

    def _serve(self) -> None:
        try:
            self._start_process()
        except Exception as error:
            with contextlib.suppress(InvalidStateError):
                self._hello.set_exception(error)
            with self._lock:
                self._process = None
        try:
            self._serve_jobs()
        finally:
            # A pool closed while this worker was still starting stopped nothing: the
            # process came after `stop` looked. It must not outlive its slot.
            self._discard_process()

    def _serve_jobs(self) -> None:
        closing = False
        while not closing or self._sent:
            while not closing and self._has_room():
                # Wait for work only when the worker has none.
                try:
                    job = self._jobs.get() if not self._sent else self._jobs.get_nowait()
                except queue.Empty:
                    break
                if job is None:
                    closing = True
                else:
                    self._send(job)
            if self._sent:
                self._collect_one_reply()

    def _has_room(self) -> bool:
        if not self._sent:
            return True
        # The first job was read by the worker; the others wait in its pipe.
        waiting = sum(len(sent.request) for sent in list(self._sent)[1:])
        return len(self._sent) < _BACKLOG and waiting < _QUEUED_BYTES

    def _send(self, job: _Job) -> None:
        if self._stopping:
            for future in job.futures:
                future.cancel()
            return
        # The futures stay pending until their results come: a job still waiting in the
        # worker's pipe can be cancelled.
        live = [not future.cancelled() for future in job.futures]
        if not any(live):
            return
        sent = _Sent(job, encode(JobRequest(job.blocks)), live)
        if self._sent and len(sent.request) >= _QUEUED_BYTES:
            # Too big to wait in the pipe: hand it over once the worker is free.
            while self._sent:
                self._collect_one_reply()
        try:
            self._hand_over(sent)
        except (OSError, WorkerFailure) as error:
            if sent not in self._sent:  # no worker took it: it fails here, never waits
                self._discard_process()
                _fail(sent, error)
            else:
                self._fail_sent(error)

    def _hand_over(self, sent: _Sent) -> None:
        """Into the worker's pipe, starting a worker if there is none; raises if it cannot."""
        process = self._process or self._start_process()
        self._sent.append(sent)
        send(self._stdin(process), sent.request)

    def _collect_one_reply(self) -> None:
        process = self._process
        try:
            if process is None:
                raise WorkerFailure("the fencerun worker running it exited unexpectedly")
            reply = receive(self._stdout(process))
            first = self._sent[0]
            if isinstance(reply, BlockReply):
                if first.live[reply.index]:
                    with contextlib.suppress(InvalidStateError):  # cancelled meanwhile
                        first.job.futures[reply.index].set_result(reply.result)
                first.replied += 1
            elif isinstance(reply, JobFailure):
                self._sent.popleft()
                _fail(first, WorkerFailure(reply.message))
                return
            else:
                raise WorkerFailure("the fencerun worker running it exited unexpectedly")
        except (OSError, WorkerFailure) as error:
            self._fail_sent(error)
            return
        if first.replied == len(first.job.blocks):
            self._sent.popleft()

    def _fail_sent(self, error: Exception) -> None:
        """The worker died: its current job fails; the jobs waiting behind it go to a new one."""
        self._discard_process()
        if not self._sent:
            return
        _fail(self._sent.popleft(), error)
        waiting, self._sent = list(self._sent), collections.deque()
        if self._stopping:
            for sent in waiting:
                for future in sent.job.futures:
                    future.cancel()
            return
        for sent in waiting:
            try:
                self._hand_over(sent)
            except (OSError, WorkerFailure) as again:
                self._discard_process()
                if self._sent and self._sent[-1] is sent:
                    self._sent.pop()
                _fail(sent, again)

    def _discard_process(self) -> None:
        with self._lock:
            process, self._process = self._process, None
        if process is not None:
            _stop_process(process)

    def stop(self) -> None:
        """Stop the worker now: it kills what it runs, then exits."""
        with self._lock:
            self._stopping = True
            process = self._process
        if process is not None:
            _stop_process(process)
        self._thread.join(_STOP_GRACE_S)


def _fail(sent: _Sent, error: Exception) -> None:
    failure = WorkerFailure(f"fencerun could not run {sent.job.blocks[0].location}: {error}")
    for future, alive in zip(sent.job.futures, sent.live, strict=True):
        if alive:
            with contextlib.suppress(InvalidStateError):
                future.set_exception(failure)


def _stop_process(process: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(OSError):
        process.terminate()
    try:
        process.wait(_STOP_GRACE_S)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
    for stream in (process.stdin, process.stdout):
        with contextlib.suppress(OSError):
            if stream is not None:
                stream.close()


class _Lane:
    """A queue of jobs and the worker slots that take them, started on first use."""

    def __init__(self, settings: WorkerSettings, size: int, hello: Future[Protections]) -> None:
        self.jobs: queue.SimpleQueue[_Job | None] = queue.SimpleQueue()
        self.slots: list[_WorkerSlot] = []
        self._settings = settings
        self._size = size
        self._hello = hello
        self._lock = threading.Lock()

    def start(self) -> None:
        with self._lock:
            if not self.slots:
                self.slots = [
                    _WorkerSlot(self._settings, self.jobs, self._hello, f"fencerun-worker-{n}")
                    for n in range(self._size)
                ]

    def put(self, job: _Job) -> None:
        self.start()
        self.jobs.put(job)

    def close(self) -> None:
        with contextlib.suppress(queue.Empty):
            while (job := self.jobs.get_nowait()) is not None:
                for future in job.futures:
                    future.cancel()
        with self._lock:
            slots, self.slots = self.slots, []
        for _ in slots:
            self.jobs.put(None)
        for slot in slots:
            slot.stop()


class _Pool:
    """The pool's state, apart from the Executor so that a finalizer can stop it."""

    def __init__(self, policy: IsolationPolicy) -> None:
        self.lanes: list[_Lane] = []
        name = f"fencerun-{os.getpid()}-{secrets.token_hex(4)}"
        self.cgroup = PidsCgroup.create_root(name) if policy.uses_linux else None
        # Blocks' folders when there is no mount namespace; gone with the pool.
        self.temp_root = tempfile.mkdtemp(prefix="fencerun-")
        self.closed = False

    def close(self) -> None:
        if self.closed:
            return
        self.closed = True
        for lane in self.lanes:
            lane.close()
        if self.cgroup is not None:
            self.cgroup.remove()
        shutil.rmtree(self.temp_root, ignore_errors=True)


def _usable_cores() -> int:
    """The cores this process may run on (Linux narrows them per process; others do not)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


class Executor:
    """Runs blocks in isolated child processes, many at once, and returns their Results."""

    def __init__(
        self,
        *,
        project_dir: Path,
        workers: int | None = None,
        default_timeout: float = DEFAULT_TIMEOUT,
        max_output_bytes: int = DEFAULT_MAX_OUTPUT,
        policy: IsolationPolicy | None = None,
        warm_modules: Sequence[str] = DEFAULT_WARM_MODULES,
        build_dirs: Sequence[Path] = (),
    ) -> None:
        """`build_dirs`: the folders the build writes (result store, site), which blocks
        neither see nor write."""
        self._project_dir = Path(project_dir).resolve()
        self._view = project_view(self._project_dir, build_dirs)
        self._policy = policy or IsolationPolicy()
        self._pool = _Pool(self._policy)
        self._finalizer = weakref.finalize(self, self._pool.close)
        settings = WorkerSettings(
            project_dir=str(self._project_dir),
            view=self._view,
            default_timeout=default_timeout,
            max_output_bytes=max_output_bytes,
            policy=self._policy,
            build_env=dict(os.environ),
            private_paths=tuple(build_private_paths(self._project_dir)),
            temp_root=self._pool.temp_root,
            cgroup_root=str(self._pool.cgroup.path) if self._pool.cgroup else None,
            preload=(),
        )
        self._protections: Future[Protections] = Future()
        size = workers or _usable_cores()
        self._lean = _Lane(settings, size, self._protections)
        warm = dataclasses.replace(settings, preload=tuple(warm_modules))
        self._warm = _Lane(warm, size, self._protections)
        self._pool.lanes += [self._lean, self._warm]
        names = sorted({name.split(".")[0] for name in warm_modules})
        self._needs_warm = re.compile(r"\b(?:" + "|".join(names) + r")\b") if names else None
        # The lean workers boot while the build goes on.
        self._lean.start()

    @classmethod
    def for_settings(cls, settings: Settings) -> Executor:
        """The executor a build (or `fencerun freeze --refresh`) with these settings uses."""
        return cls(
            project_dir=settings.project_dir,
            workers=settings.workers,
            default_timeout=settings.timeout,
            max_output_bytes=settings.max_output_bytes,
            policy=settings.isolation_policy(),
            build_dirs=settings.written_dirs,
        )

    def submit(self, job: Sequence[Block]) -> list[Future[Result]]:
        """Queue one job; its blocks run in order, in one session. Never waits for them.
        Raises BlockError for a block no process can run (an unknown language, a missing
        workdir, or one it may not use)."""
        if self._pool.closed:
            raise RuntimeError("this Executor is closed")
        for block in job:
            check_runnable(block, self._view)
        futures: tuple[Future[Result], ...] = tuple(Future() for _ in job)
        if futures:
            lane = self._warm if any(self._wants_warm(block) for block in job) else self._lean
            lane.put(_Job(tuple(job), futures))
        return list(futures)

    def _wants_warm(self, block: Block) -> bool:
        return (
            FAMILIES[block.language] == "python"
            and self._needs_warm is not None
            and self._needs_warm.search(block.code) is not None
        )

    def protections_summary(self) -> str:
        """One line for the build log: which protections every block gets here."""
        return self._protections.result().summary(self._policy)

    def close(self) -> None:
        """Stop every worker and kill every process they started. Safe to call twice."""
        self._finalizer()

    def __enter__(self) -> Executor:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()
