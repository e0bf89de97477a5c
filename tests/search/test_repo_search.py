"""Search on the repository's own site: the posts as they are."""

from __future__ import annotations

import json
import re
from pathlib import Path

from site_kit.hangul import HANGUL

from tests.search.query_set import Outcome, recall
from tests.search.test_fixture_search import describe

CONFIG_SCRIPT = re.compile(
    r'<script id="__config" type="application/json">(.*?)</script>', re.DOTALL
)


def test_every_query_finds_its_pages_on_the_site(repo_outcomes: list[Outcome]) -> None:
    missed = [outcome for outcome in repo_outcomes if not outcome.found]
    assert recall(repo_outcomes) == 1.0, describe(missed)


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


def test_english_text_gets_no_inner_words(repo_site: Path) -> None:
    korean = json.loads((repo_site / "search/search_index.json").read_text(encoding="utf-8"))
    english = json.loads((repo_site / "en/search/search_index.json").read_text(encoding="utf-8"))
    assert "inner" in korean["config"]["fields"]
    without_hangul = [
        doc
        for doc in english["docs"]
        if not HANGUL.search(doc["title"] + doc["text"] + " ".join(doc.get("tags", [])))
    ]
    assert without_hangul, "every English document has Hangul: the English index was not checked"
    assert [doc["location"] for doc in without_hangul if "inner" in doc] == []
