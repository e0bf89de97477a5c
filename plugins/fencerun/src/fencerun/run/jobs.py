"""Run one job (a block, or the blocks of one session) inside a worker.

Blocks run in job order. Each language family gets one container for the
whole job, so a session keeps its state; a block that times out ends the
session, and the blocks after it are reported as not run, with the reason.
"""

from __future__ import annotations

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
from fencerun.isolation.namespaces import idmap_namespace
from fencerun.isolation.processes import processes_of
from fencerun.isolation.protections import Protections
from fencerun.isolation.scrub import HOME, TMP, WORKDIR, PathScrubber
from fencerun.isolation.view_plan import (
    PRIVATE_HOME,
    PRIVATE_TMP,
    PRIVATE_WORK,
    FilesystemPlan,
    MachineLayer,
    plan_filesystem,
)
from fencerun.model import Block, Figure, Result
from fencerun.run.capture import OutputBuffer
from fencerun.run.container import Container, Sinks
from fencerun.run.container_spec import ContainerSpec, ProcessLimit, SandboxPlan
from fencerun.run.protocol import WorkerSettings
from fencerun.run.provenance import now_iso, provenance
from fencerun.run.python_runtime import PythonStep
from fencerun.run.shell_runtime import ShellStep
from fencerun.run.spawner import Spawner
from fencerun.run.steps import (
    Family,
    Step,
    block_workdir,
    family_of,
    stderr_shown,
    steps_for,
)

NOT_RUN_RETURNCODE = -1
KILLED_RETURNCODE = -9


@dataclass
class WorkerContext:
    """What a worker knows for every job: settings, protections, machine facts."""

    settings: WorkerSettings
    protections: Protections
    scrubber: PathScrubber
    shells: dict[str, str]  # family -> path of the shell
    plan: SandboxPlan  # what the fork server knows of every container
    needed: tuple[str, ...]  # paths every container must see (project, interpreter)
    machine_layer: MachineLayer | None  # None: mounted by the fork server, or no mount namespace
    # family -> the uid its blocks run as, for a root build (`block_identity`)
    block_uids: dict[Family, int]
    spawner: Spawner  # the fork server containers are forked from
    _cgroups: dict[Family, PidsCgroup] = field(default_factory=dict)
    _sent_env: dict[str, str] | None = None  # the environment the fork server has
    # (owner uid, owner gid, block uid) -> a user namespace for idmapped mounts, made once
    _idmaps: dict[tuple[int, int, int], int] = field(default_factory=dict)

    def env_to_send(self, env: dict[str, str]) -> dict[str, str] | None:
        """`env`, or None when the fork server has it already (from the last container)."""
        if env == self._sent_env:
            return None
        self._sent_env = env
        return env

    def block_identity(self, family: Family, writes_folders: bool) -> tuple[int | None, bool]:
        """(uid, whether in full) a root build's container of `family` runs as (None off a
        root build).

        In full where the probe found that blocks can become a uid of their own, and, for
        one that writes folders of the project, see them as its own (idmapped mounts). Else
        as a root build's blocks always have: root with no capabilities, whose real uid is
        its own where RLIMIT_NPROC must bind it (no pids cgroup); off Linux, with nothing to
        drop, in full.
        """
        uid = self.block_uids.get(family)
        if uid is None:
            return None, False
        if self.protections.own_uid and (not writes_folders or self.protections.idmapped_folders):
            return uid, True
        if self.settings.cgroup_root is not None:
            return None, False
        return uid, not self.plan.linux

    def idmaps(self, plan: FilesystemPlan | None) -> tuple[int, ...]:
        """The user namespaces of the plan's idmapped mounts, each made the first time."""
        if plan is None or plan.block_uid is None:
            return ()
        for owner in plan.idmap_owners:
            if (*owner, plan.block_uid) not in self._idmaps:
                self._idmaps[(*owner, plan.block_uid)] = idmap_namespace(owner, plan.block_uid)
        return tuple(self._idmaps[(*owner, plan.block_uid)] for owner in plan.idmap_owners)

    def process_limit(self, family: Family) -> ProcessLimit | None:
        """RLIMIT_NPROC for a container of `family`, where no pids cgroup caps it."""
        if self.settings.cgroup_root is not None:
            return None
        allowed = self.settings.policy.max_processes
        uid = self.block_uids.get(family)
        if uid is None and self.protections.nproc_counts_each_block:
            # Counted in the block's own user namespace: its processes alone.
            return ProcessLimit(allowed, processes_before=0, own_namespace=True)
        # The limit counts every process of the uid, so it sits above what runs now: counted
        # here, as the container starts, for other work of the user comes and goes.
        before = processes_of(os.getuid() if uid is None else uid)
        return ProcessLimit(before + allowed, processes_before=before)

    def block_cgroup(self, family: Family) -> PidsCgroup | None:
        """The pids cgroup this worker's containers of one family join, one at a time.

        Made once and kept: a container leaves nothing in it (the PID namespace or the
        fork server kills what is left), and making one per block costs a mkdir, a
        write and an rmdir each time.
        """
        if self.settings.cgroup_root is None:
            return None
        if family not in self._cgroups:
            self._cgroups[family] = PidsCgroup(Path(self.settings.cgroup_root)).child(
                f"w{os.getpid()}-{family}", self.settings.policy.max_processes
            )
        return self._cgroups[family]


