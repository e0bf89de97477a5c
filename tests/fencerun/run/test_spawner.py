"""The fork server on its own: it forks what it is asked to, reports how each fork ended,
and says at once why it could not start, instead of leaving every block to fail later."""

from __future__ import annotations

import os
from typing import NoReturn

import pytest
from fencerun.run.spawner import Spawner, SpawnError


def write_and_exit(spec: object, server_pid: int, write_end: int) -> NoReturn:
    """A container's first process, reduced to what the test can see."""
    os.write(write_end, f"{spec} {server_pid} {os.getppid()}".encode())
    os._exit(3)


def zombie_children() -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as stat:
                    fields = stat.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if fields[0] == "Z" and int(fields[1]) == os.getpid():
                found.append(int(entry))
    return found


def refuse() -> None:
    raise PermissionError(1, "setns: Operation not permitted")


@pytest.mark.parametrize("linux", [True, False], ids=["linux", "portable"])
def test_a_fork_gets_its_spec_and_its_exit_status_comes_back(linux: bool) -> None:
    spawner = Spawner(write_and_exit, linux=linux, pid_namespaces=False)
    try:
        read_end, write_end = os.pipe()
        pid, pidfd = spawner.spawn("hello", [write_end])
        os.close(write_end)
        said = os.read(read_end, 200).decode()
        status = spawner.wait_status(pid)
        os.close(read_end)
        if pidfd is not None:
            os.close(pidfd)
    finally:
        spawner.close()
    assert said == f"hello {spawner.pid} {spawner.pid}"
    assert status is not None and os.waitstatus_to_exitcode(status) == 3
    # Off Linux there is no pidfd: the server's reply says when the fork ended.
    assert (pidfd is not None) == linux


def test_a_server_that_cannot_prepare_says_why_at_once() -> None:
    with pytest.raises(SpawnError) as raised:
        Spawner(write_and_exit, linux=True, pid_namespaces=False, prepare=refuse)
    assert "the fork server could not prepare" in str(raised.value)
    assert "setns: Operation not permitted" in str(raised.value)
    # and the server it forked is gone, not left as a zombie of this process
    assert not zombie_children()
