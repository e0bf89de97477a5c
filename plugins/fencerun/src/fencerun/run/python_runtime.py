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
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from types import ModuleType
from typing import NoReturn

from fencerun.isolation import libc
from fencerun.run.figures import collect_figures, note_saves, pin_fonts
from fencerun.run.shell_runtime import STDERR_FD


@dataclass(frozen=True)
class PythonStep:
    code: str
    filename: str  # what tracebacks call this code
    workdir: str | None  # change to this folder first
    columns: int | None  # the block's width option, as COLUMNS while it runs
    figure_salt: str
    stderr_shown: bool  # stderr joins the output (fd 1), else it goes to its own pipe


@dataclass(frozen=True)
class _Prepared:
    """What every Python block starts with, made once in the fork server."""

    stdin: io.TextIOWrapper
    stdout: io.TextIOWrapper
    stderr: io.TextIOWrapper
    main: ModuleType


_prepared: _Prepared | None = None


def prepare_in_fork_server() -> _Prepared:
    """Make the block's std streams and its empty `__main__` before any fork.

    Each container gets its own copy of them with the fork, as fresh as if it had made
    them itself; made there, they would cost every block the pages the making writes to.
    The streams are unbuffered text on fds 0-2 (which the container points at its pipes),
    so where stderr shares the output's pipe, stdout and stderr keep their order in it.
    """
    global _prepared

    def writer(fd: int, errors: str) -> io.TextIOWrapper:
        raw = io.FileIO(fd, "wb", closefd=False)
        return io.TextIOWrapper(raw, encoding="utf-8", errors=errors, write_through=True)

    # The builtin compile() sets up the interpreter's AST types on first use, unless an
    # import did (`ast` does): done here once, not again in every block.
    compile("", "<fencerun>", "exec", dont_inherit=True)
    main = ModuleType("__main__")
    main.__dict__["__builtins__"] = builtins
    _prepared = _Prepared(
        stdin=io.TextIOWrapper(io.FileIO(0, "rb", closefd=False), "utf-8"),
        stdout=writer(1, "strict"),
        stderr=writer(2, "backslashreplace"),
        main=main,
    )
    libc.unbuffer_c_stdio()
    return _prepared


def _install_prepared() -> ModuleType:
    """The prepared streams and `__main__` in place (made here if no server made them)."""
    prepared = _prepared or prepare_in_fork_server()
    sys.stdin, sys.stdout, sys.stderr = prepared.stdin, prepared.stdout, prepared.stderr
    sys.modules["__main__"] = prepared.main
    sys.argv = [""]
    sys.path.insert(0, "")
    return prepared.main


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


def _run(step: PythonStep, main: ModuleType) -> int:
    linecache.cache[step.filename] = (
        len(step.code),
        None,
        step.code.splitlines(keepends=True),
        step.filename,
    )
    # COLUMNS for the block's duration, as markdown-exec does for its width option.
    saved_columns = os.environ.get("COLUMNS")
    if step.columns is not None:
        os.environ["COLUMNS"] = str(step.columns)
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
    finally:
        if step.columns is not None:
            _restore_columns(saved_columns)
    return 0


def _restore_columns(saved: str | None) -> None:
    if saved is None:
        os.environ.pop("COLUMNS", None)
    else:
        os.environ["COLUMNS"] = saved


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
    """Run each step when told to, report its return code and figures; after the last,
    exit when told to (the worker looks at what the block left running until then)."""
    main = _install_prepared()
    returncode = 0
    owner = os.getpid()
    for position, step in enumerate(steps):
        if not wait_for_go():
            break
        pin_fonts()  # matplotlib imported by an earlier step of the session
        note_saves()
        os.dup2(1 if step.stderr_shown else STDERR_FD, 2)
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
    else:
        wait_for_go()
    libc.flush_c_stdio()
    os._exit(returncode)
