"""What a container sees of the machine, decided in the worker before the fork: the layer
that covers the machine alike for every container of a worker (`MachineLayer`), and the
mounts of one container's view (`FilesystemPlan`). `view_mounts` mounts what is planned here.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass

# The block's own folders inside its private /tmp, where namespaces are allowed.
PRIVATE_TMP = "/tmp"
PRIVATE_HOME = "/tmp/home"
PRIVATE_WORK = "/tmp/work"


@dataclass(frozen=True)
class MachineView:
    """What every container of a worker sees of the machine, decided once (real paths)."""

    covered: tuple[str, ...] = ()  # folders covered by an empty one (home folders)
    needed: tuple[str, ...] = ()  # shown again where a covered folder or /tmp hides them
    hidden: tuple[str, ...] = ()  # files and folders never shown (secrets, .git, caches)


@dataclass(frozen=True)
class MachineLayer:
    """The part of a container's view that covers the machine: home folders covered with
    the paths blocks need shown again, secrets and the build's folders hidden. The same for
    every container of a worker, so mounted once in the fork server where it can be
    (`prepare_fork_server`), else by each container."""

    covered: tuple[str, ...]  # folders covered by an empty read-only one
    reshown: tuple[str, ...]  # real paths under a covered folder, shown again
    hidden_folders: tuple[str, ...]  # covered by an empty folder
    hidden_files: tuple[str, ...]  # covered by an empty file


def plan_machine_layer(machine: MachineView) -> MachineLayer:
    """What covers the machine in every container's view of `machine`."""
    # A home under /tmp (a test's, a CI job's) is hidden with the private /tmp already.
    covering = _outermost([PRIVATE_TMP, *machine.covered])
    shown_again = _outermost(
        [
            path
            for path in machine.needed
            if any(_under(path, folder) for folder in covering) and os.path.exists(path)
        ]
    )
    # Hiding what the view no longer shows would fail (its place is gone) or cost a mount
    # for nothing; what a hidden folder holds is hidden with it.
    visible = [
        path
        for path in _outermost(machine.hidden)
        if os.path.lexists(path)
        and (
            not any(_under(path, folder) for folder in covering)
            or any(_under(path, shown) for shown in shown_again)
        )
    ]
    return MachineLayer(
        covered=tuple(folder for folder in covering if folder != PRIVATE_TMP),
        reshown=tuple(path for path in shown_again if not _under(path, PRIVATE_TMP)),
        hidden_folders=tuple(path for path in visible if os.path.isdir(path)),
        hidden_files=tuple(path for path in visible if not os.path.isdir(path)),
    )


@dataclass(frozen=True)
class FilesystemPlan:
    """The mounts of one container's view, decided outside it (`plan_filesystem`): the
    path lookups cost the worker little, and each would cost the fresh fork pages."""

    writable: tuple[str, ...]  # real paths, made writable in the read-only view
    reshown: tuple[str, ...]  # real paths under /tmp, shown again in the private /tmp
    machine: MachineLayer | None  # None: the fork server mounted it already
    read_only: bool
    tmp_bytes: int
    own_dev_shm: bool  # a private /dev/shm, where the machine has one
    mount_proc: bool
    # The uid (and gid) the block becomes once its view is built, where it becomes one: its
    # private /tmp is its own, and its writable folders are mounted idmapped, their owner's
    # files shown as its own and its new files written as their owner's.
    block_uid: int | None = None
    owners: tuple[tuple[int, int], ...] = ()  # (uid, gid) of each writable folder, on disk
    # Entries of the project shown, read-only, at their names in the private work folder.
    shown_in_work: tuple[str, ...] = ()

    @property
    def idmap_owners(self) -> list[tuple[int, int]]:
        """The owners whose user namespaces (`idmap_namespace`) the view's idmapped mounts
        need, in the order `build_filesystem` is handed them."""
        return sorted(set(self.owners))


def plan_filesystem(
    *,
    writable: Sequence[str],
    needed: Sequence[str],
    machine: MachineLayer | None,
    read_only: bool,
    tmp_bytes: int,
    mount_proc: bool,
    block_uid: int | None = None,
    shown_in_work: Sequence[str] = (),
) -> FilesystemPlan:
    """Read-only view of the machine, `writable` folders writable, a private /tmp, and the
    machine's layer (`MachineLayer`) unless the fork server mounted it; for a block that
    becomes `block_uid`, its /tmp and writable folders its own (`FilesystemPlan`); the
    project's entries `shown_in_work` in its private work folder.

    Paths the block needs (`needed`, its writable folders) that live under /tmp are shown
    again on top of the private /tmp.
    """
    real_writable = sorted({os.path.realpath(path) for path in writable})
    under_tmp = {
        path
        for path in {*real_writable, *needed}
        if _under(path, PRIVATE_TMP) and os.path.exists(path)
    }
    # A path inside one shown again comes with it, unless it must be writable there.
    reshown = sorted(
        path
        for path in under_tmp
        if path in real_writable
        or not any(path != outer and _under(path, outer) for outer in under_tmp)
    )
    return FilesystemPlan(
        writable=tuple(real_writable),
        reshown=tuple(reshown),
        machine=machine,
        read_only=read_only,
        tmp_bytes=tmp_bytes,
        own_dev_shm=os.path.isdir("/dev/shm"),
        mount_proc=mount_proc,
        block_uid=block_uid,
        owners=()
        if block_uid is None
        else tuple((found.st_uid, found.st_gid) for found in map(os.stat, real_writable)),
        shown_in_work=tuple(shown_in_work),
    )


def _outermost(folders: Sequence[str]) -> list[str]:
    """The folders that are not inside another of them."""
    return sorted(
        folder
        for folder in set(folders)
        if not any(other != folder and _under(folder, other) for other in folders)
    )


def _under(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip("/") + "/")
