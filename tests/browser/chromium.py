"""Debian's headless Chromium under Playwright, and what each page asks the network for."""

from __future__ import annotations

import shutil
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Page,
    Playwright,
    Request,
    Response,
    Route,
)

# Never Playwright's own browser download: the system's Chromium, with
# everything that would phone home switched off.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
LOCAL_HOST = "127.0.0.1"


def executable() -> str:
    """The system's Chromium; tests that drive it fail (not skip) without it."""
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        pytest.fail("Debian's chromium is not installed: run scripts/system-packages")
    return found


def launch(playwright: Playwright) -> Browser:
    return playwright.chromium.launch(executable_path=executable(), args=CHROMIUM_ARGS)


@dataclass
class Traffic:
    """What the pages of one browser context did on the network and the console."""

    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    foreign_requests: list[str] = field(default_factory=list)

    def watch(self, context: BrowserContext) -> None:
        # Requests to any other host are recorded and never sent: the tests
        # stay offline even when the site is wrong.
        context.route(lambda url: urlsplit(url).hostname != LOCAL_HOST, self._block)
        context.on("console", self._on_console)
        context.on("weberror", lambda error: self.page_errors.append(str(error.error)))
        context.on("requestfailed", self._on_request_failed)
        context.on("response", self._on_response)

    def _block(self, route: Route) -> None:
        self.foreign_requests.append(route.request.url)
        route.abort("blockedbyclient")

    def _on_console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.console_errors.append(f"{message.text} ({message.location.get('url', '?')})")

    def _on_request_failed(self, request: Request) -> None:
        if urlsplit(request.url).hostname == LOCAL_HOST:
            self.failed_requests.append(f"{request.url}: {request.failure}")

    def _on_response(self, response: Response) -> None:
        if response.status >= 400:
            self.failed_requests.append(f"{response.url}: HTTP {response.status}")


def watched_context(
    browser: Browser, site_url: str, **options: Any
) -> tuple[BrowserContext, Traffic]:
    """A fresh browser profile whose paths resolve against site_url, with its traffic watched."""
    context = browser.new_context(base_url=site_url, **options)
    context.set_default_timeout(10_000)
    traffic = Traffic()
    traffic.watch(context)
    return context, traffic


@dataclass(frozen=True)
class Opened:
    page: Page
    traffic: Traffic


@contextmanager
def open_pages(
    browser: Browser, site_url: str, paths: Iterable[str], **options: Any
) -> Iterator[dict[str, Opened]]:
    """Opens each path in its own fresh context, all at once, until the network is quiet.

    Loading them side by side overlaps the half second of silence that
    "networkidle" waits for on each page.
    """
    contexts: list[BrowserContext] = []
    opened: dict[str, Opened] = {}
    try:
        for path in paths:
            context, traffic = watched_context(browser, site_url, **options)
            contexts.append(context)
            page = context.new_page()
            page.goto(path, wait_until="commit")
            opened[path] = Opened(page, traffic)
        for each in opened.values():
            # Material's scripts fetch the search index and more after "load".
            each.page.wait_for_load_state("networkidle")
        yield opened
    finally:
        for context in contexts:
            context.close()