def block_timeout(block: Block, default: float) -> float:
    return block.options.timeout if block.options.timeout is not None else default


def _fresh_folders(
    ctx: WorkerContext, owner: int | None, shown_in_work: Sequence[str]
) -> tuple[str | None, tuple[str, str, str]]:
    """(host folder to remove afterwards, (home, tmp, work)) for one container.

    With a mount namespace they live in the container's private /tmp and
    vanish with it (the container shows the project's entries in its work folder);
    without one, in a folder of the executor's temp folder, given to `owner` when the
    block runs as that uid, its work folder holding links to the project's entries.
    """
    if ctx.protections.namespaces.mount:
        return None, (PRIVATE_HOME, PRIVATE_TMP, PRIVATE_WORK)
    folder = tempfile.mkdtemp(prefix="block-", dir=ctx.settings.temp_root)
    home, tmp, work = (os.path.join(folder, name) for name in ("home", "tmp", "work"))
    for path in (home, tmp, work):
        os.mkdir(path, 0o700)
    for entry in shown_in_work:
        os.symlink(entry, os.path.join(work, os.path.basename(entry)))
    if owner is not None:
        for path in (folder, home, tmp, work):
            os.chown(path, owner, owner)
    return folder, (home, tmp, work)


def _python_step(block: Block, step: Step, workdir: str | None) -> PythonStep:
    return PythonStep(
        code=step.code,
        filename=f"<code block {block.index + 1}>",
        workdir=workdir,
        columns=block.options.width,
        figure_salt=f"{block.location.path}:{block.index}",
        stderr_shown=stderr_shown(block),
    )


class _FamilyRun:
    """The container of one family in this job, and which steps belong to which block."""

    def __init__(
        self, family: Family, blocks: Sequence[tuple[int, Block]], ctx: WorkerContext
    ) -> None:
        settings, policy = ctx.settings, ctx.settings.policy
        self.last_position = blocks[-1][0]
        self._steps = {position: steps_for(block) for position, block in blocks}
        self._cgroup = ctx.block_cgroup(family)
        process_limit = ctx.process_limit(family)
        workdirs = [block_workdir(block, settings.view) for _, block in blocks]
        writable = tuple(path for path in workdirs if path is not None)
        uid, in_full = ctx.block_identity(family, writes_folders=bool(writable))
        # A container that starts in its own work folder finds the project's files there.
        shown_in_work = settings.view.shown_entries() if workdirs[0] is None else ()
        # Without a mount namespace, a block that is its uid in full needs its folders its own.
        self._folder, (home, tmp, work) = _fresh_folders(
            ctx, uid if in_full else None, shown_in_work
        )
        # With a mount namespace these are the container's own paths under its private
        # /tmp, the same on every machine: only host folders are private.
        own = ((work, WORKDIR), (home, HOME), (tmp, TMP)) if self._folder else ()
        self.scrub = ctx.scrubber.with_paths(own)
        python_steps: list[PythonStep] = []
        shell_steps: list[ShellStep] = []
        for order, (position, block) in enumerate(blocks):
            # The container starts in the first block's folder; a later block
            # that declares its own moves there first.
            move_to = workdirs[order] if order > 0 else None
            for number, step in enumerate(self._steps[position]):
                here = move_to if number == 0 else None
                if family == "python":
                    python_steps.append(_python_step(block, step, here))
                else:
                    shell_steps.append(
                        ShellStep(step.code, here, block.options.width, stderr_shown(block))
                    )
        timeouts = sum(block_timeout(block, settings.default_timeout) for _, block in blocks)
        filesystem = (
            plan_filesystem(
                writable=writable,
                needed=ctx.needed,
                machine=ctx.machine_layer,
                read_only=policy.read_only_filesystem,
                tmp_bytes=policy.tmp_bytes,
                mount_proc=ctx.plan.namespaces.own_proc,
                block_uid=uid if in_full else None,
                shown_in_work=shown_in_work,
            )
            if ctx.plan.namespaces.mount
            else None
        )
        spec = ContainerSpec(
            python_steps=tuple(python_steps),
            shell_steps=tuple(shell_steps),
            shell=ctx.shells.get(family, ""),
            shell_name=family,
            workdir=workdirs[0] or work,
            env=ctx.env_to_send(
                block_environment(
                    policy,
                    settings.build_env,
                    home=home,
                    tmp=tmp,
                    config_dir=settings.project_dir,
                )
            ),
            filesystem=filesystem,
            cpu_seconds=policy.cpu_seconds or math.ceil(timeouts) + 1,
            process_limit=process_limit,
            uid=uid,
            uid_in_full=in_full,
        )
        self.container = Container(
            spec,
            ctx.spawner,
            self._cgroup,
            subreaper=ctx.plan.subreaper,
            idmaps=ctx.idmaps(filesystem),
        )

    def steps_of(self, position: int) -> list[Step]:
        return self._steps[position]

    def close(self) -> None:
        self.container.close()
        if self._folder is not None:
            shutil.rmtree(self._folder, ignore_errors=True)


