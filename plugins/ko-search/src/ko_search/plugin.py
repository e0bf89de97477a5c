"""Makes Material's search find what a Korean reader types, at any size of site.

Build side: the inner words of Korean tokens (엔지니어 in 인프라엔지니어, 스왑 in
XOR스왑) go into the search index, which is then written in shards a query
loads only parts of (shards.py), with a stub left as search_index.json.
Query side: a worker of our own behind Material's search box, which strips
particles and endings from the query (리눅스를 -> 리눅스), splits words the site
writes apart and searches the shards. English pages get the same shards.

With mkdocs-static-i18n every hook from on_config to on_post_build runs once
per language, and each language's index is split in its own build.
"""

from __future__ import annotations

import os
import posixpath

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority
from mkdocs.structure.pages import Page

from . import search_index, shards, worker
from .config import KoSearchConfig

INDEX = posixpath.join("search", "search_index.json")


class KoSearchPlugin(BasePlugin[KoSearchConfig]):  # type: ignore[no-untyped-call]
    def __init__(self) -> None:
        super().__init__()
        self.workers: set[worker.Worker] = set()
        # Each language's stub index, by path: written again at the very end,
        # over the whole index blog-i18n puts back at the site's root.
        self.stubs: dict[str, str] = {}

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

    # Split the index (run later) - after blog-i18n (-90) has written this
    # language's index at its root, before static-i18n (-100) builds the next
    # language.
    @event_priority(-95)
    def _on_post_build_split(self, *, config: MkDocsConfig) -> None:
        if not self.config.enabled:
            return
        root = _language_root(config)
        path = os.path.join(config.site_dir, root, INDEX)
        if not os.path.isfile(path):
            raise PluginError(f"ko-search: Material's search plugin wrote no index at {path}")
        try:
            self.stubs[path] = search_index.split_index_file(
                path, posixpath.join(root, "search", shards.FOLDER) + "/"
            )
        except (search_index.SeparatorError, shards.IndexFormatError) as error:
            raise PluginError(f"ko-search: {error}") from error
        for each in self.workers:
            worker.write_worker(config.site_dir, each)

    # Run last: after blog-i18n (-110) puts the root language's whole index back.
    @event_priority(-120)
    def _on_post_build_keep_stubs(self, *, config: MkDocsConfig) -> None:
        for path, stub in self.stubs.items():
            with open(path, "w", encoding="utf-8") as f:
                f.write(stub)

    on_post_build = CombinedEvent(_on_post_build_split, _on_post_build_keep_stubs)

    def _point_at_worker(self, html: str, where: str) -> str:
        try:
            html, page_worker = worker.point_page_at_worker(html, where)
        except worker.WorkerError as error:
            raise PluginError(f"ko-search: {error}") from error
        if page_worker is not None:
            self.workers.add(page_worker)
        return html


def _language_root(config: MkDocsConfig) -> str:
    """Where the language being built lives: '' for the default (or only) one, 'en/'.

    mkdocs-static-i18n sets current_language in its on_config; before that,
    the default language is being built.
    """
    i18n = config.plugins.get("i18n")
    if i18n is None:
        return ""
    default = str(getattr(i18n, "default_language", ""))
    current = str(getattr(i18n, "current_language", None) or default)
    return "" if current == default else f"{current}/"
