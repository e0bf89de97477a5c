"""The search half of the benchmark: the built copy served as GitHub Pages serves it, a
phone's first search under each engine, and recall on the planted Korean queries."""

from __future__ import annotations

import statistics
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from scripts.lighthouse_bench import serve

from .first_search import MATERIAL, PAGEFIND, FirstSearch, add_pagefind_page, chromium, first_search
from .generate import Grown
from .pagefind import ensure_pagefind, index_site
from .recall import Answer, material_recall, pagefind_recall

# Words every few notes hold, so the first search brings back many pages, as it will.
FIRST_QUERIES = {"ko": "컨테이너", "en": "container"}


@dataclass
class SearchFigures:
    first: list[FirstSearch] = field(default_factory=list)  # medians, per engine and language
    recall: dict[str, list[Answer]] = field(default_factory=dict)  # per engine
    pagefind_seconds: float | None = None  # to index the built site


def measure_search(
    site: Path,
    grown: Grown,
    runs: int,
    pagefind_venv: Path | None,
    say: Callable[[str], None],
) -> SearchFigures:
    """Material's search always; Pagefind too unless pagefind_venv is None."""
    figures = SearchFigures()
    engines = [MATERIAL]
    if pagefind_venv is not None:
        python = ensure_pagefind(pagefind_venv)
        say("indexing the built copy with Pagefind ...")
        figures.pagefind_seconds = index_site(python, site)
        for note in grown.reader_page.values():
            add_pagefind_page(site, note)
        engines.append(PAGEFIND)
    say("recall of Material's search (its worker in Node) ...")
    figures.recall[MATERIAL.name] = material_recall(site, grown.targets)
    with serve(site, compress=True) as site_url, chromium() as browser:
        if pagefind_venv is not None:
            say("recall of Pagefind (its JS API in Chromium) ...")
            figures.recall[PAGEFIND.name] = pagefind_recall(
                browser, site_url, grown.reader_page["ko"], grown.targets
            )
        runs_of: dict[tuple[str, str], list[FirstSearch]] = {}
        # Engines and languages take turns within each run: the machine's load weighs
        # on all alike.
        for run in range(1, runs + 1):
            say(f"first searches on a phone, run {run} of {runs} ...")
            for engine in engines:
                for language, query in FIRST_QUERIES.items():
                    note = grown.reader_page[language]
                    measured = first_search(browser, site_url, engine, note, language, query)
                    runs_of.setdefault((engine.name, language), []).append(measured)
    figures.first = [_median(measured) for measured in runs_of.values()]
    return figures


def _median(runs: list[FirstSearch]) -> FirstSearch:
    first = runs[0]
    return FirstSearch(
        first.engine,
        first.language,
        first.query,
        int(statistics.median(run.search_bytes for run in runs)),
        int(statistics.median(run.visit_bytes for run in runs)),
        statistics.median(run.typed_ms for run in runs),
        statistics.median(run.opened_ms for run in runs),
    )
