#!/usr/bin/env python3
"""Measures Korean search: recall on tests/search/queries.yaml and index size.

Builds the test fixture site and the repository's site once each (with
ko-search), then searches them in Node under each way of indexing Korean:

- stock:      Material's index and worker as they ship
- query:      ko-search's worker (particles stripped, spacing), no inner words
- tails:      ko-search as built: the worker and the tails of Korean tokens
- kiwi:       the worker and the nouns, roots and Latin parts that the Kiwi
              morphological analyser finds (only with --kiwi-python)

Sizes are of the Korean index as UTF-8 JSON, raw and gzipped (-9).
Kiwi is not a dependency of the project: give --kiwi-python a Python that has
kiwipiepy installed, e.g. `python3 -m venv /tmp/kiwi && /tmp/kiwi/bin/pip
install kiwipiepy==0.24.1`.
"""

from __future__ import annotations

import gzip
import html
import json
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click

# The test helpers are imported by their names from the project root.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from ko_search.search_index import FIELD, InnerWords, add_inner_words, write_split_index
from ko_search.shards import documents
from ko_search.worker import WORKERS_DIR, worker

from tests.search import query_set
from tests.search.fixture_site import LANGUAGES, build_fixture_site, build_repo_site
from tests.search.material_search import SearchSetup, search, setup_of
from tests.search.query_set import Outcome, Query
from tests.site_copy import copy_site

TOP = 3
TAG = re.compile(r"<[^>]*>")
KIWI_TAGS = ("NNG", "NNP", "NR", "SL", "SH", "XR")
# Runs in the Python given by --kiwi-python: texts on stdin, their nouns,
# roots and Latin parts on stdout, lowercased, once each.
KIWI_SCRIPT = f"""
import json, re, sys
from kiwipiepy import Kiwi
kiwi = Kiwi()
texts = json.load(sys.stdin)
out = []
for tokens in kiwi.tokenize(texts):
    words = dict.fromkeys(t.form.lower() for t in tokens if t.tag in {KIWI_TAGS!r})
    out.append([w for w in words if re.search("[가-힣]", w) or len(w) > 1])
json.dump(out, sys.stdout, ensure_ascii=False)
"""


@dataclass(frozen=True)
class Variant:
    name: str
    material_worker: bool
    index: dict[str, Any]
    seconds: float  # to compute the inner words of the Korean index


@dataclass(frozen=True)
class Row:
    site: str
    variant: Variant
    outcomes: list[Outcome]

    def korean(self) -> list[Outcome]:
        return [outcome for outcome in self.outcomes if outcome.query.index == "ko"]


def without_inner_words(index: dict[str, Any]) -> dict[str, Any]:
    fields = {name: spec for name, spec in index["config"]["fields"].items() if name != FIELD}
    docs = [{key: value for key, value in doc.items() if key != FIELD} for doc in index["docs"]]
    return {**index, "config": {**index["config"], "fields": fields}, "docs": docs}


def kiwi_finder(kiwi_python: str, index: dict[str, Any]) -> InnerWords:
    """Inner words from Kiwi, for the documents of index, analysed in one run."""
    texts = [" ".join(doc_texts(doc)) for doc in index["docs"]]
    plain = [plain_text(text) for text in texts]
    result = subprocess.run(
        [kiwi_python, "-c", KIWI_SCRIPT],
        input=json.dumps(plain, ensure_ascii=False),
        capture_output=True,
        text=True,
        check=True,
    )
    by_text = dict(zip(texts, json.loads(result.stdout), strict=True))

    def find(texts: Iterable[str], separator: Any) -> list[str]:
        return list(by_text[" ".join(texts)])

    return find


def doc_texts(doc: dict[str, Any]) -> list[str]:
    return [doc.get("title", ""), doc.get("text", ""), *doc.get("tags", [])]


def plain_text(markup: str) -> str:
    return html.unescape(TAG.sub(" ", markup))


def timed(build: Callable[[], dict[str, Any]]) -> tuple[dict[str, Any], float]:
    start = time.perf_counter()
    index = build()
    return index, time.perf_counter() - start


def variants(korean_index: dict[str, Any], kiwi_python: str | None) -> list[Variant]:
    base = without_inner_words(korean_index)
    tails, tails_seconds = timed(lambda: add_inner_words(base))
    found = [
        Variant("stock", True, base, 0.0),
        Variant("query", False, base, 0.0),
        Variant("tails", False, tails, tails_seconds),
    ]
    if kiwi_python:
        kiwi, kiwi_seconds = timed(lambda: add_inner_words(base, kiwi_finder(kiwi_python, base)))
        found.append(Variant("kiwi", False, kiwi, kiwi_seconds))
    return found


