"""What each language runs: a block becomes one or more steps for its family's process.

Python and pycon blocks run in a Python process; bash and console blocks in
bash; sh blocks in sh. A console block is one step per `$ ` command, so that
its transcript can show each command above its own output.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from fencerun.errors import BlockError
from fencerun.isolation.project_view import ProjectView
from fencerun.model import Block

Family = Literal["python", "bash", "sh"]

FAMILIES: dict[str, Family] = {
    "python": "python",
    "pycon": "python",
    "bash": "bash",
    "console": "bash",
    "sh": "sh",
}

_PROMPTS = ("$ ", "% ")
# markdown-exec's marker: a line holding it runs but is not shown.
HIDE_MARKER = "markdown-exec: hide"


@dataclass(frozen=True)
class Step:
    """Code for the family's process, and what a transcript shows before its output."""

    code: str
    echo: str = ""  # console: the prompt line(s) of this command, hidden lines left out


def family_of(block: Block) -> Family:
    return FAMILIES[block.language]


def stderr_shown(block: Block) -> bool:
    """Whether the block's stderr joins its output in the order written (stderr="show").

    Without the option, as markdown-exec does: a shell block's stderr is part of its output
    (it runs them with stderr=STDOUT); a Python block's is not (it captures `print` alone,
    the rest reaching the build's log), so it shows only when the block fails.
    """
    if block.options.stderr:
        return block.options.stderr == "show"
    return family_of(block) != "python"


def pycon_source(code: str) -> str:
    """The Python code of a `>>> ` / `... ` session; output lines are expected results, not code."""
    lines = []
    for line in code.splitlines():
        if line.startswith((">>> ", "... ")):
            lines.append(line[4:])
        elif line in (">>>", "..."):
            lines.append("")
    return "\n".join(lines) + "\n"


def console_commands(code: str) -> list[Step]:
    """One step per `$ ` command; a line ending in a backslash continues the command.

    A line with the hide marker runs but is left out of the echo, as markdown-exec leaves
    it out of the source it shows; what the command prints still shows.
    """
    steps: list[Step] = []
    current: list[str] = []
    echo: list[str] = []
    for line in code.splitlines():
        if current:
            current.append(line)
            echo.append(line)
        elif line.startswith(_PROMPTS):
            current, echo = [line[2:]], [line]
        else:
            continue
        if not line.endswith("\\"):
            steps.append(Step("\n".join(current), _echo(echo)))
            current, echo = [], []
    if current:
        steps.append(Step("\n".join(current), _echo(echo)))
    return steps


def _echo(lines: list[str]) -> str:
    shown = [line for line in lines if HIDE_MARKER not in line]
    return "".join(line + "\n" for line in shown)


def steps_for(block: Block) -> list[Step]:
    if block.language == "pycon":
        return [Step(pycon_source(block.code))]
    if block.language == "console":
        return console_commands(block.code)
    return [Step(block.code)]


def check_runnable(block: Block, view: ProjectView) -> None:
    """Raises BlockError when no process can run the block as written."""
    if block.language not in FAMILIES:
        raise BlockError(
            block.location,
            f"fencerun cannot run {block.language!r} blocks",
            f"use one of {', '.join(FAMILIES)}",
        )
    check_workdir(block, view)


def check_workdir(block: Block, view: ProjectView) -> None:
    """Raises BlockError when the block's workdir is not a folder of the project it may
    write (`ProjectView.workdir_problem`)."""
    workdir = block.options.workdir
    if workdir and (problem := view.workdir_problem(workdir)):
        raise BlockError(
            block.location,
            problem,
            "workdir is relative to the folder of mkdocs.yml and must name a folder of the "
            "project outside .git, .venv, .cache and the built site; create it or fix the path",
        )


def block_workdir(block: Block, view: ProjectView) -> str | None:
    """The declared workdir's real path; None if not declared."""
    if not block.options.workdir:
        return None
    return view.workdir(block.options.workdir)
