"""The sentence around a link, as plain text: what a backlink shows of the page that links."""

from __future__ import annotations

import re

from kb_links.links import Link
from kb_links.notes import NoteIndex
from kb_links.plain_text import plain_text

_SENTENCE_END = re.compile(r"(?<=[.!?。])\s+")
_BLOCK_MARKS = re.compile(r"^[ \t]*(?:>[ \t]*)*(?:[-*+][ \t]+|\d+[.)][ \t]+|#{1,6}[ \t]+)?", re.M)
_LIST_ITEM = re.compile(r"[ \t]*(?:[-*+]|\d+[.)])[ \t]+")

MAX_CHARACTERS = 240


def sentence_of(link: Link, body: str, index: NoteIndex) -> str:
    """The sentence of `body` (the source page's Markdown) that holds `link`, as plain text,
    cut at `MAX_CHARACTERS` around the link."""
    start, end = _block_around(body, link.start, link.end)
    # Cut to the sentence on the Markdown first: only that much is made plain.
    ends_before = list(_SENTENCE_END.finditer(body, start, link.start))
    if ends_before:
        start = ends_before[-1].end()
    end_after = _SENTENCE_END.search(body, link.end, end)
    if end_after is not None:
        end = end_after.start()
    before = _plain(body[start : link.start], index)
    after = _plain(body[link.end : end], index)
    shown = _plain(link.text, index)
    first = _SENTENCE_END.split(before)[-1] if before else ""
    rest = _SENTENCE_END.split(after, maxsplit=1)[0] if after else ""
    glue_before = " " if before[-1:].isspace() else ""
    sentence = (first.rstrip() + glue_before + shown + rest).strip()
    if len(sentence) > MAX_CHARACTERS:
        sentence = sentence[: MAX_CHARACTERS - 1].rstrip() + "…"
    return sentence


def _block_around(body: str, start: int, end: int) -> tuple[int, int]:
    """The paragraph or list item holding body[start:end]: up to a blank line, and not past
    the line where another list item begins."""
    line_start = body.rfind("\n", 0, start) + 1
    while line_start > 0 and not _LIST_ITEM.match(body, line_start):
        previous = body.rfind("\n", 0, line_start - 1) + 1
        if not body[previous : line_start - 1].strip():
            break
        line_start = previous
    line_end = body.find("\n", end)
    while line_end >= 0:
        following = body.find("\n", line_end + 1)
        following = len(body) if following < 0 else following
        next_line = body[line_end + 1 : following]
        if not next_line.strip() or _LIST_ITEM.match(next_line):
            break
        line_end = following if following < len(body) else -1
    return line_start, len(body) if line_end < 0 else line_end


def _plain(markdown: str, index: NoteIndex) -> str:
    """Plain text that keeps the space at its edges: the pieces around a link are joined."""
    text = plain_text(_BLOCK_MARKS.sub("", markdown), index)
    lead = " " if markdown[:1].isspace() and text else ""
    trail = " " if markdown[-1:].isspace() and text else ""
    return lead + text + trail
