"""What a link's preview shows of the page it points at: the page's title and its first
paragraph of prose, as plain text.

The first paragraph is the first block of running text after the front matter: headings,
code blocks, admonitions, lists, tables, quotes, HTML blocks and definitions (footnotes,
abbreviations, link references) are passed over. Inline code keeps its words; links and
wikilinks keep the text a reader sees.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from kb_links.graph import PageSource
from kb_links.notes import NoteIndex
from kb_links.plain_text import plain_text
from kb_links.prose import mask_blocks

# The pages with previews, from their language's root: the notes and the blog's posts.
PREVIEWED_FOLDERS = ("kb/", "blog/posts/")
# About five lines of a small popup on a phone, in either language.
MAX_CHARACTERS = 280

# A block that starts with one of these is not a paragraph: indented code or the body of an
# admonition, tab or list item; an admonition, content tab, quote, list, table, rule, HTML
# block, snippet, attribute list; a definition of an abbreviation, footnote or link.
_NOT_A_PARAGRAPH = re.compile(
    r"""(?x) ^ (?: [ ]{4} | \t | [ ]{0,3} (?:
        !!! | \?\?\? | ===
      | >
      | [-*+] (?:[ \t]|$) | \d+[.)] (?:[ \t]|$)
      | \|
      | (?:-[ \t]*){3,}$ | (?:\*[ \t]*){3,}$ | (?:_[ \t]*){3,}$
      | </?(?:address|article|aside|blockquote|details|div|dl|fieldset|figure|footer|form
            |h[1-6]|header|hr|iframe|main|nav|ol|p|pre|script|section|style|summary|table
            |ul|video)\b
      | -{2,}8<-{2,}
      | \{:?[ \t]*(?:[#.][\w-]|[\w-]+=)
      | \*\[ | \[\^[^\]\n]+\]: | \[[^\]\n]+\]:
    ))"""
)
_ATX_HEADING = re.compile(r"^[ ]{0,3}#{1,6}(?:[ \t]|$)")
_SETEXT_UNDERLINE = re.compile(r"^[ \t]{0,3}(?:=+|-+)[ \t]*$")
_TABLE_RULE = re.compile(r"^[ \t]*\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)+\|?[ \t]*$")


_SENTENCE_END = re.compile(r"[.!?。](?=\s)")


@dataclass(frozen=True)
class Preview:
    title: str
    text: str  # the first paragraph, plain, at most MAX_CHARACTERS

    def to_json(self) -> str:
        return json.dumps(
            {"title": self.title, "text": self.text}, ensure_ascii=False, separators=(",", ":")
        )


def page_previews(sources: Iterable[PageSource], index: NoteIndex) -> dict[str, Preview]:
    """The preview of each post and note among `sources` (one language, `index` its notes)
    that has a paragraph of prose, by src_uri."""
    previews = {}
    for source in sources:
        note = index.notes[source.src_uri]
        if not note.path.startswith(PREVIEWED_FOLDERS):
            continue
        text = first_paragraph(source.body, index)
        if text:
            previews[source.src_uri] = Preview(note.title, text)
    return previews


def first_paragraph(body: str, index: NoteIndex) -> str:
    """The first paragraph of prose of a page's Markdown `body` (front matter apart) as plain
    text, cut to MAX_CHARACTERS; "" for a page without one."""
    for block in _blocks(body):
        if _NOT_A_PARAGRAPH.match(block[0]) or any(_TABLE_RULE.match(line) for line in block):
            continue
        if any(_SETEXT_UNDERLINE.match(line) for line in block[1:]):
            continue  # a heading underlined with === or ---
        text = plain_text("\n".join(block), index)
        if text:
            return _cut(text)
    return ""


def _blocks(body: str) -> Iterator[list[str]]:
    """The blocks of `body`, each a list of its lines: runs of lines between blank lines, a
    heading alone (it ends the paragraph above it without a blank line). Fenced code and
    HTML comments count as blank lines."""
    original = body.split("\n")
    block: list[str] = []
    for number, line in enumerate(mask_blocks(body).split("\n")):
        if not line.strip() or _ATX_HEADING.match(line):
            if block:
                yield block
            block = []
            continue
        block.append(original[number])
    if block:
        yield block


def _cut(text: str) -> str:
    """`text` cut to MAX_CHARACTERS: after its last whole sentence if that keeps at least
    half, else after its last whole word, with an ellipsis."""
    if len(text) <= MAX_CHARACTERS:
        return text
    room = text[: MAX_CHARACTERS - 1]
    ends = [match.end() for match in _SENTENCE_END.finditer(text, 0, MAX_CHARACTERS)]
    if ends and ends[-1] >= MAX_CHARACTERS // 2:
        return text[: ends[-1]]
    space = room.rfind(" ")
    if space >= MAX_CHARACTERS // 2:
        room = room[:space]
    return room.rstrip(" ,;:·") + "…"
