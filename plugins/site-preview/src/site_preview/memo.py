"""What a rebuild would make again from unchanged input, kept from one rebuild to the next.

Turning Markdown into HTML is the largest share of a rebuild (pages, then every post
again for each blog page that shows its excerpt), indexing each page's HTML for search
the next; on a save one page has changed. Each page's `render` is wrapped: when the
page's final Markdown (after every plugin's edits, fencerun's outputs included) and
everything else its HTML depends on are what they were last time, the earlier result
comes back instead. The key holds the page's place and Markdown and the build's
`context`: language, the URL of every file (links are written relative to them) and the
state of the files appended to each page (the glossary). Warnings about a page's links
are given when it is rendered, so on a reuse they are not repeated. An excerpt is keyed
the same way by its post's Markdown and the blog page it is shown on, a page's search
entries by its HTML, title, URL and metadata.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any, Protocol

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page


@dataclass(frozen=True)
class _Rendered:
    content: str | None
    toc: Any
    title: str | None
    anchor_ids: frozenset[str] | None
    # Links into other pages' anchors, by the linked page's src_uri (File objects are
    # made anew by each build).
    links_to_anchors: dict[str, dict[str, str]] | None


class _SearchIndex(Protocol):
    entries: list[dict[str, Any]]

    def add_entry_from_context(self, page: Page) -> None: ...


class RenderMemo:
    def __init__(self) -> None:
        self._kept: dict[tuple[object, ...], Any] = {}
        self.reused = 0
        self.rendered = 0

    def start_build(self, context: tuple[object, ...]) -> None:
        """Counts afresh and drops what this build cannot reuse: results of the same
        language (`context[0]`) made with other files or another glossary."""
        self.reused = 0
        self.rendered = 0
        for key in list(self._kept):
            earlier = key[0]
            assert isinstance(earlier, tuple)
            if earlier[0] == context[0] and earlier != context:
                del self._kept[key]

    def wrap(self, page: Page, context: tuple[object, ...]) -> None:
        """Makes `page.render` reuse an earlier result for the same Markdown in `context`."""
        original = page.render

        def render(config: MkDocsConfig, files: Files) -> None:
            key = (context, page.file.src_uri, page.file.url, page.markdown)
            kept = self._kept.get(key)
            if kept is None:
                original(config, files)
                self._kept[key] = _remember(page)
                self.rendered += 1
            else:
                _restore(page, kept, files)
                self.reused += 1

        page.render = render  # type: ignore[method-assign]

    def wrap_excerpt(self, excerpt: Any, context: tuple[object, ...]) -> None:
        """The blog renders a post's excerpt on each of its views: keep each rendering."""
        original = excerpt.render

        def render(page: Page, separator: str) -> None:
            post = excerpt.post
            key = (context, "excerpt", post.file.src_uri, post.markdown, page.url, separator)
            kept = self._kept.get(key)
            if kept is None:
                original(page, separator)
                self._kept[key] = (excerpt.content, excerpt.more, copy.deepcopy(excerpt.toc))
                return
            excerpt.content, excerpt.more, toc = kept
            excerpt.toc = copy.deepcopy(toc)

        excerpt.render = render

    def wrap_search(self, index: _SearchIndex, context: tuple[object, ...]) -> None:
        """Material's search parses each page's HTML into sections: keep the entries."""
        original = index.add_entry_from_context

        def add_entry_from_context(page: Page) -> None:
            meta = repr(sorted(page.meta.items()))
            key = (context, "search", page.url, page.title, meta, page.content)
            kept = self._kept.get(key)
            if kept is None:
                first = len(index.entries)
                original(page)
                self._kept[key] = copy.deepcopy(index.entries[first:])
                return
            index.entries.extend(copy.deepcopy(kept))

        index.add_entry_from_context = add_entry_from_context  # type: ignore[method-assign]


def _remember(page: Page) -> _Rendered:
    links = page.links_to_anchors
    return _Rendered(
        content=page.content,
        toc=copy.deepcopy(page.toc),
        title=page._title_from_render,
        anchor_ids=None if page.present_anchor_ids is None else frozenset(page.present_anchor_ids),
        links_to_anchors=None
        if links is None
        else {file.src_uri: dict(anchors) for file, anchors in links.items()},
    )


def _restore(page: Page, kept: _Rendered, files: Files) -> None:
    page.content = kept.content
    # Plugins may edit a page's table of contents after rendering (the blog does).
    page.toc = copy.deepcopy(kept.toc)
    page._title_from_render = kept.title
    page.present_anchor_ids = None if kept.anchor_ids is None else set(kept.anchor_ids)
    if kept.links_to_anchors is None:
        page.links_to_anchors = None
        return
    linked = {}
    for src_uri, anchors in kept.links_to_anchors.items():
        file = files.get_file_from_path(src_uri)
        if file is not None:
            linked[file] = dict(anchors)
    page.links_to_anchors = linked
