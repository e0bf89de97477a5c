"""The blog of each language, as a reader gets it from the built site."""

from __future__ import annotations

import calendar
import re
from xml.etree import ElementTree as ET

import pytest

from tests.site.built_site import CATEGORY_SLUGS, POSTS, ROOTS, SITE_URL, BuiltSite, Post, one

LANGUAGES = tuple(ROOTS)


def listed_posts(site: BuiltSite, url: str) -> list[str]:
    """The posts an index, archive or category page lists, as site URLs."""
    page = site.page(url)
    return [
        site.resolve(url, str(link["href"]))
        for link in page.select("article.md-post--excerpt h2 a.toclink")
    ]


def pages_of(site: BuiltSite, first_url: str) -> list[str]:
    """A view's URL and those of its further pages (page/2/, page/3/, ...)."""
    urls = [first_url]
    while site.file(f"{first_url}page/{len(urls) + 1}/").is_file():
        urls.append(f"{first_url}page/{len(urls) + 1}/")
    return urls


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("post", POSTS, ids=lambda post: post.slug)
def test_every_post_is_published_in_both_languages_at_its_ascii_url(
    site: BuiltSite, post: Post, language: str
) -> None:
    url = post.url(language)
    assert url.isascii()
    page = site.page(url)
    assert page.html is not None and page.html["lang"] == language
    assert page.select_one("article h1, .md-content h1") is not None


@pytest.mark.parametrize("language", LANGUAGES)
def test_blog_index_lists_exactly_its_languages_posts_newest_first(
    site: BuiltSite, language: str
) -> None:
    index = f"{ROOTS[language]}blog/"
    listed = [post for url in pages_of(site, index) for post in listed_posts(site, url)]
    newest_first = sorted(POSTS, key=lambda post: post.date, reverse=True)
    assert listed == [post.url(language) for post in newest_first]


@pytest.mark.parametrize("language", LANGUAGES)
def test_blog_index_is_paginated(site: BuiltSite, language: str) -> None:
    second = f"{ROOTS[language]}blog/page/2/"
    assert listed_posts(site, second), f"/{second} lists no posts"


@pytest.mark.parametrize("language", LANGUAGES)
def test_archive_pages_list_the_posts_of_their_year(site: BuiltSite, language: str) -> None:
    for year in sorted({post.date[:4] for post in POSTS}):
        archive = f"{ROOTS[language]}blog/archive/{year}/"
        listed = {post for url in pages_of(site, archive) for post in listed_posts(site, url)}
        assert listed == {post.url(language) for post in POSTS if post.date.startswith(year)}


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("post", POSTS, ids=lambda post: post.slug)
def test_category_pages_have_ascii_urls_and_list_their_posts(
    site: BuiltSite, post: Post, language: str
) -> None:
    slug = CATEGORY_SLUGS[post.category["ko"]]
    category = f"{ROOTS[language]}blog/category/{slug}/"
    page = site.page(category)
    assert post.category[language] in one(page, ".md-content h1").get_text()
    assert post.url(language) in listed_posts(site, category)


@pytest.mark.parametrize(("language", "other"), [("ko", "en"), ("en", "ko")])
@pytest.mark.parametrize("post", POSTS, ids=lambda post: post.slug)
def test_language_switcher_on_a_post_leads_to_its_translation(
    site: BuiltSite, post: Post, language: str, other: str
) -> None:
    url = post.url(language)
    switch = site.page(url).select_one(f'a.md-select__link[hreflang="{other}"]')
    assert switch is not None, f"/{url} has no switcher link to '{other}'"
    assert site.resolve(url, str(switch["href"])) == post.url(other)


@pytest.mark.parametrize("post", POSTS, ids=lambda post: post.slug)
def test_post_dates_are_korean_on_korean_pages_and_english_on_english_pages(
    site: BuiltSite, post: Post
) -> None:
    year, month, day = (int(part) for part in post.date.split("/"))
    korean = one(site.page(post.url("ko")), "time").get_text(strip=True)
    english = one(site.page(post.url("en")), "time").get_text(strip=True)
    assert korean == f"{year}년 {month}월 {day}일"
    month_name = calendar.month_name[month]
    assert english == f"{month_name} {day}, {year}"


