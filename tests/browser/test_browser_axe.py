"""axe-core finds no accessibility violation on the key pages, light and dark, search open."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.chromium import Opened, open_pages
from tests.browser.conftest import DESKTOP, ContextFactory
from tests.browser.site_pages import BLOG_INDEX, HOME, KB_PAGE, LINUX_POST, post_path
from tests.site.built_site import REPO

pytestmark = pytest.mark.browser

AXE = REPO / "scripts" / "node" / "node_modules" / "axe-core" / "axe.min.js"

PAGES = {
    "light": {
        "home-ko": HOME["ko"],
        "home-en": HOME["en"],
        "blog-index-ko": BLOG_INDEX["ko"],
        "kb-page-en": KB_PAGE["en"],
        "linux-post-ko": post_path(LINUX_POST, "ko"),
        "linux-post-en": post_path(LINUX_POST, "en"),
    },
    # Code colours differ in the dark scheme.
    "dark": {"linux-post-ko": post_path(LINUX_POST, "ko")},
}


def violations(page: Page, within: list[str] | None = None) -> list[dict[str, Any]]:
    """axe-core's violations on the page, or only in the parts the selectors `within` find."""
    if not AXE.is_file():
        pytest.fail("axe-core is not installed: run scripts/node/install (needs Node.js)")
    page.add_script_tag(path=AXE)
    # Colours still fading (Material's colour transitions, as results or a scheme come in)
    # are checked where they end, not halfway.
    page.evaluate("() => Promise.all(document.getAnimations().map(a => a.finished))")
    found: list[dict[str, Any]] = page.evaluate(
        """(within) => axe.run(
            within ? {include: within.map(selector => [selector])} : document,
            {resultTypes: ["violations"]}).then(result =>
            result.violations.map(v => ({
                id: v.id,
                help: v.help,
                nodes: v.nodes.map(n => `${n.target.join(" ")}: ${n.failureSummary}`),
            })))""",
        within,
    )
    return found


def assert_no_violations(found: list[dict[str, Any]]) -> None:
    assert found == [], "\n".join(
        f"{v['id']} ({v['help']}):\n  " + "\n  ".join(v["nodes"][:5]) for v in found
    )


@pytest.fixture(scope="module")
def opened(
    browser: Browser, site_url: str, on_desktop: dict[str, Opened]
) -> Iterator[dict[tuple[str, str], Opened]]:
    dark_options = DESKTOP | {"color_scheme": "dark"}
    with open_pages(browser, site_url, PAGES["dark"].values(), **dark_options) as dark:
        by_scheme = {"light": on_desktop, "dark": dark}
        yield {
            (scheme, name): by_scheme[scheme][path]
            for scheme, pages in PAGES.items()
            for name, path in pages.items()
        }


@pytest.mark.parametrize(
    ("scheme", "name"),
    [
        pytest.param(scheme, name, id=f"{name}-{scheme}")
        for scheme, pages in PAGES.items()
        for name in pages
    ],
)
def test_page_has_no_accessibility_violations(
    opened: dict[tuple[str, str], Opened], scheme: str, name: str
) -> None:
    assert_no_violations(violations(opened[scheme, name].page))


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_search_with_results_open_has_no_accessibility_violations(
    new_context: ContextFactory, site_url: str, scheme: str
) -> None:
    context, _ = new_context(color_scheme=scheme)
    page = context.new_page()
    page.goto(HOME["ko"])
    box = page.get_by_role("textbox", name="검색")
    box.fill("리눅스")
    box.press("End")  # Material searches on keyup
    link = f'.md-search-result__item > a[href^="{site_url}{post_path(LINUX_POST, "ko")}?"]'
    expect(page.locator(link).first).to_be_visible()
    assert_no_violations(violations(page))
