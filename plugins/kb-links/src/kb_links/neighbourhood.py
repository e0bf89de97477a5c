"""What a note or a post shows of the pages around it, for the theme's partials: its related
pages (partials/related.html) and its map (partials/link-map.html), each page with the
built page its link points at."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from kb_links.graph import LanguageLinks
from kb_links.local_map import BOTH, IN, OUT, local_map, neighbours
from kb_links.notes import Note
from kb_links.related import RelatedPages

PageOf = Callable[[Note], Any]  # a note's page in this build, or None (a draft left out)


def related_context(
    note: Note, related: RelatedPages, page_of: PageOf, is_article: Callable[[Note], bool]
) -> list[dict[str, Any]]:
    """The related notes and posts of `note`, each as its page and its title."""
    found = related.related(note, lambda other: is_article(other) and page_of(other) is not None)
    return [{"page": page_of(other), "title": other.title} for other in found]


def map_context(note: Note, linked: LanguageLinks, page_of: PageOf) -> dict[str, Any] | None:
    """The map of `note`, each of its nodes with its page, and the ways its links go (for
    the legend); None without neighbours."""
    drawn = local_map(note, neighbours(note, linked, lambda other: page_of(other) is not None))
    if drawn is None:
        return None
    drawn_directions = {node.direction for node in drawn.nodes}
    return {
        "map": drawn,
        "page": page_of(note),
        "nodes": [(node, page_of(node.note)) for node in drawn.nodes],
        "directions": [way for way in (OUT, IN, BOTH) if way in drawn_directions],
    }
