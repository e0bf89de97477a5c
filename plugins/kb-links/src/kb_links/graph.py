"""Every page of every language read once: its note, its links, and who links to it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from kb_links.links import Link, LinkProblem, page_links
from kb_links.notes import Note, NoteIndex, Slugify, read_note
from kb_links.sentences import sentence_of


@dataclass(frozen=True)
class PageSource:
    """A Markdown file of the docs folder, front matter apart."""

    src_uri: str
    body: str
    meta: dict[str, object]
    body_line: int


@dataclass(frozen=True)
class Backlink:
    source: Note
    sentence: str  # the sentence of the source that holds its first link here


@dataclass
class LanguageLinks:
    index: NoteIndex
    links: dict[str, list[Link]] = field(default_factory=dict)  # source src_uri -> links
    backlinks: dict[str, list[Backlink]] = field(default_factory=dict)  # target src_uri ->


def link_languages(
    pages: Mapping[str, list[PageSource]], slugify: Slugify
) -> tuple[dict[str, LanguageLinks], list[LinkProblem]]:
    """The links of every language (`pages`: language -> its pages), and every wikilink that
    could not be resolved."""
    indexes = {
        language: NoteIndex.of(
            language,
            (
                read_note(
                    page.src_uri,
                    language,
                    page.body,
                    page.meta,
                    body_line=page.body_line,
                    slugify=slugify,
                )
                for page in sources
            ),
        )
        for language, sources in pages.items()
    }
    result: dict[str, LanguageLinks] = {}
    problems: list[LinkProblem] = []
    for language, sources in pages.items():
        index = indexes[language]
        others = {other: found for other, found in indexes.items() if other != language}
        linked = LanguageLinks(index)
        for page in sources:
            note = index.notes[page.src_uri]
            links, found_problems = page_links(note, page.body, index, others)
            problems += found_problems
            linked.links[page.src_uri] = links
            # One entry a page that links: the sentence of its first link.
            first_links = {link.target.src_uri: link for link in reversed(links)}
            for target, link in first_links.items():
                if link.target is not note:
                    backlink = Backlink(note, sentence_of(link, page.body, index))
                    linked.backlinks.setdefault(target, []).append(backlink)
        for backlinks in linked.backlinks.values():
            backlinks.sort(key=lambda backlink: backlink.source.title)
        result[language] = linked
    return result, problems
