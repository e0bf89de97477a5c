"""The CPU one cheap block costs, through one fencerun worker, split by process.

    python per_block_cpu.py python|bash COUNT

Runs COUNT one-line blocks one at a time through an Executor with one worker and prints, as
JSON, the milliseconds of CPU (user and system) each cost in the build (this process), the
worker, its fork server and the blocks' own processes (what the fork server reaped), read
from /proc. bench_exec.py's per-block scenario prints them.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from fencerun.model import Block, BlockOptions, SourceLocation
from fencerun.run.executor import Executor

CODE = {
    "python": 'print("page {}: python block")',
    "bash": 'echo "page {}: bash block"',
}
TICKS = os.sysconf("SC_CLK_TCK")


def children(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as stat:
                    if int(stat.read().rsplit(")", 1)[1].split()[1]) == pid:
                        found.append(int(entry))
            except OSError:
                pass  # gone meanwhile
    return found


def cpu(pid: int) -> list[float]:
    """utime, stime, and the same for the children it has reaped, in seconds."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return [int(value) / TICKS for value in fields[11:15]]


def block(language: str, number: int) -> Block:
    return Block(
        language=language,
        code=CODE[language].format(number),
        options=BlockOptions(),
        location=SourceLocation("bench.md", number + 1),
        index=number,
    )


def per_block_ms(language: str, count: int) -> dict[str, float]:
    with Executor(project_dir=Path.cwd(), workers=1) as executor:
        executor.submit([block(language, -1)])[0].result()  # the worker and its server start
        worker = children(os.getpid())[0]
        server = children(worker)[0]
        worker_before, server_before = cpu(worker), cpu(server)
        build_before = os.times()
        for number in range(count):
            result = executor.submit([block(language, number)])[0].result()
            assert result.returncode == 0, result
        build_after = os.times()
        worker_after, server_after = cpu(worker), cpu(server)
    per = 1000 / count
    return {
        "build": (sum(build_after[:2]) - sum(build_before[:2])) * per,
        "worker": (sum(worker_after[:2]) - sum(worker_before[:2])) * per,
        "fork server": (sum(server_after[:2]) - sum(server_before[:2])) * per,
        "block processes": (sum(server_after[2:]) - sum(server_before[2:])) * per,
    }


if __name__ == "__main__":
    print(json.dumps(per_block_ms(sys.argv[1], int(sys.argv[2]))))
