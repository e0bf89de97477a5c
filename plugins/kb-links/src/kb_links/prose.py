"""Where a page's Markdown is prose: code blocks, code spans and HTML comments masked out.

A wikilink or a link inside code is an example, not a link. Masking keeps every offset and
line of the text, so what is found in the masked text is found in the page at the same place.
"""

from __future__ import annotations

import re

_FENCE = re.compile(r"^[ \t>]*(`{3,}|~{3,})")
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_TICKS = re.compile(r"`+")


def mask_code(text: str) -> str:
    """`text` with fenced code blocks, code spans and HTML comments blanked (newlines kept)."""
    return _mask_code_spans(mask_blocks(text))


def mask_blocks(text: str) -> str:
    """`text` with fenced code blocks and HTML comments blanked, code spans kept: what
    reads as a sentence with its `code` words in it (newlines kept)."""
    return _COMMENT.sub(_blank, _mask_fences(text))


def line_of(text: str, offset: int) -> int:
    """The 1-based line of an offset."""
    return text.count("\n", 0, offset) + 1


def _blank(match: re.Match[str]) -> str:
    return re.sub(r"[^\n]", " ", match.group(0))


def _mask_fences(text: str) -> str:
    lines = text.split("\n")
    opener: str | None = None
    for number, line in enumerate(lines):
        fence = _FENCE.match(line)
        if opener is None:
            if fence:
                opener = fence.group(1)
                lines[number] = " " * len(line)
        else:
            closes = (
                fence is not None
                and fence.group(1)[0] == opener[0]
                and len(fence.group(1)) >= len(opener)
                and not line[fence.end() :].strip()
            )
            lines[number] = " " * len(line)
            if closes:
                opener = None
    return "\n".join(lines)


def _mask_code_spans(text: str) -> str:
    """A run of n backticks opens a span that the next run of exactly n closes, within its
    paragraph (CommonMark); an unmatched run is text."""
    out = list(text)
    position = 0
    while (opening := _TICKS.search(text, position)) is not None:
        ticks = opening.group(0)
        paragraph_end = text.find("\n\n", opening.end())
        limit = len(text) if paragraph_end < 0 else paragraph_end
        closing = None
        for candidate in _TICKS.finditer(text, opening.end(), limit):
            if candidate.group(0) == ticks:
                closing = candidate
                break
        if closing is None:
            position = opening.end()
            continue
        for index in range(opening.start(), closing.end()):
            if out[index] != "\n":
                out[index] = " "
        position = closing.end()
    return "".join(out)
