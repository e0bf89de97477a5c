"""Which namespaces a block gets, and how they are made.

A new PID namespace only applies to the children of the process that creates
it, so the fork server makes it around the birth of the block's first process:
as root with `PidNamespaceFactory` around a fork, otherwise with one clone that
makes a user namespace and the PID namespace in it (`Namespaces.clone_flags`).
That process, PID 1 of the new namespace, then calls `enter_namespaces` for the
rest. The namespaces a worker holds for its blocks (the offline network of a root build,
the user namespaces of idmapped mounts) are made by a short-lived child each.
"""

from __future__ import annotations

import fcntl
import os
import signal
import socket
import struct
from collections.abc import Callable
from dataclasses import dataclass

from fencerun.isolation import libc

# What `hostname` says in a block that has a UTS namespace: nothing of the build machine.
BLOCK_HOSTNAME = "fencerun"

_SIOCGIFFLAGS = 0x8913
_SIOCSIFFLAGS = 0x8914
_IFF_UP = 0x1


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
