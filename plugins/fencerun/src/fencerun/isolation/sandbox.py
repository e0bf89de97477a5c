"""Turn a freshly forked process into a small container.

A new PID namespace only applies to the children of the process that creates
it, so the fork server makes it around the birth of the block's first process:
as root with `PidNamespaceFactory` around a fork, otherwise with one clone that
makes a user namespace and the PID namespace in it (`Namespaces.clone_flags`).
That process, PID 1 of the new namespace, then calls `enter_namespaces` and
`build_filesystem` before any code of the block runs.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import re
import signal
import socket
import stat
import struct
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from fencerun.isolation import libc

# The block's own folders inside its private /tmp, where namespaces are allowed.
PRIVATE_TMP = "/tmp"
PRIVATE_HOME = "/tmp/home"
PRIVATE_WORK = "/tmp/work"
# What `hostname` says in a block that has a UTS namespace: nothing of the build machine.
BLOCK_HOSTNAME = "fencerun"
# The name of a root build's block uid in its view (ps, ls -l, id), whichever number it has.
BLOCK_USER = "fencerun"
# Where the block's own /etc/passwd and /etc/group are written, in its private /tmp.
_IDENTITY = "/tmp/.fencerun-identity"

_SIOCGIFFLAGS = 0x8913
_SIOCSIFFLAGS = 0x8914
_IFF_UP = 0x1

_KEPT_MOUNT_FLAGS = {
    "nosuid": libc.MS_NOSUID,
    "nodev": libc.MS_NODEV,
    "noexec": libc.MS_NOEXEC,
    "noatime": libc.MS_NOATIME,
    "nodiratime": libc.MS_NODIRATIME,
    "relatime": libc.MS_RELATIME,
}


@dataclass(frozen=True)
class Namespaces:
    """Which namespaces a block gets (decided once by the probe)."""

    user: bool = False  # needed for the others when the build does not run as root
    pid: bool = False
    mount: bool = False
    network: bool = False
    uts: bool = False  # a host name of its own (`BLOCK_HOSTNAME`), not the build machine's
    # A /proc of the block's PID namespace: without it, the machine's /proc stays, and shows
    # every process and its command line (though the block can signal none of them).
    own_proc: bool = False

    @property
    def clone_flags(self) -> int:
        """What the fork server gives the block's first process at birth, by `clone`.

        Without root, the PID namespace comes with the user namespace in one clone: only
        inside a user namespace may the server's child hold a PID namespace of its own.
        """
        if self.user and self.pid:
            return libc.CLONE_NEWUSER | libc.CLONE_NEWPID
        return 0

    @property
    def own_flags(self) -> int:
        """What the block's first process unshares for itself.

        The PID namespace is made by the fork server, since it applies only to
        children. As root, the network namespace is one per worker, shared by
        its blocks in turn (it holds nothing but loopback, and a block leaves no
        process behind to listen on it): making one per block costs more than
        the rest of the sandbox together.
        """
        born_in_user_namespace = bool(self.clone_flags & libc.CLONE_NEWUSER)
        return (
            (libc.CLONE_NEWUSER if self.user and not born_in_user_namespace else 0)
            | (libc.CLONE_NEWNS if self.mount else 0)
            | (libc.CLONE_NEWNET if self.network and self.user else 0)
            | (libc.CLONE_NEWUTS if self.uts else 0)
        )


def enter_namespaces(namespaces: Namespaces, outside: tuple[int, int] | None = None) -> None:
    """Unshare; with a user namespace, map the build's ids (`outside`: uid and gid, where
    the caller was born in the namespace and its own ids say nothing yet) to root inside
    it; with a UTS namespace, take the neutral host name."""
    uid, gid = outside or (os.geteuid(), os.getegid())
    if namespaces.own_flags:
        libc.unshare(namespaces.own_flags)
    if namespaces.uts:
        socket.sethostname(BLOCK_HOSTNAME)
    if namespaces.user:
        with open("/proc/self/setgroups", "w") as setgroups:
            setgroups.write("deny")
        with open("/proc/self/uid_map", "w") as uid_map:
            uid_map.write(f"0 {uid} 1")
        with open("/proc/self/gid_map", "w") as gid_map:
            gid_map.write(f"0 {gid} 1")


class PidNamespaceFactory:
    """Gives the next child of the caller a PID namespace of its own, where it is PID 1.

    `unshare(CLONE_NEWPID)` applies to the caller's next children only, and only
    once; `setns` back to the caller's own namespace afterwards allows the next one.
    """

    def __init__(self) -> None:
        self._own = os.open("/proc/self/ns/pid", os.O_RDONLY | os.O_CLOEXEC)

    def before_fork(self) -> None:
        libc.unshare(libc.CLONE_NEWPID)

    def after_fork(self) -> None:
        libc.setns(self._own, libc.CLONE_NEWPID)


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


def _make_private_and_read_only(read_only: bool) -> None:
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


def _under(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip("/") + "/")


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
) -> FilesystemPlan:
    """Read-only view of the machine, `writable` folders writable, a private /tmp, and the
    machine's layer (`MachineLayer`) unless the fork server mounted it; for a block that
    becomes `block_uid`, its /tmp and writable folders its own (`FilesystemPlan`).

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
    )


