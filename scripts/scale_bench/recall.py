"""Recall on the planted Korean queries: whether each query's one note is among the first
results, under Material's search as the site builds it (its worker run in Node, as the
search tests do) and under Pagefind (its JS API in Chromium, on a Korean page)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from playwright.sync_api import Browser

from tests.search.material_search import search, setup_of

from .queries import PlantedQuery

TOP = 10  # a phone's first screenful of results and then some

PAGEFIND_SEARCH = """async ([queries, top]) => {
    const pagefind = await import("/pagefind/pagefind.js");
    await pagefind.init();
    const answers = [];
    for (const query of queries) {
        const found = await pagefind.search(query);
        const first = await Promise.all(found.results.slice(0, top).map(r => r.data()));
        answers.push({count: found.results.length, pages: first.map(d => d.url)});
    }
    return answers;
}"""


@dataclass(frozen=True)
class Answer:
    query: PlantedQuery
    found: bool  # the query's note is among the first TOP results
    results: int  # pages in the whole result list


def material_recall(site: Path, targets: dict[PlantedQuery, str]) -> list[Answer]:
    queries = list(targets)
    answers = search(setup_of(site, ""), [query.query for query in queries])
    found = []
    for query, answer in zip(queries, answers, strict=True):
        pages = list(dict.fromkeys(location.split("#")[0] for location in answer.pages))
        found.append(Answer(query, targets[query] in pages[:TOP], len(pages)))
    return found


def pagefind_recall(
    browser: Browser, site_url: str, korean_page: str, targets: dict[PlantedQuery, str]
) -> list[Answer]:
    queries = list(targets)
    page = browser.new_page()
    try:
        page.goto(f"{site_url}/{korean_page}")
        answers = page.evaluate(PAGEFIND_SEARCH, [[query.query for query in queries], TOP])
    finally:
        page.close()
    return [
        Answer(query, f"/{targets[query]}" in answer["pages"], answer["count"])
        for query, answer in zip(queries, answers, strict=True)
    ]


def share_found(answers: Sequence[Answer], kind: str | None = None) -> str:
    chosen = [answer for answer in answers if kind is None or answer.query.kind == kind]
    return f"{sum(answer.found for answer in chosen)}/{len(chosen)}"
