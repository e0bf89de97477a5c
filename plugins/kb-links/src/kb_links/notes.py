"""The pages of one language as a wikilink finds them: by path, file name, title or alias."""

from __future__ import annotations

import difflib
import posixpath
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from kb_links.prose import mask_code

Slugify = Callable[[str, str], str]

_HEADING = re.compile(r"^(#{1,6})[ \t]+(.+?)[ \t]*#*[ \t]*$", re.M)
_ATTR_ID = re.compile(r"\s*\{[^}]*#([\w-]+)[^}]*\}\s*$")
_ATTR_LIST = re.compile(r"\s*\{[^}]*\}\s*$")
_INLINE_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MARKUP = re.compile(r"[`*]|(?<!\w)_|_(?!\w)")


@dataclass(frozen=True)
class Heading:
    text: str  # as a reader sees it: no Markdown marks
    anchor: str


@dataclass(frozen=True)
class Note:
    """One Markdown page of a language."""

    src_uri: str  # from the docs folder: "ko/kb/processes.md"
    language: str
    title: str
    aliases: tuple[str, ...] = ()
    headings: tuple[Heading, ...] = ()
    body_line: int = 1  # the line of the file where the Markdown after front matter starts
    description: str = ""
    order: float | None = None  # front matter `order:`: before every note without one
    tags: tuple[str, ...] = ()  # front matter `tags:`

    @property
    def sort_key(self) -> tuple[bool, float, str]:
        """Notes by `order`, then by title: 가나다 for Hangul (its syllables are in that order
        in Unicode), alphabetical for Latin letters, case aside."""
        return (self.order is None, self.order or 0.0, self.title.casefold())

    @property
    def path(self) -> str:
        """From the language's root, without .md: "kb/processes"."""
        return self.src_uri.removeprefix(f"{self.language}/").removesuffix(".md")

    @property
    def stem(self) -> str:
        return posixpath.basename(self.path)

    def heading(self, wanted: str) -> Heading | None:
        """The heading whose text or anchor is `wanted` (text: Latin case ignored)."""
        for heading in self.headings:
            if heading.anchor == wanted or heading.text.casefold() == wanted.casefold():
                return heading
        return None


def plain_heading(text: str) -> str:
    """A heading's words as the page shows them: links as their text, no code or emphasis
    marks, no attribute list."""
    text = _ATTR_LIST.sub("", text)
    text = _INLINE_LINK.sub(r"\1", text)
    return _MARKUP.sub("", text).strip()


def read_note(
    src_uri: str,
    language: str,
    body: str,
    meta: dict[str, Any],
    *,
    body_line: int,
    slugify: Slugify,
) -> Note:
    """The note of a page, from its Markdown `body` and front matter `meta`."""
    headings = []
    first_title = None
    masked = mask_code(body)
    for match in _HEADING.finditer(masked):
        raw = body[match.start(2) : match.end(2)]
        text = plain_heading(raw)
        custom = _ATTR_ID.search(raw)
        anchor = custom.group(1) if custom else slugify(text, "-")
        headings.append(Heading(text, anchor))
        if first_title is None and len(match.group(1)) == 1:
            first_title = text
    title = str(meta.get("title") or first_title or posixpath.basename(src_uri)[:-3])
    order = meta.get("order")
    return Note(
        src_uri=src_uri,
        language=language,
        title=title,
        aliases=_strings(meta.get("aliases")),
        headings=tuple(headings),
        body_line=body_line,
        description=str(meta.get("description") or ""),
        order=float(order)
        if isinstance(order, int | float) and not isinstance(order, bool)
        else None,
        tags=_strings(meta.get("tags")),
    )


def _strings(value: Any) -> tuple[str, ...]:
    """A front-matter list of names, or a single name, as a tuple."""
    if value is None or value == "":
        return ()
    if isinstance(value, list | tuple):
        return tuple(str(item) for item in value)
    return (str(value),)


class Unresolved(LookupError):
    """No page, or more than one, answers to a wikilink's target."""

    def __init__(self, message: str, hint: str) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


@dataclass
class NoteIndex:
    """The notes of one language, and how a wikilink target finds one."""

    language: str
    notes: dict[str, Note] = field(default_factory=dict)  # src_uri -> note
    _by_path: dict[str, Note] = field(default_factory=dict)
    _by_name: dict[str, list[Note]] = field(default_factory=dict)

    @classmethod
    def of(cls, language: str, notes: Iterable[Note]) -> NoteIndex:
        index = cls(language)
        for note in notes:
            index.notes[note.src_uri] = note
            index._by_path[note.path] = note
            names = {note.stem, _folded(note.title), *(_folded(alias) for alias in note.aliases)}
            for name in names:
                index._by_name.setdefault(name, []).append(note)
        return index

    def resolve(self, target: str) -> Note:
        """The note `target` names: a path from the language root, then a file name, a title
        (Latin case ignored) or an alias; raises Unresolved for none or several."""
        wanted = target.strip().removesuffix(".md").strip("/")
        if wanted in self._by_path:
            return self._by_path[wanted]
        found = self._by_name.get(wanted) or self._by_name.get(_folded(wanted)) or []
        distinct = {note.src_uri: note for note in found}
        if len(distinct) == 1:
            return next(iter(distinct.values()))
        if distinct:
            paths = ", ".join(f"[[{note.path}]]" for note in distinct.values())
            raise Unresolved(
                f"[[{target}]] could be any of {len(distinct)} pages",
                f"name the one you mean by its path: {paths}",
            )
        raise Unresolved(f"[[{target}]] names no page of this language", self._suggestion(wanted))

    def _suggestion(self, wanted: str) -> str:
        names = [*self._by_path, *(note.title for note in self.notes.values())]
        close = difflib.get_close_matches(wanted, names, n=1, cutoff=0.6)
        ways = "a path from the language root (kb/processes), a file name, a title or an alias"
        if close:
            return f"did you mean [[{close[0]}]]? A target is {ways}"
        return f"a target is {ways} (front matter `aliases:`)"


def _folded(name: str) -> str:
    return name.strip().casefold()
