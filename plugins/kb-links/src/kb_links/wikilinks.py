"""The wikilink syntax: [[target]], [[target|label]], [[target#heading]],
[[target#heading|label]] and [[#heading]] for a heading of the same page."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from kb_links.prose import line_of

# One wikilink, written as an author writes it (groups: target, heading, label).
WIKILINK = re.compile(
    r"\[\[(?P<target>[^\[\]|#\n]*)(?:#(?P<heading>[^\[\]|\n]*))?(?:\|(?P<label>[^\[\]\n]*))?\]\]"
)


@dataclass(frozen=True)
class WikiLink:
    start: int  # offsets in the page's Markdown
    end: int
    line: int  # 1-based, in the Markdown searched
    target: str  # "" for a heading of the same page
    heading: str | None
    label: str | None

    @property
    def written(self) -> str:
        heading = "" if self.heading is None else f"#{self.heading}"
        label = "" if self.label is None else f"|{self.label}"
        return f"[[{self.target}{heading}{label}]]"


def find_wikilinks(masked: str) -> Iterator[WikiLink]:
    """The wikilinks of a page's prose (`prose.mask_code` of its Markdown)."""
    for match in WIKILINK.finditer(masked):
        heading, label = match.group("heading"), match.group("label")
        yield WikiLink(
            start=match.start(),
            end=match.end(),
            line=line_of(masked, match.start()),
            target=match.group("target").strip(),
            heading=None if heading is None else heading.strip(),
            label=None if label is None or not label.strip() else label.strip(),
        )
