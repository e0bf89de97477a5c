"""The site navigation: a section's index page is the section's own link, not a second entry."""

from __future__ import annotations

import pytest
from bs4 import Tag

from tests.site.built_site import POSTS, ROOTS, BuiltSite, one

SECTIONS = {
    "ko": {"블로그": "blog/", "지식 베이스": "kb/"},
    "en": {"Blog": "blog/", "Knowledge base": "kb/"},
}
# A page inside each section, as a reader arrives at it.
INSIDE = {"blog/": POSTS[0].url("ko").removeprefix(ROOTS["ko"]), "kb/": "kb/processes/"}


def section_item(nav: Tag, name: str) -> Tag:
    for item in nav.select("li.md-nav__item--nested"):
        label = item.select_one(":scope > .md-nav__link, :scope > .md-nav__container")
        if label is not None and label.get_text(" ", strip=True) == name:
            return item
    raise AssertionError(f"the navigation has no section {name!r}")


@pytest.mark.parametrize("language", ROOTS)
@pytest.mark.parametrize("section", ["blog/", "kb/"])
def test_a_section_names_itself_once_and_links_to_its_index(
    site: BuiltSite, language: str, section: str
) -> None:
    name = next(n for n, url in SECTIONS[language].items() if url == section)
    url = ROOTS[language] + INSIDE[section]
    nav = one(site.page(url), "nav.md-nav--primary")
    item = section_item(nav, name)
    link = item.select_one(":scope > .md-nav__container > a.md-nav__link")
    assert link is not None, f"/{url}: section {name!r} is a bare label, not a link to its index"
    assert site.resolve(url, str(link["href"])) == ROOTS[language] + section
    children = item.select(":scope > nav > ul > li > a.md-nav__link")
    repeated = [child.get_text(strip=True) for child in children]
    assert name not in repeated, f"/{url}: {name!r} is listed again inside its own section"
