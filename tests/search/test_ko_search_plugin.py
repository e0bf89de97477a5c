"""The ko-search plugin's parts: inner words, the query rewriting, its errors."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import material
import pytest
import yaml
from ko_search.apart import written_apart
from ko_search.inner_words import inner_words
from ko_search.search_index import add_inner_words
from ko_search.worker import worker

from tests.search.fixture_site import REPO
from tests.search.material_search import search
from tests.search.small_site import small_site

SEPARATOR = re.compile(r"[\s\-]+")


def terms(tmp_path: Path, queries: list[str], site_text: str) -> list[tuple[str, ...]]:
    """What the best result reports as the query's terms, after ko-search read the query."""
    setup = small_site(tmp_path, [{"location": "", "title": "", "text": site_text}])
    return [answer.terms for answer in search(setup, queries)]


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


def test_neighbouring_words_are_kept_as_written_apart() -> None:
    text = "<p>주니어 (인프라 엔지니어로) 일합니다. Linux 서버와 API docs</p>"
    pairs = set(written_apart([text], SEPARATOR))
    assert {"인프라 엔지니어로", "linux 서버와"} <= pairs
    assert "일합니다 linux" not in pairs  # a sentence ends between them
    assert "api docs" not in pairs  # no Korean: English spacing is not in doubt


def test_particles_and_endings_are_stripped_from_the_query(tmp_path: Path) -> None:
    queries = ["리눅스를", "팀을", "컨테이너에서는", "설치했다", "DB를", "+리눅스를"]
    site = "리눅스 팀 컨테이너 설치 db"
    assert terms(tmp_path, queries, site) == [
        ("리눅스",),
        ("팀",),
        ("컨테이너",),
        ("설치",),
        ("db",),
        ("리눅스",),
    ]


def test_nouns_that_end_like_a_particle_keep_their_last_syllable(tmp_path: Path) -> None:
    queries = ["결과", "속도", "회의", "권한"]
    site = "결과 속도 회의 권한"
    assert terms(tmp_path, queries, site) == [("결과",), ("속도",), ("회의",), ("권한",)]


def test_a_letter_still_being_composed_is_left_out(tmp_path: Path) -> None:
    assert terms(tmp_path, ["리눅스ㄹ", "컨테이너 ㅋ"], "리눅스 컨테이너") == [
        ("리눅스",),
        ("컨테이너",),
    ]


def test_a_word_written_together_is_searched_as_the_site_writes_it(tmp_path: Path) -> None:
    site = "인프라 엔지니어와 컨테이너 플랫폼"
    assert terms(tmp_path / "apart", ["인프라엔지니어를", "컨테이너플랫폼"], site) == [
        ("인프라", "엔지니어"),
        ("컨테이너", "플랫폼"),
    ]
    site = "인프라엔지니어와 인프라 엔지니어, 쿠버네티스는 클라우드"
    assert terms(tmp_path / "both", ["인프라엔지니어", "쿠버네티스", "클라우드"], site) == [
        ("인프라엔지니어", "인프라", "엔지니어"),
        ("쿠버네티스",),
        ("클라우드",),
    ]


def test_english_queries_are_read_as_material_reads_them(tmp_path: Path) -> None:
    site = "Linux containers swap"
    queries = ["Linux containers", "+swap -xor", '"linux swap"', "docs:swap", "title:swap"]
    assert terms(tmp_path, queries, site) == [
        ("linux", "containers"),
        ("swap",),
        ("linux", "swap"),
        ("docs", "swap"),  # not a field: Material reads the colon as a space
        ("swap",),
    ]


def test_a_required_word_must_be_on_the_page_and_a_prohibited_one_must_not(
    tmp_path: Path,
) -> None:
    docs = [
        {"location": "swap/", "title": "", "text": "linux swap"},
        {"location": "xor/", "title": "", "text": "linux xor"},
    ]
    setup = small_site(tmp_path, docs)
    answers = search(setup, ["linux -xor", "+xor linux", '"linux swap"', "linux"])
    assert [answer.pages for answer in answers] == [
        ("swap/",),
        ("xor/",),
        ("swap/",),
        ("swap/", "xor/"),
    ]


def test_results_show_the_matched_words_marked(tmp_path: Path) -> None:
    docs = [
        {"location": "a/", "title": "XOR스왑 실험", "text": "<p>임시 변수</p><p>스왑은 빠르다</p>"},
        {"location": "a/#b", "title": "측정", "text": "<p>timeit으로 스왑 측정</p>"},
    ]
    setup = small_site(tmp_path, docs)
    [answer] = search(setup, ["측정"])
    result = answer.items
    assert [item["location"] for item in result[0]] == ["a/#b", "a/"]
    assert result[0][0]["title"] == "<mark>측정</mark>"
    assert result[0][0]["text"] == "<p>timeit으로 스왑 <mark>측정</mark></p>"


def test_the_first_screen_of_results_comes_before_the_rest(tmp_path: Path) -> None:
    docs = [
        {"location": f"note-{n}/", "title": f"노트 {n}", "text": "리눅스 " * (n + 1)}
        for n in range(25)
    ]
    [answer] = search(small_site(tmp_path, docs), ["리눅스"])
    # Material's list shows ten pages before the reader scrolls.
    assert answer.screens == (10, 20)


def test_a_query_typed_over_loads_no_pages_for_its_results(tmp_path: Path) -> None:
    docs = [
        {"location": "linux/", "title": "리눅스", "text": "리눅스 명령어"},
        {"location": "swap/", "title": "스왑", "text": "XOR 스왑"},
    ]
    setup = small_site(tmp_path, docs)
    [answer] = search(setup, [["스왑", "리눅스"]])
    assert answer.screens == (1,)  # the last query's answer only
    assert answer.pages == ("linux/",)
    pages = setup.index.parent / "ko-search" / "p"
    assert [each.path for each in answer.fetched if each.path.parent == pages] == [pages / "0.json"]


def test_materials_page_script_sends_the_messages_the_worker_answers() -> None:
    # SETUP (0) with the index's config, answered by READY (1); QUERY (2) with the
    # typed text, answered by RESULT (3). A Material that changes them breaks search.
    scripts = Path(material.__file__).parent / "templates/assets/javascripts"
    bundle = next(scripts.glob("bundle.*.min.js")).read_text(encoding="utf-8")
    for sent_or_read in ("type:0,data:{config:", "e.type===1}", "type:2,data:", "e.type===3}"):
        assert sent_or_read in bundle


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
    loaded = fixture_site / "assets/javascripts/workers" / match.group(1).rsplit("/", 1)[-1]
    assert loaded.read_text(encoding="utf-8") == worker().source
