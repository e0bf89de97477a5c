"""Find stage: a page's executable fenced blocks, read the way pymdownx.superfences reads fences.

Superfences finds fences at any indentation (lists, admonitions, tabs) and inside blockquotes,
closes a fence only with the same marker at the same indentation, and treats everything
between as the block's code. This module follows the same rules, so a block we find is a
fence superfences would have seen, and a fence nested inside another fence's body (an
example in a Markdown code block) is never a block.

The one exception is literate Markdown (```md exec="on"), whose body markdown-exec renders as
Markdown, running the exec fences in it: those are blocks of the page too, found here at any
depth with their own line in the page, so that they run, share sessions and are kept like
the others.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from fencerun.errors import BlockError
from fencerun.fence_header import OptionError, parse_header
from fencerun.model import Block, SourceLocation
from fencerun.options import (
    LANGUAGES,
    LITERATE,
    PYODIDE,
    TREE,
    build_options,
    exec_state,
    pyodide_options,
    tree_options,
)

TAB_LENGTH = 4  # Python-Markdown's default, which superfences uses to expand indentation

_PREFIX_CHARS = " \t>"
_OPENER_RE = re.compile(r"(?P<marker>`{3,}|~{3,})(?P<header>.*)$")
# An exec option the header parser could not read still marks the fence as meant to run.
_EXEC_WORD_RE = re.compile(r"(?:^|[\s{])exec(?:[=\s}]|$)")
# tree and pyodide fences are ours with or without exec (as in markdown-exec).
_DRAWN_FENCE_RE = re.compile(rf"\s*\{{?\s*\.?(?:{TREE}|{PYODIDE})(?=[\s{{}}]|$)")


# Takes in what a block's body includes (pymdownx.snippets lines) before it is keyed and run;
# raises BlockError for what cannot be included. The engine makes it from the site's settings.
Include = Callable[[str, SourceLocation], str]


@dataclass(frozen=True)
class FoundBlock:
    """An executable block and where its fence lines stand in the Markdown that holds it: the
    page's, or the body of the literate Markdown block it is nested in (`parent`)."""

    block: Block
    start: int  # 0-based line of the opening fence
    end: int  # 0-based line of the closing fence
    indent: str = ""  # what precedes the fence on each line (spaces, blockquote markers)
    parent: FoundBlock | None = None


@dataclass(frozen=True)
class DisabledFence:
    """A fence with exec="off": shown as ordinary code, its exec options dropped."""

    language: str
    title: str
    start: int  # 0-based line of the opening fence (only that line changes)
    indent: str
    marker: str
    parent: FoundBlock | None = None


@dataclass(frozen=True)
class PageFences:
    blocks: list[FoundBlock]  # in page order, a literate block before the blocks in its body
    disabled: list[DisabledFence]
    # Some block's body took in files (pymdownx.snippets): its code may change while the
    # page's text stays the same.
    includes_files: bool = False

    def within(self, parent: FoundBlock | None) -> PageFences:
        """The fences standing directly in `parent`'s body (None: in the page itself)."""
        return PageFences(
            [found for found in self.blocks if found.parent is parent],
            [fence for fence in self.disabled if fence.parent is parent],
        )


@dataclass(frozen=True)
class _Fence:
    start: int
    end: int | None  # None: never closed
    indent: str
    marker: str
    header: str
    body: list[str]
    short_line: int | None  # first body line indented less than the fence, if any


def find_blocks(
    markdown: str,
    path: str,
    *,
    first_line: int = 1,
    markdown_default: bool = False,
    include: Include | None = None,
) -> list[FoundBlock]:
    """Every executable block of a page, in order. Raises BlockError for a malformed one."""
    fences = scan_page(
        markdown, path, first_line=first_line, markdown_default=markdown_default, include=include
    )
    return fences.blocks


def scan_page(
    markdown: str,
    path: str,
    *,
    first_line: int = 1,
    markdown_default: bool = False,
    include: Include | None = None,
) -> PageFences:
    """Executable blocks and exec="off" fences of a page, in order, nested ones included.

    `include`, when given, takes in the files a block's body names with pymdownx.snippets.
    """
    scan = _PageScan(path, markdown_default, include)
    scan.read(markdown.split("\n"), first_line, parent=None)
    return PageFences(scan.blocks, scan.disabled, includes_files=scan.includes_files)


@dataclass
class _PageScan:
    path: str
    markdown_default: bool
    include: Include | None
    blocks: list[FoundBlock] = field(default_factory=list)
    disabled: list[DisabledFence] = field(default_factory=list)
    includes_files: bool = False

    def read(self, lines: list[str], first_line: int, parent: FoundBlock | None) -> None:
        """The fences of `lines`, whose first stands on line `first_line` of the page."""
        for fence in _fences(lines):
            where = SourceLocation(self.path, first_line + fence.start)
            found = _read_fence(
                fence, where, index=len(self.blocks), markdown_default=self.markdown_default
            )
            if isinstance(found, DisabledFence):
                self.disabled.append(replace(found, parent=parent))
            if not isinstance(found, Block):
                continue
            assert fence.end is not None  # _read_fence refuses open fences
            renders_body = found.language == LITERATE and found.options.markdown
            if found.language != LITERATE and self.include is not None:
                code = self.include(found.code, where)
                self.includes_files |= code != found.code
                found = replace(found, code=code)
            located = FoundBlock(found, fence.start, fence.end, fence.indent, parent)
            self.blocks.append(located)
            if renders_body:
                # markdown-exec runs the exec fences of a body it renders as Markdown.
                self.read(fence.body, where.line + 1, parent=located)


