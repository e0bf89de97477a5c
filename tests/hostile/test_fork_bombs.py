"""A fork bomb is capped in every mode, fails its block with the cap named, ends within its
timeout, and leaves nothing running; a block that starts a few processes under the cap passes.

The modes are the hostile executors' three (Linux namespaces, no namespaces, only what every
POSIX system has) and, run in a child process, a root build whose mount namespace has the
cgroup hierarchy holding the pids controller unmounted: no pids cgroup, and RLIMIT_NPROC
sparing root, so fencerun must run the blocks under a uid of their own. Every process here
is under the tests' own ceiling (conftest), so a bomb that got past fencerun still could not
take the machine down.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from fencerun.errors import failure_of
from fencerun.run import Executor

from tests.fencerun.run.helpers import block, processes_marked, run, run_one
from tests.hostile.ceiling import pids_mount
from tests.hostile.conftest import (
    CAP,
    mark_shell,
)
from tests.not_checked import Cause, skip_for

# The bomb backgrounds itself and its shell would end at once, its processes killed with
# it; the shell stays a while, so the bomb has the time to reach the cap.
CLASSIC_BOMB = ":(){ :|:& };:\nsleep 2"
# As people write it: the shell ends at once, and what it left must still be caught.
BARE_BOMB = ":(){ :|:& };:"
UNDER_THE_CAP = "for n in 1 2 3 4 5; do sleep 30 & done\necho started"
CAP_MESSAGE = f"reached its process cap of {CAP} processes (a fork bomb?)"
FORK_LOOP = textwrap.dedent(
    """\
    import os, time
    started = 0
    try:
        while True:
            if os.fork() == 0:
                time.sleep(60)
                os._exit(0)
            started += 1
    finally:
        print("started", started, flush=True)
    """
)


@contextmanager
def peak_of(marker: str) -> Iterator[list[int]]:
    """The most processes carrying the marker seen at once while the body runs."""
    peak = [0]
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            peak[0] = max(peak[0], len(list(processes_marked(marker))))
            time.sleep(0.01)

    sampler = threading.Thread(target=sample)
    sampler.start()
    try:
        yield peak
    finally:
        done.set()
        sampler.join()


def test_classic_fork_bomb_stays_at_the_cap(executor: Executor, marker: str) -> None:
    with peak_of(marker) as peak:
        result = run_one(executor, "bash", mark_shell(marker, CLASSIC_BOMB), timeout=10)
    assert "fork: retry: Resource temporarily unavailable" in result.output
    # A sample of /proc is not one instant: a process counted may have ended before the
    # next one was; the cap is what the kernel enforces at every fork.
    assert 1 < peak[0] <= CAP
    assert result.process_cap == CAP
    assert list(processes_marked(marker)) == []


def test_bare_classic_fork_bomb_fails_its_block_naming_the_cap(
    executor: Executor, marker: str
) -> None:
    bomb = block("bash", mark_shell(marker, BARE_BOMB), timeout=10)
    # No peak sampled here: the bomb is killed as soon as it reaches the cap, often before
    # a sample of /proc; the cap itself is checked with the bomb that stays (above).
    (result,) = run(executor, bomb)
    failure = failure_of(bomb, result)
    assert failure is not None, result
    assert f"posts/example.md:10: bash block {CAP_MESSAGE}" in failure.describe()
    assert not result.timed_out and result.process_cap == CAP
    assert list(processes_marked(marker)) == []


def test_a_few_background_processes_under_the_cap_pass(executor: Executor, marker: str) -> None:
    calm = block("bash", mark_shell(marker, UNDER_THE_CAP), timeout=10)
    (result,) = run(executor, calm)
    assert (result.output, result.process_cap, failure_of(calm, result)) == (
        "started\n",
        None,
        None,
    )
    assert list(processes_marked(marker)) == []


def test_fork_loop_fails_with_its_error_at_the_cap(executor: Executor) -> None:
    result = run_one(executor, "python", FORK_LOOP, timeout=10)
    assert not result.timed_out and result.returncode == 1
    started = int(result.output.split("started ", 1)[1].split()[0])
    assert 0 < started < CAP  # the block's first process counts too
    assert "BlockingIOError: [Errno 11] Resource temporarily unavailable" in result.shown_output
    assert result.process_cap == CAP


# Run as root in a mount namespace without the pids hierarchy: a build of one page whose
# blocks are the two bombs, then each variant's executor on them. Prints JSON.
HIDDEN_PIDS_RUN = textwrap.dedent(
    """\
    import json, os, subprocess, sys, threading, time
    from pathlib import Path
    from fencerun.isolation import IsolationPolicy
    from fencerun.model import Block, BlockOptions, SourceLocation
    from fencerun.run import Executor

    project, marker, cap, bomb, loop, bare, calm = sys.argv[1:8]
    from fencerun.isolation.limits import pids_parent
    mounts, membership = Path("/proc/self/mountinfo"), Path("/proc/self/cgroup")
    report = {"pids": pids_parent(mounts.read_text(), membership.read_text()) is not None}
    build = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build"], cwd=project,
        capture_output=True, text=True, timeout=300,
    )
    report["build"] = [build.returncode, build.stdout + build.stderr]

    def peak_of_marked(stop, peak):
        while not stop.is_set():
            count = 0
            for entry in Path("/proc").iterdir():
                try:
                    if entry.name.isdigit() and marker.encode() in (entry / "comm").read_bytes():
                        count += 1
                except OSError:
                    pass
            peak[0] = max(peak[0], count)
            time.sleep(0.01)

    for variant in ("namespaces", "fallback", "portable"):
        policy = IsolationPolicy(
            linux_isolation=variant != "portable", namespaces=variant == "namespaces",
            max_processes=int(cap),
        )
        with Executor(project_dir=project, workers=1, policy=policy) as pool:
            def run(language, code, timeout):
                block = Block(language=language, code=code, options=BlockOptions(timeout=timeout),
                              location=SourceLocation("page.md", 1), index=0)
                return pool.submit([block])[0].result(timeout=120)
            stop, peak = threading.Event(), [0]
            sampler = threading.Thread(target=peak_of_marked, args=(stop, peak))
            sampler.start()
            marked = f"printf %s {marker} > /proc/$$/comm\\n" + bomb
            bombed = run("bash", marked, 10)
            stop.set()
            sampler.join()
            looped = run("python", loop, 10)
            bare_bomb = run("bash", bare, 10)
            under = run("bash", calm, 10)
            report[variant] = {
                "summary": pool.protections_summary(),
                "bomb": [bombed.output, peak[0], bombed.process_cap],
                "loop": [looped.returncode, looped.output, looped.process_cap],
                "bare": [bare_bomb.timed_out, bare_bomb.process_cap],
                "calm": [under.output, under.process_cap],
            }
    print(json.dumps(report))
    """
)


def _hidden_pids_page(project: Path) -> None:
    (project / "docs").mkdir(parents=True)
    (project / "mkdocs.yml").write_text(
        "site_name: bombs\nplugins:\n  - fencerun:\n      timeout: 30\n"
        "markdown_extensions:\n  - pymdownx.superfences\n"
    )
    loop = f'```python exec="on"\n{FORK_LOOP}```\n'
    (project / "docs" / "index.md").write_text(f"# bombs\n\n{loop}")


@pytest.mark.needs_root("only root is spared by RLIMIT_NPROC and may unmount the pids hierarchy")
def test_root_build_without_pids_controller_caps_each_mode(tmp_path: Path, marker: str) -> None:
    hierarchy = pids_mount()
    if hierarchy is None:
        skip_for(Cause.MACHINE, "a pids controller to hide: see the hostile variants")
    unshare = shutil.which("unshare")
    assert unshare is not None, "util-linux's unshare is needed to hide the pids hierarchy"
    project = tmp_path / "project"
    _hidden_pids_page(project)
    hide_and_run = f'umount -l {hierarchy} && exec "$0" "$@"'
    done = subprocess.run(
        [
            *(unshare, "--mount", "--propagation", "private", "sh", "-c", hide_and_run),
            *(sys.executable, "-c", HIDDEN_PIDS_RUN, str(project), marker, str(CAP)),
            *(CLASSIC_BOMB, FORK_LOOP, BARE_BOMB, UNDER_THE_CAP),
        ],
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["pids"] is False
    code, log = report["build"]
    assert code == 1 and "index.md:3" in log, log
    assert "BlockingIOError: [Errno 11] Resource temporarily unavailable" in log
    assert "index.md:3: python block reached its process cap of 256 processes" in log, log
    for variant in ("namespaces", "fallback", "portable"):
        summary = report[variant]["summary"]
        assert f"at most {CAP} processes (RLIMIT_NPROC, each block under a uid" in summary
        output, peak, cap = report[variant]["bomb"]
        assert "fork: retry: Resource temporarily unavailable" in output, (variant, output)
        assert 1 < peak <= CAP and cap == CAP, (variant, peak, cap)
        returncode, output, cap = report[variant]["loop"]
        started = int(output.split("started ", 1)[1].split()[0])
        assert returncode == 1 and 0 < started < CAP and cap == CAP, (variant, output, cap)
        # Under RLIMIT_NPROC nothing counts refused forks: the shell's own message about
        # them names the cap, where a count of processes may come a moment late.
        timed_out, cap = report[variant]["bare"]
        assert not timed_out and cap == CAP, (variant, cap)
        assert report[variant]["calm"] == ["started\n", None], variant
    assert list(processes_marked(marker)) == []
