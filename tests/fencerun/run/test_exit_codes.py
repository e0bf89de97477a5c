"""A block's return code is what the same code would exit with as a program."""

from __future__ import annotations

import re

import pytest
from fencerun.run import Executor

from tests.fencerun.run.helpers import run_one

UNDERLINE = re.compile(r" *[~^]+\n")


@pytest.mark.parametrize(
    ("code", "returncode"),
    [
        ("import sys\nsys.exit(0)\nprint('not reached')", 0),
        ("import sys\nsys.exit(3)", 3),
        ("raise SystemExit", 0),
        ("import os\nos._exit(9)", 9),
        ("1/0", 1),
    ],
)
def test_python_exit_code(executor: Executor, code: str, returncode: int) -> None:
    result = run_one(executor, "python", code)
    assert result.returncode == returncode
    assert "not reached" not in result.shown_output


def test_sys_exit_with_a_message_prints_it_and_exits_1(executor: Executor) -> None:
    result = run_one(executor, "python", "import sys\nsys.exit('stopped here')")
    assert (result.shown_output, result.returncode) == ("stopped here\n", 1)


def test_exception_traceback_shows_the_block_not_the_engine(executor: Executor) -> None:
    code = "def inner():\n    raise KeyError('missing')\n\ninner()"
    result = run_one(executor, "python", code)
    # Python 3.13 underlines the call that raised (`~~~~~^^`); 3.11 does not.
    lines = result.shown_output.splitlines(keepends=True)
    assert "".join(line for line in lines if not UNDERLINE.fullmatch(line)) == (
        "Traceback (most recent call last):\n"
        '  File "<code block 1>", line 4, in <module>\n'
        "    inner()\n"
        '  File "<code block 1>", line 2, in inner\n'
        "    raise KeyError('missing')\n"
        "KeyError: 'missing'\n"
    )


def test_syntax_error_is_reported_like_python_does(executor: Executor) -> None:
    result = run_one(executor, "python", "print('ok')\nif True\n")
    assert result.returncode == 1
    assert '  File "<code block 1>", line 2\n' in result.shown_output
    assert result.shown_output.endswith("SyntaxError: expected ':'\n")


@pytest.mark.parametrize(("language", "code"), [("bash", "exit 5"), ("sh", "false; exit 5")])
def test_shell_exit_code(executor: Executor, language: str, code: str) -> None:
    assert run_one(executor, language, code).returncode == 5


def test_crashed_block_reports_the_signal(executor: Executor) -> None:
    result = run_one(executor, "python", "import ctypes\nctypes.string_at(0)")
    assert result.returncode == -11 and not result.timed_out
