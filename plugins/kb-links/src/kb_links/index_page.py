"""The knowledge base's index page lists every note its own text does not link to yet, so
that a new note appears there without an edit."""

from __future__ import annotations

import posixpath

from kb_links.graph import LanguageLinks
from kb_links.links import page_links
from kb_links.notes import Note
from kb_links.tree import Folder

# Where the index page wants the list: an HTML comment, invisible wherever it is not replaced.
NOTES_MARKER = "<!-- kb-links: notes -->"
# The heading over the list, which shows only when it lists something.
HEADINGS = {"ko": "그 밖의 노트", "en": "Other notes"}


def notes_list(index: Note, markdown: str, tree: Folder, linked: LanguageLinks) -> str:
    """Markdown: a heading and a list item for each note under the index page's folder that
    the page does not link to already, in the order of the nav, each with its description;
    nothing when it links to every one."""
    links, _ = page_links(index, markdown, linked.index, {})
    linked_already = {link.target.src_uri for link in links}
    folder = posixpath.dirname(index.src_uri)
    items = []
    for note in tree.all_notes():
        if note is index or note.src_uri in linked_already:
            continue
        path = posixpath.relpath(note.src_uri, folder)
        title = note.title.replace("[", "\\[").replace("]", "\\]")
        about = f": {note.description}" if note.description else ""
        items.append(f"- [{title}]({path}){about}")
    if not items:
        return ""
    heading = HEADINGS.get(index.language, "Notes")
    return f"## {heading}\n\n" + "\n".join(items) + "\n"
