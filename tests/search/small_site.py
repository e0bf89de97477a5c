"""A site of a few search documents as ko-search writes it, without building one."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ko_search.search_index import split_index_file
from ko_search.worker import WORKERS_DIR, worker

from tests.search.material_search import SearchSetup

# Material's settings for a Korean site, as its search plugin writes them.
CONFIG = {
    "lang": ["en"],
    "separator": r"[\s\-]+",
    "pipeline": [" "],
    "fields": {"title": {"boost": 1000.0}, "text": {"boost": 1.0}},
}


def small_site(root: Path, docs: list[dict[str, Any]]) -> SearchSetup:
    """docs (Material's search documents) as a site: stub index, shards, our worker."""
    index = root / "search" / "search_index.json"
    index.parent.mkdir(parents=True)
    index.write_text(json.dumps({"config": CONFIG, "docs": docs}), encoding="utf-8")
    split_index_file(str(index), "search/ko-search/")
    (root / WORKERS_DIR).mkdir(parents=True)
    (root / WORKERS_DIR / "ko-search.js").write_text(worker().source, encoding="utf-8")
    return SearchSetup(root / WORKERS_DIR / "ko-search.js", index)
