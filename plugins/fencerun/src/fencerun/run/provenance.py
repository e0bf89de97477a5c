"""What an output comes from: OS and kernel, interpreter, when and how long; never the
machine's host name or user, which the published footer would give away."""

from __future__ import annotations

import functools
import os
import platform
import shutil
import subprocess
from datetime import datetime

from fencerun.model import Provenance
from fencerun.run.steps import Family


@functools.cache
def _operating_system() -> str:
    name = platform.system()
    try:
        with open("/etc/os-release") as release:
            for line in release:
                key, _, value = line.strip().partition("=")
                if key == "PRETTY_NAME":
                    name = value.strip('"')
    except OSError:
        pass
    return f"{name} (kernel {platform.release()})"


@functools.cache
def interpreter(family: Family) -> str:
    if family == "python":
        return f"{platform.python_implementation()} {platform.python_version()}"
    shell = shutil.which(family)
    if shell is None:
        return family
    if family == "bash":
        version = subprocess.run(
            [
                shell,
                "-c",
                'printf %s "${BASH_VERSINFO[0]}.${BASH_VERSINFO[1]}.${BASH_VERSINFO[2]}"',
            ],
            capture_output=True,
            text=True,
            check=False,
        ).stdout
        return f"bash {version}".strip()
    return f"sh ({os.path.basename(os.path.realpath(shell))})"


def now_iso() -> str:
    return datetime.now().astimezone().isoformat(timespec="milliseconds")


def provenance(family: Family, started_at: str, duration_s: float) -> Provenance:
    return Provenance(
        os=_operating_system(),
        interpreter=interpreter(family),
        started_at=started_at,
        duration_s=round(duration_s, 4),
    )
