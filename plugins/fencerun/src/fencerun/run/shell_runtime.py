"""Runs inside a block's container: replaces the process with bash or sh.

The shell runs a driver script that waits for the worker's go before each
step, evaluates the step's code in the shell itself (so `cd` and exported
variables carry over in a session), then writes the step's `$?` to the
control pipe. The control pipe, not a marker in the output, delimits steps,
so no output can fake the end of a step.

Each step's code waits in a memfd of its own, so that no code length limit
applies, and the driver is passed with `-c`, so that error messages read
"bash: ..." as they do for `bash -c`, not with the driver's name and lines.
"""

from __future__ import annotations

import os
import shlex
import signal
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NoReturn

# File descriptors the driver uses; set up by the container before exec. Single digits:
# sh (dash) redirects no others.
COMMAND_FD = 7
CONTROL_FD = 8
STDERR_FD = 9  # the stderr pipe, where fd 2 goes back to for a step whose stderr is apart
_FIRST_STEP_FD = 10


@dataclass(frozen=True)
class ShellStep:
    code: str
    workdir: str | None  # change to this folder first
    columns: int | None  # the block's width option, as COLUMNS while it runs
    stderr_shown: bool  # stderr joins the output (fd 1), else it goes to its own pipe


def driver_script(steps: Sequence[ShellStep], shell_name: str) -> str:
    lines = []
    for number, step in enumerate(steps):
        code_path = f"/dev/fd/{_FIRST_STEP_FD + number}"
        # `$(< file)` is a bash builtin; sh needs cat.
        read_code = f"$(< {code_path})" if shell_name == "bash" else f"$(cat {code_path})"
        lines.append(f"read -r _ <&{COMMAND_FD} || exit 0")
        lines.append("exec 2>&1" if step.stderr_shown else f"exec 2>&{STDERR_FD}")
        if step.workdir is not None:
            lines.append(f"cd {shlex.quote(step.workdir)} || exit")
        columns = f"COLUMNS={step.columns} " if step.columns else ""
        lines.append(f'{columns}eval "{read_code}"')
        lines.append(f'printf \'{{"rc": %d}}\\n\' "$?" >&{CONTROL_FD}')
    # Then the shell waits for the worker's word to end (EOF): what the block left running
    # lives until then, where the worker can see it.
    lines.append(f"read -r _ <&{COMMAND_FD}")
    # One line: the shell numbers the lines of evaluated code from the line of
    # `eval`, so on line 1 they match the lines of the block.
    return "; ".join(lines) + "\n"


def _code_file(number: int) -> int:
    """An anonymous file: in memory on Linux, else an unlinked file in the block's TMPDIR."""
    if hasattr(os, "memfd_create"):
        return os.memfd_create(f"fencerun-step-{number}", 0)
    with tempfile.TemporaryFile() as file:
        return os.dup(file.fileno())


def exec_shell(
    shell: str, name: str, steps: Sequence[ShellStep], *, privileged: bool = False
) -> NoReturn:
    """Replace this process with the shell, in this process's environment; `privileged`
    keeps an effective uid that differs from the real one (`-p`)."""
    for number, step in enumerate(steps):
        code = _code_file(number)
        os.write(code, step.code.encode())
        # Where /dev/fd/N is this descriptor rather than a fresh open (macOS), the shell
        # reads from its offset.
        os.lseek(code, 0, os.SEEK_SET)
        os.dup2(code, _FIRST_STEP_FD + number, inheritable=True)
        os.close(code)
    for fd in (COMMAND_FD, CONTROL_FD, STDERR_FD):
        os.set_inheritable(fd, True)
    # Python ignores these; a shell and its commands expect the defaults
    # (`yes | head` must end quietly).
    for number in (signal.SIGPIPE, signal.SIGXFSZ):
        signal.signal(number, signal.SIG_DFL)
    flags = ["-p", "-c"] if privileged else ["-c"]
    os.execv(shell, [name, *flags, driver_script(steps, name), name])
