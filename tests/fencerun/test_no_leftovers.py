"""`mkdocs build` never leaves a block or worker process behind, and never hangs on one: not
after a success, not after a failing block, not after Ctrl-C."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.fencerun.conftest import build, build_env, write_project

SLOW_PAGE = """
# Slow

```bash exec="on" timeout="300" workdir="."
echo started > started.txt
sleep 250
```
"""


# Runs `python ARGS...` with SIGINT at its default, as a shell's foreground command has it.
# A test run started in the background (`scripts/test &`, a CI runner's detached shell)
# passes SIGINT on ignored, and a program that inherits it ignored keeps ignoring Ctrl-C,
# as POSIX wants of background jobs: the build would rightly go on.
AS_TYPED_IN_A_TERMINAL = (
    "import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); "
    "os.execv(sys.executable, [sys.executable, *sys.argv[1:]])"
)


def processes_in(folder: Path) -> list[int]:
    """Processes whose working folder is `folder` (the executor starts its workers there)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if Path(os.readlink(entry / "cwd")) == folder.resolve():
                found.append(int(entry.name))
        except OSError:
            continue  # ended meanwhile, or not ours to look at
    return found


def test_a_successful_build_leaves_no_process(tmp_path: Path) -> None:
    write_project(tmp_path, {"index.md": '```python exec="on"\nprint("done")\n```\n'})
    result = build(tmp_path)
    assert result.returncode == 0, result.output
    assert processes_in(tmp_path) == []


def test_a_failed_build_leaves_no_process(tmp_path: Path) -> None:
    pages = {
        "index.md": '```python exec="on"\nraise SystemExit(2)\n```\n',
        "slow.md": '```bash exec="on"\nsleep 1\necho slow\n```\n',
    }
    write_project(tmp_path, pages)
    result = build(tmp_path)
    assert result.returncode == 1
    assert "exited with 2, expected 0" in result.output
    assert processes_in(tmp_path) == []


def test_ctrl_c_stops_the_build_and_every_block_it_started(tmp_path: Path) -> None:
    write_project(tmp_path, {"index.md": SLOW_PAGE})
    mkdocs = subprocess.Popen(
        [sys.executable, "-c", AS_TYPED_IN_A_TERMINAL, "-m", "mkdocs", "build"],
        cwd=tmp_path,
        # SIGABRT makes a hung build print where each of its threads is (below).
        env=build_env({"PYTHONFAULTHANDLER": "1"}),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    started = tmp_path / "started.txt"
    deadline = time.monotonic() + 120
    while not started.exists() and mkdocs.poll() is None and time.monotonic() < deadline:
        time.sleep(0.1)
    assert started.exists(), "the slow block never started"
    mkdocs.send_signal(signal.SIGINT)
    try:
        output, _ = mkdocs.communicate(timeout=120)
    except subprocess.TimeoutExpired:
        mkdocs.send_signal(signal.SIGABRT)
        try:
            output, _ = mkdocs.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            mkdocs.kill()
            output, _ = mkdocs.communicate()
        pytest.fail(f"mkdocs build kept running after Ctrl-C; its threads then:\n{output[-8000:]}")
    assert mkdocs.returncode != 0, output
    assert processes_in(tmp_path) == []
