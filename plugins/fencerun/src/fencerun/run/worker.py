"""A warm worker process: started once per pool slot, forks one container per job.

Started by the Executor as `python -I -c "...main()"`, with an environment
that holds no secrets (blocks are forks of this process). It reads its
settings, probes the machine's protections, says hello, then runs jobs from
the build one at a time, replying with each block's result as soon as it is
known. A worker of the warm lane imports costly modules (matplotlib) first,
so that the blocks that use them do not each pay for the import; the other
workers stay lean, because every module a worker holds makes each fork slower.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import importlib
import os
import shutil
import signal
import sys
import traceback
from typing import IO

from fencerun.isolation import libc
from fencerun.isolation.environment import worker_environment
from fencerun.isolation.fork_server_setup import prepare_fork_server
from fencerun.isolation.hidden import home_folders, needed_paths, system_secrets
from fencerun.isolation.limits import block_uid
from fencerun.isolation.namespaces import offline_network_namespace
from fencerun.isolation.privileges import last_capability
from fencerun.isolation.probe import probe
from fencerun.isolation.protections import Protections, portable
from fencerun.isolation.reaper import kill_descendants
from fencerun.isolation.scrub import PathScrubber
from fencerun.isolation.view_plan import MachineView, plan_machine_layer
from fencerun.run.container_spec import SandboxPlan
from fencerun.run.figures import note_saves, pin_fonts
from fencerun.run.first_process import adopt_environment, first_process
from fencerun.run.jobs import WorkerContext, run_job
from fencerun.run.protocol import (
    BlockReply,
    Hello,
    JobFailure,
    JobRequest,
    WorkerSettings,
    receive,
    send,
)
from fencerun.run.python_runtime import prepare_in_fork_server
from fencerun.run.spawner import Spawner, SpawnError
from fencerun.run.steps import Family

# Imported here once so that no block pays for them.
_RUNTIME_MODULES = ("traceback", "linecache", "json", "codecs", "fencerun.run.python_runtime")


def _claim_protocol_pipes() -> tuple[IO[bytes], IO[bytes]]:
    """Move the protocol off fds 0 and 1, where a stray print would corrupt it."""
    incoming = os.fdopen(os.dup(0), "rb")
    outgoing = os.fdopen(os.dup(1), "wb")
    devnull = os.open(os.devnull, os.O_RDWR)
    os.dup2(devnull, 0)
    os.dup2(devnull, 1)
    os.close(devnull)
    return incoming, outgoing


def _machine_view(settings: WorkerSettings) -> MachineView:
    """What blocks see of the machine: homes covered, secrets and the build's folders
    hidden, the project and this interpreter shown."""
    interpreter = (sys.prefix, sys.base_prefix, os.path.dirname(sys.executable), *sys.path)
    return MachineView(
        covered=tuple(home_folders(settings.build_env)),
        needed=tuple(needed_paths(settings.project_dir, interpreter)),
        hidden=tuple(sorted({*system_secrets(), *map(str, settings.view.hidden)})),
    )


def _block_uids() -> dict[Family, int]:
    """For a root build: a uid per kind of container, which its blocks become where they
    can (`WorkerContext.block_identity`), and which RLIMIT_NPROC, sparing root, must count
    where there is no pids cgroup."""
    if os.getuid() != 0:
        return {}
    families: tuple[Family, ...] = ("python", "bash", "sh")
    return {family: block_uid(os.getpid(), slot) for slot, family in enumerate(families)}


def _nproc_cap(protections: Protections) -> str:
    """How RLIMIT_NPROC caps a non-root build's blocks, as the protections line says it."""
    if protections.nproc_counts_each_block:
        return "RLIMIT_NPROC, each block in a user namespace of its own"
    return "RLIMIT_NPROC over every process of the build's user, counted as each block starts"


