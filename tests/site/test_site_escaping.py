"""A post whose title, description, tag and image alt text hold ", ', <, >, & and Hangul
reads as written everywhere the site prints them: the head, the page, the blog's lists,
the tags page, the feed, the search index and the link preview card.

The site is copied with one more post (Korean, and its English twin) and built without
running blocks; each place is read back with a parser (BeautifulSoup for HTML, ElementTree
for the feed, json for the index), so an unescaped quote that cuts an attribute short, or
an entity escaped twice, shows up as text that differs from what the author wrote.
"""

from __future__ import annotations

import json
import subprocess
import sys
from urllib.parse import urlsplit
from xml.etree import ElementTree as ET

import pytest
from bs4 import BeautifulSoup, Tag
from ko_search.shards import documents
from social_cards.draw import CardText, draw_card
from social_cards.fonts import nanum_gothic

from tests.site.built_site import REPO, ROOTS, SITE_URL, BuiltSite, one, tree
from tests.site_copy import built_copy, copy_site

LANGUAGES = tuple(ROOTS)
SLUG = "quotes-and-angle-brackets"
POST_URL = f"blog/2024/05/01/{SLUG}/"
TITLE = "\"따옴표\" & <꺾쇠> 'and' 테스트"  # the same in both translations
DESCRIPTION = {
    "ko": "\"설명\" & <꺾쇠> 'and' 한 줄 요약",
    "en": "\"Description\" & <꺾쇠> 'and' one line",
}
TAG = {"ko": "\"인용\" & <꺾쇠> '태그'", "en": "\"Quoted\" & <꺾쇠> 'tag'"}
ALT = {"ko": "\"그림\" & <꺾쇠> 'alt' 설명", "en": "\"Figure\" & <꺾쇠> 'alt' text"}
CATEGORY = {"ko": "회고", "en": "Retrospective"}
# `<` left bare before a Hangul letter is a parse error in HTML (invalid-first-character-
# of-tag-name) that browsers forgive and html.parser reads as text: pages write `&lt;꺾쇠`.
BARE_ANGLE = "<꺾쇠"


def _yaml(text: str) -> str:
    """A YAML single-quoted scalar: the only character to double is the quote itself."""
    return "'" + text.replace("'", "''") + "'"


def post_source(language: str) -> str:
    lead = {"ko": "따옴표와 꺾쇠가 든 제목.", "en": "A title with quotes and angle brackets."}
    section = {"ko": "본문", "en": "Body"}
    return (
        "---\n"
        "date: 2024-05-01\n"
        f"slug: {SLUG}\n"
        "authors: [linus]\n"
        f"categories: [{CATEGORY[language]}]\n"
        f"tags: [{_yaml(TAG[language])}]\n"
        f"description: {_yaml(DESCRIPTION[language])}\n"
        "---\n\n"
        f"# {TITLE}\n\n"
        f"{lead[language]}\n\n"
        f"![{ALT[language]}]({SLUG}.svg)\n\n"
        "<!-- more -->\n\n"
        f"## {section[language]}\n\n"
        f"{lead[language]}\n"
    )


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    project = copy_site(tmp_path_factory.mktemp("escaping") / "project")
    for language in LANGUAGES:
        posts = project / "docs" / language / "blog" / "posts"
        (posts / f"{SLUG}.md").write_text(post_source(language), encoding="utf-8")
        (posts / f"{SLUG}.svg").write_text(
            '<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"><rect width="8" '
            'height="8"/></svg>\n',
            encoding="utf-8",
        )
    # The post is one an author could publish: the content check passes it.
    checked = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "check_content.py"), "--root", str(project)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    out = tmp_path_factory.mktemp("escaping-site")
    return built_copy(project, out, site_url=SITE_URL, run_blocks=False)


def text(element: Tag) -> str:
    """What a reader sees of an element, its permalink (¶) left out, spaces collapsed."""
    words = (
        piece
        for piece in element.find_all(string=True)
        if not any("headerlink" in (parent.get("class") or []) for parent in piece.parents)
    )
    return " ".join("".join(words).split())


def html_text(html: str) -> str:
    return BeautifulSoup(html, "html.parser").get_text()


def content(page: BeautifulSoup, selector: str) -> str:
    return str(one(page, selector)["content"])


