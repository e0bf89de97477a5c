"""A host that refuses a system call, made for real: a seccomp filter that answers one call
(optionally only for one first argument, such as one prctl option) with an error, installed
in a process that then runs the given command. Children inherit it, as they would a
container runtime's or a hardened kernel's refusal."""

from __future__ import annotations

import ctypes
import errno
import platform
import struct
import sys

# System call numbers of the calls fencerun makes, per machine.
SYSCALLS = {
    "x86_64": {
        "prctl": 157,
        "unshare": 272,
        "setns": 308,
        "mount": 165,
        "mount_setattr": 442,
        "pidfd_open": 434,
        "sethostname": 170,
        "capset": 126,
        "setresuid": 117,
        "clone": 56,
        "setreuid": 113,
        "setgroups": 116,
        "open_tree": 428,
        "move_mount": 429,
    },
    "aarch64": {
        "prctl": 167,
        "unshare": 97,
        "setns": 268,
        "mount": 40,
        "mount_setattr": 442,
        "pidfd_open": 434,
        "sethostname": 161,
        "capset": 91,
        "setresuid": 147,
        "clone": 220,
        "setreuid": 145,
        "setgroups": 159,
        "open_tree": 428,
        "move_mount": 429,
    },
}

_LOAD_WORD = 0x20  # BPF_LD | BPF_W | BPF_ABS
_JUMP_IF_EQUAL = 0x15  # BPF_JMP | BPF_JEQ | BPF_K
_RETURN = 0x06  # BPF_RET | BPF_K
_ALLOW = 0x7FFF_0000
_ERRNO = 0x0005_0000
_NUMBER_AT, _FIRST_ARGUMENT_AT = 0, 16  # in struct seccomp_data (little-endian low word)
_PR_SET_NO_NEW_PRIVS, _PR_SET_SECCOMP, _SECCOMP_MODE_FILTER = 38, 22, 2


class _Program(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]


def _instruction(code: int, true: int, false: int, k: int) -> bytes:
    return struct.pack("HBBI", code, true, false, k)


def refuse(call: str, first_argument: int | None = None, error: int = errno.EPERM) -> None:
    """From now on, this process and its children get `error` from `call`."""
    number = SYSCALLS[platform.machine()][call]
    allow_after = 2 if first_argument is not None else 1
    program = [
        _instruction(_LOAD_WORD, 0, 0, _NUMBER_AT),
        _instruction(
            _JUMP_IF_EQUAL, 0, allow_after + (1 if first_argument is not None else 0), number
        ),
    ]
    if first_argument is not None:
        program += [
            _instruction(_LOAD_WORD, 0, 0, _FIRST_ARGUMENT_AT),
            _instruction(_JUMP_IF_EQUAL, 0, 1, first_argument),
        ]
    program += [_instruction(_RETURN, 0, 0, _ERRNO | error), _instruction(_RETURN, 0, 0, _ALLOW)]
    code = b"".join(program)
    buffer = ctypes.create_string_buffer(code)
    fprog = _Program(len(program), ctypes.addressof(buffer))
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl.argtypes = [
        ctypes.c_int,
        ctypes.c_ulong,
        ctypes.c_void_p,
        ctypes.c_ulong,
        ctypes.c_ulong,
    ]
    if libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, None, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "PR_SET_NO_NEW_PRIVS")
    if libc.prctl(_PR_SET_SECCOMP, _SECCOMP_MODE_FILTER, ctypes.byref(fprog), 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "PR_SET_SECCOMP")


def main() -> None:
    """python refusals.py CALL[:FIRST_ARGUMENT] ERRNO_NAME -- COMMAND..."""
    import os

    spec, error_name, separator, *command = sys.argv[1:]
    assert separator == "--"
    call, _, argument = spec.partition(":")
    refuse(call, int(argument) if argument else None, getattr(errno, error_name))
    os.execvp(command[0], command)


if __name__ == "__main__":
    main()
