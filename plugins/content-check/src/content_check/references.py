"""What a page points to: links and images, inline, by reference and in raw HTML."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Literal

from .markdown_source import Page

Kind = Literal["link", "image"]

# [label]: target "title" (footnote definitions `[^1]:` are not links)
DEFINITION = re.compile(r"^ {0,3}\[(?P<label>[^\]^][^\]]*)\]:(?P<dest>.*)$")
INLINE_IMAGE = re.compile(r"(?<!\\)!\[(?P<text>[^\]]*)\]\((?P<dest>[^)]*)\)")
REFERENCE_IMAGE = re.compile(r"(?<!\\)!\[(?P<text>[^\]]*)\]\[(?P<label>[^\]]*)\]")
INLINE_LINK = re.compile(r"(?<![\\!])\[(?P<text>[^\]]*)\]\((?P<dest>[^)]*)\)")
REFERENCE_LINK = re.compile(r"(?<![\\!\]])\[(?P<text>[^\]^][^\]]*)\]\[(?P<label>[^\]]*)\]")


@dataclass(frozen=True)
class Reference:
    """A target to resolve, counted once where it is written (a label's at its definition)."""

    line: int
    kind: Kind
    target: str  # as written, angle brackets and title removed


@dataclass(frozen=True)
class Image:
    line: int
    source: str
    alt: str | None  # None when an HTML <img> has no alt attribute at all


@dataclass(frozen=True)
class UndefinedLabel:
    line: int
    label: str


@dataclass
class PageReferences:
    targets: list[Reference] = field(default_factory=list)
    images: list[Image] = field(default_factory=list)
    undefined_labels: list[UndefinedLabel] = field(default_factory=list)


def _destination(raw: str) -> str:
    """The URL part of `(url "title")` or `(<url with spaces> "title")`."""
    raw = raw.strip()
    if raw.startswith("<") and ">" in raw:
        return raw[1 : raw.index(">")]
    return raw.split(maxsplit=1)[0] if raw else ""


def _label_key(label: str) -> str:
    return " ".join(label.split()).casefold()


def _blank(match: re.Match[str]) -> str:
    # Keeps the line's length so that later patterns see an image inside a link
    # (`[![alt](img)](url)`) as plain link text.
    return "_" * len(match.group())


class _TagCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("a", "img"):
            self.tags.append((tag, dict(attrs)))


def _html_references(number: int, line: str, found: PageReferences) -> None:
    if "<a" not in line and "<img" not in line:
        return
    collector = _TagCollector()
    collector.feed(line)
    collector.close()
    for tag, attrs in collector.tags:
        if tag == "img":
            source = attrs.get("src") or ""
            found.targets.append(Reference(number, "image", source))
            found.images.append(Image(number, source, attrs.get("alt")))
        elif attrs.get("href") is not None:
            found.targets.append(Reference(number, "link", attrs.get("href") or ""))


def find_references(page: Page) -> PageReferences:
    """Every link and image in a page's prose, and uses of labels it never defines."""
    prose = list(page.prose_lines())
    found = PageReferences()
    definitions: dict[str, Reference] = {}
    for number, line in prose:
        match = DEFINITION.match(line)
        if match:
            definition = Reference(number, "link", _destination(match["dest"]))
            if definitions.setdefault(_label_key(match["label"]), definition) is definition:
                found.targets.append(definition)

    def by_label(number: int, label: str, image_alt: str | None = None) -> None:
        definition = definitions.get(_label_key(label))
        if definition is None:
            found.undefined_labels.append(UndefinedLabel(number, label))
        elif image_alt is not None:
            found.images.append(Image(number, definition.target, image_alt))

    for number, line in prose:
        if DEFINITION.match(line):
            continue
        for match in INLINE_IMAGE.finditer(line):
            source = _destination(match["dest"])
            found.targets.append(Reference(number, "image", source))
            found.images.append(Image(number, source, match["text"]))
        for match in REFERENCE_IMAGE.finditer(line):
            by_label(number, match["label"] or match["text"], image_alt=match["text"])
        line = REFERENCE_IMAGE.sub(_blank, INLINE_IMAGE.sub(_blank, line))
        for match in INLINE_LINK.finditer(line):
            found.targets.append(Reference(number, "link", _destination(match["dest"])))
        for match in REFERENCE_LINK.finditer(line):
            by_label(number, match["label"] or match["text"])
        _html_references(number, line, found)
    return found