def first_line_of(source: str, body: str) -> int:
    """The line of `source` where `body` (the page without its front matter) starts.

    The body is the source's tail give or take trailing whitespace: the blog plugin hands
    posts over without their last newline.
    """
    tail = body.rstrip()
    start = source.rfind(tail) if tail else -1
    if start == -1 or source[start + len(tail) :].strip():
        return 1
    return source[:start].count("\n") + 1


def _read_fence(
    fence: _Fence, where: SourceLocation, *, index: int, markdown_default: bool
) -> Block | DisabledFence | None:
    meant_to_run = bool(_EXEC_WORD_RE.search(fence.header) or _DRAWN_FENCE_RE.match(fence.header))
    try:
        header = parse_header(fence.header)
        if header.language in (TREE, PYODIDE):
            # Checked here, where the error can name the line; drawn by superfences, which
            # draws the same fences where they come from an output or an included file.
            (tree_options if header.language == TREE else pyodide_options)(header.values)
            return None
        running = exec_state(header)
    except OptionError as error:
        if meant_to_run:
            raise BlockError(where, error.message, error.hint) from None
        return None
    if running is None:
        return None
    if not running:
        return DisabledFence(
            header.language, header.get("title") or "", fence.start, fence.indent, fence.marker
        )
    language = LANGUAGES.get(header.language)
    if language is None:
        named = f"'{header.language}'" if header.language else "no language"
        raise BlockError(
            where,
            f"exec fence with {named}: this plugin runs {', '.join(sorted(set(LANGUAGES)))}",
            'write the language right after the backticks, e.g. ```python exec="on"; '
            "to show the code without running it, remove exec",
        )
    try:
        options = build_options(header, markdown_default=markdown_default)
    except OptionError as error:
        raise BlockError(where, error.message, error.hint) from None
    if fence.short_line is not None:
        raise BlockError(
            where,
            f"line {where.line + fence.short_line - fence.start} of the block is indented "
            "less than its fence, so the fence ends there without a closing line",
            "indent every line of the block at least as far as its opening ```",
        )
    if fence.end is None:
        raise BlockError(
            where,
            f"the fence opened with {fence.marker} is never closed",
            f"close the block with a line holding only {fence.marker}, indented like the opening",
        )
    return Block(language, "\n".join(fence.body), options, where, index)


def _fences(lines: list[str]) -> list[_Fence]:
    fences: list[_Fence] = []
    position = 0
    while position < len(lines):
        indent, content = _split_prefix(lines[position])
        opener = _OPENER_RE.match(content)
        if opener is None:
            position += 1
            continue
        fence = _follow(lines, position, indent, opener.group("marker"), opener.group("header"))
        fences.append(fence)
        if fence.end is not None:
            position = fence.end + 1
        elif fence.short_line is not None:
            position = fence.short_line + 1
        else:
            break  # superfences reads the rest of the page as the open fence's body
    return fences


def _follow(lines: list[str], start: int, indent: str, marker: str, header: str) -> _Fence:
    body: list[str] = []
    quote_only = indent.strip()
    for number in range(start + 1, len(lines)):
        line = lines[number].rstrip("\r")
        if not line.strip() or line.strip() == quote_only:
            body.append("")
            continue
        prefix, content = _take_prefix(line, len(indent))
        if prefix != indent:
            return _Fence(start, None, indent, marker, header, body, short_line=number)
        if content.startswith(marker) and not content[len(marker) :].strip(" \t"):
            return _Fence(start, number, indent, marker, header, body, short_line=None)
        body.append(content)
    return _Fence(start, None, indent, marker, header, body, short_line=None)


def _split_prefix(line: str) -> tuple[str, str]:
    """A line's whole leading run of spaces, tabs and '>', tabs expanded, and the rest."""
    line = line.rstrip("\r")
    content = line.lstrip(_PREFIX_CHARS)
    return line[: len(line) - len(content)].expandtabs(TAB_LENGTH), content


def _take_prefix(line: str, width: int) -> tuple[str, str]:
    """At most `width` columns of leading prefix (tabs expanded) and the untouched rest."""
    taken: list[str] = []
    column = 0
    index = 0
    while index < len(line) and column < width and line[index] in _PREFIX_CHARS:
        char = line[index]
        step = TAB_LENGTH - column % TAB_LENGTH if char == "\t" else 1
        taken.append(" " * step if char == "\t" else char)
        column += step
        index += 1
    return "".join(taken), line[index:]
