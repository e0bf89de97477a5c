"""The run stage: a pool of warm worker processes that run jobs of blocks.

The build submits jobs (one block, or the blocks of one session, in order)
and gets one Future per block. Each pool slot is a thread in the build that
feeds one worker process (`run/worker_slot.py`); the workers fork a container
per job, so blocks never run in the build process and many run at once.

Two lanes: lean workers hold as little as possible, because forking a
process costs in proportion to its memory; the warm lane (started when the
first job needs it) has matplotlib and numpy imported, for the Python blocks
that name them.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import queue
import re
import secrets
import shutil
import tempfile
import threading
import weakref
from collections.abc import Sequence
from concurrent.futures import Future
from pathlib import Path
from types import TracebackType

from fencerun.isolation.limits import PidsCgroup
from fencerun.isolation.policy import IsolationPolicy
from fencerun.isolation.project_view import project_view
from fencerun.isolation.protections import Protections
from fencerun.isolation.scrub import build_private_paths
from fencerun.model import Block, Result
from fencerun.run.protocol import WorkerSettings
from fencerun.run.steps import FAMILIES, check_runnable
from fencerun.run.worker_slot import Job, WorkerSlot
from fencerun.settings import DEFAULT_MAX_OUTPUT, DEFAULT_TIMEOUT, Settings

# Imported by the warm lane's workers before their first block.
DEFAULT_WARM_MODULES = ("numpy", "matplotlib.pyplot")


class _Lane:
    """A queue of jobs and the worker slots that take them, started on first use."""

    def __init__(self, settings: WorkerSettings, size: int, hello: Future[Protections]) -> None:
        self.jobs: queue.SimpleQueue[Job | None] = queue.SimpleQueue()
        self.slots: list[WorkerSlot] = []
        self._settings = settings
        self._size = size
        self._hello = hello
        self._lock = threading.Lock()

    def start(self) -> None:
        with self._lock:
            if not self.slots:
                self.slots = [
                    WorkerSlot(self._settings, self.jobs, self._hello, f"fencerun-worker-{n}")
                    for n in range(self._size)
                ]

    def put(self, job: Job) -> None:
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
            lane.put(Job(tuple(job), futures))
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
