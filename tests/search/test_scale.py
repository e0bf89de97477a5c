"""What a first search fetches stays the same as the site grows."""

from __future__ import annotations

import gzip
import json
import random
import re
from pathlib import Path
from typing import Any

import pytest

from tests.search.material_search import search
from tests.search.small_site import small_site

PARAGRAPH = re.compile(r"<p>.*?</p>", re.DOTALL)
QUERIES = ("컨테이너", "리눅스를")


def grown_docs(stock_site: Path, pages: int) -> list[dict[str, Any]]:
    """The fixture site's Korean documents and `pages` more, each an article and two
    sections of the fixture's own paragraphs, shuffled."""
    index = json.loads((stock_site / "search/search_index.json").read_text(encoding="utf-8"))
    paragraphs = [p for doc in index["docs"] for p in PARAGRAPH.findall(doc["text"])]
    pick = random.Random(1)
    docs = list(index["docs"])
    for page in range(pages):
        location = f"kb/note-{page}/"
        for section, anchor in enumerate(("", "#one", "#two")):
            docs.append(
                {
                    "location": location + anchor,
                    "title": f"노트 {page}" if not section else f"절 {section}",
                    "text": "".join(pick.sample(paragraphs, 3)),
                }
            )
    return docs


@pytest.mark.parametrize("query", QUERIES)
def test_a_first_query_fetches_no_more_from_a_site_ten_times_bigger(
    stock_fixture_site: Path, tmp_path: Path, query: str
) -> None:
    fetched = {}
    for pages in (300, 3000):
        setup = small_site(tmp_path / str(pages), grown_docs(stock_fixture_site, pages))
        [answer] = search(setup, [query])
        assert answer.pages, f"{query!r} found nothing among {pages} pages"
        # The index Material's page script fetches and hands the worker, and what
        # the worker fetches.
        handed = len(gzip.compress(setup.index.read_bytes()))
        fetched[pages] = handed + sum(each.gzip for each in answer.fetched)
    assert fetched[3000] <= fetched[300] * 1.1, fetched
