"""A link to a note shows the note's title and first paragraph in a tooltip: on mouse hover
and on keyboard focus, from this site alone, moving nothing, closed by Escape, read by screen
readers; on a phone a tap follows the link."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.browser.chromium import LOCAL_HOST
from tests.browser.conftest import DESKTOP, ContextFactory
from tests.browser.site_pages import KB_PAGE, LANGUAGES
from tests.browser.test_browser_axe import assert_no_violations, violations

pytestmark = pytest.mark.browser

PHONE: dict[str, Any] = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 3,
    "is_mobile": True,
    "has_touch": True,
}
# The processes note links the memory note in its text.
LINK_TO_MEMORY = '.md-content article p a[href="../memory/"]'
MEMORY_PAGE = {"ko": "/kb/memory/", "en": "/en/kb/memory/"}
PREVIEW_FILE = re.compile(r"/previews/kb/memory\.json$")

# Where every paragraph and heading of the article is, to compare before and after.
ARTICLE_LAYOUT = """() => [...document.querySelectorAll(
    ".md-content article, .md-content article :is(p, h1, h2, pre, table)"
)].map(element => {
    const box = element.getBoundingClientRect();
    return [box.x, box.y, box.width, box.height];
})"""
# Layout shifts (Layout Instability API) from now on, kept in window.layoutShifts.
WATCH_LAYOUT_SHIFTS = """() => {
    window.layoutShifts = [];
    new PerformanceObserver(list => {
        for (const entry of list.getEntries()) window.layoutShifts.push(entry.value);
    }).observe({type: "layout-shift"});
}"""


def memory_note(page: Page) -> tuple[str, str]:
    """The memory note's title and first paragraph, as its own page shows them."""
    title = page.locator(".md-content article h1").evaluate(
        "h1 => [...h1.childNodes].filter(node => !node.classList?.contains('headerlink'))"
        ".map(node => node.textContent).join('')"
    )
    first = page.locator(".md-content article > p").first.inner_text()
    return title.strip(), " ".join(first.split())


def open_processes_note(page: Page, language: str) -> Locator:
    # Leaving a page that still loads (Material's search worker) aborts those requests,
    # which the traffic check would count as failures of the site.
    page.wait_for_load_state("networkidle")
    page.goto(KB_PAGE[language])
    link = page.locator(LINK_TO_MEMORY).first
    link.scroll_into_view_if_needed()
    return link


@pytest.mark.parametrize("language", LANGUAGES)
def test_hovering_a_link_to_a_note_shows_its_title_and_first_paragraph_from_this_site(
    new_context: ContextFactory, language: str, screenshot: Callable[[Page, str], Path]
) -> None:
    context, traffic = new_context(**DESKTOP)
    page = context.new_page()
    page.goto(MEMORY_PAGE[language])
    title, paragraph = memory_note(page)
    link = open_processes_note(page, language)
    with page.expect_response(PREVIEW_FILE) as fetched:
        link.hover()
    tooltip = page.get_by_role("tooltip")
    expect(tooltip).to_be_visible()
    shown = tooltip.locator("p")
    expect(shown).to_have_count(2)
    assert shown.nth(0).inner_text() == title
    # The paragraph, or as much of it as a small tooltip holds.
    start = " ".join(shown.nth(1).inner_text().split()).removesuffix("…")
    assert len(start) >= min(len(paragraph), 100) and paragraph.startswith(start)
    assert fetched.value.ok and fetched.value.url.startswith(f"http://{LOCAL_HOST}:")
    assert traffic.foreign_requests == []
    assert traffic.failed_requests == []
    assert traffic.console_errors == traffic.page_errors == []
    screenshot(page, f"link-preview-{language}")
    page.mouse.move(0, 0)
    expect(tooltip).to_be_hidden()


def test_moving_from_one_link_to_another_shows_the_other_links_preview(
    new_context: ContextFactory,
) -> None:
    context, _ = new_context(**DESKTOP)
    page = context.new_page()
    link = open_processes_note(page, "ko")
    other = page.locator('.md-content article a[href="../namespaces-and-cgroups/"]').first
    tooltip = page.get_by_role("tooltip")
    link.hover()
    expect(tooltip).to_contain_text("메모리 명령어")
    other.hover()
    expect(tooltip).to_contain_text("네임스페이스와 cgroup")
    expect(other).to_have_attribute("aria-describedby", "kb-preview")
    expect(link).not_to_have_attribute("aria-describedby", re.compile(".*"))


def test_tabbing_to_a_link_shows_its_preview_as_the_links_description_and_escape_hides_it(
    new_context: ContextFactory,
) -> None:
    context, _ = new_context(**DESKTOP)
    page = context.new_page()
    link = open_processes_note(page, "ko")
    # Where sequential focus starts, as when a reader clicks in the text before the link.
    page.locator(".md-content article h1").click()
    for _ in range(40):
        page.keyboard.press("Tab")
        if link.evaluate("link => link === document.activeElement"):
            break
    expect(link).to_be_focused()
    tooltip = page.get_by_role("tooltip")
    expect(tooltip).to_be_visible()
    expect(tooltip).to_contain_text("메모리 명령어")
    tooltip_id = tooltip.get_attribute("id")
    assert tooltip_id
    expect(link).to_have_attribute("aria-describedby", tooltip_id)
    # What a screen reader reads after the link's name.
    expect(link).to_have_accessible_description(re.compile(r"^메모리 명령어 \"메모리가 모자란다\""))
    page.keyboard.press("Escape")
    expect(tooltip).to_be_hidden()
    expect(link).not_to_have_attribute("aria-describedby", re.compile(".*"))
    expect(link).to_be_focused()


def test_a_preview_moves_nothing_on_the_page(new_context: ContextFactory) -> None:
    context, _ = new_context(**DESKTOP)
    page = context.new_page()
    link = open_processes_note(page, "ko")
    page.wait_for_load_state("networkidle")
    before = page.evaluate(ARTICLE_LAYOUT)
    page.evaluate(WATCH_LAYOUT_SHIFTS)
    link.hover()
    expect(page.get_by_role("tooltip")).to_be_visible()
    # A frame after the tooltip came, so that a shift it caused has been reported.
    page.evaluate("() => new Promise(resolve => requestAnimationFrame(() => setTimeout(resolve)))")
    assert page.evaluate("() => window.layoutShifts") == []
    assert page.evaluate(ARTICLE_LAYOUT) == before


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_an_open_preview_has_no_accessibility_violations(
    new_context: ContextFactory, scheme: str
) -> None:
    context, _ = new_context(**(DESKTOP | {"color_scheme": scheme}))
    page = context.new_page()
    link = open_processes_note(page, "ko")
    link.hover()
    expect(page.get_by_role("tooltip")).to_be_visible()
    assert_no_violations(violations(page))


def test_a_tap_on_a_phone_follows_a_link_that_previews_on_a_desktop(
    new_context: ContextFactory,
) -> None:
    context, traffic = new_context(**PHONE)
    page = context.new_page()
    asked: list[str] = []
    page.on("request", lambda request: asked.append(request.url))
    link = open_processes_note(page, "ko")
    expect(link).to_have_attribute("data-kb-preview", re.compile(r"previews/kb/memory\.json$"))
    link.tap()
    page.wait_for_url(f"**{MEMORY_PAGE['ko']}")
    assert not any(PREVIEW_FILE.search(url) for url in asked), "a tap fetched a preview"
    assert traffic.foreign_requests == []