def excerpt_of_the_post(site: BuiltSite, url: str) -> Tag:
    page = site.page(url)
    for article in page.select("article.md-post--excerpt"):
        link = article.select_one("h2 a.toclink")
        if link is not None and site.resolve(url, str(link["href"])).endswith(POST_URL):
            return article
    raise AssertionError(f"/{url} lists no excerpt of {POST_URL}")


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_head_states_title_description_and_tag_as_written(
    site: BuiltSite, language: str
) -> None:
    url = ROOTS[language] + POST_URL
    page = site.page(url)
    assert text(one(page, "head title")) == f"{TITLE} - linus.log"
    assert content(page, 'meta[name="description"]') == DESCRIPTION[language]
    assert content(page, 'meta[property="og:title"]') == TITLE
    assert content(page, 'meta[property="og:description"]') == DESCRIPTION[language]
    assert content(page, 'meta[property="article:tag"]') == TAG[language]
    assert content(page, 'meta[property="og:url"]') == SITE_URL + url
    assert one(page, 'link[rel="canonical"]')["href"] == SITE_URL + url
    for alt in ('meta[property="og:image:alt"]', 'meta[name="twitter:image:alt"]'):
        assert content(page, alt) == f"{TITLE} — linus.log"


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_post_shows_title_tag_and_alt_text_as_written(site: BuiltSite, language: str) -> None:
    page = site.page(ROOTS[language] + POST_URL)
    assert text(one(page, "article h1")) == TITLE
    assert text(one(page, '[data-md-component="header-topic"] .md-ellipsis')) == TITLE
    assert [text(tag) for tag in page.select("article nav.md-tags .md-tag")] == [TAG[language]]
    assert one(page, "article img[alt]")["alt"] == ALT[language]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("view", ["blog/", "blog/archive/2024/", "blog/category/retrospective/"])
def test_the_blogs_lists_show_the_title_and_alt_text_as_written(
    site: BuiltSite, language: str, view: str
) -> None:
    url = ROOTS[language] + view
    excerpt = excerpt_of_the_post(site, url)
    assert text(one(excerpt, "h2")) == TITLE
    assert one(excerpt, ".md-post__content img[alt]")["alt"] == ALT[language]
    # The excerpt's navs are named after the post ("Continue reading: <title>").
    labels = [str(nav["aria-label"]) for nav in excerpt.select("nav[aria-label]")]
    assert labels and all(label.endswith(f": {TITLE}") for label in labels), labels
    contents = site.page(url).select(".md-nav--secondary .md-nav__link")
    assert TITLE in [text(link) for link in contents]


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_tags_page_lists_the_tag_and_its_post_as_written(
    site: BuiltSite, language: str
) -> None:
    url = ROOTS[language] + "tags/"
    page = site.page(url)
    headline = next(h2 for h2 in page.select("h2") if text(h2) == TAG[language])
    listing = headline.find_next_sibling("ul")
    assert isinstance(listing, Tag)
    links = {text(link): site.resolve(url, str(link["href"])) for link in listing.select("a")}
    assert links == {TITLE: ROOTS[language] + POST_URL}
    contents = page.select(".md-nav--secondary .md-nav__link")
    assert TAG[language] in [text(link) for link in contents]


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_feed_gives_title_and_description_as_written(site: BuiltSite, language: str) -> None:
    channel = ET.parse(site.file(ROOTS[language] + "feed.xml")).getroot().find("channel")
    assert channel is not None
    item = next(
        item
        for item in channel.iter("item")
        if item.findtext("link") == SITE_URL + ROOTS[language] + POST_URL
    )
    assert item.findtext("title") == TITLE
    assert item.findtext("description") == DESCRIPTION[language]
    assert [category.text for category in item.iter("category")] == [CATEGORY[language]]


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_search_index_holds_title_and_tag_as_written(site: BuiltSite, language: str) -> None:
    # ko-search keeps the documents in its shards' fragments, not in search_index.json.
    index = {"docs": documents(str(site.file(ROOTS[language] + "search")))}
    doc = next(doc for doc in index["docs"] if doc["location"] == POST_URL)
    # Material's forms: a title as HTML, tags as the front matter writes them.
    assert html_text(doc["title"]) == TITLE
    assert doc["tags"] == [TAG[language]]
    tags_sections = [
        html_text(doc["title"]) for doc in index["docs"] if doc["location"].startswith("tags/#")
    ]
    assert TAG[language] in tags_sections


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_card_is_drawn_from_the_text_as_written(site: BuiltSite, language: str) -> None:
    page = site.page(ROOTS[language] + POST_URL)
    image = urlsplit(content(page, 'meta[property="og:image"]')).path
    card = site.file(image.removeprefix(urlsplit(SITE_URL).path)).read_bytes()
    written = CardText(
        title=TITLE, description=DESCRIPTION[language], site_name="linus.log", author="linus"
    )
    assert card == draw_card(written, nanum_gothic())


def test_no_page_leaves_an_angle_bracket_bare(site: BuiltSite) -> None:
    bare = [url for url in site.html_pages() if BARE_ANGLE in site.file(url).read_text("utf-8")]
    assert not bare, f"{BARE_ANGLE!r} unescaped in {bare}"


def test_the_build_leaves_the_published_site_alone(site: BuiltSite) -> None:
    assert site.published_unchanged
