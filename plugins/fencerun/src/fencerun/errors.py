"""The errors a page author sees: each names the Markdown file and line and says what to do."""

from __future__ import annotations

from fencerun.model import SourceLocation


class FencerunError(Exception):
    """Base of every error this plugin raises on purpose."""


class BlockError(FencerunError):
    """A fence header or body that cannot be run as written (found before anything runs)."""

    def __init__(self, location: SourceLocation, message: str, hint: str = "") -> None:
        self.location = location
        self.message = message
        self.hint = hint
        super().__init__(self.describe())

    def describe(self, docs_label: str = "") -> str:
        """The message, with the path shown under `docs_label` (e.g. "docs/") when given."""
        text = f"{docs_label}{self.location}: {self.message}"
        return f"{text}\n  hint: {self.hint}" if self.hint else text