def measure(site: str, root: Path, queries: Sequence[Query], kiwi_python: str | None) -> list[Row]:
    setups = {
        language: setup_of(root, f"{path}/" if path else "") for language, path in LANGUAGES.items()
    }
    korean_index = whole_index(setups["ko"])
    material_worker = next((root / WORKERS_DIR).glob("search.*.min.js"))
    rows = []
    with tempfile.TemporaryDirectory() as scratch:
        for variant in variants(korean_index, kiwi_python):
            if variant.material_worker:
                index_file = Path(scratch) / f"{variant.name}.json"
                index_file.write_text(serialized(variant.index), encoding="utf-8")
                korean = SearchSetup(material_worker, index_file)
            else:
                korean = ko_search_site(Path(scratch) / variant.name, variant.index)
            outcomes = []
            for language, setup in setups.items():
                of_language = [query for query in queries if query.index == language]
                answers = search(
                    korean if language == "ko" else setup, [query.text for query in of_language]
                )
                outcomes += [Outcome(q, a) for q, a in zip(of_language, answers, strict=True)]
            rows.append(Row(site, variant, outcomes))
    return rows


def whole_index(setup: SearchSetup) -> dict[str, Any]:
    """The index Material would load whole, from ko-search's stub and fragments."""
    stub = json.loads(setup.index.read_text(encoding="utf-8"))
    config = {name: value for name, value in stub["config"].items() if name != "ko_search"}
    return {"config": config, "docs": documents(str(setup.index.parent))}


def ko_search_site(root: Path, index: dict[str, Any]) -> SearchSetup:
    """index in shards under root, and ko-search's worker, as a built site has them."""
    stub = root / "search" / "search_index.json"
    stub.parent.mkdir(parents=True)
    write_split_index(index, str(stub), "search/ko-search/")
    (root / WORKERS_DIR).mkdir(parents=True)
    (root / WORKERS_DIR / "ko-search.js").write_text(worker().source, encoding="utf-8")
    return SearchSetup(root / WORKERS_DIR / "ko-search.js", stub)


def serialized(index: dict[str, Any]) -> str:
    return json.dumps(index, ensure_ascii=False, separators=(",", ":"))


def top_share(outcomes: Sequence[Outcome]) -> float:
    expected = [(outcome, page) for outcome in outcomes for page in outcome.query.find]
    within = sum(
        page in [query_set.page_key(location) for location in outcome.answer.pages[:TOP]]
        for outcome, page in expected
    )
    return within / len(expected)


def table(rows: Sequence[Row]) -> str:
    kinds = [kind for kind in query_set.KINDS if kind != "english"]
    head = ["site", "index", "queries", "recall", *kinds, "english"]
    head += [f"in top {TOP}", "ko pages/query", "KB", "KB gz", "build s"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for row in rows:
        by_kind = query_set.recall_by_kind(row.outcomes)
        korean = row.korean()
        size = serialized(row.variant.index).encode("utf-8")
        cells = [
            row.site,
            row.variant.name,
            str(len(row.outcomes)),
            percent(query_set.recall(row.outcomes)),
            *(percent(by_kind[kind]) if kind in by_kind else "-" for kind in kinds),
            percent(by_kind["english"]),
            percent(top_share(korean)),
            f"{sum(len(o.answer.pages) for o in korean) / len(korean):.1f}",
            f"{len(size) / 1000:.1f}",
            f"{len(gzip.compress(size, 9)) / 1000:.1f}",
            f"{row.variant.seconds:.2f}",
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def percent(share: float) -> str:
    return f"{share * 100:.0f}%"


@click.command(help=__doc__)
@click.option("--kiwi-python", help="A Python with kiwipiepy, to measure the Kiwi variant too.")
def main(kiwi_python: str | None) -> None:
    queries = query_set.load()
    with tempfile.TemporaryDirectory() as scratch:
        fixture = build_fixture_site(Path(scratch) / "fixture")
        # A copy of the site: its blocks run into a store of their own, never the one
        # `scripts/site build` publishes from.
        repo = build_repo_site(copy_site(Path(scratch) / "project"), Path(scratch) / "repo")
        rows = measure("fixture", fixture, queries, kiwi_python)
        rows += measure("site", repo, [q for q in queries if not q.fixture_only], kiwi_python)
    click.echo(table(rows))


if __name__ == "__main__":
    main()
