"""markdown-exec's `pyodide` fence: an editor whose code runs in the reader's browser (Pyodide),
with markdown-exec's markup, so its stylesheet and script work on it as on ours.

Nothing runs at build time. The editor needs Ace, highlight.js and Pyodide, loaded by tags
the block brings with it (unless assets="off") from the site's `pyodide_assets` addresses;
fencerun's own script and stylesheet for the editor are added to the pages that have one.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from html import escape
from urllib.parse import urlsplit

from fencerun.model import PyodideOptions

# A site address that the page's own address decides: filled in once the page is final.
ASSET_PLACEHOLDER = "fencerun-asset:"
# Where a page's HTML says it has an editor.
EDITOR_MARK = '<div class="pyodide"'

# The icons markdown-exec puts on its buttons: Material Design Icons' play and eraser
# (Pictogrammers, Apache License 2.0), as markdown-exec draws them.
_PLAY = "M8 5.14v14l11-7-11-7Z"
_ERASER = (
    "M15.14 3c-.51 0-1.02.2-1.41.59L2.59 14.73c-.78.77-.78 2.04 0 2.83L5.03 20h7.66l8.72-8.73"
    "c.79-.77.79-2.04 0-2.83l-4.85-4.85c-.39-.39-.91-.59-1.42-.59M17 18l-2 2h7v-2"
)
# An editor this many lines high when its code is empty.
_EMPTY_EDITOR_LINES = 5


@dataclass(frozen=True)
class PyodideAssets:
    """Where an editor's scripts and styles come from: an address with a host, one from the
    site's root (`/...`), or a file of the site (relative to its root). `{version}` in
    `pyodide` is the block's Pyodide release."""

    pyodide: str
    ace: str
    highlight: str
    highlight_light: str
    highlight_dark: str


# markdown-exec's addresses.
CDN_ASSETS = PyodideAssets(
    pyodide="https://cdn.jsdelivr.net/pyodide/v{version}/full/pyodide.js",
    ace="https://cdnjs.cloudflare.com/ajax/libs/ace/1.16.0/ace.js",
    highlight="https://cdnjs.cloudflare.com/ajax/libs/highlight.js/11.7.0/highlight.min.js",
    highlight_light="https://cdn.jsdelivr.net/npm/highlightjs-themes@1.0.0/tomorrow.min.css",
    highlight_dark=(
        "https://cdn.jsdelivr.net/npm/highlightjs-themes@1.0.0/tomorrow-night-blue.min.css"
    ),
)


def editor_html(code: str, options: PyodideOptions, prefix: str, assets: PyodideAssets) -> str:
    """The editor for `code`; `prefix` makes its elements' ids unique in the page."""
    if options.height is None:
        lines = len(code.strip().splitlines()) or _EMPTY_EDITOR_LINES
        low, high = lines, lines
    else:
        low, high = options.height
    session = escape(options.session)
    editor = (
        f'<div class="pyodide" data-install="{escape(repr(list(options.install)))}" '
        f'data-session="{session}" data-minlines="{low}" data-maxlines="{high}">\n'
        '<div class="pyodide-editor-bar">\n'
        f'<span class="pyodide-bar-item">Editor (session: {session})</span>'
        f'<span id="{prefix}run" title="Run: press Ctrl-Enter" '
        f'class="pyodide-bar-item pyodide-clickable">{_icon(_PLAY)}Run</span>\n'
        "</div>\n"
        f'<div><pre id="{prefix}editor" class="pyodide-editor">{escape(code, quote=False)}</pre>'
        "</div>\n"
        '<div class="pyodide-editor-bar">\n'
        '<span class="pyodide-bar-item">Output</span>'
        f'<span id="{prefix}clear" class="pyodide-bar-item pyodide-clickable">'
        f"{_icon(_ERASER)}Clear</span>\n"
        "</div>\n"
        f'<pre><code id="{prefix}output" class="pyodide-output"></code></pre>\n'
        "</div>\n"
    )
    arguments = ", ".join(
        _script_value(value)
        for value in (
            prefix,
            list(options.install),
            options.theme_light,
            options.theme_dark,
            options.session,
            low,
            high,
        )
    )
    # setupPyodide's positional parameters are those of markdown-exec's script too.
    setup = (
        "<script>\ndocument.addEventListener('DOMContentLoaded', () => "
        f"setupPyodide({arguments}));\n</script>\n"
    )
    tags = _asset_tags(assets, options.version) if options.assets else ""
    return tags + editor + setup


def _asset_tags(assets: PyodideAssets, version: str) -> str:
    scripts = (assets.ace, assets.highlight, assets.pyodide.replace("{version}", version))
    lines = [
        f'<script type="text/javascript" src="{escape(_site_address(url))}"></script>'
        for url in scripts
    ]
    for title, url in (("light", assets.highlight_light), ("dark", assets.highlight_dark)):
        lines.append(
            f'<link title="{title}" rel="alternate stylesheet" '
            f'href="{escape(_site_address(url))}" disabled="disabled">'
        )
    return "\n".join(lines) + "\n"


def _site_address(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme or parts.netloc or url.startswith("/"):
        return url
    return ASSET_PLACEHOLDER + url


def _icon(path: str) -> str:
    return (
        '<span class="twemoji"><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24">'
        f'<path d="{path}"></path></svg></span> '
    )


def _script_value(value: object) -> str:
    # JSON is JavaScript; "<" escaped so that no value can close the script element.
    return json.dumps(value).replace("<", "\\u003c")
