"""Give the headings of Markdown outputs their place in the page's table of contents.

The table-of-contents technique is markdown-exec's, which took it from mkdocstrings (by Oleh
Prypin): the output is converted by its own Markdown instance, whose treeprocessors prefix
its ids and record its headings; just before the page's `toc` runs, copies of those headings
are put where the output's stash placeholder stands, so `toc` lists them, and just after it
they are taken out again. `IdPrefixer`, `HeadingCollector`, `InsertHeadings` and
`RemoveHeadings` are adapted from markdown-exec's `_internal/processors.py`
(IdPrependingTreeprocessor, HeadingReportingTreeprocessor, InsertHeadings, RemoveHeadings),
under its licence:

    ISC License. Copyright (c) 2022, Timothée Mazzucotelli and contributors

    Permission to use, copy, modify, and/or distribute this software for any purpose with or
    without fee is hereby granted, provided that the above copyright notice and this
    permission notice appear in all copies.

    THE SOFTWARE IS PROVIDED "AS IS" AND THE AUTHOR DISCLAIMS ALL WARRANTIES WITH REGARD TO
    THIS SOFTWARE INCLUDING ALL IMPLIED WARRANTIES OF MERCHANTABILITY AND FITNESS. IN NO
    EVENT SHALL THE AUTHOR BE LIABLE FOR ANY SPECIAL, DIRECT, INDIRECT, OR CONSEQUENTIAL
    DAMAGES OR ANY DAMAGES WHATSOEVER RESULTING FROM LOSS OF USE, DATA OR PROFITS, WHETHER IN
    AN ACTION OF CONTRACT, NEGLIGENCE OR OTHER TORTIOUS ACTION, ARISING OUT OF OR IN
    CONNECTION WITH THE USE OR PERFORMANCE OF THIS SOFTWARE.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator
from xml.etree.ElementTree import Element

from markdown import Markdown
from markdown.treeprocessors import Treeprocessor
from markdown.util import HTML_PLACEHOLDER_RE

_HEADING_RE = re.compile(r"[Hh][1-6]")
_TAG_RE = re.compile(r"<[^>]*>")
INSERT = "fencerun_insert_headings"
REMOVE = "fencerun_remove_headings"
_HEADINGS_BOX = "fencerun-toc-headings"


class IdPrefixer(Treeprocessor):  # type: ignore[misc]  # Markdown has no type hints
    """Prefixes the ids an output's Markdown makes, and the links to them, as markdown-exec does
    (its IdPrependingTreeprocessor)."""

    def __init__(self, md: Markdown, prefix: str) -> None:
        super().__init__(md)
        self.prefix = prefix

    def run(self, root: Element) -> None:
        if not self.prefix:
            return
        for element in root.iter():
            for name in ("id", "name"):
                if value := element.get(name):
                    element.set(name, self.prefix + value)
            href = element.get("href")
            if href and href.startswith("#"):
                element.set("href", "#" + self.prefix + href[1:])
            if element.tag == "label" and (target := element.get("for")):
                element.set("for", self.prefix + target)


class HeadingCollector(Treeprocessor):  # type: ignore[misc]  # Markdown has no type hints
    """Copies an output's headings (with their final ids) for the page's table of contents
    (markdown-exec's HeadingReportingTreeprocessor, after mkdocstrings')."""

    def __init__(self, md: Markdown, headings: list[Element]) -> None:
        super().__init__(md)
        self.headings = headings

    def run(self, root: Element) -> None:
        permalink_class = (
            getattr(self.md.treeprocessors["toc"], "permalink_class", None)
            if ("toc" in self.md.treeprocessors)
            else None
        )
        for element in root.iter():
            if isinstance(element.tag, str) and _HEADING_RE.fullmatch(element.tag):
                heading = copy.deepcopy(element)
                if len(heading) and heading[-1].get("class") == permalink_class:
                    del heading[-1]
                self.headings.append(heading)


def plain_heading(heading: Element, inner: Markdown) -> Element:
    """The heading with the inner conversion's stash placeholders replaced by their text."""

    def text_of(match: re.Match[str]) -> str:
        index = int(match.group(1))
        blocks = inner.htmlStash.rawHtmlBlocks
        return _TAG_RE.sub("", str(blocks[index])) if index < len(blocks) else ""

    for element in heading.iter():
        if element.text:
            element.text = HTML_PLACEHOLDER_RE.sub(text_of, element.text)
        if element.tail:
            element.tail = HTML_PLACEHOLDER_RE.sub(text_of, element.tail)
    return heading


class InsertHeadings(Treeprocessor):  # type: ignore[misc]  # Markdown has no type hints
    """Just before `toc`: puts copies of outputs' headings where the outputs stand
    (markdown-exec's InsertHeadings)."""

    def __init__(self, md: Markdown) -> None:
        super().__init__(md)
        self.pending: dict[str, list[Element]] = {}

    def run(self, root: Element) -> None:
        if not self.pending:
            return
        stash = self.md.htmlStash.rawHtmlBlocks
        for element in list(_block_elements(root)):
            match = HTML_PLACEHOLDER_RE.fullmatch((element.text or "").strip())
            if match is None or int(match.group(1)) >= len(stash):
                continue
            headings = self.pending.get(str(stash[int(match.group(1))]))
            if headings:
                box = Element("div", {"class": _HEADINGS_BOX})
                box.extend(copy.deepcopy(h) for h in headings)
                element.append(box)
        self.pending.clear()


class HeadingsOut(Treeprocessor):  # type: ignore[misc]  # Markdown has no type hints
    """Stands for `InsertHeadings` in a conversion made apart from its page (`fence`): hands
    the headings of the outputs in it to `headings`, for the page's own InsertHeadings."""

    def __init__(self, md: Markdown, headings: list[Element]) -> None:
        super().__init__(md)
        self.headings = headings
        self.pending: dict[str, list[Element]] = {}

    def run(self, root: Element) -> None:
        for found in self.pending.values():
            self.headings.extend(found)
        self.pending.clear()


class RemoveHeadings(Treeprocessor):  # type: ignore[misc]  # Markdown has no type hints
    """Just after `toc`: takes the copies out again; the output's own HTML keeps its headings
    (markdown-exec's RemoveHeadings)."""

    def run(self, root: Element) -> None:
        for parent in list(root.iter()):
            for child in list(parent):
                if child.tag == "div" and child.get("class") == _HEADINGS_BOX:
                    parent.remove(child)


def _block_elements(root: Element) -> Iterator[Element]:
    for element in root.iter():
        if isinstance(element.tag, str) and element.tag in {"p", "div", "li", "td", "blockquote"}:
            yield element
