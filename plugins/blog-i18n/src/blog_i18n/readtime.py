"""Reading time that is right for Korean as well as English.

Material splits text on \\W+, so one Korean word (어절) breaks into several
wherever punctuation, digits in a unit or a parenthesised English term sit
inside it: "컨테이너(container)는" counts three, "0.045초" two. Here a word is
a run of text between spaces that holds a letter or digit, which keeps a
Korean word with its particles whole. Code listings and program output (<pre>)
are skimmed, not read, so they are left out; images add time as in Material.
"""

from __future__ import annotations

import re
from functools import lru_cache
from html.parser import HTMLParser
from math import ceil

WORD = re.compile(r"\w")
SKIPPED = frozenset({"pre", "script", "style", "svg", "object"})
VOID = frozenset(
    {
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "source",
        "track",
        "wbr",
    }
)
# Tags that end a word; inline tags do not ("<strong>리눅스</strong>를" is one word).
BLOCK = frozenset(
    {
        "address",
        "article",
        "aside",
        "blockquote",
        "br",
        "dd",
        "details",
        "div",
        "dl",
        "dt",
        "figcaption",
        "figure",
        "footer",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "li",
        "ol",
        "p",
        "section",
        "summary",
        "table",
        "td",
        "th",
        "tr",
        "ul",
    }
)


class _TextParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[str] = []
        self.text: list[str] = []
        self.images = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "img":
            self.images += 1
        if tag in BLOCK:
            self.text.append(" ")
        if tag not in VOID:
            self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in BLOCK:
            self.text.append(" ")
        if tag in self.open:
            while self.open.pop() != tag:
                pass

    def handle_data(self, data: str) -> None:
        if not SKIPPED.intersection(self.open):
            self.text.append(data)


def count_words(text: str) -> int:
    return sum(1 for token in text.split() if WORD.search(token))


# Kept per page text: a `scripts/site serve` rebuild parses only the posts that changed.
@lru_cache(maxsize=256)
def reading_minutes(html: str, words_per_minute: int) -> int:
    parser = _TextParser()
    parser.feed(html)
    parser.close()
    seconds = ceil(count_words("".join(parser.text)) / words_per_minute * 60)
    # Material's rule for images: 12 s for the first, a second less for each
    # next one, down to 3 s.
    delta = 12
    for _ in range(parser.images):
        seconds += delta
        delta = max(delta - 1, 3)
    return max(1, ceil(seconds / 60))
