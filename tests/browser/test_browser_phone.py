"""Pages on a phone-sized screen: nothing wider than the screen, Korean words kept whole."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page

from tests.browser.chromium import Opened, open_pages
from tests.browser.conftest import ContextFactory
from tests.browser.site_pages import (
    BLOG_INDEX,
    HANGUL_LINE_BREAKS,
    HOME,
    LANGUAGES,
    LINUX_POST,
    XOR_POST,
    post_path,
)
from tests.site.built_site import POSTS, Post

pytestmark = pytest.mark.browser

# An everyday phone: 390 x 844 CSS pixels at three device pixels each.
PHONE: dict[str, Any] = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 3,
    "is_mobile": True,
    "has_touch": True,
}
# Every Korean page kind; the English pages with the widest content (code, tables).
PAGES = {
    "ko": [HOME["ko"], BLOG_INDEX["ko"], "/about/", *(post_path(post, "ko") for post in POSTS)],
    "en": [HOME["en"], post_path(LINUX_POST, "en"), post_path(XOR_POST, "en")],
}
SCREENSHOTS = {
    HOME["ko"]: "home-ko-phone",
    post_path(LINUX_POST, "ko"): "post-ko-phone",
    post_path(LINUX_POST, "en"): "post-en-phone",
}


@pytest.fixture(scope="module")
def on_phone(
    browser: Browser, site_url: str, screenshot: Callable[[Page, str], Path]
) -> Iterator[dict[str, Opened]]:
    paths = [path for language in LANGUAGES for path in PAGES[language]]
    with open_pages(browser, site_url, paths, **PHONE) as opened:
        for path, name in SCREENSHOTS.items():
            screenshot(opened[path].page, name)
        yield opened


@pytest.mark.parametrize("path", [path for language in LANGUAGES for path in PAGES[language]])
def test_page_does_not_scroll_sideways_on_a_phone(on_phone: dict[str, Opened], path: str) -> None:
    width: dict[str, int] = on_phone[path].page.evaluate(
        "() => ({scroll: document.scrollingElement.scrollWidth,"
        " client: document.scrollingElement.clientWidth})"
    )
    assert width["scroll"] <= width["client"], f"{path} is {width['scroll']} px wide on a phone"


@pytest.mark.parametrize("path", PAGES["ko"])
def test_korean_words_are_not_broken_across_lines_on_a_phone(
    on_phone: dict[str, Opened], path: str
) -> None:
    measured: dict[str, Any] = on_phone[path].page.evaluate(HANGUL_LINE_BREAKS)
    assert measured["words"] > 0, f"{path}: no Korean words found to measure"
    assert measured["notKeepAll"] == [], f"{path}: Korean text without word-break: keep-all"
    assert measured["midWord"] == [], f"{path}: Korean words broken across lines"


@pytest.mark.parametrize("post", POSTS, ids=lambda post: post.slug)
def test_post_date_shows_under_its_title_on_a_phone(
    on_phone: dict[str, Opened], post: Post
) -> None:
    # Material moves the post sidebar (date, category, reading time) under
    # the whole article on small screens; blog-post.html repeats it under the title.
    page = on_phone[post_path(post, "ko")].page
    year, month, day = (int(part) for part in post.date.split("/"))
    date = page.locator(".md-content h1 + .site-post-meta--title time")
    assert date.is_visible(), f"{post.slug}: no date visible under the title on a phone"
    assert date.inner_text().strip() == f"{year}년 {month}월 {day}일"
    title_box = page.locator(".md-content h1").bounding_box()
    date_box = date.bounding_box()
    assert title_box is not None and date_box is not None
    assert title_box["y"] + title_box["height"] <= date_box["y"], f"{post.slug}: date above title"
    first_screen = PHONE["viewport"]["height"]
    assert date_box["y"] + date_box["height"] <= first_screen, f"{post.slug}: date below the fold"
    # Shown once: the sidebar's copy under the article is hidden on a phone.
    assert not page.locator(".md-sidebar--post .site-post-meta--sidebar").is_visible()


def test_post_meta_shows_once_beside_the_article_on_a_desktop(
    new_context: ContextFactory,
) -> None:
    # From Material's 76.25em (1220 px) breakpoint up the sidebar shows it.
    context, _ = new_context(viewport={"width": 1220, "height": 800})
    page = context.new_page()
    page.goto(post_path(LINUX_POST, "ko"))
    assert page.locator(".md-sidebar--post .site-post-meta--sidebar time").is_visible()
    assert not page.locator(".site-post-meta--title").is_visible()


# Table cells holding one token (a figure, a name) whose text is laid out on more than one
# line. A wide table scrolls sideways inside Material's wrapper instead.
SPLIT_CELLS = """() => [...document.querySelectorAll('.md-typeset td, .md-typeset th')]
  .filter((cell) => /^\\S+$/.test(cell.textContent.trim()))
  .filter((cell) => {
    const range = document.createRange();
    range.selectNodeContents(cell);
    const tops = new Set([...range.getClientRects()].map((rect) => Math.round(rect.top)));
    return tops.size > 1;
  })
  .map((cell) => cell.textContent.trim())"""


@pytest.mark.parametrize("path", [path for language in LANGUAGES for path in PAGES[language]])
def test_table_cells_keep_each_figure_on_one_line_on_a_phone(
    on_phone: dict[str, Opened], path: str
) -> None:
    split: list[str] = on_phone[path].page.evaluate(SPLIT_CELLS)
    assert split == [], f"{path}: table cells broken across lines on a phone: {split[:5]}"


@pytest.mark.parametrize("path", [post_path(post, "ko") for post in POSTS])
def test_a_blocks_footer_sits_below_its_output_not_over_it(
    on_phone: dict[str, Opened], path: str
) -> None:
    """The provenance line is read, not hidden under the code's horizontal scroll bar."""
    overlaps: list[str] = on_phone[path].page.evaluate(
        "() => [...document.querySelectorAll('.fencerun-provenance')]"
        ".filter(footer => footer.previousElementSibling && footer.getBoundingClientRect().top"
        " < footer.previousElementSibling.getBoundingClientRect().bottom - 0.5)"
        ".map(footer => footer.textContent.slice(0, 60))"
    )
    assert overlaps == []
