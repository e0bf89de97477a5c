"""What related pages and link maps cost a language of many notes.

    python scripts/bench_related.py [NOTES ...]

For each size (default 1250 2500 5000), makes that many synthetic notes of one language,
with tags drawn from a long-tailed set (a few on many notes, most on few) and wikilinks to
other notes that favour a popular few, as a real knowledge base has. Links them as a build
does, then times the related-pages index, the related pages of every note, and every
note's link map, and prints each in CPU seconds. Near-linear growth shows as a per-note time
that stays flat as the size doubles.
"""

from __future__ import annotations

import random
import sys
import time
from collections.abc import Callable
from typing import TypeVar

from kb_links.graph import PageSource, link_languages
from kb_links.local_map import local_map, neighbours
from kb_links.related import RelatedPages
from markdown.extensions.toc import slugify_unicode

T = TypeVar("T")
TAGS = 400
WORDS = ["프로세스", "메모리", "네임스페이스", "cgroup", "디스크", "네트워크", "컨테이너", "커널"]


def synthetic_notes(count: int, seed: int = 1) -> list[PageSource]:
    chosen = random.Random(seed)
    # Zipf-like: the k-th tag and the k-th note are drawn with weight 1/k.
    tag_weights = [1 / (rank + 1) for rank in range(TAGS)]
    note_weights = [1 / (rank + 1) for rank in range(count)]
    pages = []
    for number in range(count):
        title = " ".join(chosen.sample(WORDS, 3)) + f" {number}"
        tags = {
            f"태그{t}" for t in chosen.choices(range(TAGS), tag_weights, k=chosen.randint(0, 4))
        }
        targets = set(chosen.choices(range(count), note_weights, k=chosen.randint(2, 8)))
        links = " ".join(f"[[kb/n{target}]]" for target in targets if target != number)
        body = f"# {title}\n\n본문과 링크: {links}\n"
        pages.append(PageSource(f"ko/kb/n{number}.md", body, {"tags": sorted(tags)}, 1))
    return pages


def timed(work: Callable[[], T]) -> tuple[T, float]:
    """The result of `work` and the CPU seconds it took: other programs on the machine
    slow the wall clock, not this."""
    start = time.process_time()
    result = work()
    return result, time.process_time() - start


def measure(count: int) -> None:
    pages = synthetic_notes(count)
    (linked, problems), linking = timed(lambda: link_languages({"ko": pages}, slugify_unicode))
    assert not problems, problems[:3]
    language = linked["ko"]
    notes = list(language.index.notes.values())
    index, indexing = timed(lambda: RelatedPages.of(language))
    found, ranking = timed(lambda: [index.related(note) for note in notes])
    _, mapping = timed(lambda: [local_map(note, neighbours(note, language)) for note in notes])
    listed = sum(len(related) for related in found) / count
    print(
        f"{count:6} notes: linking {linking:6.2f} s | related: index {indexing:5.2f} s, "
        f"all pages {ranking:5.2f} s ({ranking / count * 1e3:.3f} ms a page, "
        f"{listed:.1f} listed) | maps {mapping:5.2f} s ({mapping / count * 1e3:.3f} ms a page)"
    )


def main(sizes: list[int]) -> None:
    for count in sizes:
        measure(count)


if __name__ == "__main__":
    main([int(size) for size in sys.argv[1:]] or [1250, 2500, 5000])
