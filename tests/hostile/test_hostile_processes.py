"""What a block can do to the build's other processes: with a PID namespace, nothing. It can
neither signal them (the author's editor, the preview server, the build itself) nor, with a
/proc of its own, list them and read their command lines, where secrets are often passed."""

from __future__ import annotations

import secrets
import subprocess
import sys
from collections.abc import Iterator

import pytest
from fencerun.run import Executor

from tests.fencerun.run.helpers import run_one
from tests.not_checked import Cause, skip_for


@pytest.fixture
def bystander() -> Iterator[tuple[subprocess.Popen[bytes], str]]:
    """A process of the build's user, not the build's, with a secret on its command line."""
    secret = "--password=" + secrets.token_hex(8)
    process = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(300)", secret])
    yield process, secret
    process.kill()
    process.wait()


@pytest.mark.needs_protection("PID namespace")
def test_a_block_with_a_pid_namespace_cannot_signal_the_builds_processes(
    executor: Executor, bystander: tuple[subprocess.Popen[bytes], str]
) -> None:
    process, _ = bystander
    result = run_one(executor, "bash", f"kill -9 {process.pid} 2>&1; kill -9 -1 2>&1; echo done")
    assert result.output.rstrip().endswith("done"), result.output
    assert process.poll() is None, "the block killed a process outside its namespace"


@pytest.mark.needs_protection("PID namespace")
def test_a_block_with_its_own_proc_sees_only_its_own_processes(
    executor: Executor, bystander: tuple[subprocess.Popen[bytes], str]
) -> None:
    _, secret = bystander
    if "a /proc of the block's own (" in executor.protections_summary():
        skip_for(Cause.MACHINE, "a /proc of the block's own; the protections line says so")
    result = run_one(
        executor,
        "bash",
        "cat /proc/[0-9]*/cmdline 2>/dev/null | tr '\\0' ' '; echo\nls /proc | grep -c '^[0-9]'",
    )
    assert secret not in result.output
    # bash and its ls, grep and cat: nothing of the machine
    assert int(result.output.split()[-1]) <= 4, result.output
