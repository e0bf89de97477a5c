"""The MkDocs plugin: wikilinks become links, and every page lists the pages that link to it.

Every page of every language is read once per build (static-i18n builds the other languages
inside the first, with the same plugin object), so each language's build finds the links of
all its pages before it renders one.
"""

from __future__ import annotations

import logging
import os
from typing import Any, cast

from markdown.extensions.toc import slugify as markdown_slugify
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils.templates import TemplateContext

from kb_links.graph import LanguageLinks, link_languages
from kb_links.links import LinkProblem, markdown_link, page_links
from kb_links.notes import Slugify
from kb_links.preview_files import add_preview_files, mark_preview_links
from kb_links.previews import Preview, page_previews
from kb_links.sources import read_languages

log = logging.getLogger("mkdocs.plugins.kb_links")


class KbLinksPlugin(BasePlugin):  # type: ignore[type-arg,no-untyped-call]
    def __init__(self) -> None:
        super().__init__()
        self.i18n: Any = None
        self.languages: dict[str, LanguageLinks] = {}
        self.files: Files | None = None
        self.previews: dict[str, dict[str, Preview]] = {}  # language -> src_uri ->
        self.preview_targets: dict[str, str] = {}  # this build's page URL -> its preview's

    # Find static-i18n, which says which language each build is.
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        self.i18n = config.plugins.get("i18n")
        if self.i18n is None:
            raise PluginError("kb-links needs the 'i18n' plugin (mkdocs-static-i18n) in mkdocs.yml")
        return config

    # Read every page and resolve every link (run late) - after static-i18n's on_files
    # (-100) has chosen this language's files. Once for all languages, in the first build.
    @event_priority(-120)
    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files | None:
        self.files = files
        if not self.i18n.building:
            self.languages = self._read_all(config)
        return files

    # Turn wikilinks into Markdown links (run early) - before fencerun (0) runs blocks,
    # whose outputs are not the author's links.
    @event_priority(10)
    def on_page_markdown(
        self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str | None:
        linked = self.languages.get(self._language())
        note = None if linked is None else linked.index.notes.get(page.file.src_uri)
        if linked is None or note is None:
            return markdown
        links, _ = page_links(note, markdown, linked.index, {})
        # From the end, so that each replacement leaves the offsets before it as they were.
        for link in reversed([link for link in links if link.wikilink is not None]):
            markdown = markdown[: link.start] + markdown_link(link) + markdown[link.end :]
        return markdown

    # Write the previews of the pages this build publishes (run after the blog (-50), which
    # has by then left its drafts out).
    @event_priority(-60)
    def on_nav(self, nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation | None:
        language = self._language()
        root = "" if language == self.i18n.default_language else f"{language}/"
        self.preview_targets = add_preview_files(
            self.previews.get(language, {}), files, config, root
        )
        return nav

    # Mark the links of the page's text that show a preview.
    def on_page_content(
        self, html: str, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str | None:
        return mark_preview_links(html, page.url, self.preview_targets)

    # Hand the page its backlinks, for partials/backlinks.html.
    def on_page_context(
        self, context: TemplateContext, *, page: Page, config: MkDocsConfig, nav: Navigation
    ) -> TemplateContext | None:
        linked = self.languages.get(self._language())
        backlinks = [] if linked is None else linked.backlinks.get(page.file.src_uri, [])
        shown = []
        for backlink in backlinks:
            file = (
                None
                if self.files is None
                else self.files.get_file_from_path(backlink.source.src_uri)
            )
            if file is not None and file.page is not None:
                shown.append(
                    {
                        "page": file.page,
                        "title": backlink.source.title,
                        "sentence": backlink.sentence,
                    }
                )
        page.kb_backlinks = shown  # type: ignore[attr-defined]
        return context

    def _language(self) -> str:
        return str(self.i18n.current_language or self.i18n.default_language)

    def _read_all(self, config: MkDocsConfig) -> dict[str, LanguageLinks]:
        languages = [str(language) for language in self.i18n.build_languages]
        pages = read_languages(config.docs_dir, languages)
        linked, problems = link_languages(pages, _slugify(config))
        if problems:
            for problem in problems:
                log.error(_describe(problem, config))
            raise PluginError(f"{len(problems)} wikilink(s) could not be resolved (listed above)")
        self.previews = {
            language: page_previews(pages[language], linked[language].index)
            for language in languages
        }
        return linked


def _slugify(config: MkDocsConfig) -> Slugify:
    configured = config.mdx_configs.get("toc", {}).get("slugify")
    return cast(Slugify, configured) if callable(configured) else markdown_slugify


def _describe(problem: LinkProblem, config: MkDocsConfig) -> str:
    project = os.path.dirname(os.path.abspath(config.config_file_path or "mkdocs.yml"))
    where = os.path.relpath(os.path.join(config.docs_dir, problem.source.src_uri), project)
    return f"{where.replace(os.sep, '/')}:{problem.line}: {problem.message}; {problem.hint}"
