"""A block sees a neutral host name where it has a UTS namespace, never the build machine's."""

from __future__ import annotations

import socket

from fencerun.isolation.namespaces import BLOCK_HOSTNAME
from fencerun.run import Executor

from tests.fencerun.run.helpers import run_one
from tests.hostile.conftest import active_protections


def test_a_block_with_a_uts_namespace_sees_a_neutral_host_name(executor: Executor) -> None:
    machine = socket.gethostname()
    assert machine != BLOCK_HOSTNAME
    shell = run_one(executor, "bash", "hostname; uname -n; cat /proc/sys/kernel/hostname")
    python = run_one(executor, "python", "import platform, socket\nprint(platform.node())")
    if f"host name {BLOCK_HOSTNAME!r}" in active_protections(executor):
        assert shell.output == f"{BLOCK_HOSTNAME}\n" * 3
        assert python.output == f"{BLOCK_HOSTNAME}\n"
    else:  # the line names no host name, and the block sees the machine's
        assert "host name" not in active_protections(executor)
        assert python.output == f"{machine}\n"
