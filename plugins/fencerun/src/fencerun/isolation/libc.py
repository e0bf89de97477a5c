"""The few Linux system calls the sandbox needs that Python 3.11's `os` lacks.

`unshare`, `setns`, `mount`, `mount_setattr`, `prctl` and `capset` are called
through libc with ctypes; each raises `OSError` with the errno, like `os` does.
"""

from __future__ import annotations

import ctypes
import os

CLONE_NEWNS = 0x0002_0000
CLONE_NEWUSER = 0x1000_0000
CLONE_NEWPID = 0x2000_0000
CLONE_NEWNET = 0x4000_0000

MS_RDONLY = 1
MS_NOSUID = 2
MS_NODEV = 4
MS_NOEXEC = 8
MS_REMOUNT = 32
MS_NOATIME = 1024
MS_NODIRATIME = 2048
MS_BIND = 4096
MS_REC = 16384
MS_PRIVATE = 1 << 18
MS_RELATIME = 1 << 21

AT_FDCWD = -100
AT_RECURSIVE = 0x8000
MOUNT_ATTR_RDONLY = 0x1
_SYS_MOUNT_SETATTR = 442  # x86_64 and arm64 alike (the unified syscall table)

PR_SET_PDEATHSIG = 1
PR_SET_DUMPABLE = 4
PR_CAPBSET_READ = 23
PR_CAPBSET_DROP = 24
PR_SET_NO_NEW_PRIVS = 38
PR_SET_CHILD_SUBREAPER = 36
PR_CAP_AMBIENT = 47
PR_CAP_AMBIENT_CLEAR_ALL = 4

_LINUX_CAPABILITY_VERSION_3 = 0x2008_0522
_IONBF = 2

_libc = ctypes.CDLL(None, use_errno=True)
_libc.unshare.argtypes = [ctypes.c_int]
_libc.mount.argtypes = [
    ctypes.c_char_p,
    ctypes.c_char_p,
    ctypes.c_char_p,
    ctypes.c_ulong,
    ctypes.c_char_p,
]
_libc.setns.argtypes = [ctypes.c_int, ctypes.c_int]
_libc.prctl.argtypes = [
    ctypes.c_int,
    ctypes.c_ulong,
    ctypes.c_ulong,
    ctypes.c_ulong,
    ctypes.c_ulong,
]


class _MountAttr(ctypes.Structure):
    _fields_ = [
        ("attr_set", ctypes.c_uint64),
        ("attr_clr", ctypes.c_uint64),
        ("propagation", ctypes.c_uint64),
        ("userns_fd", ctypes.c_uint64),
    ]


class _CapHeader(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]


class _CapData(ctypes.Structure):
    _fields_ = [
        ("effective", ctypes.c_uint32),
        ("permitted", ctypes.c_uint32),
        ("inheritable", ctypes.c_uint32),
    ]


def _check(result: int, what: str) -> None:
    if result != 0:
        errno = ctypes.get_errno()
        raise OSError(errno, f"{what}: {os.strerror(errno)}")


def unshare(flags: int) -> None:
    _check(int(_libc.unshare(flags)), "unshare")


def setns(fd: int, nstype: int) -> None:
    _check(int(_libc.setns(fd, nstype)), "setns")


def mount(
    source: str | None, target: str, fstype: str | None, flags: int, data: str | None = None
) -> None:
    def encode(text: str | None) -> bytes | None:
        return None if text is None else os.fsencode(text)

    result = int(_libc.mount(encode(source), encode(target), encode(fstype), flags, encode(data)))
    _check(result, f"mount {target}")


def mount_setattr(
    path: str, *, recursive: bool, set_flags: int = 0, clear_flags: int = 0, propagation: int = 0
) -> None:
    """Change a mount (and with `recursive` every mount below it) in one call (Linux 5.12+)."""
    attributes = _MountAttr(set_flags, clear_flags, propagation, 0)
    result = int(
        _libc.syscall(
            _SYS_MOUNT_SETATTR,
            ctypes.c_int(AT_FDCWD),
            ctypes.c_char_p(os.fsencode(path)),
            ctypes.c_uint(AT_RECURSIVE if recursive else 0),
            ctypes.byref(attributes),
            ctypes.c_size_t(ctypes.sizeof(attributes)),
        )
    )
    _check(result, f"mount_setattr {path}")


def plain_fork() -> int:
    """fork(2) without Python's after-fork handlers, for a single-threaded caller.

    `os.fork` also resets the locks and thread records of the threading module in
    the child, which writes to a few hundred pages that the child then owns as
    copies. With no other thread there is nothing to reset; the caller reseeds
    `random` itself if it needs to.
    """
    pid = int(_libc.fork())
    if pid < 0:
        _check(pid, "fork")
    return pid


def in_bounding_set(capability: int) -> bool:
    """Whether the capability is still in this process's bounding set."""
    result = int(_libc.prctl(PR_CAPBSET_READ, capability, 0, 0, 0))
    if result < 0:
        _check(result, "prctl PR_CAPBSET_READ")
    return result == 1


def prctl(option: int, argument: int = 0) -> None:
    _check(int(_libc.prctl(option, argument, 0, 0, 0)), f"prctl {option}")


def unbuffer_c_stdio() -> None:
    """Make C's stdout and stderr unbuffered, so C extensions keep their place in the output."""
    for name in ("stdout", "stderr"):
        stream = ctypes.c_void_p.in_dll(_libc, name)
        _libc.setvbuf(stream, None, _IONBF, 0)


def flush_c_stdio() -> None:
    _libc.fflush(None)


# capset's arguments for "no capabilities", made once: a container that made them itself
# would pay for the pages that writes to.
_CAPSET_HEADER = _CapHeader(_LINUX_CAPABILITY_VERSION_3, 0)
_CAPSET_EMPTY = (_CapData * 2)()


def clear_capabilities() -> None:
    """Empty the effective, permitted and inheritable sets of this process."""
    _check(int(_libc.capset(ctypes.byref(_CAPSET_HEADER), _CAPSET_EMPTY)), "capset")
