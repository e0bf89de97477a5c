"""Material's search index, split so that a query loads only what it needs.

Material's search loads search_index.json whole, and it grows with every page.
The same index is written here as files a query picks from, as Pagefind does:

- manifest.json: the shard keys (term prefixes: a first syllable, a first
  letter, longer where a shard would be too big);
- t/<n>.json: one shard per key: each term starting with the key, with the
  documents it scores highest in, and the same for the key as a whole, for a
  query that is no longer than the key; and the pairs of words the site
  writes apart that start with the key (apart.py);
- p/<n>.json: one fragment per page: its article and sections as results
  show them.

Scores are lunr's as Material sets it up (BM25 with b = 0 and k1 = 1.2, the
fields' boosts, weights rounded to thousandths), so results rank as they did
under Material's worker. Each list keeps only its TOP_DOCS best documents:
what a query loads then stays the same however many pages the site has.
"""

from __future__ import annotations

import json
import math
import os
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from .apart import written_apart

FOLDER = "ko-search"
MANIFEST = "manifest.json"
TOP_DOCS = 200
# A shard's terms and lists as JSON, past which its biggest groups of terms
# (by their next letter) move to shards of their own; about a third gzipped.
SHARD_BYTES = 40_000
# lunr's BM25 as Material runs it: no length normalisation (b = 0).
K1 = 1.2
# Material multiplies a document's score by 1 + boost², boost being 1 for an
# article (0 for a section) plus the share of query terms it holds: for a
# one-word query, 5 for an article and 2 for a section.
ARTICLE_FACTOR = 5
SECTION_FACTOR = 2
TAG = re.compile(r"<[^>]*>")
# lunr's English stop words: Material leaves them out of the index when its
# pipeline has stopWordFilter, and never reports one as a missing term.
STOP_WORDS = frozenset(
    [
        "a",
        "able",
        "about",
        "across",
        "after",
        "all",
        "almost",
        "also",
        "am",
        "among",
        "an",
        "and",
        "any",
        "are",
        "as",
        "at",
        "be",
        "because",
        "been",
        "but",
        "by",
        "can",
        "cannot",
        "could",
        "dear",
        "did",
        "do",
        "does",
        "either",
        "else",
        "ever",
        "every",
        "for",
        "from",
        "get",
        "got",
        "had",
        "has",
        "have",
        "he",
        "her",
        "hers",
        "him",
        "his",
        "how",
        "however",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "just",
        "least",
        "let",
        "like",
        "likely",
        "may",
        "me",
        "might",
        "most",
        "must",
        "my",
        "neither",
        "no",
        "nor",
        "not",
        "of",
        "off",
        "often",
        "on",
        "only",
        "or",
        "other",
        "our",
        "own",
        "rather",
        "said",
        "say",
        "says",
        "she",
        "should",
        "since",
        "so",
        "some",
        "than",
        "that",
        "the",
        "their",
        "them",
        "then",
        "there",
        "these",
        "they",
        "this",
        "tis",
        "to",
        "too",
        "twas",
        "us",
        "wants",
        "was",
        "we",
        "were",
        "what",
        "when",
        "where",
        "which",
        "while",
        "who",
        "whom",
        "why",
        "will",
        "with",
        "would",
        "yet",
        "you",
        "your",
    ]
)


class IndexFormatError(ValueError):
    """The index asks for lunr features this index does not reproduce."""


DocRef = tuple[int, int]  # (page, section); section 0 is the page's article


@dataclass
class _Key:
    prefix: str
    terms: dict[str, dict[DocRef, int]] = field(default_factory=dict)  # its own, not children's
    children: list[_Key] = field(default_factory=list)


