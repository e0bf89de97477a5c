"""What a block may do: the limits and allowances every block runs under."""

from __future__ import annotations

import sys
from collections.abc import Mapping
from dataclasses import dataclass, field

MIB = 1024 * 1024
GIB = 1024 * MIB


def memory_limit_enforced() -> bool:
    """macOS accepts RLIMIT_AS but does not enforce it; Linux and the BSDs do."""
    return sys.platform != "darwin"


@dataclass(frozen=True)
class IsolationPolicy:
    """Limits and allowances for every block; the defaults suit a documentation build.

    Namespaces are used only where the kernel allows them (probed once); every
    other guarantee holds without them.
    """

    # False: only what every POSIX system offers (what a Mac gets), even on Linux
    linux_isolation: bool = True
    # Namespaces (each one tried, and skipped with a note where the kernel refuses it)
    namespaces: bool = True  # own PID, mount and network namespaces
    network: bool = False  # True keeps the build machine's network (no network namespace)
    read_only_filesystem: bool = True  # everything outside the block's folders is read-only

    # Resource limits, per block process (children inherit them)
    memory_bytes: int = 4 * GIB  # address space (RLIMIT_AS)
    cpu_seconds: int | None = None  # CPU time; None = the sum of the timeouts of the job
    file_bytes: int = 1 * GIB  # largest file a block may write (RLIMIT_FSIZE)
    open_files: int = 1024  # file descriptors open at once (RLIMIT_NOFILE)
    max_processes: int = 256  # processes and threads alive at once
    tmp_bytes: int = 512 * MIB  # size of the private /tmp where namespaces are allowed

    # Environment: an allow-list; nothing else from the build's environment gets through
    env_extra: Mapping[str, str] = field(default_factory=dict)  # set for every block
    env_pass: tuple[str, ...] = ()  # names copied from the build's environment when set

    @property
    def uses_linux(self) -> bool:
        """Whether blocks get Linux's protections: only on Linux, and where not turned off."""
        return self.linux_isolation and sys.platform.startswith("linux")
