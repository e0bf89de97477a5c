"""A page's related pages: those sharing its tags and link targets, rare ones counting more,
at most five, of its own language, never itself nor a page that links to it."""

from __future__ import annotations

import pytest
from kb_links.graph import PageSource, link_languages
from kb_links.related import COMMON_PAGES, SHOWN, RelatedPages
from markdown.extensions.toc import slugify_unicode

# Pages that share nothing: a site of a realistic size, where a feature of two pages is rare.
FILLER = [PageSource(f"ko/kb/filler-{n}.md", f"# 채움 {n}\n", {}, 1) for n in range(20)]


def note(name: str, title: str, *links: str, tags: tuple[str, ...] = ()) -> PageSource:
    body = f"# {title}\n\n" + " ".join(f"[[{link}]]" for link in links) + "\n"
    return PageSource(f"ko/kb/{name}.md", body, {"tags": list(tags)} if tags else {}, 1)


def related_titles(
    pages: list[PageSource], of: str = "page", english: list[PageSource] | None = None
) -> list[str]:
    """The titles `of` (a Korean note's name) lists as related."""
    linked, problems = link_languages(
        {"ko": [*pages, *FILLER], "en": english or []}, slugify_unicode
    )
    assert problems == []
    index = RelatedPages.of(linked["ko"])
    found = index.related(linked["ko"].index.notes[f"ko/kb/{of}.md"])
    return [other.title for other in found]


def test_pages_sharing_a_tag_or_a_link_target_are_related() -> None:
    pages = [
        note("page", "이 노트", "target", tags=("cgroup",)),
        note("target", "대상"),
        note("same-tag", "같은 태그", tags=("cgroup",)),
        note("same-link", "같은 링크", "target"),
        note("nothing", "아무것도 없음", tags=("다른 태그",)),
    ]
    assert sorted(related_titles(pages)) == ["같은 링크", "같은 태그"]


def test_a_shared_tag_counts_more_than_a_shared_link_target_as_rare() -> None:
    pages = [
        note("page", "이 노트", "target", tags=("cgroup",)),
        note("target", "대상"),
        note("same-tag", "하나", tags=("cgroup",)),
        note("same-link", "가나", "target"),  # first by title, were the scores equal
    ]
    assert related_titles(pages) == ["하나", "가나"]


def test_a_rare_shared_tag_outranks_a_common_one() -> None:
    common = [note(f"common-{n}", f"가 흔한 {n}", tags=("리눅스",)) for n in range(6)]
    pages = [
        note("page", "이 노트", tags=("리눅스", "OOM killer")),
        note("rare", "하 드문", tags=("oom killer",)),  # Latin case aside
        *common,
    ]
    assert related_titles(pages)[0] == "하 드문"


def test_more_shared_features_rank_higher() -> None:
    pages = [
        note("page", "이 노트", "a", "b", tags=("x",)),
        note("a", "에이"),
        note("b", "비"),
        note("one", "가 하나만", "a"),
        note("two", "하 둘", "a", "b"),
        note("three", "하하 셋", "a", "b", tags=("x",)),
    ]
    assert related_titles(pages) == ["하하 셋", "하 둘", "가 하나만"]


def test_a_feature_most_pages_share_relates_nothing() -> None:
    # More than half of the 20 filler pages and these: nothing said by it.
    everywhere = [note(f"n{n}", f"노트 {n}", tags=("공통",)) for n in range(22)]
    pages = [note("page", "이 노트", tags=("공통",)), *everywhere]
    assert related_titles(pages) == []


def test_a_feature_of_more_than_the_ceiling_of_pages_relates_nothing() -> None:
    # Fewer than half the pages, with this many more pages that hold nothing.
    crowd = [note(f"n{n}", f"노트 {n}", tags=("인기",)) for n in range(COMMON_PAGES)]
    empty = [note(f"e{n}", f"빈 {n}") for n in range(2 * COMMON_PAGES)]
    pages = [
        note("page", "이 노트", tags=("인기", "드문")),
        note("rare", "드문 노트", tags=("드문",)),
    ]
    assert related_titles([*pages, *crowd, *empty]) == ["드문 노트"]


def test_neither_the_page_nor_a_page_that_links_to_it_is_listed() -> None:
    pages = [
        note("page", "이 노트", "page", tags=("cgroup",)),  # links to itself, too
        note("links-here", "여기를 가리킴", "page", tags=("cgroup",)),
        note("other", "다른 노트", tags=("cgroup",)),
    ]
    assert related_titles(pages) == ["다른 노트"]


def test_at_most_five_are_listed_ties_in_title_order() -> None:
    titles = ["마", "가", "바", "다", "사", "나", "라"]
    pages = [
        note("page", "이 노트", tags=("공유",)),
        *(note(f"n{n}", title, tags=("공유",)) for n, title in enumerate(titles)),
    ]
    assert related_titles(pages) == ["가", "나", "다", "라", "마"][:SHOWN]


def test_related_pages_are_of_the_page_language_only() -> None:
    english = [
        PageSource("en/kb/same.md", "# Same tag\n", {"tags": ["cgroup"]}, 1),
        PageSource("en/kb/target.md", "# Target\n", {}, 1),
        PageSource("en/kb/same-link.md", "# Same link\n\n[[target]]\n", {}, 1),
    ]
    pages = [note("page", "이 노트", "target", tags=("cgroup",)), note("target", "대상")]
    assert related_titles(pages, english=english) == []


@pytest.mark.parametrize("listed", [True, False])
def test_only_the_pages_the_caller_lists_are_related(listed: bool) -> None:
    pages = [
        note("page", "이 노트", tags=("cgroup",)),
        note("other", "다른 노트", tags=("cgroup",)),
    ]
    linked, _ = link_languages({"ko": [*pages, *FILLER]}, slugify_unicode)
    index = RelatedPages.of(linked["ko"])
    found = index.related(linked["ko"].index.notes["ko/kb/page.md"], lambda other: listed)
    assert [other.title for other in found] == (["다른 노트"] if listed else [])
