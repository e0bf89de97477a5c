"""The errors a page author sees: each names the Markdown file and line and says what to do."""

from __future__ import annotations

from collections.abc import Sequence

from fencerun.model import Block, Result, SourceLocation


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


TAIL_LINES = 15


def tail(text: str) -> str:
    """The last TAIL_LINES lines of `text`, saying how many came before."""
    lines = text.rstrip("\n").split("\n")
    kept = lines[-TAIL_LINES:]
    cut = len(lines) - len(kept)
    return (f"[... {cut} earlier lines]\n" if cut > 0 else "") + "\n".join(kept)


def quoted(text: str) -> str:
    """Text indented and marked as a block's own, for the build's log."""
    text = text.strip("\n")
    return "\n".join(f"    | {line}" for line in text.split("\n")) if text else ""


def describe_stderr(block: Block, result: Result, docs_label: str = "") -> str:
    """The note a successful block's stderr makes in the build's log: it is not in the page."""
    return (
        f"{docs_label}{block.location}: {block.language} block wrote to stderr, which the page "
        "shows only if the block fails:\n"
        f"{quoted(tail(result.stderr))}\n"
        '  hint: stderr="show" in the fence header shows it in the page among the output'
    )


class BlockFailure(FencerunError):
    """A block that ran but did not exit as declared, reached its process cap, or was stopped
    at its timeout."""

    def __init__(self, block: Block, result: Result) -> None:
        self.block = block
        self.result = result
        super().__init__(self.describe())

    @property
    def reason(self) -> str:
        # Before the timeout: a fork bomb often runs into both, and the cap says why.
        if self.result.process_cap is not None:
            return f"reached its process cap of {self.result.process_cap} processes (a fork bomb?)"
        if self.result.timed_out:
            took = self.result.provenance.duration_s if self.result.provenance else None
            after = f" after {took:.1f} s" if took is not None else ""
            return f"was stopped at its timeout{after}"
        return f"exited with {self.result.returncode}, expected {self.block.options.returncode}"

    @property
    def hint(self) -> str:
        if self.result.process_cap is not None:
            return (
                f"a block may have at most {self.result.process_cap} processes at once: start "
                "fewer, and wait for each (`wait` in a shell) before starting more"
            )
        if self.result.timed_out:
            return 'give it more time with timeout="SECONDS" in the fence header, or make it faster'
        return (
            f"if this exit code is what the block should show, declare it: "
            f'returncode="{self.result.returncode}" in the fence header'
        )

    def output_tail(self) -> str:
        return tail(self.result.shown_output)

    def describe(self, docs_label: str = "") -> str:
        where = f"{docs_label}{self.block.location}"
        shown = quoted(self.output_tail()) or "    (no output)"
        return (
            f"{where}: {self.block.language} block {self.reason}\n"
            f"  last lines of its output:\n{shown}\n"
            f"  hint: {self.hint}"
        )


def failure_of(block: Block, result: Result) -> BlockFailure | None:
    """The failure a result stands for, or None when the block exited as declared."""
    if result.origin == "not-executed":
        return None
    if result.timed_out or result.process_cap is not None:
        return BlockFailure(block, result)
    if result.returncode != block.options.returncode:
        return BlockFailure(block, result)
    return None


def failures_message(failures: Sequence[BlockFailure], docs_label: str = "") -> str:
    """What stops a build: every failed block, each with file:line and its output's tail."""
    count = f"{len(failures)} blocks failed" if len(failures) > 1 else "a block failed"
    details = "\n\n".join(failure.describe(docs_label) for failure in failures)
    return f"fencerun: {count}:\n\n{details}"
