"""Inline Markdown as a reader sees it, as plain text: what a link preview shows of a page's
first paragraph and what a backlink shows of the sentence that links."""

from __future__ import annotations

import html
import re

from kb_links.notes import NoteIndex, Unresolved
from kb_links.wikilinks import find_wikilinks

_CODE_SPAN = re.compile(r"(?<![`\\])(`+)(?!`)(.+?)(?<!`)\1(?!`)", re.DOTALL)
_ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~])")
_AUTOLINK = re.compile(r"<((?:https?|mailto):[^>\s]+)>")
_IMAGE = re.compile(r"!\[[^\]]*\](?:\([^)]*\)|\[[^\]]*\])")
_FOOTNOTE_REFERENCE = re.compile(r"\[\^[^\]\n]+\]")
_LINK = re.compile(r"\[([^\]]*)\](?:\([^)]*\)|\[[^\]]*\])")
_ATTRIBUTE_LIST = re.compile(r"\{:?[ \t]*(?:[#.][\w-]|[\w-]+=)[^}\n]*\}")
_TAG = re.compile(r"</?[A-Za-z][\w-]*(?:\s[^<>]*)?/?>")
# Emphasis: `*` within words too (CommonMark), `_` only at a word's edge (snake_case stays).
_EMPHASIS = re.compile(r"\*+(?!\s)|(?<!\s)\*+|(?<!\w)_+(?=\S)|(?<=\S)_+(?!\w)")
_SPACE = re.compile(r"[ \t\r\n]+")  # a no-break space (&nbsp;) stays one
# An escaped character hides from the steps that read marks as markup until the end.
_HIDDEN = 0xF0000


def plain_text(markdown: str, index: NoteIndex) -> str:
    """Inline Markdown as a reader sees it: code spans' words, links' and wikilinks' text,
    no marks, tags or images, entities as characters, one space between words."""
    pieces = []
    position = 0
    for span in _CODE_SPAN.finditer(markdown):
        pieces.append(_plain_prose(markdown[position : span.start()], index))
        pieces.append(span.group(2).strip())
        position = span.end()
    pieces.append(_plain_prose(markdown[position:], index))
    return _SPACE.sub(" ", "".join(pieces)).strip()


def _plain_prose(markdown: str, index: NoteIndex) -> str:
    text = _ESCAPED.sub(lambda match: chr(_HIDDEN + ord(match.group(1))), markdown)
    text = _AUTOLINK.sub(r"\1", text)
    text = _IMAGE.sub("", text)
    text = _wikilinks_as_text(text, index)
    text = _FOOTNOTE_REFERENCE.sub("", text)
    text = _LINK.sub(r"\1", text)
    text = _ATTRIBUTE_LIST.sub("", text)
    text = _TAG.sub("", text)
    text = _EMPHASIS.sub("", text)
    text = html.unescape(text)
    return re.sub(
        f"[{chr(_HIDDEN)}-{chr(_HIDDEN + 0x7F)}]",
        lambda match: chr(ord(match.group(0)) - _HIDDEN),
        text,
    )


def _wikilinks_as_text(text: str, index: NoteIndex) -> str:
    """Each wikilink as the text its link shows: its label, else the title of the page it
    names, else (a heading of the same page) the heading."""
    for wikilink in reversed(list(find_wikilinks(text))):
        shown = wikilink.label
        if shown is None and wikilink.target:
            try:
                shown = index.resolve(wikilink.target).title
            except Unresolved:
                shown = wikilink.target  # the build stops at it; a preview shows what is written
        text = text[: wikilink.start] + (shown or wikilink.heading or "") + text[wikilink.end :]
    return text
