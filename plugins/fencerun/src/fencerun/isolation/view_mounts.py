"""Mount a planned view (`view_plan`) in a container's own mount namespace: the machine
read-only with its home folders and secrets covered, the block's folders writable (idmapped
to its uid, where it has one), a private /tmp, /dev/shm and /proc, and a name for the
block's uid."""

from __future__ import annotations

import errno
import os
import re
import stat
from collections.abc import Sequence

from fencerun.isolation import libc
from fencerun.isolation.view_plan import (
    PRIVATE_HOME,
    PRIVATE_TMP,
    PRIVATE_WORK,
    FilesystemPlan,
    MachineLayer,
)

# The name of a root build's block uid in its view (ps, ls -l, id), whichever number it has.
BLOCK_USER = "fencerun"
# Where the block's own /etc/passwd and /etc/group are written, in its private /tmp.
_IDENTITY = "/tmp/.fencerun-identity"

_KEPT_MOUNT_FLAGS = {
    "nosuid": libc.MS_NOSUID,
    "nodev": libc.MS_NODEV,
    "noexec": libc.MS_NOEXEC,
    "noatime": libc.MS_NOATIME,
    "nodiratime": libc.MS_NODIRATIME,
    "relatime": libc.MS_RELATIME,
}


def _mount_points() -> list[tuple[str, int]]:
    """(mount point, flags to keep) for every mount, from /proc/self/mountinfo."""
    found = []
    with open("/proc/self/mountinfo") as mountinfo:
        for line in mountinfo:
            fields = line.split()
            point = re.sub(r"\\([0-7]{3})", lambda m: chr(int(m.group(1), 8)), fields[4])
            flags = 0
            for option in fields[5].split(","):
                flags |= _KEPT_MOUNT_FLAGS.get(option, 0)
            found.append((point, flags))
    return found


def _remount_read_only_one_by_one() -> None:
    """For kernels before mount_setattr: remount each mount read-only, keeping its flags."""
    refused = []
    for point, flags in _mount_points():
        try:
            libc.mount(None, point, None, libc.MS_REMOUNT | libc.MS_BIND | libc.MS_RDONLY | flags)
        except OSError as error:
            # Mounts hidden under another mount, or pseudo file systems under
            # /proc and /sys, cannot always be reached; they are not writable
            # by a block with no capabilities anyway.
            if not point.startswith(("/proc/", "/sys/")) and error.errno != errno.ENOENT:
                refused.append(f"{point} ({error.strerror})")
    if refused:
        raise RuntimeError("could not make read-only: " + ", ".join(refused))


def make_private_and_read_only(read_only: bool) -> None:
    try:
        libc.mount_setattr(
            "/",
            recursive=True,
            set_flags=libc.MOUNT_ATTR_RDONLY if read_only else 0,
            propagation=libc.MS_PRIVATE,
        )
    except OSError as error:
        if error.errno != errno.ENOSYS:
            raise
        libc.mount(None, "/", None, libc.MS_REC | libc.MS_PRIVATE)
        if read_only:
            _remount_read_only_one_by_one()


def _set_read_only(path: str, read_only: bool) -> None:
    """Make the mount at `path` (and only it) read-only or writable."""
    flag = libc.MOUNT_ATTR_RDONLY
    try:
        if read_only:
            libc.mount_setattr(path, recursive=False, set_flags=flag)
        else:
            libc.mount_setattr(path, recursive=False, clear_flags=flag)
    except OSError as error:
        if error.errno != errno.ENOSYS:
            raise
        remount = libc.MS_REMOUNT | libc.MS_BIND
        libc.mount(None, path, None, remount | (libc.MS_RDONLY if read_only else 0))


def _cover(folder: str, *, mode: int) -> None:
    """An empty folder on top of `folder`; made read-only by the caller once filled."""
    libc.mount(
        "tmpfs",
        folder,
        "tmpfs",
        libc.MS_NOSUID | libc.MS_NODEV | libc.MS_NOEXEC,
        f"size=1m,nr_inodes=4096,mode={mode:o}",
    )


def mount_machine_layer(layer: MachineLayer) -> None:
    """Cover the home folders, show the needed paths again inside them, hide the rest."""
    # Handles on what the covers are about to hide, to mount it again on top.
    handles = {path: os.open(path, os.O_PATH | os.O_CLOEXEC) for path in layer.reshown}
    for folder in layer.covered:
        _cover(folder, mode=0o755)
    _show_again(handles)
    for folder in layer.covered:
        _set_read_only(folder, True)
    for folder in layer.hidden_folders:
        _cover(folder, mode=0o000)
        _set_read_only(folder, True)
    for file in layer.hidden_files:
        libc.mount("/dev/null", file, None, libc.MS_BIND)
        _set_read_only(file, True)


def _show_again(handles: dict[str, int], writable: Sequence[str] = ()) -> None:
    """Mount each handle's folder or file again at its path, with what is mounted inside it
    (a hidden .git stays hidden); `writable` ones writable."""
    for path, handle in handles.items():
        _make_mount_point(path, folder=stat.S_ISDIR(os.fstat(handle).st_mode))
        libc.mount(f"/proc/self/fd/{handle}", path, None, libc.MS_BIND | libc.MS_REC)
        os.close(handle)
        if path in writable:
            _set_read_only(path, False)


