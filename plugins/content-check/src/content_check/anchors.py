"""The ids a page offers to `#anchor` links, computed the way the site computes them."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from html.parser import HTMLParser

import markdown
from pymdownx.slugs import slugify

# The extensions that decide which ids a page has, configured as in mkdocs.yml:
# headings and tabs (with the site's slugify, which keeps Hangul), explicit `{#id}`
# (attr_list), and the containers a heading can sit in. Fenced code is emptied
# before rendering, so no code extension is needed.
ID_EXTENSIONS = (
    "toc",
    "attr_list",
    "md_in_html",
    "footnotes",
    "admonition",
    "def_list",
    "tables",
    "pymdownx.details",
    "pymdownx.tabbed",
)
SITE_SLUGIFY = slugify(case="lower")
HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})


@dataclass(frozen=True)
class Anchors:
    ids: frozenset[str]
    headings: dict[str, str]  # id -> heading text

    def suggest(self, fragment: str) -> str:
        """What the author probably meant by a `#fragment` that is not here."""
        for heading_id, text in self.headings.items():
            if SITE_SLUGIFY(text, "-") == fragment:
                return f"the heading {text!r} has the explicit id #{heading_id}; link that"
        close = difflib.get_close_matches(fragment, sorted(self.ids), n=3, cutoff=0.4)
        if close:
            return f"did you mean {', '.join('#' + name for name in close)}?"
        return "no id there looks like it"


class _IdCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.headings: dict[str, str] = {}
        self._heading: tuple[str, list[str]] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value and (name == "id" or (tag == "a" and name == "name")):
                self.ids.add(value)
                if tag in HEADING_TAGS and name == "id":
                    self._heading = (value, [])

    def handle_data(self, data: str) -> None:
        if self._heading is not None:
            self._heading[1].append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag in HEADING_TAGS and self._heading is not None:
            heading_id, text = self._heading
            self.headings[heading_id] = "".join(text).strip()
            self._heading = None


def page_anchors(markdown_text: str) -> Anchors:
    """Every id the rendered page carries: headings, `{#id}` attributes, raw HTML ids."""
    renderer = markdown.Markdown(
        extensions=list(ID_EXTENSIONS),
        extension_configs={
            "toc": {"slugify": SITE_SLUGIFY},
            "pymdownx.tabbed": {"alternate_style": True, "slugify": SITE_SLUGIFY},
        },
    )
    collector = _IdCollector()
    collector.feed(renderer.convert(markdown_text))
    collector.close()
    return Anchors(frozenset(collector.ids), collector.headings)