def write_shards(index: dict[str, Any], separator: re.Pattern[str], folder: str) -> None:
    """Writes the index (Material's format) as manifest, shards and fragments into folder."""
    config = index["config"]
    pipeline = {step.strip() for step in config.get("pipeline", [])} - {""}
    if pipeline - {"stopWordFilter"} or config.get("lang", ["en"]) != ["en"]:
        raise IndexFormatError(
            f"the search plugin's lang {config.get('lang')} and pipeline {sorted(pipeline)} "
            "are not ones ko-search reproduces; use lang [en] and a pipeline of at most "
            "stopWordFilter in the search plugin's options"
        )
    refs, pages = _pages(index["docs"])
    postings = _postings(
        index["docs"],
        refs,
        {name: float(spec.get("boost", 1)) for name, spec in config["fields"].items()},
        separator,
        "stopWordFilter" in pipeline,
    )
    shown = [
        text
        for doc in index["docs"]
        for text in [doc.get("title", ""), doc.get("text", ""), *doc.get("tags", [])]
    ]
    # A pair goes with the terms, with no documents, so that it lands in the shard
    # of the deepest key it starts with, as the worker looks it up.
    pairs: dict[str, dict[DocRef, int]] = {pair: {} for pair in written_apart(shown, separator)}
    roots = _keys({**pairs, **postings})
    os.makedirs(os.path.join(folder, "t"), exist_ok=True)
    os.makedirs(os.path.join(folder, "p"), exist_ok=True)
    numbers: dict[str, int] = {}
    for number, key in enumerate(_walk(roots)):
        numbers[key.prefix] = number
        _dump(os.path.join(folder, "t", f"{number}.json"), _shard(key))
    for number, docs in enumerate(pages):
        _dump(os.path.join(folder, "p", f"{number}.json"), docs)
    _dump(
        os.path.join(folder, MANIFEST),
        {"keys": numbers, "stop": sorted(STOP_WORDS)},
    )


def documents(search_dir: str) -> list[dict[str, Any]]:
    """The documents of the index written in search_dir (a language's search/ folder),
    in Material's form, as results show them."""
    pages = os.path.join(search_dir, FOLDER, "p")
    found = []
    for number in range(len(os.listdir(pages))):
        with open(os.path.join(pages, f"{number}.json"), encoding="utf-8") as f:
            for shown in json.load(f):
                doc = dict(zip(("location", "title", "text"), shown, strict=False))
                if len(shown) > 3:
                    doc["tags"] = shown[3]
                found.append(doc)
    return found


def tokens(value: str, separator: re.Pattern[str]) -> Iterator[str]:
    """The tokens Material's tokenizer indexes: text outside tags, split, lowercased."""
    for run in TAG.split(value):
        for token in separator.split(run):
            if token:
                yield token.lower()


def _pages(docs: list[dict[str, Any]]) -> tuple[list[DocRef], list[list[list[Any]]]]:
    """Each document's (page, section), and each page's documents as results show them.

    As in Material, the first document of a path is the page's article and
    later ones its sections.
    """
    numbers: dict[str, int] = {}
    pages: list[list[list[Any]]] = []
    refs = []
    for doc in docs:
        path = doc["location"].split("#")[0]
        page = numbers.setdefault(path, len(numbers))
        if page == len(pages):
            pages.append([])
        shown = [doc["location"], doc.get("title", ""), doc.get("text", "")]
        if doc.get("tags"):
            shown.append(doc["tags"])
        refs.append((page, len(pages[page])))
        pages[page].append(shown)
    return refs, pages


def _postings(
    docs: list[dict[str, Any]],
    refs: list[DocRef],
    boosts: dict[str, float],
    separator: re.Pattern[str],
    stop_words: bool,
) -> dict[str, dict[DocRef, int]]:
    """For each term, each document's score in thousandths, summed over its fields."""
    counts: list[dict[str, Counter[str]]] = []
    frequency: Counter[str] = Counter()  # lunr counts a document once per field
    for doc in docs:
        fields = {}
        for name in boosts:
            value = doc.get(name)
            values = value if isinstance(value, list) else [value] if value else []
            found = Counter(t for v in values for t in tokens(str(v), separator))
            if stop_words:
                found = Counter({t: n for t, n in found.items() if t not in STOP_WORDS})
            fields[name] = found
            frequency.update(found.keys())
        counts.append(fields)
    total = len(docs)
    idf = {term: math.log(1 + abs((total - n + 0.5) / (n + 0.5))) for term, n in frequency.items()}
    postings: dict[str, dict[DocRef, int]] = defaultdict(dict)
    for doc, ref, fields in zip(docs, refs, counts, strict=True):
        doc_boost = float(doc.get("boost", 1) or 1)
        for name, found in fields.items():
            for term, tf in found.items():
                score = idf[term] * (K1 + 1) * tf / (K1 + tf) * boosts[name] * doc_boost
                # lunr rounds each field's weight half up to thousandths.
                thousandths = math.floor(score * 1000 + 0.5)
                postings[term][ref] = postings[term].get(ref, 0) + thousandths
    return postings


