"""Run one job (a block, or the blocks of one session) inside a worker.

Blocks run in job order. Each language family gets one container for the
whole job, so a session keeps its state; a block that times out ends the
session, and the blocks after it are reported as not run, with the reason.
"""

from __future__ import annotations

import itertools
import math
import os
import shutil
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from fencerun.isolation.environment import block_environment
from fencerun.isolation.limits import PidsCgroup
from fencerun.isolation.probe import Protections
from fencerun.isolation.sandbox import (
    PRIVATE_HOME,
    PRIVATE_TMP,
    PRIVATE_WORK,
    PidNamespaceFactory,
)
from fencerun.isolation.scrub import PathScrubber
from fencerun.model import Block, Figure, Result
from fencerun.run.capture import OutputBuffer
from fencerun.run.container import Container, ContainerSpec
from fencerun.run.protocol import WorkerSettings
from fencerun.run.provenance import now_iso, provenance
from fencerun.run.python_runtime import PythonStep
from fencerun.run.shell_runtime import ShellStep
from fencerun.run.steps import Family, Step, family_of, steps_for

NOT_RUN_RETURNCODE = -1
KILLED_RETURNCODE = -9


@dataclass
class WorkerContext:
    """What a worker knows for every job: settings, protections, machine facts."""

    settings: WorkerSettings
    protections: Protections
    scrubber: PathScrubber
    shells: dict[str, str]  # family -> path of the shell
    worker_mount_namespace: str
    last_capability: int
    visible_under_tmp: tuple[str, ...]
    process_limit: int | None  # RLIMIT_NPROC where there is no pids cgroup
    pid_namespaces: PidNamespaceFactory | None
    network_fd: int | None  # offline network namespace the blocks of this worker join
    _sequence: Iterator[int] = field(default_factory=itertools.count)

    def next_name(self) -> str:
        return f"w{os.getpid()}-{next(self._sequence)}"


def block_workdir(block: Block, project_dir: str) -> str | None:
    """The declared workdir, resolved against the project folder; None if not declared."""
    if not block.options.workdir:
        return None
    return str((Path(project_dir) / block.options.workdir).resolve())


def block_timeout(block: Block, default: float) -> float:
    return block.options.timeout if block.options.timeout is not None else default


class _FamilyRun:
    """The container of one family in this job, and which steps belong to which block."""

    def __init__(
        self, family: Family, blocks: Sequence[tuple[int, Block]], ctx: WorkerContext
    ) -> None:
        settings = ctx.settings
        self.family = family
        self.last_position = blocks[-1][0]
        self._steps: dict[int, list[Step]] = {}
        first_workdir = block_workdir(blocks[0][1], settings.project_dir)
        self._folder: str | None = None
        if ctx.protections.namespaces.mount:
            home, tmp, work = PRIVATE_HOME, PRIVATE_TMP, PRIVATE_WORK
        else:
            self._folder = tempfile.mkdtemp(prefix="block-", dir=settings.temp_root)
            home, tmp, work = (os.path.join(self._folder, name) for name in ("home", "tmp", "work"))
            for folder in (home, tmp, work):
                os.mkdir(folder, 0o700)
        self.scrub = ctx.scrubber.with_paths(
            ((work, "<workdir>"), (home, "<home>"), (tmp, "<tmp>"))
        )
        python_steps: list[PythonStep] = []
        shell_steps: list[ShellStep] = []
        writable: list[str] = []
        for order, (position, block) in enumerate(blocks):
            steps = steps_for(block)
            self._steps[position] = steps
            workdir = block_workdir(block, settings.project_dir)
            if workdir is not None:
                writable.append(workdir)
            change_to = workdir if order > 0 else None
            columns = block.options.width
            for number, step in enumerate(steps):
                here = change_to if number == 0 else None
                if family == "python":
                    filename = f"<code block {block.index + 1}>"
                    salt = f"{block.location.path}:{block.index}"
                    python_steps.append(PythonStep(step.code, filename, here, columns, salt))
                else:
                    shell_steps.append(ShellStep(step.code, here, columns))
        policy = settings.policy
        cpu_seconds = (
            policy.cpu_seconds
            or math.ceil(sum(block_timeout(b, settings.default_timeout) for _, b in blocks)) + 1
        )
        self._cgroup: PidsCgroup | None = None
        if settings.cgroup_root is not None:
            self._cgroup = PidsCgroup(Path(settings.cgroup_root)).child(
                ctx.next_name(), policy.max_processes
            )
        spec = ContainerSpec(
            python_steps=tuple(python_steps),
            shell_steps=tuple(shell_steps),
            shell=ctx.shells.get(family, ""),
            shell_name=family,
            workdir=first_workdir or work,
            env=block_environment(policy, settings.build_env, home=home, tmp=tmp),
            namespaces=ctx.protections.namespaces,
            network_fd=ctx.network_fd,
            writable=tuple(writable),
            visible_under_tmp=ctx.visible_under_tmp,
            policy=policy,
            cpu_seconds=cpu_seconds,
            process_limit=None if self._cgroup else ctx.process_limit,
            cgroup=str(self._cgroup.path) if self._cgroup else None,
            worker_pid=os.getpid(),
            worker_mount_namespace=ctx.worker_mount_namespace,
            last_capability=ctx.last_capability,
        )
        self.container = Container(spec, ctx.pid_namespaces)

    def steps_of(self, position: int) -> list[Step]:
        return self._steps[position]

    def close(self) -> None:
        self.container.close()
        if self._cgroup is not None:
            self._cgroup.remove()
        if self._folder is not None:
            shutil.rmtree(self._folder, ignore_errors=True)


