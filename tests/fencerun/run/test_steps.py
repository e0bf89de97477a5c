"""The run stage with plain data: what each language's process is given, and which blocks
no process can run. No process starts here."""

from __future__ import annotations

from pathlib import Path

import pytest
from fencerun.errors import BlockError
from fencerun.isolation.project_view import project_view
from fencerun.run.steps import (
    Step,
    check_runnable,
    console_commands,
    family_of,
    pycon_source,
    steps_for,
)

from tests.fencerun.run.helpers import PAGE, block


def test_each_language_runs_in_its_familys_process() -> None:
    families = {lang: family_of(block(lang, "")) for lang in ("python", "pycon", "bash", "sh")}
    assert families == {"python": "python", "pycon": "python", "bash": "bash", "sh": "sh"}
    assert family_of(block("console", "")) == "bash"


def test_a_console_block_is_one_step_per_command_continuations_included() -> None:
    code = "$ echo one\nprinted, not run\n$ echo two \\\n  three\n% echo four\n"
    assert console_commands(code) == [
        Step("echo one", "$ echo one\n"),
        Step("echo two \\\n  three", "$ echo two \\\n  three\n"),
        Step("echo four", "% echo four\n"),
    ]


def test_a_hidden_console_line_runs_but_is_not_echoed() -> None:
    (step,) = console_commands("$ export TOKEN=x  # markdown-exec: hide\n")
    assert step == Step("export TOKEN=x  # markdown-exec: hide", "")


def test_a_pycon_block_runs_its_prompts_code_and_skips_expected_output() -> None:
    code = ">>> total = 0\n>>> for n in (1, 2):\n...     total += n\n...\n>>> print(total)\n3\n"
    assert pycon_source(code) == "total = 0\nfor n in (1, 2):\n    total += n\n\nprint(total)\n"
    assert steps_for(block("pycon", code)) == [Step(pycon_source(code))]
    assert steps_for(block("python", "print(1)")) == [Step("print(1)")]


def test_a_block_no_process_can_run_is_a_block_error_at_its_line(tmp_path: Path) -> None:
    (tmp_path / "here").mkdir()
    view = project_view(tmp_path)
    check_runnable(block("bash", "pwd", workdir="here"), view)
    with pytest.raises(BlockError, match=rf"^{PAGE}:10: fencerun cannot run 'ruby' blocks"):
        check_runnable(block("ruby", "puts 1"), view)
    with pytest.raises(BlockError, match=rf'^{PAGE}:10: workdir="gone" is not a folder') as raised:
        check_runnable(block("bash", "pwd", workdir="gone"), view)
    assert "relative to the folder of mkdocs.yml" in raised.value.hint
