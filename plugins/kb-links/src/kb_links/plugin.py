"""The MkDocs plugin: wikilinks become links, and every page lists the pages that link to it.

Every page of every language is read once per build (static-i18n builds the other languages
inside the first, with the same plugin object), so each language's build finds the links of
all its pages before it renders one.
"""

from __future__ import annotations

import logging
import os
import posixpath
import re
from collections.abc import Iterator
from typing import Any, cast

from markdown.extensions.toc import slugify as markdown_slugify
from material.plugins.blog.structure import Post
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation, Section
from mkdocs.structure.pages import Page
from mkdocs.utils.templates import TemplateContext

from kb_links.config import KbLinksConfig
from kb_links.graph import LanguageLinks, link_languages
from kb_links.index_page import NOTES_MARKER, notes_list
from kb_links.links import LinkProblem, markdown_link, page_links
from kb_links.neighbourhood import map_context, related_context
from kb_links.notes import Note, Slugify
from kb_links.preview_files import add_preview_files, mark_preview_links
from kb_links.previews import Preview, page_previews
from kb_links.related import RelatedPages
from kb_links.sources import read_languages
from kb_links.tree import INDEX, Folder, folder_tree

log = logging.getLogger("mkdocs.plugins.kb_links")
# The knowledge base's folder in each language's folder; its index page heads its section.
KB_FOLDER = "kb"


