"""One slot of the executor's pool: a thread of the build that feeds one warm worker process.

The thread starts the worker (`python -I`, then `run/worker.py`), hands it jobs over its
stdin and collects one reply per block from its stdout (`run/protocol.py`), a few jobs
ahead so that the worker never waits for it. A worker that dies fails the job it ran;
the jobs queued behind that one go to a new worker.
"""

from __future__ import annotations

import collections
import contextlib
import os
import queue
import select
import subprocess
import sys
import threading
from concurrent.futures import Future, InvalidStateError
from dataclasses import dataclass
from pathlib import Path
from typing import IO, cast

import fencerun
from fencerun.isolation.environment import hide_build_environment, worker_environment
from fencerun.isolation.protections import Protections
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

_STOP_GRACE_S = 5.0
_START_TIMEOUT_S = 120.0  # a warm worker imports matplotlib, which can build its font cache
_BOOT = (
    "import sys; sys.path.append({package_parent!r}); from fencerun.run.worker import main; main()"
)


class WorkerFailure(RuntimeError):
    """A worker could not run a job: a fault of the engine or the machine, not of a block."""


@dataclass(frozen=True)
class Job:
    blocks: tuple[Block, ...]
    futures: tuple[Future[Result], ...]


@dataclass
class _Sent:
    """A job in a worker's hands: its request, which futures still wait, how many replied."""

    job: Job
    request: bytes
    live: list[bool]
    replied: int = 0


# Jobs a worker holds at once: the one it runs and the next ones, already in its pipe, so
# that it never waits for the build thread that feeds it (which needs the GIL, held for
# up to a switch interval by the thread rendering pages). Requests queue up in the pipe
# only while they fit in it together, so writing one never blocks.
_BACKLOG = 3
_QUEUED_BYTES = 48 * 1024


class WorkerSlot:
    """One thread of the build feeding one worker process, restarting it if it dies."""

    def __init__(
        self,
        settings: WorkerSettings,
        jobs: queue.SimpleQueue[Job | None],
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

    def _send(self, job: Job) -> None:
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
