"""The knowledge base as a tree: each folder under kb/ a section, its notes in order."""

from __future__ import annotations

import posixpath
from collections.abc import Iterable
from dataclasses import dataclass, field

from kb_links.notes import Note

INDEX = "index.md"


@dataclass
class Folder:
    """A folder of notes: its own index page (if any), its notes and its subfolders, each
    list in the order readers see it."""

    path: str  # src_uri of the folder: "ko/kb", "ko/kb/linux"
    index: Note | None = None
    notes: list[Note] = field(default_factory=list)
    folders: list[Folder] = field(default_factory=list)

    @property
    def title(self) -> str:
        return self.index.title if self.index else posixpath.basename(self.path)

    @property
    def sort_key(self) -> tuple[bool, float, str]:
        if self.index is not None:
            return self.index.sort_key
        return (True, 0.0, self.title.casefold())

    def all_notes(self) -> list[Note]:
        """Every note below, in reading order (a folder's index before its notes)."""
        found = [] if self.index is None else [self.index]
        found += self.notes
        for folder in self.folders:
            found += folder.all_notes()
        return found


def folder_tree(root: str, notes: Iterable[Note]) -> Folder:
    """The notes under `root` (a src_uri folder such as "ko/kb") as a tree."""
    folders: dict[str, Folder] = {root: Folder(root)}

    def folder_of(path: str) -> Folder:
        if path not in folders:
            folder = Folder(path)
            folders[path] = folder
            folder_of(posixpath.dirname(path)).folders.append(folder)
        return folders[path]

    for note in notes:
        if not note.src_uri.startswith(root + "/"):
            continue
        folder = folder_of(posixpath.dirname(note.src_uri))
        if posixpath.basename(note.src_uri) == INDEX:
            folder.index = note
        else:
            folder.notes.append(note)
    for folder in folders.values():
        folder.notes.sort(key=lambda note: note.sort_key)
        folder.folders.sort(key=lambda child: child.sort_key)
    return folders[root]
