"""queries.yaml is a real test of Korean search, not a list that passes anyway."""

from __future__ import annotations

from collections import Counter

from tests.search.fixture_site import FIXTURE
from tests.search.query_set import INDEXES, KINDS, Query


def test_query_set_has_forty_queries_of_every_kind(queries: list[Query]) -> None:
    assert len(queries) >= 40
    assert set(Counter(query.kind for query in queries)) == set(KINDS)
    assert {query.index for query in queries} == set(INDEXES)


def test_every_expected_page_is_a_page_of_the_fixture_site(queries: list[Query]) -> None:
    pages = {path.stem for path in (FIXTURE / "ko").glob("*.md")} | {"home"}
    named = {page for query in queries for page in query.find + query.avoid}
    assert named <= pages, f"queries.yaml names pages the fixture lacks: {sorted(named - pages)}"
