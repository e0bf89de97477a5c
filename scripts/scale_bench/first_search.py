"""A phone's first search from a knowledge-base note: the bytes it downloads (gzip, as
GitHub Pages serves) and how long until the first result shows, in headless Chromium at
390 px with the CPU slowed 4x, under Material's search (with ko-search) and Pagefind.

The reader opens the note in a fresh browser profile and, as soon as the page has loaded,
types a query into the search box. Times are the page's own clock: from typing, and from
opening the page, to the first result in the list.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, Page, Request, sync_playwright

# The browser tests' own flags: the system's Chromium with nothing that phones home.
from tests.browser.chromium import CHROMIUM_ARGS

PHONE: dict[str, Any] = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 3,
    "is_mobile": True,
    "has_touch": True,
}
CPU_SLOWDOWN = 4
RESULT_TIMEOUT_MS = 300_000
PAGEFIND_PAGE = "pagefind.html"  # beside the note's index.html, so its links still resolve

# Types the query as a reader's last keystroke leaves it (Material reads the box on keyup,
# Pagefind's UI on input) and records, on the page's clock, when the first result appears.
TYPE_AND_WATCH = """([box, result, query]) => {
    const input = document.querySelector(box);
    const seen = () => {
        if (window.firstResultAt === undefined && document.querySelector(result))
            window.firstResultAt = performance.now();
    };
    new MutationObserver(seen).observe(document.body, {childList: true, subtree: true});
    input.focus();
    const typedAt = performance.now();
    input.value = query;
    input.dispatchEvent(new Event("input", {bubbles: true}));
    input.dispatchEvent(new KeyboardEvent("keyup", {bubbles: true, key: query.slice(-1)}));
    return typedAt;
}"""


@dataclass(frozen=True)
class Engine:
    name: str
    open_box: str  # what a phone reader taps to get a search box, if anything
    box: str
    result: str
    page_file: str  # the HTML file of the note the reader is on
    search_requests: re.Pattern[str]  # what the search itself fetches: its code and index


MATERIAL = Engine(
    "Material + ko-search",
    'label.md-header__button[for="__search"]',
    "input.md-search__input",
    ".md-search-result__item",
    "",
    # The worker, and the index: whole, or ko-search's stub, shards and fragments.
    re.compile(r"/assets/javascripts/workers/|/search/"),
)
PAGEFIND = Engine(
    "Pagefind",
    "",
    "input.pagefind-ui__search-input",
    ".pagefind-ui__result",
    PAGEFIND_PAGE,
    re.compile(r"/pagefind/"),
)


@dataclass(frozen=True)
class FirstSearch:
    engine: str
    language: str
    query: str
    search_bytes: int  # on the wire, the search's own requests (code and index)
    visit_bytes: int  # on the wire, everything until the first result
    typed_ms: float  # typed -> first result shown
    opened_ms: float  # page opened -> first result shown


@dataclass
class _Wire:
    """Bytes on the wire (gzip bodies and headers) per request of one visit, workers' too."""

    sizes: dict[str, int] = field(default_factory=dict)

    def finished(self, request: Request) -> None:
        sizes = request.sizes()
        self.sizes[request.url] = sizes["responseBodySize"] + sizes["responseHeadersSize"]


@contextmanager
def chromium() -> Iterator[Browser]:
    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    if executable is None:
        raise SystemExit("error: Debian's chromium is not installed: run scripts/system-packages")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def first_search(
    browser: Browser, site_url: str, engine: Engine, note: str, language: str, query: str
) -> FirstSearch:
    context = browser.new_context(base_url=site_url, **PHONE)
    context.route(re.compile(r"^(?!http://127\.0\.0\.1[:/])"), lambda route: route.abort())
    wire = _Wire()
    context.on("requestfinished", wire.finished)
    try:
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})
        page.goto(f"/{note}{engine.page_file}", wait_until="load")
        if engine.open_box:
            page.locator(engine.open_box).first.click()
        typed_at = page.evaluate(TYPE_AND_WATCH, [engine.box, engine.result, query])
        page.wait_for_function(
            "() => window.firstResultAt !== undefined", timeout=RESULT_TIMEOUT_MS, polling=50
        )
        shown_at: float = page.evaluate("window.firstResultAt")
        _wait_for_requests(page)
    finally:
        context.close()
    search_bytes = sum(
        size for url, size in wire.sizes.items() if engine.search_requests.search(url)
    )
    return FirstSearch(
        engine.name,
        language,
        query,
        search_bytes,
        sum(wire.sizes.values()),
        shown_at - typed_at,
        shown_at,
    )


def _wait_for_requests(page: Page) -> None:
    """Lets the requests that brought the first result report their sizes."""
    page.wait_for_load_state("networkidle")


def add_pagefind_page(site: Path, note: str) -> None:
    """The note's page with Pagefind's default UI at the top of its content, and without
    Material's search (which would fetch and parse its own index alongside)."""
    html = (site / note / "index.html").read_text(encoding="utf-8")
    html = html.replace('name="search"', 'name="search-off"', 1)
    html = html.replace(
        "</head>", '<link rel="stylesheet" href="/pagefind/pagefind-ui.css"></head>', 1
    )
    html = re.sub(
        r'(<article class="md-content__inner[^"]*">)',
        r'\1<div id="pagefind-search"></div>',
        html,
        count=1,
    )
    html = html.replace(
        "</body>",
        '<script src="/pagefind/pagefind-ui.js"></script><script>'
        'new PagefindUI({element: "#pagefind-search", showImages: false, debounceTimeoutMs: 0})'
        "</script></body>",
        1,
    )
    (site / note / PAGEFIND_PAGE).write_text(html, encoding="utf-8")
