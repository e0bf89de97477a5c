"""On the real site: a note or a post lists its related pages and draws its link map, in its
own language, each entry a link to a page of that language; other pages show neither."""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup, Tag

from tests.site.built_site import POSTS, ROOTS, BuiltSite, one

RELATED = {"ko": "관련 글", "en": "Related pages"}
MAP = {"ko": "링크 지도", "en": "Link map"}
LEGEND = {
    "ko": ["이 문서가 가리키는 글", "이 문서를 가리키는 글", "서로 가리키는 글"],
    "en": ["Linked from this page", "Links to this page", "Linked both ways"],
}
NOTE = "kb/processes/"
LINUX_POST = next(post for post in POSTS if post.slug == "linux-and-containers-for-new-engineers")


def page_title(site: BuiltSite, url: str) -> str:
    heading = one(site.page(url), "article h1").get_text().replace("¶", "")
    return " ".join(heading.split())


def backlink_targets(site: BuiltSite, url: str, page: BeautifulSoup) -> set[str]:
    return {
        site.resolve(url, str(link["href"])) for link in page.select("section.kb-backlinks li > a")
    }


def is_note_or_post(url: str, language: str) -> bool:
    return re.match(rf"^{ROOTS[language]}(kb/|blog/\d{{4}}/\d\d/\d\d/)", url) is not None


@pytest.mark.parametrize("language", ROOTS)
def test_a_note_lists_up_to_five_related_notes_and_posts_of_its_language(
    real_site: BuiltSite, language: str
) -> None:
    url = ROOTS[language] + NOTE
    page = real_site.page(url)
    section = one(page, "section.kb-related")
    assert one(section, "h2").get_text(strip=True) == RELATED[language]
    links = section.select("li > a")
    assert 1 <= len(links) <= 5
    targets = [real_site.resolve(url, str(link["href"])) for link in links]
    assert len(set(targets)) == len(targets)
    left_out = backlink_targets(real_site, url, page) | {url}
    for link, target in zip(links, targets, strict=True):
        assert real_site.file(target).is_file(), target
        assert is_note_or_post(target, language), target
        assert target not in left_out, target
        assert link.get_text(strip=True) == page_title(real_site, target)


def svg_links(section: Tag) -> list[Tag]:
    return section.select("figure > svg a")


@pytest.mark.parametrize("language", ROOTS)
@pytest.mark.parametrize("path", [NOTE, f"blog/{LINUX_POST.date}/{LINUX_POST.slug}/"])
def test_a_note_or_a_post_draws_its_neighbours_as_links(
    real_site: BuiltSite, language: str, path: str
) -> None:
    url = ROOTS[language] + path
    page = real_site.page(url)
    section = one(page, "section.kb-map")
    assert one(section, "h2").get_text(strip=True) == MAP[language]
    svg = one(section, "figure > svg")
    width, height = (int(str(svg[side])) for side in ("width", "height"))
    # Drawn at its own size on a phone; html.parser lowercases attribute names.
    assert svg["viewbox"] == f"0 0 {width} {height}" and width <= 360
    centre, *nodes = svg_links(section)
    assert real_site.resolve(url, str(centre["href"])) == url
    assert centre["aria-current"] == "page"
    targets = set()
    for node in nodes:
        target = real_site.resolve(url, str(node["href"]))
        assert real_site.file(target).is_file(), target
        assert target.startswith(ROOTS[language]) and target != url
        title = page_title(real_site, target)
        # The whole title names the link, however much of it the drawing shows.
        assert one(node, "title").get_text().startswith(f"{title} (")
        shown = one(node, "text").get_text()
        assert shown == title or title.startswith(shown.removesuffix("…"))
        targets.add(target)
    # One step out and one step in: every page that links here is drawn (fewer than 12).
    assert backlink_targets(real_site, url, page) <= targets
    legend = [item.get_text(strip=True) for item in section.select("figcaption li")]
    assert legend and set(legend) <= set(LEGEND[language])
    # Not part of the page's text: not in its table of contents.
    for heading in page.select("section.kb-map h2, section.kb-related h2"):
        assert not page.select(f'nav.md-nav--secondary a[href="#{heading["id"]}"]')


@pytest.mark.parametrize("url", ["", "en/", "about/", "tags/", "blog/", "en/about/"])
def test_pages_other_than_notes_and_posts_show_neither(real_site: BuiltSite, url: str) -> None:
    page = real_site.page(url)
    assert page.select_one("section.kb-related") is None
    assert page.select_one("section.kb-map") is None