def build_filesystem(
    plan: FilesystemPlan,
    *,
    worker_mount_namespace: str,
    base_prepared: bool = False,
    idmaps: Sequence[int] = (),
) -> None:
    """Mount the planned view, in a mount namespace of the caller's own. `idmaps`: file
    descriptors of the user namespaces of `plan.idmap_owners`, in that order."""
    # Never change a mount in a namespace shared with the machine.
    if os.readlink("/proc/self/ns/mnt") == worker_mount_namespace:
        raise RuntimeError("refusing to remount: the block has no mount namespace of its own")
    if not base_prepared:  # else copied from the fork server's (prepare_fork_server)
        make_private_and_read_only(plan.read_only)
    if plan.machine is not None:
        mount_machine_layer(plan.machine)
    # Handles on what the private /tmp is about to cover, to mount it again on top.
    handles = {path: os.open(path, os.O_PATH | os.O_CLOEXEC) for path in plan.reshown}
    namespaces = dict(zip(plan.idmap_owners, idmaps, strict=True))
    owned = zip(plan.writable, plan.owners, strict=True) if plan.owners else ()
    idmapped = {folder: _idmapped_copy(folder, namespaces[owner]) for folder, owner in owned}
    for folder in plan.writable:
        if folder not in handles and folder not in idmapped:
            # With what is mounted inside it: a hidden .git stays hidden.
            libc.mount(folder, folder, None, libc.MS_BIND | libc.MS_REC)
            _set_read_only(folder, False)
    uid = plan.block_uid
    its_own = "" if uid is None else f",uid={uid},gid={uid}"
    libc.mount(
        "tmpfs",
        PRIVATE_TMP,
        "tmpfs",
        libc.MS_NOSUID | libc.MS_NODEV,
        f"size={plan.tmp_bytes},mode=1777{its_own}",
    )
    for folder in (PRIVATE_HOME, PRIVATE_WORK):
        os.mkdir(folder, 0o700)
        if uid is not None:
            os.chown(folder, uid, uid)
    if uid is not None:
        _name_block_user(uid)
    _show_again(handles, () if idmapped else plan.writable)
    # In order, so that a folder inside another goes on top of it.
    for folder, tree in sorted(idmapped.items()):
        libc.move_mount(tree, folder)
        os.close(tree)
    # Last, from the finished view: what it hides inside them stays hidden.
    for entry in plan.shown_in_work:
        _show_in_work(entry)
    if plan.own_dev_shm:
        libc.mount(
            "tmpfs", "/dev/shm", "tmpfs", libc.MS_NOSUID | libc.MS_NODEV, "size=64m,mode=1777"
        )
    if plan.mount_proc:
        libc.mount("proc", "/proc", "proc", libc.MS_NOSUID | libc.MS_NODEV | libc.MS_NOEXEC)


def _show_in_work(entry: str) -> None:
    """The project's `entry` at its name in the private work folder, read-only; a symlink
    as a link to the entry, so that it leads where it leads from the project."""
    place = os.path.join(PRIVATE_WORK, os.path.basename(entry))
    try:
        found = os.lstat(entry)
    except FileNotFoundError:
        return  # gone since the worker listed the project
    if stat.S_ISLNK(found.st_mode):
        os.symlink(entry, place)
        return
    _make_mount_point(place, folder=stat.S_ISDIR(found.st_mode))
    # With what is mounted inside it: a hidden .git stays hidden.
    libc.mount(entry, place, None, libc.MS_BIND | libc.MS_REC)
    try:
        libc.mount_setattr(place, recursive=True, set_flags=libc.MOUNT_ATTR_RDONLY)
    except OSError as error:
        if error.errno != errno.ENOSYS:
            raise
        _set_read_only(place, True)


def _name_block_user(uid: int) -> None:
    """Give the block's uid a name in its view (`BLOCK_USER`), so that `ps`, `ls -l` and `id`
    print that name rather than a number that differs from build to build: the machine's
    /etc/passwd and /etc/group with one line more each, shown over the originals."""
    os.mkdir(_IDENTITY, 0o755)  # root's, in the block's sticky /tmp: the block cannot edit it
    for name, line in (
        ("passwd", f"{BLOCK_USER}:x:{uid}:{uid}:fencerun block:{PRIVATE_HOME}:/bin/sh\n"),
        ("group", f"{BLOCK_USER}:x:{uid}:\n"),
    ):
        machine = os.path.join("/etc", name)
        try:
            with open(machine, encoding="utf-8", errors="surrogateescape") as file:
                known = file.read()
        except FileNotFoundError:
            continue  # nothing to show over, and the read-only /etc takes no new file
        if known and not known.endswith("\n"):
            known += "\n"
        copy = os.path.join(_IDENTITY, name)
        with open(copy, "w", encoding="utf-8", errors="surrogateescape") as file:
            file.write(known + line)
        libc.mount(copy, machine, None, libc.MS_BIND)


def _idmapped_copy(folder: str, namespace: int) -> int:
    """A detached, writable copy of the mount at `folder` (with what is mounted inside it:
    a hidden .git stays hidden) that shows its files as `namespace` maps their owners.

    Every copy is taken before any is attached: a copy of an idmapped mount cannot be
    idmapped again.
    """
    tree = libc.open_tree(folder)
    try:
        libc.mount_setattr(
            tree,
            recursive=False,
            set_flags=libc.MOUNT_ATTR_IDMAP,
            clear_flags=libc.MOUNT_ATTR_RDONLY,
            userns_fd=namespace,
        )
    except OSError:
        os.close(tree)
        raise
    return tree


def _make_mount_point(path: str, *, folder: bool) -> None:
    """`path` (a folder, or an empty file) and the folders above it, each one a block may
    pass through (0755), where a covered folder or the private /tmp lacks them."""
    missing = []
    place = path
    while not os.path.lexists(place):
        missing.append(place)
        place = os.path.dirname(place)
    for made in reversed(missing):
        if made == path and not folder:
            os.close(os.open(made, os.O_CREAT | os.O_WRONLY | os.O_CLOEXEC, 0o644))
        else:
            os.mkdir(made, 0o755)
            os.chmod(made, 0o755)  # whatever the umask
