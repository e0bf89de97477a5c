"""Every link of a page to another page of its language: its Markdown links to .md files
and its wikilinks, each resolved to a note or to an error at the page's line."""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from urllib.parse import unquote

from kb_links.notes import Note, NoteIndex, Unresolved
from kb_links.prose import mask_code
from kb_links.wikilinks import WikiLink, find_wikilinks

_MARKDOWN_LINK = re.compile(r"(?<!!)\[(?P<text>[^\]\n]*)\]\((?P<dest>[^)\s]+)(?:\s+\"[^\"]*\")?\)")


@dataclass(frozen=True)
class Link:
    source: Note
    target: Note
    start: int  # where the link stands in the source's Markdown body
    end: int
    text: str  # what the reader sees as the link
    anchor: str | None  # the target's heading, by anchor
    wikilink: WikiLink | None = None


@dataclass(frozen=True)
class LinkProblem:
    source: Note
    line: int  # of the file, front matter counted
    message: str
    hint: str


def page_links(
    note: Note,
    body: str,
    index: NoteIndex,
    others: dict[str, NoteIndex],
) -> tuple[list[Link], list[LinkProblem]]:
    """The links of `note` (Markdown `body`) to pages of its language; `others` are the other
    languages' indexes, to say so when a wikilink names a page of another language."""
    masked = mask_code(body)
    links: list[Link] = []
    problems: list[LinkProblem] = []
    for wikilink in find_wikilinks(masked):
        found = _resolve_wikilink(note, wikilink, index, others)
        if isinstance(found, LinkProblem):
            problems.append(found)
        else:
            links.append(found)
    for match in _MARKDOWN_LINK.finditer(masked):
        target = _markdown_target(note, match.group("dest"), index)
        if target is not None:
            page, anchor = target
            text = body[match.start("text") : match.end("text")]
            links.append(Link(note, page, match.start(), match.end(), text, anchor))
    links.sort(key=lambda link: link.start)
    return links, problems


def _resolve_wikilink(
    note: Note, wikilink: WikiLink, index: NoteIndex, others: dict[str, NoteIndex]
) -> Link | LinkProblem:
    line = note.body_line + wikilink.line - 1
    if not wikilink.target:
        target = note
    else:
        try:
            target = index.resolve(wikilink.target)
        except Unresolved as unresolved:
            return LinkProblem(
                note, line, unresolved.message, _other_language(wikilink, others, unresolved.hint)
            )
    anchor = None
    if wikilink.heading is not None:
        heading = target.heading(wikilink.heading)
        if heading is None:
            known = ", ".join(h.text for h in target.headings[1:6]) or "none"
            return LinkProblem(
                note,
                line,
                f"{wikilink.written}: {target.src_uri} has no heading {wikilink.heading!r}",
                f"write a heading's text or its anchor; its headings include: {known}",
            )
        anchor = heading.anchor
    text = wikilink.label or (target.title if wikilink.target else (wikilink.heading or ""))
    return Link(note, target, wikilink.start, wikilink.end, text, anchor, wikilink)


def _other_language(wikilink: WikiLink, others: dict[str, NoteIndex], hint: str) -> str:
    for language, index in others.items():
        try:
            found = index.resolve(wikilink.target)
        except Unresolved:
            continue
        return (
            f"it names {found.src_uri}, a page of '{language}': a wikilink stays within its "
            "page's language; link that page's translation in this language instead"
        )
    return hint


def _markdown_target(note: Note, dest: str, index: NoteIndex) -> tuple[Note, str | None] | None:
    if re.match(r"^[a-z][a-z0-9+.-]*:", dest, re.I) or dest.startswith(("#", "/")):
        return None  # another site, a mail address, this page, or a site-absolute path
    path, _, fragment = dest.partition("#")
    path = unquote(path)
    if not path.endswith(".md"):
        return None
    src_uri = posixpath.normpath(posixpath.join(posixpath.dirname(note.src_uri), path))
    target = index.notes.get(src_uri)
    if target is None:
        return None  # MkDocs itself reports a link to a missing page
    return target, fragment or None


def markdown_link(link: Link) -> str:
    """The Markdown link a wikilink becomes: relative to its page, so that MkDocs resolves
    and checks it as any other."""
    source_folder = posixpath.dirname(link.source.src_uri)
    path = posixpath.relpath(link.target.src_uri, source_folder)
    if link.target is link.source:
        path = ""
    fragment = f"#{link.anchor}" if link.anchor else ""
    label = link.text.replace("[", "\\[").replace("]", "\\]")
    return f"[{label}]({path}{fragment})"