def _not_run(reason: str) -> Result:
    return Result(output=reason + "\n", returncode=NOT_RUN_RETURNCODE)


def run_job(blocks: Sequence[Block], ctx: WorkerContext) -> Iterator[Result]:
    """Results of the job's blocks, one by one, in order."""
    settings = ctx.settings
    by_family: dict[Family, list[tuple[int, Block]]] = {}
    for position, block in enumerate(blocks):
        by_family.setdefault(family_of(block), []).append((position, block))
    runs: dict[Family, _FamilyRun] = {}
    stopped: dict[Family, str] = {}
    session_stop = ""
    try:
        for position, block in enumerate(blocks):
            family = family_of(block)
            if session_stop or family in stopped:
                yield _not_run(session_stop or stopped[family])
                continue
            started_at, started = now_iso(), time.monotonic()
            timeout = block_timeout(block, settings.default_timeout)
            deadline = started + timeout
            if family not in runs:
                runs[family] = _FamilyRun(family, by_family[family], ctx)
            run = runs[family]
            buffer = OutputBuffer(settings.max_output_bytes)
            returncode: int | None = 0
            timed_out = ended = False
            figures: list[str] = []
            for step in run.steps_of(position):
                buffer.add(step.echo.encode())
                outcome = run.container.run_step(buffer.add, deadline)
                figures += outcome.figures
                timed_out, ended = outcome.timed_out, outcome.ended
                # A console block fails with its first failing command.
                if returncode == 0 or timed_out:
                    returncode = outcome.returncode
                if ended:
                    break
            if position == run.last_position and not ended:
                timed_out = not run.container.finish(buffer.add, deadline)
            if timed_out:
                returncode = KILLED_RETURNCODE
                where = f"block {block.location} of this session"
                session_stop = f"Not run: {where} timed out after {timeout:g} s."
            elif ended and position != run.last_position:
                stopped[family] = (
                    f"Not run: the session's {family} process ended in block {block.location}."
                )
            yield Result(
                output=buffer.text(run.scrub),
                returncode=KILLED_RETURNCODE if returncode is None else returncode,
                timed_out=timed_out,
                truncated=buffer.truncated,
                figures=tuple(Figure(svg) for svg in figures),
                provenance=provenance(family, started_at, time.monotonic() - started),
            )
    finally:
        for run in runs.values():
            run.close()
