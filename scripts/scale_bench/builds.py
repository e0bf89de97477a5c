"""One build, timed, with the peak memory of its whole process tree (the build and the
block and card workers it starts)."""

from __future__ import annotations

import os
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path

SAMPLE_EVERY = 0.1  # seconds; a build's memory grows over seconds, not milliseconds


@dataclass(frozen=True)
class Build:
    seconds: float
    # Sum of the proportional set sizes (PSS: shared pages split among their sharers) of
    # every process of the build's tree, at the highest of its samples.
    peak_tree_mib: float
    # The largest resident set of a single process of the tree (the kernel's own count).
    peak_process_mib: float
    # CPU time of the tree (user and system): on a machine others share, steadier than the
    # wall time, which waits for their turns too.
    cpu_seconds: float

    @property
    def cores_busy(self) -> float:
        """The cores the build kept busy on average."""
        return self.cpu_seconds / self.seconds


class BuildFailed(Exception):
    def __init__(self, what: str, returncode: int, log: Path) -> None:
        tail = log.read_text(encoding="utf-8", errors="replace")[-6000:]
        super().__init__(f"{what} failed (exit {returncode}); its log ends:\n{tail}")


def timed_build(what: str, argv: list[str], cwd: Path, env: dict[str, str], log: Path) -> Build:
    """Runs argv to its end; raises BuildFailed, with the end of its log, on a non-zero exit."""
    with log.open("w", encoding="utf-8") as output:
        started = time.perf_counter()
        process = subprocess.Popen(
            argv, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=output, stderr=output
        )
        sampler = _TreeSampler(process.pid)
        sampler.start()
        # wait4 rather than wait: it also gives the largest resident set in the tree.
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        sampler.stop()
    if process.returncode != 0:
        raise BuildFailed(what, process.returncode, log)
    cpu_seconds = usage.ru_utime + usage.ru_stime
    return Build(seconds, sampler.peak_bytes / 2**20, usage.ru_maxrss / 1024, cpu_seconds)


class _TreeSampler(threading.Thread):
    def __init__(self, root: int) -> None:
        super().__init__(daemon=True)
        self.root = root
        self.peak_bytes = 0
        self._done = threading.Event()

    def run(self) -> None:
        while not self._done.wait(SAMPLE_EVERY):
            self.peak_bytes = max(self.peak_bytes, sum(map(_pss_bytes, _tree(self.root))))

    def stop(self) -> None:
        self._done.set()
        self.join()


def _tree(root: int) -> list[int]:
    found, waiting = [], [root]
    while waiting:
        pid = waiting.pop()
        found.append(pid)
        try:
            for task in os.scandir(f"/proc/{pid}/task"):
                with open(f"{task.path}/children", encoding="ascii") as children:
                    waiting += [int(child) for child in children.read().split()]
        except OSError:
            continue  # ended between two reads
    return found


def _pss_bytes(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as rollup:
            for line in rollup:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass  # ended, or a kernel thread without memory
    return 0
