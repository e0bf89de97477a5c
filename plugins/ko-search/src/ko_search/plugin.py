"""Makes Material's search find what a Korean reader types.

Build side: the inner words of Korean tokens (엔지니어 in 인프라엔지니어, 스왑 in
XOR스왑) go into the search index. Query side: a worker that wraps Material's
strips particles and endings from the query (리눅스를 -> 리눅스) and splits
words the site writes apart. Both leave English text and queries alone.

With mkdocs-static-i18n every hook from on_config to on_post_build runs once
per language, and each language's index is rewritten in its own build.
"""

from __future__ import annotations

import os

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.pages import Page

from . import search_index, worker
from .config import KoSearchConfig


class KoSearchPlugin(BasePlugin[KoSearchConfig]):  # type: ignore[no-untyped-call]
    def __init__(self) -> None:
        super().__init__()
        self.workers: set[worker.Worker] = set()

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        if self.config.enabled and "material/search" not in config.plugins:
            raise PluginError(
                "ko-search needs Material's search plugin: add 'search' to plugins in mkdocs.yml"
            )
        self.workers = set()
        return config

    # Load our worker on every page.
    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str | None:
        if not self.config.enabled:
            return None
        return self._point_at_worker(output, page.file.src_uri)

    # The 404 page too (run early) - before blog-i18n's on_post_template
    # (priority 0) copies it for each language.
    @event_priority(10)
    def on_post_template(
        self, output_content: str, *, template_name: str, config: MkDocsConfig
    ) -> str | None:
        if not self.config.enabled or template_name != "404.html":
            return None
        return self._point_at_worker(output_content, template_name)

    # Rewrite the index (run later) - after Material's search plugin (priority
    # 0) writes it, before blog-i18n (-90) keeps it as this language's and
    # static-i18n (-100) builds the next language.
    @event_priority(-50)
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        if not self.config.enabled:
            return
        path = os.path.join(config.site_dir, "search", "search_index.json")
        if not os.path.isfile(path):
            raise PluginError(f"ko-search: Material's search plugin wrote no index at {path}")
        try:
            search_index.rewrite_index_file(path)
            for each in self.workers:
                worker.write_worker(config.site_dir, each)
        except (search_index.SeparatorError, worker.WorkerError) as error:
            raise PluginError(f"ko-search: {error}") from error

    def _point_at_worker(self, html: str, where: str) -> str:
        try:
            html, page_worker = worker.point_page_at_worker(html, where)
        except worker.WorkerError as error:
            raise PluginError(f"ko-search: {error}") from error
        if page_worker is not None:
            self.workers.add(page_worker)
        return html