@pytest.mark.parametrize(
    ("language", "pattern"), [("ko", r"읽는 데 \d+분"), ("en", r"\d+ min read")]
)
def test_posts_show_reading_time_in_their_language(
    site: BuiltSite, language: str, pattern: str
) -> None:
    for post in POSTS:
        meta = one(site.page(post.url(language)), ".md-post__meta").get_text(" ", strip=True)
        assert re.search(pattern, meta), f"/{post.url(language)}: no reading time in {meta!r}"


def test_korean_reading_time_and_category_labels_read_naturally(site: BuiltSite) -> None:
    # Material's Korean runs "읽는시간" together and puts a bare "카테고리"
    # before the name; overrides/partials/language.html words them.
    pages = [post.url("ko") for post in POSTS] + ["blog/"]
    for url in pages:
        for meta in site.page(url).select(".md-post__meta"):
            text = meta.get_text(" ", strip=True)
            assert "읽는시간" not in text, f"/{url}: Material's wording in {text!r}"
            assert re.search(r"카테고리: \S", text), f"/{url}: no '카테고리: ' label in {text!r}"
            assert re.search(r"읽는 데 \d+분", text), f"/{url}: no '읽는 데 N분' in {text!r}"


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("post", POSTS, ids=lambda post: post.slug)
def test_post_meta_follows_the_title_as_in_the_sidebar(
    site: BuiltSite, post: Post, language: str
) -> None:
    # On a phone the sidebar sits under the article; this copy is what a
    # reader sees first (site.css shows one or the other by screen width).
    page = site.page(post.url(language))
    title = one(page, ".md-content h1")
    under_title = title.find_next_sibling()
    assert under_title is not None
    assert "site-post-meta--title" in under_title.get_attribute_list("class")
    sidebar = one(page, ".md-sidebar--post .site-post-meta--sidebar")
    for selector in ("time", "a"):
        assert one(under_title, selector).get_text(strip=True) == one(sidebar, selector).get_text(
            strip=True
        )
    assert one(under_title, "a").get_text(strip=True) == post.category[language]


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_language_has_an_rss_feed_of_its_own_posts(site: BuiltSite, language: str) -> None:
    feed = ET.parse(site.file(f"{ROOTS[language]}feed.xml")).getroot()
    assert feed.findtext("channel/language") == language
    links = {item.findtext("link") for item in feed.iter("item")}
    assert links == {SITE_URL + post.url(language) for post in POSTS}
    head_link = site.page(ROOTS[language]).select_one('link[type="application/rss+xml"]')
    assert head_link is not None
    assert site.resolve(ROOTS[language], str(head_link["href"])) == f"{ROOTS[language]}feed.xml"


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_language_has_a_404_page_in_its_language(site: BuiltSite, language: str) -> None:
    page = site.page(f"{ROOTS[language]}404.html")
    assert page.html is not None and page.html["lang"] == language
    heading = one(page, ".md-content h1").get_text()
    assert heading == ("페이지를 찾을 수 없습니다" if language == "ko" else "Page not found")


def test_posts_of_one_language_are_not_published_under_the_other(site: BuiltSite) -> None:
    korean_blog = {url for url in site.html_pages() if url.startswith("blog/")}
    english_blog = {
        url.removeprefix("en/") for url in site.html_pages() if url.startswith("en/blog/")
    }
    assert korean_blog == english_blog, "the two blogs differ in pages"
    assert not any("/posts/" in url for url in site.html_pages()), "a post kept its source path"


@pytest.mark.parametrize("language", LANGUAGES)
def test_tags_on_a_post_lead_to_its_languages_tags_page(site: BuiltSite, language: str) -> None:
    for post in POSTS:
        url = post.url(language)
        tags = site.page(url).select("a.md-tag")
        assert tags, f"/{url} shows no tags"
        for tag in tags:
            href, _, anchor = str(tag["href"]).partition("#")
            target = site.resolve(url, href)
            assert anchor, f"tag link {tag['href']} on /{url} names no tag"
            assert target == f"{ROOTS[language]}tags/"
            assert site.page(target).find(id=anchor) is not None, f"no #{anchor} on /{target}"


def test_sitemap_lists_every_post_in_both_languages(site: BuiltSite) -> None:
    sitemap = ET.parse(site.file("sitemap.xml")).getroot()
    namespace = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locations = {loc.text for loc in sitemap.findall("s:url/s:loc", namespace)}
    for post in POSTS:
        for language in LANGUAGES:
            assert SITE_URL + post.url(language) in locations
