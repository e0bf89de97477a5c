"""The Executor's own promises: futures, closing, and what it tells the build log."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from concurrent.futures import CancelledError
from pathlib import Path

import pytest
from fencerun.isolation import IsolationPolicy
from fencerun.isolation.environment import block_environment
from fencerun.run import Executor, worker_slot

from tests.fencerun.run.helpers import block, processes_marked, run_one


def test_submit_returns_futures_without_waiting(executor: Executor) -> None:
    futures = executor.submit([block("bash", "sleep 0.5")])
    assert not futures[0].done()
    assert futures[0].result(timeout=30).returncode == 0


def test_protections_summary_is_one_line_naming_each_protection(executor: Executor) -> None:
    summary = executor.protections_summary()
    assert "\n" not in summary
    assert summary.startswith("process group")
    for words in ("environment allow-list", "private paths rewritten", "memory"):
        assert words in summary


def test_summary_says_what_is_turned_off(project: Path) -> None:
    with Executor(project_dir=project, workers=1, policy=IsolationPolicy(namespaces=False)) as pool:
        summary = pool.protections_summary()
    assert "namespaces (turned off by the policy)" in summary
    assert "PID namespace" not in summary.split("; not available:")[0]


def test_portable_summary_says_exactly_what_holds(project: Path) -> None:
    """What a Mac gets, forced here: the line names what is active, and nothing it lacks."""
    policy = IsolationPolicy(linux_isolation=False)
    with Executor(project_dir=project, workers=1, policy=policy) as pool:
        summary = pool.protections_summary()
    active, _, missing = summary.partition("; not available: ")
    assert active.startswith("own process group (killed when")
    for words in (
        "at most 256 processes (RLIMIT_NPROC",
        "file 1 GiB, 1024 open files, CPU time",
        "private temporary working folder",
        "environment allow-list",
        "private paths rewritten",
    ):
        assert words in active
    for words in ("namespace", "subreaper", "capabilities dropped", "pids cgroup"):
        assert words not in active
    assert "namespaces, subreaper and capability dropping (turned off by the policy)" in missing
    assert "(setsid) is not killed with it" in missing


def test_block_environment_is_the_allow_list() -> None:
    build = {**os.environ, "GITHUB_TOKEN": "t", "AWS_SECRET_ACCESS_KEY": "k", "USER": "me"}
    environment = block_environment(
        IsolationPolicy(), build, home="<home>", tmp="<tmp>", config_dir="<project>"
    )
    assert environment["HOME"] == "<home>" and environment["TMPDIR"] == "<tmp>"
    assert environment["MKDOCS_CONFIG_DIR"] == "<project>"
    assert environment["LC_ALL"] == "C.UTF-8"
    assert not {"GITHUB_TOKEN", "AWS_SECRET_ACCESS_KEY", "USER"} & environment.keys()


def test_each_block_gets_its_own_home_and_tmp_without_namespaces(project: Path) -> None:
    # Without a mount namespace each container has folders of its own, removed after it:
    # a container that kept the previous one's environment would find them gone.
    check = 'test -d "$HOME" && test -w "$TMPDIR" && touch "$HOME/mine" && ls "$HOME"'
    python_check = (
        "import os\n"
        "open(os.path.join(os.environ['HOME'], 'mine'), 'w').close()\n"
        "print(os.listdir(os.environ['HOME']), os.access(os.environ['TMPDIR'], os.W_OK))"
    )
    with Executor(project_dir=project, workers=1, policy=IsolationPolicy(namespaces=False)) as pool:
        outputs = [run_one(pool, "bash", check).output for _ in range(3)]
        outputs += [run_one(pool, "python", python_check).output for _ in range(2)]
    assert outputs == ["mine\n"] * 3 + ["['mine'] True\n"] * 2


def test_policy_adds_and_passes_through_variables(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SITE_FLAVOUR", "dark")
    monkeypatch.setenv("UNLISTED", "hidden")
    policy = IsolationPolicy(env_extra={"GREETING": "안녕"}, env_pass=("SITE_FLAVOUR",))
    with Executor(project_dir=project, workers=1, policy=policy) as pool:
        result = run_one(pool, "bash", 'echo "$GREETING $SITE_FLAVOUR ${UNLISTED:-none}"')
    assert result.output == "안녕 dark none\n"


def test_close_kills_running_blocks_and_cancels_queued_ones(project: Path) -> None:
    marker = f"fencerun-close-{time.monotonic_ns()}"
    pool = Executor(project_dir=project, workers=1)
    running = pool.submit([block("bash", f"exec -a {marker} sleep 60")])[0]
    queued = pool.submit([block("bash", "echo never")])[0]
    deadline = time.monotonic() + 60
    while not list(processes_marked(marker)):  # the block has started
        assert time.monotonic() < deadline, "the block never started"
        time.sleep(0.01)
    pool.close()
    pool.close()
    assert list(processes_marked(marker)) == []
    with pytest.raises(CancelledError):
        queued.result(timeout=5)
    assert running.done()
    with pytest.raises(RuntimeError, match="closed"):
        pool.submit([block("bash", "true")])


STOPPED_AT_EXIT = """
import atexit, os, signal, sys, time
from fencerun.run import worker
worker._worker_pid = os.getpid()
signal.signal(signal.SIGTERM, worker._terminate)
atexit.register(time.sleep, 30)
print("ready", flush=True)
"""


def test_a_worker_stopped_anywhere_leaves_quietly() -> None:
    # The build stops workers whatever they are doing: still importing, or already
    # shutting down because the build closed their pipe. Here the signal lands in the
    # interpreter's exit, where raising SystemExit would print a traceback into the log.
    child = subprocess.Popen(
        [sys.executable, "-c", STOPPED_AT_EXIT],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None and child.stdout.readline() == "ready\n"
    time.sleep(0.3)  # into the atexit sleep
    child.terminate()
    _, errors = child.communicate(timeout=20)
    assert "Traceback" not in errors, errors
    assert child.returncode == 0


def test_a_pool_closed_while_its_workers_start_leaves_no_worker_running(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`close` waits a grace for each worker; a worker that starts after it gave up (a busy
    machine) must still be stopped, not left running for the garbage collector to find."""
    monkeypatch.setattr(worker_slot, "_STOP_GRACE_S", 0.0)
    before = set(threading.enumerate())  # other pools of this session have threads too
    pool = Executor(project_dir=project, workers=1)
    slots = [thread for thread in set(threading.enumerate()) - before]
    pool.close()
    for thread in slots:
        thread.join(60)
    assert not [thread for thread in slots if thread.is_alive()]
    assert slots, "the pool started no worker slot"