def _context(settings: WorkerSettings) -> WorkerContext:
    """What every job needs; last, the fork server, which gets all this process imported."""
    linux = settings.policy.uses_linux
    block_uids = _block_uids()
    # RLIMIT_NPROC spares root: where it is the cap, a root build's blocks need a real uid.
    uid_for_nproc = bool(block_uids) and settings.cgroup_root is None
    process_cap = "pids cgroup" if settings.cgroup_root is not None else "RLIMIT_NPROC"
    if uid_for_nproc:
        process_cap += ", each block under a uid of its own"
        if not linux:
            # There the block gives up root in full: it must reach its own folders.
            os.chmod(settings.temp_root, 0o711)
    machine = _machine_view(settings)
    if linux:
        protections = probe(
            settings.policy,
            process_cap=process_cap,
            machine=machine,
            block_uid=block_uids.get("python"),
            project_dir=settings.project_dir,
        )
        # A block that stays root (no uid of its own where it writes folders) keeps root's
        # capabilities where they could not be dropped.
        stays_root = not (protections.own_uid and protections.idmapped_folders)
        if uid_for_nproc and stays_root and not protections.capabilities_dropped:
            process_cap = "none: RLIMIT_NPROC spares a block that keeps root's capabilities"
            protections = dataclasses.replace(protections, process_cap=process_cap)
    else:
        protections = portable(settings.policy, process_cap=process_cap)
    if settings.cgroup_root is None and not block_uids:
        protections = dataclasses.replace(protections, process_cap=_nproc_cap(protections))
    namespaces = protections.namespaces
    path = worker_environment(settings.build_env)["PATH"]
    shells = {name: found for name in ("bash", "sh") if (found := shutil.which(name, path=path))}
    network_fd = offline_network_namespace() if namespaces.network and not namespaces.user else None
    mounts_prepared = namespaces.mount and not namespaces.user
    machine_layer = plan_machine_layer(machine) if namespaces.mount else None
    capabilities = last_capability() if linux else 0
    plan = SandboxPlan(
        linux=linux,
        subreaper=linux and protections.subreaper,
        death_signal=linux and protections.death_signal,
        namespaces=namespaces,
        policy=settings.policy,
        mounts_prepared=mounts_prepared,
        worker_mount_namespace=os.readlink("/proc/self/ns/mnt") if linux else "",
        last_capability=capabilities,
        outside_ids=(os.geteuid(), os.getegid()),
    )

    def prepare() -> None:  # in the fork server, before its first fork
        if linux:
            prepare_fork_server(
                private_mounts=mounts_prepared,
                read_only=settings.policy.read_only_filesystem,
                machine=machine_layer,
                last_capability=capabilities,
                network_fd=network_fd,
            )
        prepare_in_fork_server()

    spawner = Spawner(
        functools.partial(first_process, plan),
        linux=linux,
        pid_namespaces=namespaces.pid,
        clone_flags=namespaces.clone_flags,
        subreaper=plan.subreaper,
        death_signal=plan.death_signal,
        keep_fds=() if network_fd is None else (network_fd,),
        prepare=prepare,
        before_fork=adopt_environment,
    )
    if network_fd is not None:
        os.close(network_fd)  # the server has joined it; this worker needs no copy
    return WorkerContext(
        settings=settings,
        protections=protections,
        scrubber=PathScrubber(settings.private_paths),
        shells=shells,
        plan=plan,
        needed=machine.needed,
        # Mounted by each container only where the fork server could not.
        machine_layer=None if mounts_prepared else machine_layer,
        block_uids=block_uids,
        spawner=spawner,
    )


def _preload(names: tuple[str, ...]) -> None:
    """Import the lane's costly modules, quietly: a missing one is the block's business."""
    saved = os.dup(2)
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)
    try:
        for name in names:
            with contextlib.suppress(Exception):
                importlib.import_module(name)
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(devnull)
    pin_fonts()
    note_saves()


def _serve(incoming: IO[bytes], outgoing: IO[bytes], ctx: WorkerContext) -> None:
    while isinstance(request := receive(incoming), JobRequest):
        sent = 0
        try:
            for result in run_job(request.blocks, ctx):
                send(outgoing, BlockReply(sent, result))
                sent += 1
        except Exception:
            send(outgoing, JobFailure(sent, traceback.format_exc()))


# This worker and its fork server, for the SIGTERM handler.
_worker_pid = 0
_spawner: Spawner | None = None
_linux = False  # whether this worker is a subreaper


def _terminate(signum: int, frame: object) -> None:
    """The build stops this worker: clean up and leave at once, wherever it is.

    Raising SystemExit instead would surface wherever the signal lands (an import, the
    interpreter's own shutdown) and print a traceback into the build's log. Children
    forked before they set their own handler leave quietly too.
    """
    if os.getpid() == _worker_pid:
        _clean_up()
    os._exit(0)


def _clean_up() -> None:
    """Stop the fork server; without PID namespaces, what blocks left came back here when
    the server died, and is killed."""
    if _spawner is not None:
        _spawner.close()
    if _linux:
        kill_descendants()


def main() -> None:
    global _worker_pid, _spawner, _linux
    _worker_pid = os.getpid()
    signal.signal(signal.SIGTERM, _terminate)
    incoming, outgoing = _claim_protocol_pipes()
    for name in _RUNTIME_MODULES:
        importlib.import_module(name)
    settings = receive(incoming)
    if not isinstance(settings, WorkerSettings):
        return
    _linux = settings.policy.uses_linux
    _preload(settings.preload)
    try:
        ctx = _context(settings)
        if ctx.plan.subreaper:
            # Orphans of blocks come back to this process, which kills them.
            libc.prctl(libc.PR_SET_CHILD_SUBREAPER, 1)
    except (SpawnError, OSError) as error:
        # One line in the build's log; the build then says that a worker did not start.
        print(f"fencerun worker: could not start: {error}", file=sys.stderr)
        return
    _spawner = ctx.spawner
    send(outgoing, Hello(ctx.protections))
    try:
        _serve(incoming, outgoing, ctx)
    except (BrokenPipeError, EOFError):
        pass  # the build went away
    finally:
        _clean_up()
