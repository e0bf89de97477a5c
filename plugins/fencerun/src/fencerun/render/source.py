"""The source of a block as readers see it, and the output a console block shows."""

from __future__ import annotations

from fencerun.model import Block

HIDE_MARKER = "markdown-exec: hide"
PYCON_PROMPTS = (">>> ", "... ")
CONSOLE_PROMPTS = ("$ ", "% ")


def shown_source(block: Block) -> str:
    """The code with hidden lines dropped; pycon and console keep only their prompt lines."""
    lines = [line for line in block.code.split("\n") if HIDE_MARKER not in line]
    if block.language == "pycon":
        lines = [line for line in lines if line.startswith(PYCON_PROMPTS)]
    elif block.language == "console":
        lines = [line for line in lines if line.startswith(CONSOLE_PROMPTS)]
    return "\n".join(lines).strip("\n")


def console_output(block: Block, transcript: str) -> str:
    """A console transcript without its `$ command` lines: what each command printed."""
    commands = [
        "$ " + line[2:] for line in block.code.split("\n") if line.startswith(CONSOLE_PROMPTS)
    ]
    kept: list[str] = []
    waiting = iter(commands)
    expected = next(waiting, None)
    for line in transcript.split("\n"):
        if expected is not None and line.rstrip() == expected.rstrip():
            expected = next(waiting, None)
            continue
        kept.append(line)
    return "\n".join(kept)
