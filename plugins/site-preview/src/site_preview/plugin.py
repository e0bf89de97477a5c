"""The preview's hooks into a build: added to each loaded config, never to mkdocs.yml."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from jinja2 import Environment
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from .memo import RenderMemo
from .templates import ThemeMemo

log = logging.getLogger("mkdocs.preview")

NAME = "preview"


class PreviewPlugin(BasePlugin):  # type: ignore[type-arg,no-untyped-call]
    """One instance lives as long as the server, so what it keeps outlives each build."""

    def __init__(self) -> None:
        super().__init__()
        self.theme = ThemeMemo()
        self.memo = RenderMemo()
        self.context: tuple[object, ...] = ()

    # Last: the files' URLs are final once the blog and static-i18n have placed them.
    @event_priority(-1000)
    def on_nav(self, nav: Navigation, /, *, config: MkDocsConfig, files: Files) -> None:
        self.context = _build_context(config, files)
        self.memo.start_build(self.context)

    # Every page has been read and rendered by now; the views and templates come next.
    def on_env(self, env: Environment, /, *, config: MkDocsConfig, files: Files) -> None:
        blog = config.plugins.get("material/blog")
        for post in getattr(getattr(blog, "blog", None), "posts", []):
            if post.excerpt is not None:
                self.memo.wrap_excerpt(post.excerpt, self.context)
        search = config.plugins.get("material/search")
        if search is not None and search.config.enabled:
            self.memo.wrap_search(search.search_index, self.context)

    # Last, so the Markdown it sees is the one the page renders (fencerun's outputs in).
    @event_priority(-1000)
    def on_page_markdown(
        self, markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files
    ) -> None:
        self.memo.wrap(page, self.context)

    @event_priority(-1000)
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        log.info(
            f"preview: {self.memo.rendered} page(s) rendered, {self.memo.reused} unchanged reused"
        )


def _build_context(config: MkDocsConfig, files: Files) -> tuple[Any, ...]:
    """What a page's HTML depends on beyond its own Markdown, for this build."""
    urls = tuple(sorted((file.src_uri, file.url) for file in files))
    snippets = config.mdx_configs.get("pymdownx.snippets", {})
    appended = tuple(_stamp(Path(path)) for path in snippets.get("auto_append", []))
    return (config.theme.get("language"), hash(urls), appended)


def _stamp(path: Path) -> tuple[str, int, int]:
    try:
        status = path.stat()
    except OSError:
        return (str(path), 0, 0)
    return (str(path), status.st_mtime_ns, status.st_size)
