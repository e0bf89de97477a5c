"""Contrast of the header tabs and the footer, measured in headless Chromium."""

from __future__ import annotations

import functools
import html
import json
import re
import subprocess
import tempfile
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest

from tests.browser import chromium
from tests.browser.chromium import CHROMIUM_ARGS
from tests.site.built_site import POSTS, BuiltSite

HARNESS = Path(__file__).with_name("contrast_harness.html")
CHECKED = (".md-tabs__link", ".md-copyright", ".md-footer__direction")
# Chromium run straight from the command line (no Playwright): the shared
# flags plus headless mode and time enough for the harness's script.
CHROMIUM_FLAGS = ("--headless", *CHROMIUM_ARGS, "--virtual-time-budget=10000")
# WCAG AA asks 4.5:1. Checkers differ in the second decimal (axe-core puts stock
# Material's footer at 4.47:1, this harness at 4.51:1), so pass only with a margin.
MINIMUM_CONTRAST = 4.5 + 0.1
SCHEMES = {"light": (), "dark": ("--force-dark-mode", "--blink-settings=preferredColorScheme=0")}


class _Handler(SimpleHTTPRequestHandler):
    def do_GET(self) -> None:
        if self.path.startswith("/__contrast__.html"):
            body = HARNESS.read_bytes()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        else:
            super().do_GET()

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def served(site: BuiltSite) -> Iterator[str]:
    handler = functools.partial(_Handler, directory=str(site.root))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def measure(served: str, page: str, scheme: str) -> dict[str, float | None]:
    query = urlencode([("page", page), *(("selector", selector) for selector in CHECKED)])
    with tempfile.TemporaryDirectory() as profile:
        result = subprocess.run(
            [
                chromium.executable(),
                *CHROMIUM_FLAGS,
                *SCHEMES[scheme],
                f"--user-data-dir={profile}",
                "--dump-dom",
                f"{served}/__contrast__.html?{query}",
            ],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    match = re.search(r'<pre id="out">(.*?)</pre>', result.stdout, re.DOTALL)
    assert match and match.group(1) != "pending", f"no measurement: {result.stderr[-2000:]}"
    measured: dict[str, float | None] = json.loads(html.unescape(match.group(1)))
    return measured


@pytest.mark.browser
@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("page", ["/", "/en/", "/" + POSTS[-1].url("ko")])
def test_header_tabs_and_footer_have_contrast_of_at_least_4_5(
    served: str, page: str, scheme: str
) -> None:
    measured = measure(served, page, scheme)
    for selector in CHECKED:
        ratio = measured[selector]
        if selector == ".md-footer__direction" and ratio is None:
            continue  # only pages with a previous or next page have it
        assert ratio is not None, f"{page}: nothing visible matches {selector}"
        assert ratio >= MINIMUM_CONTRAST, f"{page} ({scheme}): {selector} contrast {ratio:.2f}:1"
