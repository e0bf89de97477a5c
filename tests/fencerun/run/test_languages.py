"""Each language runs the way its readers expect, in a child process of its own."""

from __future__ import annotations

import os

import pytest
from fencerun.errors import BlockError
from fencerun.run import Executor

from tests.fencerun.run.helpers import block, run, run_one


def test_python_block_output_is_what_it_prints(executor: Executor) -> None:
    result = run_one(executor, "python", "print('hello', 6 * 7)")
    assert (result.output, result.returncode) == ("hello 42\n", 0)


def test_python_block_runs_in_a_child_process_not_the_build(executor: Executor) -> None:
    result = run_one(executor, "python", "import os\nprint(os.getpid(), os.getppid())")
    pid, parent = (int(word) for word in result.output.split())
    assert os.getpid() not in (pid, parent)


def test_python_block_runs_as_main_with_a_fresh_namespace(executor: Executor) -> None:
    first = run_one(executor, "python", "leak = 1\nprint(__name__)")
    second = run_one(executor, "python", "print('leak' in globals())")
    assert (first.output, second.output) == ("__main__\n", "False\n")


def test_python_dataclasses_and_pickle_work_in_a_block(executor: Executor) -> None:
    code = (
        "import dataclasses, pickle\n"
        "@dataclasses.dataclass\nclass Point:\n    x: int\n"
        "print(pickle.loads(pickle.dumps(Point(3))))"
    )
    assert run_one(executor, "python", code).output == "Point(x=3)\n"


def test_pycon_runs_only_prompt_lines(executor: Executor) -> None:
    code = ">>> total = 0\n>>> for n in range(4):\n...     total += n\n...\n>>> print(total)\n6\n"
    assert run_one(executor, "pycon", code).output == "6\n"


def test_bash_block(executor: Executor) -> None:
    result = run_one(executor, "bash", "words=(a b c)\necho ${#words[@]} ${BASH_VERSINFO[0]}")
    assert result.output.split()[0] == "3"


def test_sh_block_is_posix_sh(executor: Executor) -> None:
    result = run_one(executor, "sh", 'x=5\n[ "$x" -gt 3 ] && echo big')
    assert (result.output, result.returncode) == ("big\n", 0)


def test_console_output_is_a_transcript_of_each_command(executor: Executor) -> None:
    code = "$ echo one\nwhatever was here before\n$ printf 'a\\nb\\n'\n$ echo long \\\n  line\n"
    result = run_one(executor, "console", code)
    assert (
        result.output
        == "$ echo one\none\n$ printf 'a\\nb\\n'\na\nb\n$ echo long \\\n  line\nlong line\n"
    )


def test_console_commands_share_one_shell(executor: Executor) -> None:
    result = run_one(executor, "console", "$ cd /usr\n$ export GREETING=hi\n$ echo $GREETING $PWD")
    assert result.output.splitlines()[-1] == "hi /usr"


def test_console_returncode_is_that_of_the_first_failing_command(executor: Executor) -> None:
    result = run_one(executor, "console", "$ true\n$ (exit 3)\n$ (exit 4)\n$ echo still runs")
    assert result.returncode == 3
    assert result.output.endswith("$ echo still runs\nstill runs\n")


def test_shell_errors_name_the_line_of_the_block(executor: Executor) -> None:
    result = run_one(executor, "bash", "echo a\nno_such_command_here")
    assert "bash: line 2: no_such_command_here: command not found" in result.output


def test_declared_workdir_is_the_current_folder(executor: Executor) -> None:
    result = run_one(executor, "bash", "cat data.txt", workdir="docs/examples")
    assert result.output == "데이터\n"


def test_python_block_imports_modules_from_its_workdir(executor: Executor) -> None:
    code = "import helper\nhelper.shout('from helper')"
    result = run_one(executor, "python", code, workdir="docs/examples")
    assert result.returncode == 1
    assert "ValueError: from helper" in result.shown_output


def test_unknown_language_is_refused_with_the_block_location(executor: Executor) -> None:
    with pytest.raises(BlockError, match=r"posts/example.md:10: .*'ruby'"):
        executor.submit([block("ruby", "puts 1")])


def test_missing_workdir_is_refused_with_the_block_location(executor: Executor) -> None:
    with pytest.raises(BlockError, match=r'posts/example.md:10: workdir="nowhere" is not a folder'):
        executor.submit([block("bash", "pwd", workdir="nowhere")])


def test_an_empty_job_has_no_results(executor: Executor) -> None:
    assert run(executor) == []


def test_width_option_is_the_columns_the_block_sees(executor: Executor) -> None:
    python = run_one(
        executor,
        "python",
        "import os, shutil\nprint(shutil.get_terminal_size().columns)",
        width=123,
    )
    shell = run_one(executor, "bash", "echo $COLUMNS; sh -c 'echo $COLUMNS'", width=77)
    plain = run_one(executor, "bash", "echo ${COLUMNS:-unset}")
    assert (python.output, shell.output, plain.output) == ("123\n", "77\n77\n", "unset\n")