def _run_block(
    run: _FamilyRun,
    position: int,
    block: Block,
    settings: WorkerSettings,
    started: tuple[str, float],
) -> tuple[Result, bool]:
    """Run one block's steps in its family's container: its Result, and whether the
    container's process ended (by itself, or killed at the timeout).

    `started` (ISO time, monotonic time) is when the block's turn came, before
    its container was made if it is the first of its family: the timeout covers
    the sandbox too.
    """
    started_at, start = started
    deadline = start + block_timeout(block, settings.default_timeout)
    buffer = OutputBuffer(settings.max_output_bytes)
    errors = OutputBuffer(settings.max_output_bytes)
    sinks = Sinks(buffer.add, errors.add)
    returncode: int | None = 0
    timed_out = ended = False
    figures: list[str] = []
    run.container.start_block()
    for step in run.steps_of(position):
        if step.echo:
            # A command whose output ends mid-line must not share it with the next prompt.
            buffer.start_line()
            buffer.add_verbatim(step.echo.encode())
        outcome = run.container.run_step(sinks, deadline)
        figures += outcome.figures
        timed_out, ended = outcome.timed_out, outcome.ended
        # A console block fails with its first failing command.
        if returncode == 0:
            returncode = outcome.returncode
        if ended:
            break
    if position == run.last_position and not ended:
        timed_out = ended = not run.container.finish(sinks, deadline)
    reached_cap = run.container.note_cap()
    result = Result(
        output=buffer.text(run.scrub),
        stderr=errors.text(run.scrub),
        returncode=KILLED_RETURNCODE if timed_out or returncode is None else returncode,
        timed_out=timed_out,
        truncated=buffer.truncated or errors.truncated,
        process_cap=settings.policy.max_processes if reached_cap else None,
        figures=tuple(Figure(svg) for svg in figures),
        provenance=provenance(family_of(block), started_at, time.monotonic() - start),
    )
    return result, ended


def run_job(blocks: Sequence[Block], ctx: WorkerContext) -> Iterator[Result]:
    """Results of the job's blocks, one by one, in order."""
    by_family: dict[Family, list[tuple[int, Block]]] = {}
    for position, block in enumerate(blocks):
        by_family.setdefault(family_of(block), []).append((position, block))
    runs: dict[Family, _FamilyRun] = {}
    stopped = ""  # why the rest of the session cannot run
    try:
        for position, block in enumerate(blocks):
            if stopped:
                yield Result(output=stopped + "\n", returncode=NOT_RUN_RETURNCODE)
                continue
            family = family_of(block)
            started = (now_iso(), time.monotonic())
            if family not in runs:
                runs[family] = _FamilyRun(family, by_family[family], ctx)
            result, ended = _run_block(runs[family], position, block, ctx.settings, started)
            if result.timed_out:
                timeout = block_timeout(block, ctx.settings.default_timeout)
                where = f"block {block.location} of this session"
                stopped = f"Not run: {where} timed out after {timeout:g} s."
            elif ended and position != runs[family].last_position:
                stopped = (
                    f"Not run: the session's {family} process ended in block {block.location}."
                )
            yield result
    finally:
        for run in runs.values():
            run.close()