class KbLinksPlugin(BasePlugin[KbLinksConfig]):  # type: ignore[no-untyped-call]
    def __init__(self) -> None:
        super().__init__()
        self.i18n: Any = None
        self.languages: dict[str, LanguageLinks] = {}
        self.related: dict[str, RelatedPages] = {}
        self.files: Files | None = None
        self.previews: dict[str, dict[str, Preview]] = {}  # language -> src_uri ->
        self.preview_targets: dict[str, str] = {}  # this build's page URL -> its preview's

    # Find static-i18n, which says which language each build is.
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        self.i18n = config.plugins.get("i18n")
        if self.i18n is None:
            raise PluginError("kb-links needs the 'i18n' plugin (mkdocs-static-i18n) in mkdocs.yml")
        nav_log = logging.getLogger("mkdocs.structure.nav")
        if not any(isinstance(found, NotesOutOfNav) for found in nav_log.filters):
            nav_log.addFilter(NotesOutOfNav(KB_FOLDER))
        return config

    # Read every page and resolve every link (run late) - after static-i18n's on_files
    # (-100) has chosen this language's files. Once for all languages, in the first build.
    @event_priority(-120)
    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files | None:
        self.files = files
        if not self.i18n.building:
            self.languages = self._read_all(config)
            self.related = {
                language: RelatedPages.of(linked) for language, linked in self.languages.items()
            }
        return files

    # Fill the knowledge base's section of the nav, and write the pages' previews (run
    # late) - after static-i18n (-100) has set this language's nav and blog-i18n (-110) the
    # blog's: every note of kb/ in order, each subfolder a section, with no list of them to
    # keep in mkdocs.yml; past prune_nav_above pages, pruned on the pages outside each.
    @event_priority(-130)
    def on_nav(self, nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation | None:
        # The previews of the pages this build publishes: the blog (-50) has left its drafts
        # out by now.
        language = self._language()
        root_url = "" if language == self.i18n.default_language else f"{language}/"
        self.preview_targets = add_preview_files(
            self.previews.get(language, {}), files, config, root_url
        )
        linked = self.languages.get(language)
        if linked is None:
            return nav
        root = f"{self._language()}/{KB_FOLDER}"
        section = _section_holding(nav.items, f"{root}/{INDEX}")
        if section is None:
            return nav
        tree = folder_tree(root, linked.index.notes.values())
        section.children = _nav_items(tree, files)
        _splice_pages(nav, section)
        if len(tree.all_notes()) > self.config.prune_nav_above:
            _prune(section)
        return nav

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
        if page.file.src_uri == f"{self._language()}/{KB_FOLDER}/{INDEX}":
            tree = folder_tree(posixpath.dirname(note.src_uri), linked.index.notes.values())
            markdown = markdown.replace(NOTES_MARKER, notes_list(note, markdown, tree, linked))
        links, _ = page_links(note, markdown, linked.index, {})
        # From the end, so that each replacement leaves the offsets before it as they were.
        for link in reversed([link for link in links if link.wikilink is not None]):
            markdown = markdown[: link.start] + markdown_link(link) + markdown[link.end :]
        return markdown

    # Mark the links of the page's text that show a preview.
    def on_page_content(
        self, html: str, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str | None:
        return mark_preview_links(html, page.url, self.preview_targets)

    # Hand the page its backlinks, for partials/backlinks.html, and a note or a post its
    # related pages and its map, for partials/related.html and partials/link-map.html.
    def on_page_context(
        self, context: TemplateContext, *, page: Page, config: MkDocsConfig, nav: Navigation
    ) -> TemplateContext | None:
        linked = self.languages.get(self._language())
        backlinks = [] if linked is None else linked.backlinks.get(page.file.src_uri, [])
        shown = []
        for backlink in backlinks:
            source = self._page_of(backlink.source)
            if source is not None:
                shown.append(
                    {"page": source, "title": backlink.source.title, "sentence": backlink.sentence}
                )
        page.kb_backlinks = shown  # type: ignore[attr-defined]
        page.kb_related, page.kb_map = self._around(page)  # type: ignore[attr-defined]
        return context

    def _around(self, page: Page) -> tuple[list[dict[str, Any]], dict[str, Any] | None]:
        """A note's or a post's related pages and map; nothing for any other page."""
        linked = self.languages.get(self._language())
        related = self.related.get(self._language())
        note = None if linked is None else linked.index.notes.get(page.file.src_uri)
        if linked is None or related is None or note is None or not self._is_article(note):
            return [], None
        return (
            related_context(note, related, self._page_of, self._is_article),
            map_context(note, linked, self._page_of),
        )

    def _page_of(self, note: Note) -> Page | None:
        """The page of `note` in this build: None for a draft the blog left out."""
        # By its exact src_uri, a dict lookup: static-i18n's get_file_from_path tries each
        # language's path in turn with pathlib, and a note's related pages ask for hundreds.
        file = None if self.files is None else self.files.src_uris.get(note.src_uri)
        return None if file is None else file.page

    def _is_article(self, note: Note) -> bool:
        """A note of the knowledge base, or a post of the blog."""
        return note.src_uri.startswith(f"{note.language}/{KB_FOLDER}/") or isinstance(
            self._page_of(note), Post
        )

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


class NotesOutOfNav(logging.Filter):
    """Leaves the knowledge base's notes out of MkDocs' list of pages missing from the nav
    config: this plugin puts them in the nav, and at thousands of notes the list would bury
    every other message of the build."""

    def __init__(self, folder: str) -> None:
        super().__init__()
        self.line = re.compile(rf"\n  - [^/\n]+/{re.escape(folder)}/[^\n]*")

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if 'are not included in the "nav" configuration' not in message:
            return True
        kept = self.line.sub("", message)
        if "\n  - " not in kept:
            return False
        record.msg, record.args = kept, ()
        return True


def _section_holding(items: list[Any], src_uri: str) -> Section | None:
    """The nav section whose own pages include the page `src_uri`."""
    for item in items:
        if isinstance(item, Section):
            if any(
                isinstance(child, Page) and child.file.src_uri == src_uri for child in item.children
            ):
                return item
            found = _section_holding(item.children, src_uri)
            if found is not None:
                return found
    return None


def _nav_items(folder: Folder, files: Files) -> list[Any]:
    items: list[Any] = []
    if folder.index is not None:
        items.append(_page(folder.index, files))
    items += [_page(note, files) for note in folder.notes]
    for child in folder.folders:
        items.append(Section(child.title, _nav_items(child, files)))
    return [item for item in items if item is not None]


def _prune(section: Section) -> None:
    """Marks the section and every section below it for partials/nav-item.html, which
    shows each of them whole only on the pages inside it."""
    section.kb_pruned = True  # type: ignore[attr-defined]
    for child in section.children:
        if isinstance(child, Section):
            _prune(child)


def _page(note: Note, files: Files) -> Page | None:
    file = files.get_file_from_path(note.src_uri)
    return None if file is None else file.page


def _splice_pages(nav: Navigation, section: Section) -> None:
    """Put the section's pages where its index page stood in the nav's page list, with their
    parents and previous/next links. The pages around keep theirs (the blog sets its own),
    but for the two that now border the section."""

    def walk(items: list[Any], parent: Section) -> Iterator[Page]:
        for item in items:
            item.parent = parent
            if isinstance(item, Section):
                yield from walk(item.children, item)
            elif isinstance(item, Page):
                yield item

    pages = list(walk(section.children, section))
    if not pages:
        return
    index = pages[0]
    at = nav.pages.index(index) if index in nav.pages else len(nav.pages)
    before, after = index.previous_page, index.next_page
    nav.pages[at : at + 1] = pages
    chain = [before, *pages, after]
    for previous, page, following in zip(chain, pages, chain[2:], strict=False):
        page.previous_page, page.next_page = previous, following
    if after is not None:
        after.previous_page = pages[-1]


def _slugify(config: MkDocsConfig) -> Slugify:
    configured = config.mdx_configs.get("toc", {}).get("slugify")
    return cast(Slugify, configured) if callable(configured) else markdown_slugify


def _describe(problem: LinkProblem, config: MkDocsConfig) -> str:
    project = os.path.dirname(os.path.abspath(config.config_file_path or "mkdocs.yml"))
    where = os.path.relpath(os.path.join(config.docs_dir, problem.source.src_uri), project)
    return f"{where.replace(os.sep, '/')}:{problem.line}: {problem.message}; {problem.hint}"
