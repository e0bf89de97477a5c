"""The few Linux system calls the sandbox needs that Python's `os` lacks.

Nothing is looked up at import: each C function is bound on its first call, so
this module imports on every POSIX system, and a call the system does not have
raises `OSError(ENOSYS)` like any refused call, which the callers already handle.
Each raises `OSError` with the errno, like `os` does.

Why each one is still called through ctypes: `unshare` and `setns` have no `os`
counterpart before Python 3.12 (where `os` has them, `os` is used); `mount`,
`mount_setattr`, `open_tree`, `move_mount`, `prctl` and `capset` have none in any
version; `fork` is wanted without `os.fork`'s after-fork handlers, and `clone` to fork
into new namespaces; `setvbuf` and `fflush` reach C's stdio, which Python does not
expose.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import functools
import os
import signal
from collections.abc import Callable, Iterator
from typing import Any

CLONE_NEWNS = 0x0002_0000
CLONE_NEWUTS = 0x0400_0000
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
AT_EMPTY_PATH = 0x1000
AT_RECURSIVE = 0x8000
MOUNT_ATTR_RDONLY = 0x1
MOUNT_ATTR_IDMAP = 0x10_0000
_OPEN_TREE_CLONE = 1
_OPEN_TREE_CLOEXEC = os.O_CLOEXEC
_MOVE_MOUNT_F_EMPTY_PATH = 0x4
# x86_64 and arm64 alike (the unified syscall table)
_SYS_OPEN_TREE = 428
_SYS_MOVE_MOUNT = 429
_SYS_MOUNT_SETATTR = 442
# clone predates the unified table; with no stack and no TID pointers, its arguments mean
# the same on both machines.
_SYS_CLONE = {"x86_64": 56, "aarch64": 220}

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
# Where C's stdout and stderr live: glibc and musl export `stdout`, macOS `__stdoutp`.
_STDIO_SYMBOLS = (("stdout", "__stdoutp"), ("stderr", "__stderrp"))


@functools.cache
def _library() -> ctypes.CDLL:
    return ctypes.CDLL(None, use_errno=True)


_TEXT, _ULONG = ctypes.c_char_p, ctypes.c_ulong
# Argument types where ctypes cannot guess them from the Python values passed.
_ARGTYPES: dict[str, list[Any]] = {
    "unshare": [ctypes.c_int],
    "setns": [ctypes.c_int, ctypes.c_int],
    "mount": [_TEXT, _TEXT, _TEXT, _ULONG, _TEXT],
    "prctl": [ctypes.c_int, _ULONG, _ULONG, _ULONG, _ULONG],
}
_LINUX_ONLY = ("unshare", "setns", "mount", "prctl", "capset", "syscall")


@functools.cache
def _function(name: str) -> Callable[..., Any]:
    """The C function `name`, bound on first use; OSError(ENOSYS) where there is none."""
    try:
        function: Any = getattr(_library(), name)
    except AttributeError:
        raise OSError(errno.ENOSYS, f"{name}: not available on this system") from None
    if name in _ARGTYPES:
        function.argtypes = _ARGTYPES[name]
    return function  # type: ignore[no-any-return]


def bind_linux_calls() -> None:
    """Bind now, in a process that forks containers, what each container calls: each
    fork would otherwise look them up again, and copy the pages the lookup writes to."""
    for name in (*_LINUX_ONLY, "fork"):
        with contextlib.suppress(OSError):
            _function(name)


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
        number = ctypes.get_errno()
        raise OSError(number, f"{what}: {os.strerror(number)}")


def _prctl(option: int, argument: int) -> int:
    return int(_function("prctl")(option, argument, 0, 0, 0))


def unshare(flags: int) -> None:
    native = getattr(os, "unshare", None)  # Python 3.12+
    if native is None:
        _check(int(_function("unshare")(flags)), "unshare")
        return
    with named("unshare"):
        native(flags)


def setns(fd: int, nstype: int) -> None:
    native = getattr(os, "setns", None)  # Python 3.12+
    if native is None:
        _check(int(_function("setns")(fd, nstype)), "setns")
        return
    with named("setns"):
        native(fd, nstype)


@contextlib.contextmanager
def named(what: str) -> Iterator[None]:
    """Python's own call raises as ours do (`_check`): naming the call, which the
    protections line passes on, on every Python."""
    try:
        yield
    except OSError as error:
        raise OSError(error.errno, f"{what}: {error.strerror}") from None


def mount(
    source: str | None, target: str, fstype: str | None, flags: int, data: str | None = None
) -> None:
    def encode(text: str | None) -> bytes | None:
        return None if text is None else os.fsencode(text)

    function = _function("mount")
    result = int(function(encode(source), encode(target), encode(fstype), flags, encode(data)))
    _check(result, f"mount {target}")


def mount_setattr(
    path: str | int,
    *,
    recursive: bool,
    set_flags: int = 0,
    clear_flags: int = 0,
    propagation: int = 0,
    userns_fd: int = 0,
) -> None:
    """Change a mount (and with `recursive` every mount below it) in one call (Linux 5.12+).

    `path` is a path, or a file descriptor of a detached mount (`open_tree`); `userns_fd`,
    with MOUNT_ATTR_IDMAP, is the user namespace whose mapping the mount takes on.
    """
    attributes = _MountAttr(set_flags, clear_flags, propagation, userns_fd)
    flags = AT_RECURSIVE if recursive else 0
    if isinstance(path, int):
        at, where, what = path, b"", "(a detached mount)"
        flags |= AT_EMPTY_PATH
    else:
        at, where, what = AT_FDCWD, os.fsencode(path), path
    result = int(
        _function("syscall")(
            _SYS_MOUNT_SETATTR,
            ctypes.c_int(at),
            ctypes.c_char_p(where),
            ctypes.c_uint(flags),
            ctypes.byref(attributes),
            ctypes.c_size_t(ctypes.sizeof(attributes)),
        )
    )
    _check(result, f"mount_setattr {what}")


def open_tree(path: str) -> int:
    """A detached copy of the mount at `path`, with every mount below it (Linux 5.2+): a file
    descriptor, closed on exec, that `move_mount` attaches."""
    flags = _OPEN_TREE_CLONE | _OPEN_TREE_CLOEXEC | AT_RECURSIVE
    result = int(
        _function("syscall")(
            _SYS_OPEN_TREE,
            ctypes.c_int(AT_FDCWD),
            ctypes.c_char_p(os.fsencode(path)),
            ctypes.c_uint(flags),
        )
    )
    if result < 0:
        _check(result, f"open_tree {path}")
    return result


def move_mount(tree: int, target: str) -> None:
    """Attach the detached mount `tree` (`open_tree`) at `target` (Linux 5.2+)."""
    result = int(
        _function("syscall")(
            _SYS_MOVE_MOUNT,
            ctypes.c_int(tree),
            ctypes.c_char_p(b""),
            ctypes.c_int(AT_FDCWD),
            ctypes.c_char_p(os.fsencode(target)),
            ctypes.c_uint(_MOVE_MOUNT_F_EMPTY_PATH),
        )
    )
    _check(result, f"move_mount {target}")


def plain_fork() -> int:
    """fork(2) without Python's after-fork handlers, for a single-threaded caller.

    `os.fork` also resets the locks and thread records of the threading module in
    the child, which writes to pages that the child then owns as copies. With no
    other thread there is nothing to reset; the caller reseeds `random` itself if
    it needs to.
    """
    pid = int(_function("fork")())
    if pid < 0:
        _check(pid, "fork")
    return pid


def clone_into(namespaces: int) -> int:
    """Like `plain_fork`, with the child born in the new `namespaces` (CLONE_NEW* flags).

    The only way a process outside any user namespace gets a child that is PID 1 of a PID
    namespace of its own: `unshare(CLONE_NEWPID)` would need a capability it lacks, while
    one clone makes the user namespace first and the PID namespace in it. The raw system
    call skips glibc's fork bookkeeping, which a single-threaded caller does not need.
    """
    number = _SYS_CLONE.get(os.uname().machine)
    if number is None:
        raise OSError(errno.ENOSYS, f"clone: not known on {os.uname().machine}")
    # SIGCHLD: the child ends as a forked one does, and the parent's wait sees it.
    # Every argument a full word: syscall is variadic, and a stack pointer with stray upper
    # bits would not be "none".
    flags = ctypes.c_long(namespaces | signal.SIGCHLD)
    none = ctypes.c_long(0)
    pid = int(_function("syscall")(ctypes.c_long(number), flags, none, none, none, none))
    if pid < 0:
        _check(pid, "clone")
    return pid


def in_bounding_set(capability: int) -> bool:
    """Whether the capability is still in this process's bounding set."""
    result = _prctl(PR_CAPBSET_READ, capability)
    if result < 0:
        _check(result, "prctl PR_CAPBSET_READ")
    return result == 1


