"""What a container is made of: what every container of a worker shares (`SandboxPlan`)
and what the worker decides for each (`ContainerSpec`). Read by both sides of the fork:
the worker's `Container` and the block's `first_process`."""

from __future__ import annotations

from dataclasses import dataclass

from fencerun.isolation.namespaces import Namespaces
from fencerun.isolation.policy import IsolationPolicy
from fencerun.isolation.view_plan import FilesystemPlan
from fencerun.run.python_runtime import PythonStep
from fencerun.run.shell_runtime import ShellStep


@dataclass(frozen=True)
class SandboxPlan:
    """What every container of one worker shares, bound into its fork server once."""

    linux: bool  # False: only what every POSIX system has (no prctl, namespaces, caps)
    subreaper: bool  # the first process adopts its block's orphans (where the host allows)
    death_signal: bool  # the first process dies with its fork server (where the host allows)
    namespaces: Namespaces
    policy: IsolationPolicy
    mounts_prepared: bool  # the mounts copied from the server are private and read-only
    worker_mount_namespace: str
    last_capability: int
    # The build's uid and gid, mapped to root in a block's user namespace: a block born in
    # one (`Namespaces.clone_flags`) no longer sees them as its own.
    outside_ids: tuple[int, int]


@dataclass(frozen=True)
class ProcessLimit:
    """RLIMIT_NPROC for a container that no pids cgroup caps, and what the kernel counts."""

    value: int
    processes_before: int  # processes of the counted uid as the container started
    # Counted in the block's own user namespace (its processes alone), not over its uid.
    own_namespace: bool = False


@dataclass(frozen=True)
class ContainerSpec:
    """What one container's first process needs, decided by the worker for each."""

    python_steps: tuple[PythonStep, ...]
    shell_steps: tuple[ShellStep, ...]
    shell: str  # path of bash or sh, for shell steps
    shell_name: str
    workdir: str
    # None: the same as the previous container's. The fork server takes it on itself
    # (`adopt_environment`), so that a container inherits it instead of setting it.
    env: dict[str, str] | None
    filesystem: FilesystemPlan | None  # None without a mount namespace
    cpu_seconds: int
    process_limit: ProcessLimit | None  # where no pids cgroup does the job
    uid: int | None  # the uid a root build's block runs as (`become_block_uid`)
    uid_in_full: bool = False  # False: as its real uid alone, staying root without capabilities
