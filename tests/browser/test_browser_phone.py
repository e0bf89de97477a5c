"""Pages on a phone-sized screen: nothing wider than the screen, Korean words kept whole."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page

from tests.browser.chromium import Opened, open_pages
from tests.browser.site_pages import (
    BLOG_INDEX,
    HANGUL_LINE_BREAKS,
    HOME,
    LANGUAGES,
    LINUX_POST,
    XOR_POST,
    post_path,
)
from tests.site.built_site import POSTS

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
