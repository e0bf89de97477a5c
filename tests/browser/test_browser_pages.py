"""Home and posts in both languages, as Chromium renders them, and the language switcher."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page
from site_kit.hangul import HANGUL

from tests.browser.chromium import Opened, Traffic
from tests.browser.conftest import DESKTOP, ContextFactory
from tests.browser.site_pages import (
    DESKTOP_POSTS,
    HANGUL_LINE_BREAKS,
    HOME,
    KB_PAGE,
    LANGUAGES,
    LINUX_POST,
    home_source,
    markdown_title,
    post_path,
    post_source,
)

pytestmark = pytest.mark.browser

LANGUAGE_NAMES = {"ko": "한국어", "en": "English"}  # as the switcher lists them


@dataclass(frozen=True)
class PageUnderTest:
    path: str
    language: str
    source: Path
    is_post: bool
    screenshot: str | None  # file name for the artefact, for the key pages

    def __str__(self) -> str:
        return self.path


PAGES = [
    *(
        PageUnderTest(HOME[lang], lang, home_source(lang), False, f"home-{lang}")
        for lang in LANGUAGES
    ),
    *(
        PageUnderTest(
            post_path(post, lang),
            lang,
            post_source(post, lang),
            True,
            f"post-{lang}-desktop" if post == LINUX_POST else None,
        )
        for post in DESKTOP_POSTS
        for lang in LANGUAGES
    ),
]
KOREAN_PAGES = [page for page in PAGES if page.language == "ko"]


@dataclass(frozen=True)
class Visit:
    """What a reader's browser got from one page, loaded once per module."""

    page: PageUnderTest
    traffic: Traffic
    html_lang: str
    document_title: str
    heading: str
    korean_text: str  # the first paragraph of the article that holds Hangul
    korean_text_visible: bool
    korean_fonts: list[str]  # the fonts Chromium drew that paragraph with
    font_stack: list[str]  # the families the paragraph's CSS asks for


@pytest.fixture(scope="module")
def visits(
    on_desktop: dict[str, Opened], screenshot: Callable[[Page, str], Path]
) -> dict[str, Visit]:
    return {
        under_test.path: _visit(under_test, on_desktop[under_test.path], screenshot)
        for under_test in PAGES
    }


@pytest.fixture
def visit(request: pytest.FixtureRequest, visits: dict[str, Visit]) -> Visit:
    under_test: PageUnderTest = request.param
    return visits[under_test.path]


def _visit(
    under_test: PageUnderTest, opened: Opened, screenshot: Callable[[Page, str], Path]
) -> Visit:
    page = opened.page
    if under_test.screenshot:
        screenshot(page, under_test.screenshot)
    paragraph: dict[str, Any] = page.evaluate(
        """() => {
            const paragraph = [...document.querySelectorAll("article p")]
                .find(p => /[가-힣]/.test(p.innerText));
            if (!paragraph) return {text: "", visible: false, stack: []};
            paragraph.setAttribute("data-korean-under-test", "");
            const stack = getComputedStyle(paragraph).fontFamily.split(",")
                .map(name => name.trim().replace(/^["']|["']$/g, ""));
            return {text: paragraph.innerText, visible: paragraph.checkVisibility(), stack};
        }"""
    )
    return Visit(
        page=under_test,
        traffic=opened.traffic,
        html_lang=page.evaluate("document.documentElement.lang"),
        document_title=page.title(),
        heading=page.locator("article h1").first.evaluate(
            "h1 => [...h1.childNodes].filter(n => !n.classList?.contains('headerlink'))"
            ".map(n => n.textContent).join('').trim()"
        ),
        korean_text=paragraph["text"],
        korean_text_visible=paragraph["visible"],
        korean_fonts=_fonts_drawing(page, "[data-korean-under-test]") if paragraph["text"] else [],
        font_stack=paragraph["stack"],
    )


