"""Runs inside a block's container: replaces the process with bash or sh.

The shell runs a driver script that waits for the worker's go before each
step, evaluates the step's code in the shell itself (so `cd` and exported
variables carry over in a session), then writes the step's `$?` to the
control pipe. The control pipe, not a marker in the output, delimits steps,
so no output can fake the end of a step.
"""

from __future__ import annotations

import os
import shlex
import signal
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import NoReturn

# File descriptors the driver uses; set up by the container before exec.
COMMAND_FD = 7
CONTROL_FD = 8
_DRIVER_FD = 9


@dataclass(frozen=True)
class ShellStep:
    code: str
    workdir: str | None  # change to this folder first


def driver_script(steps: Sequence[ShellStep]) -> str:
    lines = []
    for step in steps:
        lines.append(f"read -r _ <&{COMMAND_FD} || exit 0")
        if step.workdir is not None:
            lines.append(f"cd {shlex.quote(step.workdir)} || exit")
        lines.append(f"eval {shlex.quote(step.code)}")
        lines.append(f'printf \'{{"rc": %d}}\\n\' "$?" >&{CONTROL_FD}')
    return "\n".join(lines) + "\n"


def exec_shell(
    shell: str, name: str, steps: Sequence[ShellStep], env: Mapping[str, str]
) -> NoReturn:
    driver = os.memfd_create("fencerun-driver", 0)
    os.write(driver, driver_script(steps).encode())
    os.dup2(driver, _DRIVER_FD, inheritable=True)
    os.close(driver)
    for fd in (COMMAND_FD, CONTROL_FD):
        os.set_inheritable(fd, True)
    # Python ignores these; a shell and its commands expect the defaults
    # (`yes | head` must end quietly).
    for number in (signal.SIGPIPE, signal.SIGXFSZ):
        signal.signal(number, signal.SIG_DFL)
    os.execve(shell, [name, "-c", f". /dev/fd/{_DRIVER_FD}", name], dict(env))
