"""Splice a page's rendered blocks into its Markdown: each exec fence gives way to what
renders it, at its indentation, and a fence with exec="off" becomes an ordinary code block.

A literate Markdown block's output is its own body with the blocks standing in it
rendered in turn, at any depth. With pymdownx.snippets, which reads the page after
fencerun, what replaces a block is escaped once for each reading snippets will make of it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace

from fencerun.errors import BlockError
from fencerun.fences import FoundBlock, Include, PageFences
from fencerun.includes import escaped_for
from fencerun.model import Block, Result
from fencerun.options import LITERATE
from fencerun.render import FigureSink, plain_fence_header, render_block


@dataclass(frozen=True)
class PageRendering:
    """What replaces a page's blocks; a literate block's output is its body with the blocks
    in it replaced in turn, at any depth."""

    fences: PageFences
    results: Mapping[FoundBlock, Result]
    confined: Callable[[FoundBlock, Result], Result]
    figure_files: FigureSink
    provenance_footer: bool
    locale: str
    include: Include | None  # pymdownx.snippets, which reads the page after fencerun

    def text(self, markdown: str, *, parent: FoundBlock | None) -> str:
        """`markdown` (the page, or `parent`'s body) with the blocks standing in it rendered."""
        inside = self.fences.within(parent)
        rendered = {found.start: self.block(found) for found in inside.blocks}
        return _rewrite(markdown, inside, rendered)

    def block(self, found: FoundBlock) -> str:
        block, result = found.block, self.results[found]
        if block.language == LITERATE and block.options.markdown:
            # The page's own Markdown, read by snippets like the page (not confined as an
            # output), and then once more when its output is converted.
            body = self._escaped(block.code, snippet_readings(found))
            result = replace(result, output=self.text(body, parent=found))
        else:
            result = self.confined(found, result)
        return render_block(
            self._as_shown(found),
            result,
            provenance_footer=self.provenance_footer,
            locale=self.locale,
            figure_files=self.figure_files,
        )

    def _as_shown(self, found: FoundBlock) -> Block:
        """The block with the code it shows as markdown-exec shows it, after snippets, and
        escaped for snippets' readings of the page."""
        block = found.block
        readings = snippet_readings(found)
        code = block.code  # a block's code has taken in its snippets already
        if block.language == LITERATE and self.include is not None:
            try:
                code = self.include(code, block.location)
            except BlockError:
                readings -= 1  # left to snippets' own reading, which reports what is missing
        code = self._escaped(code, readings)
        return block if code == block.code else replace(block, code=code)

    def _escaped(self, text: str, readings: int) -> str:
        return escaped_for(text, readings) if self.include is not None else text


def snippet_readings(found: FoundBlock) -> int:
    """How often pymdownx.snippets reads the lines that replace the block: once in the page,
    once more in the output of each literate block around it; never where a line starts with
    '>' (a blockquote)."""
    if ">" in found.indent:
        return 0
    return 1 + (snippet_readings(found.parent) if found.parent is not None else 0)


def _rewrite(markdown: str, fences: PageFences, rendered: Mapping[int, str]) -> str:
    lines = markdown.split("\n")
    edits: list[tuple[int, int, list[str]]] = []
    for found in fences.blocks:
        text = ["", *rendered[found.start].split("\n"), ""]
        edits.append((found.start, found.end, [_indent(line, found.indent) for line in text]))
    for disabled in fences.disabled:
        header = plain_fence_header(disabled.marker, disabled.language, title=disabled.title)
        edits.append((disabled.start, disabled.start, [disabled.indent + header]))
    for start, end, replacement in sorted(edits, reverse=True):
        lines[start : end + 1] = replacement
    return "\n".join(lines)


def _indent(line: str, indent: str) -> str:
    return indent + line if line else indent.rstrip()