def _fonts_drawing(page: Page, selector: str) -> list[str]:
    """The families Chromium really used for an element's text (not what CSS asked for)."""
    cdp = page.context.new_cdp_session(page)
    try:
        cdp.send("DOM.enable")
        cdp.send("CSS.enable")
        root = cdp.send("DOM.getDocument")["root"]["nodeId"]
        node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
        fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
        return [font["familyName"] for font in fonts]
    finally:
        cdp.detach()


@pytest.mark.parametrize("visit", PAGES, ids=str, indirect=True)
def test_page_shows_its_title_in_its_language(visit: Visit) -> None:
    title = markdown_title(visit.page.source)
    assert visit.html_lang == visit.page.language
    assert visit.heading == title
    if visit.page.is_post:
        assert visit.document_title.startswith(f"{title} - ")


@pytest.mark.parametrize("visit", KOREAN_PAGES, ids=str, indirect=True)
def test_korean_text_is_drawn_with_a_korean_font_the_site_names(visit: Visit) -> None:
    assert HANGUL.search(visit.korean_text), f"{visit.page}: no Korean paragraph in the article"
    assert visit.korean_text_visible, f"{visit.page}: the Korean paragraph is hidden"
    assert visit.korean_fonts, f"{visit.page}: Chromium drew the Korean paragraph with no font"
    # A family outside the stack means Chromium fell back to whatever the
    # system had: on a machine without a Korean font, boxes instead of Hangul.
    strangers = [font for font in visit.korean_fonts if font not in visit.font_stack]
    assert not strangers, (
        f"{visit.page}: Hangul drawn with {strangers}, not one of the site's fonts "
        f"{visit.font_stack} (is fonts-noto-cjk installed? scripts/system-packages)"
    )


@pytest.mark.parametrize("visit", PAGES, ids=str, indirect=True)
def test_page_sends_no_request_to_any_host_but_127_0_0_1(visit: Visit) -> None:
    assert visit.traffic.foreign_requests == []


@pytest.mark.parametrize("visit", PAGES, ids=str, indirect=True)
def test_page_loads_without_console_errors_or_failed_requests(visit: Visit) -> None:
    traffic = visit.traffic
    assert traffic.page_errors == []
    assert traffic.console_errors == []
    assert traffic.failed_requests == []


@pytest.mark.parametrize(("start", "target"), [("ko", "en"), ("en", "ko")])
def test_language_switcher_opens_the_same_post_in_the_other_language(
    new_context: ContextFactory, start: str, target: str
) -> None:
    context, _ = new_context(**DESKTOP)
    page = context.new_page()
    page.goto(post_path(LINUX_POST, start))
    switcher = page.locator(".md-header .md-select")
    switcher.hover()  # the list of languages opens on hover, as for a mouse user
    switcher.get_by_role("link", name=LANGUAGE_NAMES[target]).click()
    page.wait_for_url(lambda url: urlsplit(url).path == post_path(LINUX_POST, target))
    assert page.evaluate("document.documentElement.lang") == target
    heading = page.locator("article h1").first.inner_text()
    assert heading.startswith(markdown_title(post_source(LINUX_POST, target)))


@pytest.mark.parametrize(
    "path", [*(str(page) for page in KOREAN_PAGES if page.is_post), KB_PAGE["ko"]]
)
def test_korean_words_in_the_sidebars_are_not_broken_across_lines(
    on_desktop: dict[str, Opened], path: str
) -> None:
    # The navigation and the table of contents are narrow columns: long
    # Korean headings wrap there first.
    measured: dict[str, Any] = on_desktop[path].page.evaluate(
        HANGUL_LINE_BREAKS, ".md-sidebar .md-nav"
    )
    assert measured["words"] > 0, f"{path}: no Korean words found in the sidebars"
    assert measured["notKeepAll"] == [], f"{path}: sidebar text without word-break: keep-all"
    assert measured["midWord"] == [], f"{path}: Korean words broken across lines in a sidebar"
