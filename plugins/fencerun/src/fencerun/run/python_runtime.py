"""Runs inside a block's container: executes Python steps in a fresh `__main__`.

This process is a fork of a warm worker, so imports the worker already made
cost nothing here; the namespace the code sees is new. In a session the same
process runs every Python step of the job, so variables and imports carry over.
"""

from __future__ import annotations

import atexit
import builtins
import contextlib
import io
import linecache
import os
import sys
import threading
import traceback
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from types import ModuleType
from typing import NoReturn

from fencerun.isolation import libc
from fencerun.run.figures import collect_figures


@dataclass(frozen=True)
class PythonStep:
    code: str
    filename: str  # what tracebacks call this code
    workdir: str | None  # change to this folder first
    columns: int | None  # the block's width option, as COLUMNS while it runs
    figure_salt: str


def _fresh_std_streams() -> None:
    """Unbuffered text streams on fds 0-2, so stdout and stderr keep their order in the pipe."""

    def writer(fd: int, errors: str) -> io.TextIOWrapper:
        raw = io.FileIO(fd, "wb", closefd=False)
        return io.TextIOWrapper(raw, encoding="utf-8", errors=errors, write_through=True)

    sys.stdin = io.TextIOWrapper(io.FileIO(0, "rb", closefd=False), "utf-8")
    sys.stdout = writer(1, "strict")
    sys.stderr = writer(2, "backslashreplace")


def _exit_code(exit_request: SystemExit) -> int:
    code = exit_request.code
    if code is None:
        return 0
    if isinstance(code, int):
        return code & 0xFF  # what the process would have exited with
    print(code, file=sys.stderr)
    return 1


def _print_exception(error: BaseException) -> None:
    """The traceback as Python prints it, without this module's own frames."""
    tb = error.__traceback__
    while tb is not None and tb.tb_frame.f_code.co_filename == __file__:
        tb = tb.tb_next
    traceback.print_exception(type(error), error, tb, file=sys.stderr)


@contextlib.contextmanager
def _columns(width: int | None) -> Iterator[None]:
    """COLUMNS set for the block's duration, as markdown-exec does for its width option."""
    if width is None:
        yield
        return
    saved = os.environ.get("COLUMNS")
    os.environ["COLUMNS"] = str(width)
    try:
        yield
    finally:
        if saved is None:
            os.environ.pop("COLUMNS", None)
        else:
            os.environ["COLUMNS"] = saved


def _run(step: PythonStep, main: ModuleType) -> int:
    linecache.cache[step.filename] = (
        len(step.code),
        None,
        step.code.splitlines(keepends=True),
        step.filename,
    )
    try:
        if step.workdir is not None:
            os.chdir(step.workdir)
        code = compile(step.code, step.filename, "exec", dont_inherit=True)
        exec(code, main.__dict__)
    except SystemExit as exit_request:
        return _exit_code(exit_request)
    except BaseException as error:
        _print_exception(error)
        return 1
    return 0


def _shut_down_like_python() -> None:
    """What the interpreter does at exit: wait for non-daemon threads, run atexit."""
    for thread in threading.enumerate():
        if thread is not threading.main_thread() and not thread.daemon:
            thread.join()
    atexit._run_exitfuncs()


def _flush() -> None:
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError, AttributeError):
            stream.flush()


def serve(
    steps: Sequence[PythonStep],
    *,
    wait_for_go: Callable[[], bool],
    report: Callable[[dict[str, object]], None],
) -> NoReturn:
    """Run each step when told to, report its return code and figures; exit after the last."""
    _fresh_std_streams()
    libc.unbuffer_c_stdio()
    main = ModuleType("__main__")
    main.__dict__["__builtins__"] = builtins
    sys.modules["__main__"] = main
    sys.argv = [""]
    sys.path.insert(0, "")
    returncode = 0
    owner = os.getpid()
    for position, step in enumerate(steps):
        if not wait_for_go():
            break
        with _columns(step.columns):
            returncode = _run(step, main)
        if os.getpid() != owner:
            # A child the block forked without exiting: like the child of a
            # script, it ends where the block's code ends, and reports nothing.
            _flush()
            libc.flush_c_stdio()
            os._exit(returncode)
        figures = collect_figures(step.figure_salt)
        if position == len(steps) - 1:
            _shut_down_like_python()
        _flush()
        report({"rc": returncode, "figures": figures})
    libc.flush_c_stdio()
    os._exit(returncode)
