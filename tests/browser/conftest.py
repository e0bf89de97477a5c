"""One built site, one HTTP server on 127.0.0.1 and one Chromium per test session."""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable, Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

from tests.browser.chromium import LOCAL_HOST, Opened, Traffic, launch, open_pages, watched_context
from tests.browser.site_pages import desktop_paths
from tests.site.built_site import REPO
from tests.site_copy import build_site

# Built as if deployed elsewhere: a page that fetched its own absolute
# address would show up as a request to another host.
DEPLOYED_URL = "https://linus.example.org/"
SCREENSHOTS = REPO / "test-artifacts" / "screenshots"
DESKTOP: dict[str, Any] = {"viewport": {"width": 1280, "height": 800}, "color_scheme": "light"}

ContextFactory = Callable[..., tuple[BrowserContext, Traffic]]


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="session")
def built_site(site_project: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("browser-site")
    result = build_site(site_project, out, site_url=DEPLOYED_URL)
    if result.returncode != 0:
        pytest.fail(f"mkdocs build --strict failed:\n{result.stdout}\n{result.stderr}"[-6000:])
    return out


@pytest.fixture(scope="session")
def site_url(built_site: Path) -> Iterator[str]:
    """The address the built site is served at, on a free port."""
    handler = functools.partial(_QuietHandler, directory=str(built_site))
    server = ThreadingHTTPServer((LOCAL_HOST, 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://{LOCAL_HOST}:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        chromium = launch(playwright)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def on_desktop(browser: Browser, site_url: str) -> Iterator[dict[str, Opened]]:
    """The key pages, each loaded once in its own context, shared by the test modules."""
    with open_pages(browser, site_url, desktop_paths(), **DESKTOP) as opened:
        yield opened


@pytest.fixture
def new_context(browser: Browser, site_url: str) -> Iterator[ContextFactory]:
    """Opens fresh browser contexts (profile, viewport, scheme) that watch their traffic."""
    opened: list[BrowserContext] = []

    def open_context(**options: Any) -> tuple[BrowserContext, Traffic]:
        context, traffic = watched_context(browser, site_url, **options)
        opened.append(context)
        return context, traffic

    yield open_context
    for context in opened:
        context.close()


@pytest.fixture(scope="session")
def screenshot() -> Callable[[Page, str], Path]:
    """Saves what a page shows into test-artifacts/screenshots/<name>.png."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def save(page: Page, name: str) -> Path:
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=path, animations="disabled")
        return path

    return save
