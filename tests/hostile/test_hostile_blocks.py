"""Hostile blocks: each one costs at most its own failure, and leaves nothing behind.

Every test runs three times: with the namespaces this kernel allows; without
any (the fallback), where every guarantee but the read-only view and the
network cut must still hold; and with only what every POSIX system offers (what
a Mac gets), where a process that leaves the block's process group is out of reach.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from fencerun.model import Result
from fencerun.run import Executor

from tests.fencerun.run.helpers import processes_marked, run_one
from tests.hostile.conftest import (
    CAP,
    OUTPUT_CAP,
    has_mount_namespace,
    mark_python,
    mark_shell,
    marked,
)

MARGIN_S = 3.0


def _finished_in_time(result: Result, timeout: float) -> bool:
    assert result.provenance is not None
    return result.provenance.duration_s < timeout + MARGIN_S


def _assert_nothing_left(marker: str) -> None:
    assert list(processes_marked(marker)) == []


# Blocks that never end on their own: each is killed at its timeout, children and all.
ENDLESS = {
    "infinite loop": ("python", "while True:\n    pass", 1),
    "timeout while a child holds the output": ("bash", "sleep 60 &\nsleep 60", 1),
}


@pytest.mark.parametrize("case", ENDLESS)
def test_an_endless_block_is_killed_promptly_at_its_timeout(
    executor: Executor, marker: str, case: str
) -> None:
    language, code, timeout = ENDLESS[case]
    result = run_one(executor, language, marked(language, marker, code), timeout=timeout)
    assert result.timed_out and _finished_in_time(result, timeout)
    assert result.returncode == -9
    _assert_nothing_left(marker)


def test_a_fork_bomb_that_holds_its_shell_is_killed_once_at_the_cap(
    executor: Executor, marker: str
) -> None:
    # The shell itself is refused forks and retries with growing pauses: the block is
    # killed a moment after it reaches the cap, long before its timeout.
    code = marked("bash", marker, "bomb() { bomb | bomb & }\nbomb\nsleep 60")
    result = run_one(executor, "bash", code, timeout=20)
    assert result.process_cap == CAP and result.returncode == -9 and not result.timed_out
    assert result.provenance is not None and result.provenance.duration_s < 20 - MARGIN_S
    _assert_nothing_left(marker)


def test_background_child_holding_the_output_open_is_killed(
    executor: Executor, marker: str
) -> None:
    code = mark_shell(marker, "sleep 60 &\necho started")
    result = run_one(executor, "bash", code, timeout=5)
    assert (result.output, result.returncode, result.timed_out) == ("started\n", 0, False)
    # Killed after a short grace (about 2 s where only the process group tells), never
    # waited for until the block's timeout.
    assert result.provenance is not None and result.provenance.duration_s < 4
    _assert_nothing_left(marker)


# Daemons a block leaves behind, out of its process group: they die with it all the same.
DAEMONS = {
    "detached setsid": (
        "bash",
        "setsid sh -c 'sleep 60' </dev/null >/dev/null 2>&1 &\n"
        "setsid -f sleep 61 </dev/null >/dev/null 2>&1\n"
        "echo detached",
        "detached\n",
    ),
    "double-forked python": (
        "python",
        "import time\n"
        "if os.fork() == 0:\n"
        "    os.setsid()\n"
        "    if os.fork() == 0:\n"
        "        time.sleep(60)\n"
        "    os._exit(0)\n"
        "print('parent done')\n",
        "parent done\n",
    ),
}


@pytest.mark.parametrize("case", DAEMONS)
@pytest.mark.needs_protection(
    "subreaper", "child subreaper (a process that leaves the block's process group is out of reach)"
)
def test_a_daemon_dies_with_its_block(executor: Executor, marker: str, case: str) -> None:
    language, code, output = DAEMONS[case]
    result = run_one(executor, language, marked(language, marker, code))
    assert result.output == output
    _assert_nothing_left(marker)


def test_memory_hog_gets_a_memory_error(executor: Executor, marker: str) -> None:
    code = mark_python(marker) + "hoard = []\nwhile True:\n    hoard.append(bytearray(64 * 2**20))"
    result = run_one(executor, "python", code, timeout=20)
    assert result.returncode == 1 and not result.timed_out
    assert result.shown_output.endswith("MemoryError\n")
    _assert_nothing_left(marker)


def test_process_spawner_hits_the_process_limit(executor: Executor, marker: str) -> None:
    code = mark_python(marker) + (
        "import time\n"
        "started = 0\n"
        "try:\n"
        "    while started < 10_000:\n"
        "        if os.fork() == 0:\n"
        "            time.sleep(60)\n"
        "            os._exit(0)\n"
        "        started += 1\n"
        "except OSError as error:\n"
        "    print('stopped:', error.strerror)\n"
        "print(started)\n"
    )
    result = run_one(executor, "python", code, timeout=10)
    stopped, started = result.output.splitlines()
    assert stopped == "stopped: Resource temporarily unavailable"
    assert int(started) < CAP  # the block's own first process counts too
    _assert_nothing_left(marker)


def test_huge_output_is_cut_and_the_page_stays_small(executor: Executor) -> None:
    # 50 MB through the block's pipe: about 2 s in portable mode on an idle 2-core machine,
    # over 5 s (the executor's default) on a busy one. What is checked is the cut, not speed.
    result = run_one(
        executor, "bash", "head -c 50000000 /dev/zero | tr '\\0' x; echo; echo end", timeout=60
    )
    assert result.truncated and result.returncode == 0
    assert len(result.output.encode()) < OUTPUT_CAP + 200
    assert result.output.endswith(
        f"[output truncated: showing the first {OUTPUT_CAP:,} bytes of 50,000,005]\n"
    )


def test_endless_output_is_cut_and_killed_at_the_timeout(executor: Executor) -> None:
    result = run_one(executor, "bash", "yes", timeout=1)
    assert result.truncated and result.timed_out and _finished_in_time(result, 1)


def test_binary_output_renders_as_safe_text(executor: Executor) -> None:
    result = run_one(
        executor, "bash", "head -c 4096 /dev/urandom; printf '\\n\\xed\\xa0\\x80 끝\\n'"
    )
    assert result.output.endswith("\ufffd\ufffd\ufffd 끝\n")
    assert not any(ord(c) < 32 and c not in "\t\n\r\x1b" for c in result.output)
    result.output.encode("utf-8")


@pytest.mark.parametrize("status", [0, 3])
def test_sys_exit_ends_only_the_block(executor: Executor, status: int) -> None:
    exited = run_one(executor, "python", f"import sys\nsys.exit({status})\nprint('after')")
    after = run_one(executor, "python", "print('next block runs')")
    assert (exited.output, exited.returncode) == ("", status)
    assert after.output == "next block runs\n"


def test_chdir_and_environment_changes_do_not_reach_the_next_block(executor: Executor) -> None:
    run_one(executor, "python", "import os\nos.chdir('/')\nos.environ['PATH'] = '/nowhere'")
    run_one(executor, "bash", "cd /; export PATH=/nowhere")
    python = run_one(
        executor,
        "python",
        "import os\nprint(os.getcwd(), os.environ['PATH'].startswith('/nowhere'))",
    )
    shell = run_one(executor, "bash", "pwd; command -v ls")
    # A private /tmp is the same on every machine and shown as it is; a host folder is not.
    workdir = "/tmp/work" if has_mount_namespace(executor) else "<workdir>"
    assert python.output == f"{workdir} False\n"
    assert shell.output.splitlines()[0] == workdir and shell.returncode == 0


@pytest.mark.needs_protection("mount namespace")
def test_writing_outside_its_folders_is_refused(executor: Executor, project: Path) -> None:
    page = project / "docs" / "page.md"
    code = (
        f"echo hacked > {page} || echo refused: project\n"
        "touch /etc/fencerun-hostile || echo refused: /etc\n"
        f"touch {Path.home()}/fencerun-hostile || echo refused: home\n"
        "echo fine > note && echo allowed: declared workdir\n"
        "echo fine > /tmp/note && echo allowed: private tmp\n"
    )
    result = run_one(executor, "bash", code, workdir="docs/scratch")
    verdicts = [
        line for line in result.output.splitlines() if line.startswith(("refused", "allowed"))
    ]
    assert verdicts == [
        "refused: project",
        "refused: /etc",
        "refused: home",
        "allowed: declared workdir",
        "allowed: private tmp",
    ]
    assert result.output.count("Read-only file system") == 3
    assert page.read_text() == "# page\n"
    assert (project / "docs" / "scratch" / "note").read_text() == "fine\n"
    assert not Path("/etc/fencerun-hostile").exists()
    assert not (Path.home() / "fencerun-hostile").exists()


@pytest.mark.needs_protection("mount namespace")
def test_remounting_the_view_writable_is_refused(executor: Executor) -> None:
    result = run_one(
        executor, "bash", "mount -o remount,rw / 2>&1; touch /etc/fencerun-hostile 2>&1"
    )
    assert "Read-only file system" in result.output
    assert not Path("/etc/fencerun-hostile").exists()


@pytest.mark.needs_protection("no network", "network namespace")
def test_network_is_unreachable_where_namespaces_are_allowed(executor: Executor) -> None:
    code = (
        "import socket\n"
        "server = socket.create_server(('127.0.0.1', 0))\n"
        "socket.create_connection(server.getsockname()).close()\n"
        "print('loopback works')\n"
        "try:\n"
        "    socket.create_connection(('1.1.1.1', 80), timeout=2)\n"
        "except OSError as error:\n"
        "    print('outside:', error.strerror)\n"
    )
    result = run_one(executor, "python", code)
    assert result.output == "loopback works\noutside: Network is unreachable\n"
