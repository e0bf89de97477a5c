"""The pages related to a page: those that share its tags and its link targets, the rarer
the better.

Hugo's related content is the model: each kind of feature (an index: tags, link targets)
has a weight, and a feature so common that it relates nothing is left out of the index
(Hugo's cardinality threshold). Each shared feature scores its index's weight times its
inverse document frequency, log(pages / pages holding it): a tag on 3 of 1,000 pages says
far more than one on 400.

An inverted index (feature -> the pages holding it) finds the candidates of a page without
comparing it with every other page: a page costs the sum, over its features, of the pages
holding each. The ceiling on a feature's pages keeps that sum bounded as a site grows.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Callable
from dataclasses import dataclass

from kb_links.graph import LanguageLinks
from kb_links.notes import Note

# How much a shared feature of each index counts, before its rarity. A tag is the author
# saying two pages are about one thing; a link target may be a passing mention.
TAG_WEIGHT = 1.0
LINK_WEIGHT = 0.75
# A feature held by more than this share of a language's pages relates nothing: it is what
# most pages are about (a link to the home page, a tag on every note).
COMMON_SHARE = 0.5
# Nor does one held by more than this many pages: at thousands of notes it names a whole
# field, and each page holding it would cost a step for every other one that does.
COMMON_PAGES = 100
# How many related pages a page lists.
SHOWN = 5

Feature = tuple[str, str]  # ("tag", the tag casefolded) or ("link", the target's src_uri)


@dataclass(frozen=True)
class RelatedPages:
    """The related-pages index of one language."""

    notes: dict[str, Note]  # src_uri -> note
    features: dict[str, tuple[Feature, ...]]  # src_uri -> its features, sorted
    holders: dict[Feature, tuple[str, ...]]  # feature -> the src_uris holding it
    weights: dict[Feature, float]  # of the features that relate pages; no others
    linking_here: dict[str, frozenset[str]]  # src_uri -> the pages that link to it

    @classmethod
    def of(cls, linked: LanguageLinks) -> RelatedPages:
        notes = linked.index.notes
        features = {
            src_uri: tuple(sorted(_features(note, linked))) for src_uri, note in notes.items()
        }
        holding: dict[Feature, list[str]] = {}
        for src_uri, held in features.items():
            for feature in held:
                holding.setdefault(feature, []).append(src_uri)
        ceiling = min(COMMON_SHARE * len(notes), COMMON_PAGES)
        weights = {
            feature: _index_weight(feature) * math.log(len(notes) / len(pages))
            for feature, pages in holding.items()
            if 2 <= len(pages) <= ceiling
        }
        return cls(
            notes=notes,
            features=features,
            holders={feature: tuple(holding[feature]) for feature in weights},
            weights=weights,
            linking_here={
                target: frozenset(backlink.source.src_uri for backlink in backlinks)
                for target, backlinks in linked.backlinks.items()
            },
        )

    def related(
        self, note: Note, listed: Callable[[Note], bool] = lambda note: True, count: int = SHOWN
    ) -> list[Note]:
        """Up to `count` pages that `listed` accepts, most related first (ties by title),
        never `note` itself nor a page that links to it (its backlinks list those)."""
        scores: dict[str, float] = {}
        for feature in self.features.get(note.src_uri, ()):
            weight = self.weights.get(feature)
            if weight is None:
                continue
            for other in self.holders[feature]:
                scores[other] = scores.get(other, 0.0) + weight
        left_out = self.linking_here.get(note.src_uri, frozenset()) | {note.src_uri}
        ranked = (
            # Rounded: the same shared features summed in another order tie all the same.
            (-round(score, 9), self.notes[src_uri].title.casefold(), src_uri)
            for src_uri, score in scores.items()
            if src_uri not in left_out and listed(self.notes[src_uri])
        )
        return [self.notes[src_uri] for _, _, src_uri in heapq.nsmallest(count, ranked)]


def _features(note: Note, linked: LanguageLinks) -> set[Feature]:
    found: set[Feature] = {("tag", tag.casefold()) for tag in note.tags}
    for link in linked.links.get(note.src_uri, []):
        if link.target is not note:
            found.add(("link", link.target.src_uri))
    return found


def _index_weight(feature: Feature) -> float:
    return TAG_WEIGHT if feature[0] == "tag" else LINK_WEIGHT
