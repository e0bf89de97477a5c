"""The code copy button and the light/dark switch, clicked as a reader clicks them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import ContextFactory
from tests.browser.site_pages import LINUX_POST, post_path, post_source

pytestmark = pytest.mark.browser

# The relative luminance of the page background, from its computed colour.
BACKGROUND_LUMINANCE = """() => {
    const [r, g, b] = getComputedStyle(document.body).backgroundColor
        .match(/[\\d.]+/g).slice(0, 3).map(Number)
        .map(c => c / 255).map(c => c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}"""


def test_copy_button_puts_the_code_block_on_the_clipboard(new_context: ContextFactory) -> None:
    context, _ = new_context(permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.goto(post_path(LINUX_POST, "ko"))
    # A block of code the author wrote (the post opens on a tab of commands and their output).
    block = page.locator("article pre", has_text="readlink /proc/$$/ns/pid").first
    shown = (block.locator("code").text_content() or "").rstrip("\n")
    block.hover()
    block.get_by_role("button", name="클립보드로 복사").click()
    expect(page.locator(".md-dialog")).to_have_text("클립보드에 복사됨")
    copied: str = page.evaluate("navigator.clipboard.readText()")
    assert copied == shown
    # What the author wrote, without line numbers or button labels.
    assert copied in post_source(LINUX_POST, "ko").read_text(encoding="utf-8")


def test_dark_mode_switch_changes_the_palette_and_survives_a_reload(
    new_context: ContextFactory, screenshot: Callable[[Page, str], Path]
) -> None:
    context, _ = new_context(color_scheme="light")
    page = context.new_page()
    page.goto(post_path(LINUX_POST, "ko"))
    scheme = page.locator("body")
    expect(scheme).to_have_attribute("data-md-color-scheme", "default")
    light: float = page.evaluate(BACKGROUND_LUMINANCE)
    page.get_by_title("어두운 화면으로 전환").click()
    expect(scheme).to_have_attribute("data-md-color-scheme", "slate")
    dark: float = page.evaluate(BACKGROUND_LUMINANCE)
    assert dark < 0.05 < 0.5 < light, f"background luminance {light:.2f} -> {dark:.2f}"
    page.reload()
    expect(scheme).to_have_attribute("data-md-color-scheme", "slate")
    assert page.evaluate(BACKGROUND_LUMINANCE) == dark
    expect(page.get_by_title("밝은 화면으로 전환")).to_be_visible()
    screenshot(page, "post-ko-dark")