def _outermost(folders: Sequence[str]) -> list[str]:
    """The folders that are not inside another of them."""
    return sorted(
        folder
        for folder in set(folders)
        if not any(other != folder and _under(folder, other) for other in folders)
    )


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
        _make_private_and_read_only(plan.read_only)
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
    if plan.own_dev_shm:
        libc.mount(
            "tmpfs", "/dev/shm", "tmpfs", libc.MS_NOSUID | libc.MS_NODEV, "size=64m,mode=1777"
        )
    if plan.mount_proc:
        libc.mount("proc", "/proc", "proc", libc.MS_NOSUID | libc.MS_NODEV | libc.MS_NOEXEC)


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


def offline_network_namespace() -> int:
    """A file descriptor on a new network namespace with only loopback, up."""
    return _namespace_of_a_child(libc.CLONE_NEWNET, "net", inside=bring_up_loopback)


def idmap_namespace(owner: tuple[int, int], uid: int) -> int:
    """A file descriptor on a new user namespace that maps `owner` (uid, gid) to `uid` (as
    uid and gid): the idmapping of a mount that shows the owner's files as `uid`'s own, and
    writes `uid`'s new files as the owner's. Needs root."""

    def map_ids(pid: int) -> None:
        for kind, inside in (("uid", owner[0]), ("gid", owner[1])):
            with open(f"/proc/{pid}/{kind}_map", "w") as mapping:
                mapping.write(f"{inside} {uid} 1")

    return _namespace_of_a_child(libc.CLONE_NEWUSER, "user", outside=map_ids)


def _namespace_of_a_child(
    flag: int,
    name: str,
    *,
    inside: Callable[[], None] | None = None,
    outside: Callable[[int], None] | None = None,
) -> int:
    """A file descriptor on a new namespace (`name` as in /proc/PID/ns), made by a short-lived
    child that unshares it and runs `inside` there, while this process runs `outside` with
    the child's pid. The namespace lives on as long as the fd."""
    ready_read, ready_write = os.pipe()
    parent = os.getpid()
    pid = os.fork()
    if pid == 0:
        try:
            # It holds the build's stderr: it must not outlive a worker stopped mid-way.
            libc.prctl_allowed(libc.PR_SET_PDEATHSIG, signal.SIGKILL)
            if os.getppid() != parent:
                os._exit(1)
            os.close(ready_read)
            libc.unshare(flag)
            if inside is not None:
                inside()
            os.write(ready_write, b"1")
            while True:
                signal.pause()
        finally:
            os._exit(1)
    os.close(ready_write)
    try:
        if os.read(ready_read, 1) != b"1":
            raise OSError(f"could not make a {name} namespace")
        if outside is not None:
            outside(pid)
        return os.open(f"/proc/{pid}/ns/{name}", os.O_RDONLY | os.O_CLOEXEC)
    finally:
        os.close(ready_read)
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)


def bring_up_loopback() -> None:
    """A new network namespace has only `lo`, and it starts down."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        request = struct.pack("16sh22x", b"lo", 0)
        flags = struct.unpack("16sh22x", fcntl.ioctl(sock, _SIOCGIFFLAGS, request))[1]
        fcntl.ioctl(sock, _SIOCSIFFLAGS, struct.pack("16sh22x", b"lo", flags | _IFF_UP))


def drop_bounding_set(last_capability: int) -> None:
    """Empty the bounding set (what execve may grant); OSError where that is not permitted.

    The capabilities held now stay: a fork server does this once, and the containers it
    forks inherit the empty set while keeping what they need to build their sandbox.
    """
    # Dropped in order: with the last one gone, the set is empty already.
    if libc.in_bounding_set(last_capability):
        for capability in range(last_capability + 1):
            libc.prctl(libc.PR_CAPBSET_DROP, capability)


def prepare_fork_server(
    *,
    private_mounts: bool,
    read_only: bool,
    machine: MachineLayer | None,
    last_capability: int,
    network_fd: int | None,
) -> None:
    """Work every container would otherwise repeat, done once in its fork server.

    With `private_mounts` the server takes a mount namespace of its own, private and (with
    `read_only`) read-only: each container's copy of it starts that way, where making it so
    costs a recursive walk of every mount per block; `machine`, the layer that covers the
    machine, is mounted there too. Only as root: without a user namespace, which the
    containers make for themselves, the server cannot unshare.
    The server also joins the worker's offline network namespace (`network_fd`), which
    its containers then start in, and takes on no_new_privs, which they inherit.
    """
    libc.bind_linux_calls()
    if private_mounts:
        libc.unshare(libc.CLONE_NEWNS)
        _make_private_and_read_only(read_only)
        if machine is not None:
            mount_machine_layer(machine)
    if network_fd is not None:
        libc.setns(network_fd, libc.CLONE_NEWNET)
        os.close(network_fd)
    libc.prctl_allowed(libc.PR_SET_NO_NEW_PRIVS, 1)
    with contextlib.suppress(OSError):  # each container then tries, and reports it
        drop_bounding_set(last_capability)


def drop_privileges(last_capability: int) -> bool:
    """Give up every capability for good; returns False where that is not permitted.

    Without this, a block running as root could remount its read-only view
    writable again. `no_new_privs` is set in every case so that no set-uid
    program gives privileges back.
    """
    libc.prctl_allowed(libc.PR_SET_NO_NEW_PRIVS, 1)
    try:
        # Emptied once by the fork server where it could: then nothing is left to drop.
        drop_bounding_set(last_capability)
        libc.prctl(libc.PR_CAP_AMBIENT, libc.PR_CAP_AMBIENT_CLEAR_ALL)
        libc.clear_capabilities()
    except OSError:
        with contextlib.suppress(OSError):
            libc.clear_capabilities()
        return False
    return True


def last_capability() -> int:
    with open("/proc/sys/kernel/cap_last_cap") as file:
        return int(file.read())