def prctl(option: int, argument: int = 0) -> None:
    _check(_prctl(option, argument), f"prctl {option}")


def prctl_allowed(option: int, argument: int = 0) -> bool:
    """prctl where the host may refuse it (a seccomp profile, an old kernel): whether it took."""
    try:
        prctl(option, argument)
    except OSError:
        return False
    return True


def unbuffer_c_stdio() -> None:
    """Make C's stdout and stderr unbuffered, so C extensions keep their place in the output.

    Where the C library names its streams otherwise, they stay as they are.
    """
    for names in _STDIO_SYMBOLS:
        for name in names:
            try:
                stream = ctypes.c_void_p.in_dll(_library(), name)
            except ValueError:
                continue
            _function("setvbuf")(stream, None, _IONBF, 0)
            break


def flush_c_stdio() -> None:
    _function("fflush")(None)


# capset's arguments for "no capabilities", made once: a container that made them itself
# would pay for the pages that writes to.
_CAPSET_HEADER = _CapHeader(_LINUX_CAPABILITY_VERSION_3, 0)
_CAPSET_EMPTY = (_CapData * 2)()


def clear_capabilities() -> None:
    """Empty the effective, permitted and inheritable sets of this process."""
    _check(int(_function("capset")(ctypes.byref(_CAPSET_HEADER), _CAPSET_EMPTY)), "capset")
