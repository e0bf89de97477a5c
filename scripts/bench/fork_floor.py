"""The least a block can cost in a fork of a warm interpreter.

    python fork_floor.py python|bash COUNT [MODULE ...]

Imports the MODULEs (a lean worker's, or none), then COUNT times: forks, runs a one-line
print in the child (or execs bash for an echo), exits, reaps. No sandbox, no pipes, no
worker. Prints the CPU seconds of all of it, parent and children; bench_exec.py's
per-block scenario shows it per block beside what a real block costs.
"""

from __future__ import annotations

import gc
import importlib
import os
import shutil
import sys


def fork_blocks(family: str, count: int, modules: list[str]) -> float:
    for name in modules:
        importlib.import_module(name)
    compile("", "<warm-up>", "exec")  # what the fork server does once: the AST types
    gc.freeze()
    devnull = os.open(os.devnull, os.O_WRONLY)
    bash = shutil.which("bash") or "/bin/bash"
    before = os.times()
    for number in range(count):
        pid = os.fork()
        if pid == 0:
            os.dup2(devnull, 1)
            if family == "bash":
                os.execv(bash, ["bash", "-c", f'echo "page {number}: bash block"'])
            code = compile(f'print("page {number}: python block")', "block.py", "exec")
            exec(code, {"__builtins__": __builtins__})
            os._exit(0)
        os.waitpid(pid, 0)
    after = os.times()
    return sum(after[:4]) - sum(before[:4])


if __name__ == "__main__":
    print(fork_blocks(sys.argv[1], int(sys.argv[2]), sys.argv[3:]))
