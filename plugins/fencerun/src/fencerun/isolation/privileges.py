"""Give up capabilities: the bounding set once in each fork server, every capability for
good in each block, just before any code of the block runs."""

from __future__ import annotations

import contextlib

from fencerun.isolation import libc


def drop_bounding_set(last_capability: int) -> None:
    """Empty the bounding set (what execve may grant); OSError where that is not permitted.

    The capabilities held now stay: a fork server does this once, and the containers it
    forks inherit the empty set while keeping what they need to build their sandbox.
    """
    # Dropped in order: with the last one gone, the set is empty already.
    if libc.in_bounding_set(last_capability):
        for capability in range(last_capability + 1):
            libc.prctl(libc.PR_CAPBSET_DROP, capability)


def drop_privileges(last_capability: int) -> bool:
    """Give up every capability for good; returns False where that is not permitted.

    Without this, a block running as root could remount its read-only view
    writable again. `no_new_privs` is set in every case so that no set-uid
    program gives privileges back.
    """
    libc.prctl_allowed(libc.PR_SET_NO_NEW_PRIVS, 1)
    try:
        # Emptied once by the fork server where it could: then nothing is left to drop.
        drop_bounding_set(last_capability)
        libc.prctl(libc.PR_CAP_AMBIENT, libc.PR_CAP_AMBIENT_CLEAR_ALL)
        libc.clear_capabilities()
    except OSError:
        with contextlib.suppress(OSError):
            libc.clear_capabilities()
        return False
    return True


def last_capability() -> int:
    with open("/proc/sys/kernel/cap_last_cap") as file:
        return int(file.read())
