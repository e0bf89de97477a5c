"""The ko-search plugin's parts: inner words, the query rewriting, its errors."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from ko_search.inner_words import inner_words
from ko_search.search_index import add_inner_words
from ko_search.worker import worker_for

from tests.search.fixture_site import REPO
from tests.search.material_search import SearchSetup, search

SEPARATOR = re.compile(r"[\s\-]+")

# Stands in for Material's worker: answers each query with the query it was
# sent, so a test sees what ko-search made of the reader's text.
ECHO_WORKER = """
addEventListener("message", function (event) {
  var message = event.data;
  postMessage(message.type === 0
    ? {type: 1}
    : {type: 3, data: {items: [[{location: message.data}]]}});
});
"""


def rewritten(tmp_path: Path, queries: list[str], site_text: str) -> list[str]:
    worker = worker_for("echo.js")
    (tmp_path / "echo.js").write_text(ECHO_WORKER, encoding="utf-8")
    (tmp_path / worker.name).write_text(worker.source, encoding="utf-8")
    index = {"config": {}, "docs": [{"location": "", "title": "", "text": site_text}]}
    (tmp_path / "index.json").write_text(json.dumps(index, ensure_ascii=False), encoding="utf-8")
    answers = search(SearchSetup(tmp_path / worker.name, tmp_path / "index.json"), queries)
    return [answer.pages[0] for answer in answers]


def test_inner_words_are_the_tails_of_korean_words() -> None:
    words = inner_words(["<p>인프라엔지니어를 만났다</p>", "XOR스왑"], SEPARATOR)
    assert {"엔지니어를", "라엔지니어를", "스왑"} <= set(words)
    assert "를" not in words  # one syllable: a particle, not a word


def test_a_word_behind_punctuation_is_an_inner_word() -> None:
    assert "인프라엔지니어" in inner_words(
        ["(인프라엔지니어)는", "GitOps·Terraform·EKS로"], SEPARATOR
    )
    assert {"terraform", "eks로"} <= set(inner_words(["GitOps·Terraform·EKS로"], SEPARATOR))


def test_english_text_has_no_inner_words() -> None:
    assert inner_words(["<p>Containers (and pods) are processes, e.g. httpd.</p>"], SEPARATOR) == []


def test_rewriting_an_index_twice_changes_nothing() -> None:
    index = {
        "config": {
            "separator": r"[\s\-]+",
            "fields": {"title": {"boost": 1000.0}, "text": {"boost": 1.0}},
        },
        "docs": [
            {"location": "a/", "title": "XOR스왑", "text": "임시 변수"},
            {"location": "b/", "title": "Linux", "text": "x"},
        ],
    }
    once = add_inner_words(index)
    assert once["docs"][0]["inner"] == "스왑"
    assert "inner" not in once["docs"][1]
    assert add_inner_words(once) == once


def test_particles_and_endings_are_stripped_from_the_query(tmp_path: Path) -> None:
    queries = ["리눅스를", "팀을", "컨테이너에서는", "설치했다", "DB를", "+리눅스를"]
    assert rewritten(tmp_path, queries, "") == ["리눅스", "팀", "컨테이너", "설치", "db", "+리눅스"]


def test_nouns_that_end_like_a_particle_keep_their_last_syllable(tmp_path: Path) -> None:
    assert rewritten(tmp_path, ["결과", "속도", "회의", "권한"], "") == [
        "결과",
        "속도",
        "회의",
        "권한",
    ]


def test_a_letter_still_being_composed_is_left_out(tmp_path: Path) -> None:
    assert rewritten(tmp_path, ["리눅스ㄹ", "컨테이너 ㅋ"], "") == ["리눅스", "컨테이너 "]


def test_a_word_written_together_is_searched_as_the_site_writes_it(tmp_path: Path) -> None:
    apart = "인프라 엔지니어와 컨테이너 플랫폼"
    assert rewritten(tmp_path, ["인프라엔지니어를"], apart) == ["인프라 엔지니어"]
    both = "인프라엔지니어와 인프라 엔지니어"
    assert rewritten(tmp_path, ["인프라엔지니어"], both) == ["인프라엔지니어 인프라 엔지니어"]
    assert rewritten(tmp_path, ["쿠버네티스"], "쿠버네티스는") == ["쿠버네티스"]


def test_english_queries_pass_unchanged(tmp_path: Path) -> None:
    queries = ["Linux containers", "kubernetes~1", "+title:swap -xor"]
    assert rewritten(tmp_path, queries, "Linux containers") == queries


def test_a_site_without_the_search_plugin_fails_to_build_with_a_hint(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text("# 홈\n", encoding="utf-8")
    config = {"site_name": "t", "theme": {"name": "material"}, "plugins": ["ko-search"]}
    (tmp_path / "mkdocs.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(tmp_path / "mkdocs.yml")],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "ko-search needs Material's search plugin" in result.stderr


@pytest.mark.parametrize("page", ["index.html", "about/index.html", "404.html"])
def test_pages_load_the_ko_search_worker_next_to_materials(fixture_site: Path, page: str) -> None:
    html = (fixture_site / page).read_text(encoding="utf-8")
    match = re.search(r'"search": "([^"]*)"', html)
    assert match, f"{page} has no search worker URL"
    assert re.search(r"assets/javascripts/workers/ko-search\.[0-9a-f]{8}\.min\.js$", match.group(1))
    worker = fixture_site / "assets/javascripts/workers" / match.group(1).rsplit("/", 1)[-1]
    assert "importScripts(MATERIAL_WORKER)" in worker.read_text(encoding="utf-8")
