"""Blocks of one session share state, in order; other blocks share nothing."""

from __future__ import annotations

from fencerun.run import Executor

from tests.fencerun.run.helpers import block, run, run_one


def test_python_session_keeps_variables_and_imports(executor: Executor) -> None:
    results = run(
        executor,
        block("python", "import math\nradius = 2", index=0, session="s"),
        block("python", "print(round(math.pi * radius**2, 2))", index=1, session="s"),
        block("pycon", ">>> print(radius + 1)", index=2, session="s"),
    )
    assert [r.output for r in results] == ["", "12.57\n", "3\n"]


def test_shell_session_keeps_folder_and_exported_variables(executor: Executor) -> None:
    results = run(
        executor,
        block("bash", "cd /usr/share\nexport COLOR=blue\nplain=kept", index=0, session="s"),
        block("bash", "echo $PWD $COLOR $plain", index=1, session="s"),
        block("console", "$ basename $PWD", index=2, session="s"),
    )
    assert results[1].output == "/usr/share blue kept\n"
    assert results[2].output == "$ basename $PWD\nshare\n"


def test_chdir_and_environment_changes_do_not_reach_the_next_block(executor: Executor) -> None:
    run_one(executor, "python", "import os\nos.chdir('/usr')\nos.environ['LEAK'] = 'yes'")
    result = run_one(
        executor, "python", "import os\nprint(os.getcwd() != '/usr', 'LEAK' in os.environ)"
    )
    assert result.output == "True False\n"


def test_sys_exit_in_a_session_block_ends_only_that_block(executor: Executor) -> None:
    results = run(
        executor,
        block("python", "value = 5\nimport sys\nsys.exit(2)", index=0, session="s"),
        block("python", "print(value)", index=1, session="s"),
    )
    assert [(r.returncode, r.output) for r in results] == [(2, ""), (0, "5\n")]


def test_blocks_after_a_session_timeout_are_reported_not_run(executor: Executor) -> None:
    results = run(
        executor,
        block("python", "import time\ntime.sleep(30)", index=0, session="s", timeout=0.5),
        block("python", "print('never')", index=1, session="s"),
    )
    assert results[0].timed_out
    assert not results[1].timed_out and results[1].returncode != 0
    assert results[1].output == (
        "Not run: block posts/example.md:10 of this session timed out after 0.5 s.\n"
    )


def test_blocks_after_the_session_shell_exits_are_reported_not_run(executor: Executor) -> None:
    results = run(
        executor,
        block("bash", "exit 4", index=0, session="s"),
        block("bash", "echo never", index=1, session="s"),
    )
    assert results[0].returncode == 4
    assert "the session's bash process ended in block posts/example.md:10" in results[1].output


def test_a_child_forked_by_a_block_ends_with_the_block_code(executor: Executor) -> None:
    fork_and_wait = (
        "import os\n"
        "child = os.fork()\n"
        "if child == 0:\n"
        "    os.write(1, b'child\\n')\n"
        "else:\n"
        "    os.waitpid(child, 0)\n"
        "    print('parent')\n"
    )
    results = run(
        executor,
        block("python", fork_and_wait, session="s", timeout=5),
        block("python", "print('next')", index=1, session="s"),
    )
    assert [(r.output, r.timed_out) for r in results] == [
        ("child\nparent\n", False),
        ("next\n", False),
    ]