def _keys(postings: dict[str, dict[DocRef, int]]) -> list[_Key]:
    by_first: dict[str, dict[str, dict[DocRef, int]]] = defaultdict(dict)
    for term, docs in postings.items():
        by_first[term[0]][term] = docs
    return [_split(prefix, terms) for prefix, terms in sorted(by_first.items())]


def _split(prefix: str, terms: dict[str, dict[DocRef, int]]) -> _Key:
    """A key for terms that share prefix, its biggest groups moved to keys of their own
    (by one more letter) until what is left fits SHARD_BYTES."""
    groups: dict[str, dict[str, dict[DocRef, int]]] = defaultdict(dict)
    own: dict[str, dict[DocRef, int]] = {}
    for term, docs in terms.items():
        if len(term) > len(prefix):
            groups[term[: len(prefix) + 1]][term] = docs
        else:
            own[term] = docs
    sizes = {group: _size(members) for group, members in groups.items()}
    left = _size(own) + sum(sizes.values())
    key = _Key(prefix)
    for group in sorted(sizes, key=lambda g: (-sizes[g], g)):
        if left <= SHARD_BYTES:
            own.update(groups[group])
        else:
            key.children.append(_split(group, groups[group]))
            left -= sizes[group]
    key.terms = own
    return key


def _size(terms: dict[str, dict[DocRef, int]]) -> int:
    # Its name, quotes and colon; about 10 characters a document kept.
    return sum(len(t.encode()) + 6 + 10 * min(len(docs), TOP_DOCS) for t, docs in terms.items())


def _walk(keys: Iterable[_Key]) -> Iterator[_Key]:
    for key in keys:
        yield key
        yield from _walk(key.children)


def _subtree_terms(key: _Key) -> Iterator[tuple[str, dict[DocRef, int]]]:
    yield from key.terms.items()
    for child in key.children:
        yield from _subtree_terms(child)


def _shard(key: _Key) -> dict[str, Any]:
    """n: how many terms start with the key; p: its best documents as a query prefix;
    t: its own terms' best documents."""
    whole: dict[DocRef, int] = defaultdict(int)
    # lunr meets a query's documents term by term: documents of equal score stay
    # in the order of the first term that found them.
    first: dict[DocRef, tuple[int, ...]] = {}
    count = 0
    for term, docs in _subtree_terms(key):
        if _is_pair(term):
            continue
        count += 1
        order = lunr_order(term)
        for ref, score in docs.items():
            whole[ref] += score
            first[ref] = min(first.get(ref, order), order)
    return {
        "n": count,
        "p": _best(whole, lambda ref: (first[ref], ref)),
        "t": {
            term: _best(docs, lambda ref: ref)
            for term, docs in sorted(key.terms.items())
            if not _is_pair(term)
        },
        "j": sorted(term for term in key.terms if _is_pair(term)),
    }


def _is_pair(term: str) -> bool:
    # Terms never hold a space: the separator splits at every one.
    return " " in term


def lunr_order(term: str) -> tuple[int, ...]:
    """Sorts terms in the order lunr expands a prefix: a term before the longer ones it
    begins, and otherwise the higher letter first."""
    return tuple(-ord(letter) for letter in term)


def _best(docs: dict[DocRef, int], met: Callable[[DocRef], Any]) -> list[int]:
    """The TOP_DOCS documents Material would rank highest for this list alone, in the
    order lunr meets them (met), flat: page (as a step from the one before), section,
    score."""

    def impact(ref: DocRef) -> tuple[int, DocRef]:
        factor = ARTICLE_FACTOR if ref[1] == 0 else SECTION_FACTOR
        return (-docs[ref] * factor, ref)

    kept = sorted(sorted(docs, key=impact)[:TOP_DOCS], key=met)
    flat = []
    page_before = 0
    for page, section in kept:
        flat += [page - page_before, section, docs[(page, section)]]
        page_before = page
    return flat


def _dump(path: str, data: Any) -> None:
    with open(path, "w", encoding="utf-8") as f:
        # Hangul as UTF-8 (3 bytes a syllable), not as \uXXXX escapes (6).
        json.dump(data, f, ensure_ascii=False, separators=(",", ":"))
