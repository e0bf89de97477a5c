"""The ids a page offers to `#anchor` links, computed the way the site computes them."""

from __future__ import annotations

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


class _IdCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value and (name == "id" or (tag == "a" and name == "name")):
                self.ids.add(value)


def page_ids(markdown_text: str) -> frozenset[str]:
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
    return frozenset(collector.ids)
