"""The queries of queries.yaml, and how well a site's search answers them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

from tests.search.material_search import Answer

QUERIES_FILE = Path(__file__).with_name("queries.yaml")
INDEXES = ("ko", "en")
KINDS = ("particle", "compound", "mixed", "spacing", "typing", "phrase", "english")


@dataclass(frozen=True)
class Query:
    text: str
    index: str
    kind: str
    find: tuple[str, ...]
    avoid: tuple[str, ...]
    fixture_only: bool

    def misses(self, answer: Answer) -> tuple[str, ...]:
        found = {page_key(location) for location in answer.pages}
        return tuple(page for page in self.find if page not in found)

    def intruders(self, answer: Answer) -> tuple[str, ...]:
        found = {page_key(location) for location in answer.pages}
        return tuple(page for page in self.avoid if page in found)


def page_key(location: str) -> str:
    """The name queries.yaml gives the page at location ("blog/2023/x/" -> "x")."""
    parts = [part for part in location.split("#")[0].split("/") if part]
    if not parts or parts == ["en"]:
        return "home"
    return parts[-1]


def load(path: Path = QUERIES_FILE) -> list[Query]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    queries = []
    for number, item in enumerate(data["queries"], start=1):
        where = f"{path.name}, query {number} ({item.get('query')!r})"
        if (
            item.get("index") not in INDEXES
            or item.get("kind") not in KINDS
            or not item.get("find")
        ):
            raise ValueError(
                f"{where}: needs index ({'/'.join(INDEXES)}), kind ({'/'.join(KINDS)}) and find"
            )
        if item.get("only", "fixture") != "fixture":
            raise ValueError(f"{where}: only can be 'fixture' or left out")
        queries.append(
            Query(
                text=str(item["query"]),
                index=item["index"],
                kind=item["kind"],
                find=tuple(item["find"]),
                avoid=tuple(item.get("avoid", ())),
                fixture_only="only" in item,
            )
        )
    return queries


@dataclass(frozen=True)
class Outcome:
    query: Query
    answer: Answer

    @property
    def found(self) -> bool:
        return not self.query.misses(self.answer)


def recall(outcomes: Sequence[Outcome]) -> float:
    """The share of expected pages found, over all queries."""
    expected = sum(len(outcome.query.find) for outcome in outcomes)
    missed = sum(len(outcome.query.misses(outcome.answer)) for outcome in outcomes)
    return (expected - missed) / expected


def recall_by_kind(outcomes: Sequence[Outcome]) -> Mapping[str, float]:
    return {
        kind: recall(of_kind)
        for kind in KINDS
        if (of_kind := [outcome for outcome in outcomes if outcome.query.kind == kind])
    }


def top_share(outcomes: Sequence[Outcome], top: int = 3) -> float:
    """The share of expected pages among the first `top` results of their query."""
    expected = [(outcome, page) for outcome in outcomes for page in outcome.query.find]
    within = sum(
        page in [page_key(location) for location in outcome.answer.pages[:top]]
        for outcome, page in expected
    )
    return within / len(expected)
