"""Searches a built site the way its pages do: its search worker, run in Node.

The worker is the one a page's __config names (Material's own, or ko-search's),
fed the index that page's language loads; it fetches what else it needs from
the built site's files.
"""

from __future__ import annotations

import json
import posixpath
import re
import shutil
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HARNESS = Path(__file__).with_name("material_search.cjs")
CONFIG_SCRIPT = re.compile(
    r'<script id="__config" type="application/json">(.*?)</script>', re.DOTALL
)


@dataclass(frozen=True)
class Fetched:
    path: Path
    gzip: int  # bytes, gzipped as a static host sends them


@dataclass(frozen=True)
class Answer:
    query: str
    pages: tuple[str, ...]  # locations without #anchor, best first
    terms: tuple[str, ...] = ()  # the query's terms as the best result reports them
    fetched: tuple[Fetched, ...] = ()  # by the worker, for this query (the first: and setup)
    # The result as Material's search box gets it: per page, its article and sections.
    items: list[list[dict[str, Any]]] = field(default_factory=list, compare=False)
    screens: tuple[int, ...] = ()  # pages in each answer the worker sent, as the list grew


@dataclass(frozen=True)
class SearchSetup:
    """What a page of one language searches with."""

    worker: Path
    index: Path


def setup_of(site_root: Path, language_root: str = "") -> SearchSetup:
    """The worker and index the front page of a language (its root: "", "en/") uses."""
    page = site_root / language_root / "index.html"
    match = CONFIG_SCRIPT.search(page.read_text(encoding="utf-8"))
    assert match, f"{page} has no __config script"
    settings = json.loads(match.group(1))
    worker = posixpath.normpath(posixpath.join(language_root, settings["search"]))
    index = posixpath.normpath(
        posixpath.join(language_root, settings["base"], "search/search_index.json")
    )
    return SearchSetup(site_root / worker, site_root / index)


def search(setup: SearchSetup, queries: Sequence[str | list[str]]) -> list[Answer]:
    """The worker's answer to each query; a list of strings is typed in a row, each sent
    before the worker has answered the one before (its answer: the last one's)."""
    node = shutil.which("node")
    assert node, "the search tests need Node.js 18+ (node) on PATH"
    result = subprocess.run(
        [node, str(HARNESS), str(setup.worker), str(setup.index)],
        input=json.dumps(list(queries), ensure_ascii=False),
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, f"the search worker failed:\n{result.stderr[-4000:]}"
    return [
        Answer(
            item["query"],
            tuple(item["pages"]),
            tuple(item["terms"]),
            tuple(Fetched(Path(each["path"]), each["gzip"]) for each in item["fetched"]),
            item["items"],
            tuple(item["screens"]),
        )
        for item in json.loads(result.stdout)
    ]
