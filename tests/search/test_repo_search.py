"""Search on the repository's own site: the posts as they are."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from ko_search.shards import documents

from tests.search.query_set import Outcome, recall, top_share
from tests.search.test_fixture_search import describe

CONFIG_SCRIPT = re.compile(
    r'<script id="__config" type="application/json">(.*?)</script>', re.DOTALL
)


def test_every_query_finds_its_pages_on_the_site(repo_outcomes: list[Outcome]) -> None:
    missed = [outcome for outcome in repo_outcomes if not outcome.found]
    assert recall(repo_outcomes) == 1.0, describe(missed)


def test_expected_pages_rank_among_the_first_three_on_the_site(
    repo_outcomes: list[Outcome],
) -> None:
    # 55 of 58 under Material's own worker with ko-search's inner words and query rewriting.
    assert top_share(repo_outcomes) >= 55 / 58


def test_no_query_finds_the_pages_it_must_avoid_on_the_site(repo_outcomes: list[Outcome]) -> None:
    intruded = [outcome for outcome in repo_outcomes if outcome.query.intruders(outcome.answer)]
    assert not intruded, describe(intruded)


def test_every_page_loads_the_ko_search_worker(repo_site: Path) -> None:
    for page in repo_site.rglob("*.html"):
        match = CONFIG_SCRIPT.search(page.read_text(encoding="utf-8"))
        if match is None:
            continue
        url = json.loads(match.group(1))["search"]
        name = url.rsplit("/", 1)[-1]
        assert name.startswith("ko-search."), f"{page.relative_to(repo_site)} loads {url}"
        assert (repo_site / "assets/javascripts/workers" / name).is_file()


@pytest.mark.parametrize("root", ["", "en/"])
def test_pages_fetch_a_stub_index_that_names_the_languages_shards(
    repo_site: Path, root: str
) -> None:
    stub = json.loads((repo_site / root / "search/search_index.json").read_text(encoding="utf-8"))
    assert stub["docs"] == []
    assert stub["config"]["ko_search"] == f"{root}search/ko-search/"
    assert (repo_site / stub["config"]["ko_search"] / "manifest.json").is_file()
    pages = {doc["location"].split("#")[0] for doc in documents(str(repo_site / root / "search"))}
    assert "about/" in pages
