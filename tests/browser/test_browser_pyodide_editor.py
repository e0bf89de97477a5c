"""fencerun's pyodide editor script, driven in Chromium: a small site whose editors load
stand-ins for Ace, highlight.js and Pyodide from its own files (the pyodide_assets setting),
so the test stays offline and sees what the script asks of them."""

from __future__ import annotations

import functools
import textwrap
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.chromium import LOCAL_HOST, Traffic, watched_context
from tests.fencerun.conftest import build_pages

pytestmark = pytest.mark.browser

MKDOCS_YML = """\
site_name: editors
theme:
  name: material
  font: false
  palette:
    scheme: slate
plugins:
  - fencerun:
      pyodide_assets:
        pyodide: vendor/pyodide.js
        ace: vendor/ace.js
        highlight: vendor/highlight.js
        highlight_light: vendor/light.css
        highlight_dark: vendor/dark.css
markdown_extensions:
  - pymdownx.superfences
"""

PAGE = """
    # Editors

    ```pyodide install="cowsay,griffe" session="shared" theme="chrome,monokai"
    print("first")
    ```

    ```pyodide session="shared" assets="off"
    print("second")
    ```
"""

# Stand-ins that record what the editor script asks of them.
ACE = """
window.aceCalls = [];
window.ace = {
  edit(id) {
    const element = document.getElementById(id);
    element.tabIndex = 0; // Ace types into a text area of its own inside the element
    const record = (call) => window.aceCalls.push(id + " " + call);
    return {
      session: { setMode: (mode) => record("mode " + mode) },
      setOptions: (options) => record("lines " + options.minLines + "-" + options.maxLines),
      resize: () => {},
      setTheme: (theme) => { element.dataset.theme = theme; },
      getValue: () => element.textContent,
    };
  },
};
"""
HIGHLIGHT = "window.hljs = { highlightElement: (element) => { element.dataset.hl = 'yes'; } };"
PYODIDE = """
window.pyodideLoads = 0;
window.installed = [];
window.globalsSeen = [];
window.loadPyodide = async () => {
  window.pyodideLoads += 1;
  let stdout = null;
  return {
    loadPackage: async () => {},
    globals: { get: () => () => ({}) },
    setStdout: (options) => { stdout = options; },
    setStderr: () => {},
    pyimport: () => ({ install: async (name) => { window.installed.push(name); } }),
    async runPythonAsync(code, options) {
      window.globalsSeen.push(options.globals);
      stdout.batched("ran " + code);
      return 42;
    },
  };
};
"""


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def site_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    project = tmp_path_factory.mktemp("pyodide-editors")
    vendor = project / "docs" / "vendor"
    vendor.mkdir(parents=True)
    for name, text in {
        "ace.js": ACE,
        "highlight.js": HIGHLIGHT,
        "pyodide.js": PYODIDE,
        "light.css": "",
        "dark.css": "",
    }.items():
        (vendor / name).write_text(textwrap.dedent(text), encoding="utf-8")
    result = build_pages(project, {"index.md": PAGE}, mkdocs_yml=MKDOCS_YML)
    assert result.returncode == 0, result.output
    handler = functools.partial(_QuietHandler, directory=str(project / "site"))
    server = ThreadingHTTPServer((LOCAL_HOST, 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://{LOCAL_HOST}:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def opened(browser: Browser, site_url: str) -> Iterator[tuple[Page, Traffic]]:
    context, traffic = watched_context(browser, site_url)
    page = context.new_page()
    page.goto("/")
    yield page, traffic
    context.close()


def output(page: Page, number: int) -> Any:
    return page.locator(f"#pyodide-{number}--output")


def test_editors_start_one_pyodide_and_install_the_packages_asked_for(
    opened: tuple[Page, Traffic],
) -> None:
    page, traffic = opened
    page.wait_for_function("window.installed.length === 2")
    assert page.evaluate("window.installed") == ["cowsay", "griffe"]
    assert page.evaluate("window.pyodideLoads") == 1
    expect(output(page, 1)).to_have_text("")
    assert page.evaluate("window.aceCalls") == [
        "pyodide-1--editor mode ace/mode/python",
        "pyodide-1--editor lines 1-1",
        "pyodide-2--editor mode ace/mode/python",
        "pyodide-2--editor lines 1-1",
    ]
    assert not traffic.page_errors and not traffic.console_errors, traffic
    assert not traffic.foreign_requests and not traffic.failed_requests, traffic


def test_run_shows_what_the_code_printed_and_returned(opened: tuple[Page, Traffic]) -> None:
    page, traffic = opened
    expect(output(page, 1)).to_have_text("")
    page.locator("#pyodide-1--run").click()
    expect(output(page, 1)).to_have_text('ran print("first")\n42\n')
    assert output(page, 1).get_attribute("data-hl") == "yes"
    page.locator("#pyodide-1--clear").click()
    expect(output(page, 1)).to_have_text("")
    assert not traffic.page_errors, traffic.page_errors


def test_control_enter_runs_and_a_session_shares_its_globals(
    opened: tuple[Page, Traffic],
) -> None:
    page, _ = opened
    expect(output(page, 1)).to_have_text("")
    page.locator("#pyodide-1--run").click()
    expect(output(page, 1)).to_contain_text("42")
    page.locator("#pyodide-2--editor").click()
    page.keyboard.press("Control+Enter")
    expect(output(page, 2)).to_have_text('ran print("second")\n42\n')
    assert page.evaluate("window.globalsSeen[0] === window.globalsSeen[1]")


def test_the_editor_theme_follows_the_colour_scheme(opened: tuple[Page, Traffic]) -> None:
    page, _ = opened
    editor = page.locator("#pyodide-1--editor")
    expect(editor).to_have_attribute("data-theme", "ace/theme/monokai")
    dark = page.locator('link[title="dark"]').first
    assert dark.get_attribute("disabled") is None
    page.evaluate("document.body.setAttribute('data-md-color-scheme', 'default')")
    expect(editor).to_have_attribute("data-theme", "ace/theme/chrome")
    assert dark.get_attribute("disabled") == "disabled"
    assert page.locator('link[title="light"]').first.get_attribute("disabled") is None
