"""The data that flows between the stages: find -> plan -> run -> store -> render.

Everything here is a small frozen dataclass so that a stage can be tested alone
with plain values, and so that a result can be cached and shared between the
threads that wait on it.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from typing import Literal

SourceMode = Literal["", "above", "below", "tabbed-left", "tabbed-right", "console", "block"]
# Where a block's stderr goes: "show" in the page, among stdout in the order written; "log"
# to the build's log when the block succeeds, under stdout in the page when it fails; ""
# the language's way in markdown-exec (`steps.stderr_shown`).
StderrMode = Literal["", "show", "log"]
Origin = Literal["live", "cached", "frozen", "not-executed"]


@dataclass(frozen=True)
class PageSource:
    """A page as the engine reads it: its body without front matter, and where that starts."""

    path: str  # relative to the docs folder
    markdown: str
    first_line: int = 1


@dataclass(frozen=True)
class SourceLocation:
    """Where a block stands: a path relative to the docs folder and a 1-based line."""

    path: str
    line: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}"


@dataclass(frozen=True)
class BlockOptions:
    """Every option a fence header can carry, validated, with its default.

    The first group is markdown-exec's surface, the second is this plugin's own.
    """

    # markdown-exec's options
    source: SourceMode = ""
    result: str = ""  # a fence language for the output (text, ansi, json, ...); "" = plain text
    html: bool = False  # output is raw HTML, inserted as is
    markdown: bool = False  # output is Markdown, rendered as part of the page
    returncode: int = 0
    session: str = ""
    id: str = ""
    idprefix: str | None = None
    tabs: tuple[str, str] = ("Source", "Result")
    title: str = ""
    width: int | None = None
    workdir: str = ""
    updatetoc: bool = True
    # this plugin's own
    timeout: float | None = None  # seconds; None = the plugin's default
    freeze: bool = False  # keep the recorded output committed with the site
    provenance: bool | None = None  # show the footer; None = the plugin's default
    os: str = ""  # "linux": run only there; elsewhere the stored result or a notice
    stderr: StderrMode = ""

    def runs_here(self) -> bool:
        """Whether the block may run on the system this build runs on (its `os` option)."""
        return not self.os or sys.platform.startswith(self.os)


TreeIcons = Literal["theme", "basic", "none"]


@dataclass(frozen=True)
class TreeOptions:
    """The options of a `tree` fence (markdown-exec's file tree), which runs nothing."""

    icons: TreeIcons = "theme"  # theme: Material's file-type icons where Material is installed
    result: str = "bash"  # the language the tree's code block is highlighted as
    title: str = ""


@dataclass(frozen=True)
class PyodideOptions:
    """The options of a `pyodide` fence: an editor whose code runs in the reader's browser."""

    session: str = "default"
    version: str = "314.0.2"  # markdown-exec 1.12.6's default Pyodide release
    install: tuple[str, ...] = ()  # packages micropip installs before the first run
    assets: bool = True  # whether this editor brings the script and style tags with it
    theme_light: str = "tomorrow"
    theme_dark: str = "tomorrow_night"
    height: tuple[int, int] | None = None  # (min, max) lines; None: as many as the code has


@dataclass(frozen=True)
class Block:
    """One executable fenced block as found in a page's Markdown."""

    language: str  # python, pycon, bash, sh, console
    code: str  # the fence body, de-indented, with `# markdown-exec: hide` lines kept
    options: BlockOptions
    location: SourceLocation
    index: int  # 0-based position among the executable blocks of its page


@dataclass(frozen=True)
class Figure:
    """A matplotlib figure a Python block left open, as an SVG document."""

    svg: str


@dataclass(frozen=True)
class Provenance:
    """What an output was produced with, and when. Never the machine's name or its user's:
    the footer is published with every output."""

    os: str  # the system's name and its kernel's release
    interpreter: str  # "CPython 3.11.7" or "bash 5.2.15"
    started_at: str  # ISO 8601 with time zone
    duration_s: float


@dataclass(frozen=True)
class Result:
    """What running a block produced, ready to be stored and rendered."""

    output: str  # stdout (and stderr where shown), decoded as UTF-8, private paths rewritten
    returncode: int
    stderr: str = ""  # stderr kept apart from the output (stderr="log"), decoded the same way
    timed_out: bool = False
    truncated: bool = False  # output or stderr was cut at the configured size
    # The process cap the block reached (a fork refused, or as many processes as the cap
    # allows, at once); None if it stayed under it. A block that reached it failed.
    process_cap: int | None = None
    figures: tuple[Figure, ...] = field(default_factory=tuple)
    provenance: Provenance | None = None
    origin: Origin = "live"

    @property
    def succeeded(self) -> bool:
        """Whether the block's process ended with 0, in time and under its process cap."""
        return self.returncode == 0 and not self.timed_out and self.process_cap is None

    @property
    def shown_output(self) -> str:
        """What the page shows: the output, and under it the stderr kept apart unless the
        block succeeded (markdown-exec shows a failed Python block's traceback)."""
        if self.succeeded or not self.stderr:
            return self.output
        if self.output and not self.output.endswith("\n"):
            return f"{self.output}\n{self.stderr}"
        return self.output + self.stderr
