"""A note's link map on a phone, in both schemes: drawn inside the screen at its own size,
titles apart, each node a link that leads to its page, and nothing axe-core objects to."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page

from tests.browser.chromium import Opened, open_pages
from tests.browser.conftest import ContextFactory
from tests.browser.site_pages import KB_PAGE
from tests.browser.test_browser_axe import assert_no_violations, violations
from tests.browser.test_browser_phone import PHONE

pytestmark = pytest.mark.browser

SCHEMES = ("light", "dark")

# Each title's box as drawn, the map's and the viewport's, in CSS pixels.
DRAWN = """() => {
  const svg = document.querySelector('.kb-map figure > svg');
  const box = (element) => {
    const rect = element.getBoundingClientRect();
    return {left: rect.left, top: rect.top, right: rect.right, bottom: rect.bottom};
  };
  return {
    svg: box(svg),
    viewBox: svg.viewBox.baseVal.width / svg.viewBox.baseVal.height,
    viewport: document.documentElement.clientWidth,
    titles: [...svg.querySelectorAll('a text')].map((text) => ({
      text: text.textContent, ...box(text)})),
  };
}"""


@pytest.fixture(scope="module")
def on_phone(
    browser: Browser, site_url: str, screenshot: Callable[[Page, str], Path]
) -> Iterator[dict[str, Page]]:
    """The Korean KB note on a phone in each scheme, its map scrolled into view and saved
    as test-artifacts/screenshots/kb-map-ko-phone-<scheme>.png."""
    with (
        open_pages(browser, site_url, [KB_PAGE["ko"]], color_scheme="light", **PHONE) as light,
        open_pages(browser, site_url, [KB_PAGE["ko"]], color_scheme="dark", **PHONE) as dark,
    ):
        opened: dict[str, Opened] = {"light": light[KB_PAGE["ko"]], "dark": dark[KB_PAGE["ko"]]}
        pages = {scheme: each.page for scheme, each in opened.items()}
        for scheme, page in pages.items():
            page.locator("section.kb-map").scroll_into_view_if_needed()
            screenshot(page, f"kb-map-ko-phone-{scheme}")
        yield pages


def overlap(one: dict[str, float], other: dict[str, float]) -> bool:
    return (
        one["left"] < other["right"]
        and other["left"] < one["right"]
        and one["top"] < other["bottom"]
        and other["top"] < one["bottom"]
    )


@pytest.mark.parametrize("scheme", SCHEMES)
def test_the_map_fits_the_phone_with_every_title_apart(
    on_phone: dict[str, Page], scheme: str
) -> None:
    drawn: dict[str, Any] = on_phone[scheme].evaluate(DRAWN)
    svg = drawn["svg"]
    assert svg["left"] >= 0 and svg["right"] <= drawn["viewport"]
    # Its height follows from its width before anything loads: nothing moves.
    width, height = svg["right"] - svg["left"], svg["bottom"] - svg["top"]
    assert abs(width / height - drawn["viewBox"]) < 0.01
    titles = drawn["titles"]
    assert len(titles) >= 3
    for index, title in enumerate(titles):
        assert svg["left"] <= title["left"] and title["right"] <= svg["right"], title["text"]
        for other in titles[index + 1 :]:
            assert not overlap(title, other), (title["text"], other["text"])


@pytest.mark.parametrize("scheme", SCHEMES)
def test_the_map_and_related_pages_have_no_accessibility_violations(
    on_phone: dict[str, Page], scheme: str
) -> None:
    parts = ["section.kb-map", "section.kb-related"]
    assert_no_violations(violations(on_phone[scheme], within=parts))


def test_a_tap_on_a_node_of_the_map_opens_its_page(new_context: ContextFactory) -> None:
    context, _ = new_context(**PHONE)
    page = context.new_page()
    page.goto(KB_PAGE["ko"])
    name = page.locator(".kb-map__node title").first.text_content() or ""
    # The link's accessible name is the page's whole title and the link's way.
    node = page.get_by_role("link", name=name, exact=True)
    title = name.rsplit(" (", 1)[0]
    node.tap()
    page.wait_for_url(lambda url: not url.endswith(KB_PAGE["ko"]))
    assert page.title().startswith(f"{title} - ")
