"""Korean search in the header, typed through an IME and pasted, as a reader does it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import CDPSession, Locator, Page, expect

from tests.browser.conftest import ContextFactory
from tests.browser.hangul_ime import ImeState, key_for, typing_states
from tests.browser.site_pages import HOME, LINUX_POST, XOR_POST, post_path
from tests.site.built_site import Post

pytestmark = pytest.mark.browser

READY = "검색어를 입력하세요"  # Material's Korean prompt once its search index is loaded
# Windows' virtual key code for "the IME is handling this key", which
# Chromium reports on keydown while a syllable is being composed.
IME_PROCESS_KEY = 229
SHIFT = 8  # CDP's modifier bit

# Records the search box's composition events, to tell whether the last
# syllable is still being composed when the results are read.
WATCH_COMPOSITION = """box => {
    window.compositionEvents = [];
    for (const type of ["compositionstart", "compositionupdate", "compositionend"])
        box.addEventListener(type, () => window.compositionEvents.push(type));
}"""


def open_search(page: Page) -> Locator:
    """Clicks the search box in the header of the Korean home page, once it can search."""
    page.goto(HOME["ko"])
    box = page.get_by_role("textbox", name="검색")
    box.click()
    expect(page.locator(".md-search-result__meta")).to_have_text(READY)
    return box


def result_for(page: Page, site_url: str, path: str) -> Locator:
    """The search result that leads to the page at path (with any ?h= highlight)."""
    return page.locator(
        f'.md-search-result__item > a.md-search-result__link[href^="{site_url}{path}?"]'
    )


def type_with_ime(cdp: CDPSession, states: list[ImeState]) -> None:
    """Replays each jamo key: keydown as the IME reports it, the composition, keyup."""
    committed = ""
    for state in states:
        letter, shifted = key_for(state.jamo)
        key = {"code": f"Key{letter}", "modifiers": SHIFT if shifted else 0}
        cdp.send(
            "Input.dispatchKeyEvent",
            {"type": "rawKeyDown", "key": "Process", "windowsVirtualKeyCode": IME_PROCESS_KEY}
            | key,
        )
        if state.committed != committed:
            # The syllable this key could not join is committed as it stands.
            cdp.send("Input.insertText", {"text": state.committed[len(committed) :]})
            committed = state.committed
        end = len(state.composing)
        cdp.send(
            "Input.imeSetComposition",
            {"text": state.composing, "selectionStart": end, "selectionEnd": end},
        )
        cdp.send(
            "Input.dispatchKeyEvent",
            {"type": "keyUp", "key": state.jamo, "windowsVirtualKeyCode": ord(letter)} | key,
        )


def test_typing_korean_through_an_ime_finds_the_post_before_the_last_syllable_is_committed(
    new_context: ContextFactory, site_url: str, screenshot: Callable[[Page, str], Path]
) -> None:
    context, _ = new_context()
    page = context.new_page()
    box = open_search(page)
    box.evaluate(WATCH_COMPOSITION)
    # 리눅스는 as typed: ㄹ 리 린 리누 리눅 리눇 리눅스 리눅슨 리눅스느 리눅스는, the
    # particle still composing. The post never writes 리눅스는 (it has 리눅스를,
    # 리눅스로, ...): only the site's Korean search finds it.
    type_with_ime(context.new_cdp_session(page), typing_states("리눅스는"))
    expect(box).to_have_value("리눅스는")
    expect(result_for(page, site_url, post_path(LINUX_POST, "ko")).first).to_be_visible()
    events: list[str] = page.evaluate("window.compositionEvents")
    assert events[-1] == "compositionupdate", f"the last syllable was committed: {events}"
    screenshot(page, "search-results-ko")


@pytest.mark.parametrize(
    ("query", "post"),
    # Neither is on the post as written (XOR 스왑; 격리합니다, 격리하고, ...).
    [("XOR스왑", XOR_POST), ("격리하는", LINUX_POST)],
    ids=["mixed-latin-hangul", "other-ending"],
)
def test_pasting_a_korean_query_finds_the_post(
    new_context: ContextFactory, site_url: str, query: str, post: Post
) -> None:
    context, _ = new_context(permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    box = open_search(page)
    page.evaluate("text => navigator.clipboard.writeText(text)", query)
    page.keyboard.press("Control+V")
    expect(box).to_have_value(query)
    expect(result_for(page, site_url, post_path(post, "ko")).first).to_be_visible()
