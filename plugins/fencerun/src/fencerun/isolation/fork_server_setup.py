"""The sandbox work that is the same for every container of a worker, done once in its fork
server before its first fork so that no container repeats it (a page a fresh fork writes is
a page copied): its containers inherit the result."""

from __future__ import annotations

import contextlib
import os

from fencerun.isolation import libc
from fencerun.isolation.privileges import drop_bounding_set
from fencerun.isolation.view_mounts import make_private_and_read_only, mount_machine_layer
from fencerun.isolation.view_plan import MachineLayer


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
        make_private_and_read_only(read_only)
        if machine is not None:
            mount_machine_layer(machine)
    if network_fd is not None:
        libc.setns(network_fd, libc.CLONE_NEWNET)
        os.close(network_fd)
    libc.prctl_allowed(libc.PR_SET_NO_NEW_PRIVS, 1)
    with contextlib.suppress(OSError):  # each container then tries, and reports it
        drop_bounding_set(last_capability)
