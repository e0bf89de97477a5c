"""Built sites and their answers to queries.yaml, shared by the search tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.search import query_set
from tests.search.fixture_site import LANGUAGES, build_fixture_site, build_repo_site
from tests.search.material_search import search, setup_of
from tests.search.query_set import Outcome, Query


def answer_all(site_root: Path, queries: list[Query]) -> list[Outcome]:
    outcomes = []
    for language, root in LANGUAGES.items():
        of_language = [query for query in queries if query.index == language]
        answers = search(
            setup_of(site_root, root + "/" if root else ""), [q.text for q in of_language]
        )
        outcomes += [
            Outcome(query, answer) for query, answer in zip(of_language, answers, strict=True)
        ]
    return outcomes


@pytest.fixture(scope="session")
def queries() -> list[Query]:
    return query_set.load()


@pytest.fixture(scope="session")
def fixture_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_fixture_site(tmp_path_factory.mktemp("search") / "site")


@pytest.fixture(scope="session")
def stock_fixture_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_fixture_site(tmp_path_factory.mktemp("search") / "stock", ko_search=False)


@pytest.fixture(scope="session")
def repo_site(site_project: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_repo_site(site_project, tmp_path_factory.mktemp("search") / "repo")


@pytest.fixture(scope="session")
def fixture_outcomes(fixture_site: Path, queries: list[Query]) -> list[Outcome]:
    return answer_all(fixture_site, queries)


@pytest.fixture(scope="session")
def stock_outcomes(stock_fixture_site: Path, queries: list[Query]) -> list[Outcome]:
    return answer_all(stock_fixture_site, queries)


@pytest.fixture(scope="session")
def repo_outcomes(repo_site: Path, queries: list[Query]) -> list[Outcome]:
    return answer_all(repo_site, [query for query in queries if not query.fixture_only])
