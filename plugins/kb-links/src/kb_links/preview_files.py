"""The previews in the built site: one small JSON file a page, and the links that show one.

Each post and note with a paragraph gets `previews/<its path>.json` under its language's
root (`previews/kb/processes.json`, `en/previews/kb/processes.json`): its title and first
paragraph, fetched by overrides/assets/javascripts/link-previews.js when a reader points at
or tabs to a link to it. A file a page, not one file of every page of a language: a
reader who hovers a link downloads that page's preview (140 to 370 bytes gzipped on this
site) however many notes the site grows to, where one file of all would cost every first
hover about 180 bytes gzipped a page (Korean), some 180 kB at a thousand notes; fetching
the page itself, as Quartz does, costs 6 to 21 kB.

The links that show a preview are marked at build time with `data-kb-preview`, the
address of the target's file from the linking page: a link of the page's text to a post or
note of its language (not to the page itself, not to another language or another site).
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Mapping
from html import escape, unescape
from urllib.parse import unquote, urlsplit

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.utils import get_relative_url

from kb_links.previews import Preview

FOLDER = "previews"
ATTRIBUTE = "data-kb-preview"

_LINK_START = re.compile(r"<a\s[^>]*?\bhref=\"(?P<href>[^\"]*)\"[^>]*>")


def add_preview_files(
    previews: Mapping[str, Preview], files: Files, config: MkDocsConfig, root: str
) -> dict[str, str]:
    """Adds the JSON file of each preview (by src_uri) whose page this build publishes to
    `files`, under `root` (the language's: "" or "en/"). Returns each previewed page's URL
    with its file's URL, both from the site's root."""
    targets = {}
    for src_uri, preview in previews.items():
        page = files.get_file_from_path(src_uri)
        # A draft the blog leaves out is published nowhere, its preview neither.
        if page is None or page.inclusion.is_excluded():  # type: ignore[no-untyped-call]
            continue
        # src_uri is under the language's folder (static-i18n's folder layout).
        path = src_uri.partition("/")[2].removesuffix(".md")
        dest = f"{root}{FOLDER}/{path}.json"
        files.append(File.generated(config, dest, content=preview.to_json()))
        targets[page.url] = dest
    return targets


def mark_preview_links(html: str, page_url: str, targets: Mapping[str, str]) -> str:
    """The page's HTML with `data-kb-preview` on each link to a page in `targets` (from
    add_preview_files) other than the page itself."""

    def mark(match: re.Match[str]) -> str:
        target = _site_path(match.group("href"), page_url)
        if target is None or target == page_url or target not in targets:
            return match.group(0)
        address = escape(get_relative_url(targets[target], page_url))
        return f'<a {ATTRIBUTE}="{address}" ' + match.group(0)[2:].lstrip()

    return _LINK_START.sub(mark, html)


def _site_path(href: str, page_url: str) -> str | None:
    """The URL from the site's root that `href` (as the HTML writes it, entities and all),
    on the page at `page_url`, leads to; None for another site, a path from the server's
    root or a link within the page."""
    parts = urlsplit(unescape(href))
    if parts.scheme or parts.netloc or not parts.path or parts.path.startswith("/"):
        return None
    folder = page_url if page_url.endswith("/") or not page_url else posixpath.dirname(page_url)
    joined = posixpath.normpath(posixpath.join("/", folder, unquote(parts.path)))
    path = joined.lstrip("/")
    if parts.path.endswith("/") and path:
        path += "/"
    return path
