"""The source of a block as readers see it, and the output a console block shows."""

from __future__ import annotations

from fencerun.model import Block
from fencerun.run.steps import HIDE_MARKER, console_commands

PYCON_PROMPTS = (">>> ", "... ")


def shown_source(block: Block) -> str:
    """The code with hidden lines dropped; pycon keeps only its prompt lines, console its
    commands (with their continuation lines), as the transcript echoes them."""
    if block.language == "console":
        return _echoed(block).strip("\n")
    lines = [line for line in block.code.split("\n") if HIDE_MARKER not in line]
    if block.language == "pycon":
        lines = [line for line in lines if line.startswith(PYCON_PROMPTS)]
    return "\n".join(lines).strip("\n")


def console_output(block: Block, transcript: str) -> str:
    """A console transcript without its echoed command lines: what each command printed.

    The echoes are taken out in order, so an output line that merely looks like a later
    command stays.
    """
    waiting = iter(_echoed(block).splitlines())
    expected = next(waiting, None)
    kept: list[str] = []
    for line in transcript.split("\n"):
        if expected is not None and line.rstrip() == expected.rstrip():
            expected = next(waiting, None)
            continue
        kept.append(line)
    return "\n".join(kept)


def _echoed(block: Block) -> str:
    return "".join(step.echo for step in console_commands(block.code))
