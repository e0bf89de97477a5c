"""Wikilinks resolve within their page's language: by path, file name, title or alias; every
one that cannot is an error at its file and line."""

from __future__ import annotations

import pytest
from kb_links.graph import LanguageLinks, PageSource, link_languages
from kb_links.links import LinkProblem, markdown_link, page_links
from markdown.extensions.toc import slugify_unicode


def page(src_uri: str, body: str, **meta: object) -> PageSource:
    # Front matter of len(meta) + 2 lines: the body starts after it.
    return PageSource(src_uri, body, dict(meta), body_line=len(meta) + 3 if meta else 1)


SITE = {
    "ko": [
        page(
            "ko/kb/processes.md",
            "# 프로세스 명령어\n\n## ps로 보기\n\n본문\n",
            aliases=["프로세스"],
        ),
        page("ko/kb/memory.md", "# 메모리 명령어\n\n## RSS와 VSZ {#rss}\n"),
        page("ko/kb/linux/index.md", "# 리눅스\n"),
        page("ko/kb/linux/notes.md", "# 리눅스 메모\n"),
        page("ko/kb/network/notes.md", "# 네트워크 메모\n"),
        page("ko/index.md", "# 홈\n"),
        page("ko/blog/posts/intro.md", "# Linux Intro\n"),
    ],
    "en": [
        page("en/kb/processes.md", "# Process commands\n"),
        page("en/kb/english-only.md", "# Only in English\n"),
    ],
}


def links_of(body: str, language: str = "ko") -> tuple[list[str], list[LinkProblem]]:
    """The Markdown each wikilink of `body`, written in a new page of `language`, becomes."""
    pages = {lang: [*sources] for lang, sources in SITE.items()}
    pages[language] = [*pages[language], page(f"{language}/kb/new.md", body)]
    linked, problems = link_languages(pages, slugify_unicode)
    index = linked[language].index
    note = index.notes[f"{language}/kb/new.md"]
    links, _ = page_links(note, body, index, {})
    return [markdown_link(link) for link in links if link.wikilink], problems


@pytest.mark.parametrize(
    ("written", "becomes"),
    [
        ("[[kb/processes]]", "[프로세스 명령어](processes.md)"),  # a path from the root
        ("[[memory]]", "[메모리 명령어](memory.md)"),  # a file name
        ("[[메모리 명령어]]", "[메모리 명령어](memory.md)"),  # a title
        ("[[linux intro]]", "[Linux Intro](../blog/posts/intro.md)"),  # Latin case ignored
        ("[[프로세스]]", "[프로세스 명령어](processes.md)"),  # an alias
        ("[[memory|메모리 이야기]]", "[메모리 이야기](memory.md)"),  # a label
        ("[[processes#ps로 보기]]", "[프로세스 명령어](processes.md#ps로-보기)"),  # heading text
        ("[[memory#rss|RSS]]", "[RSS](memory.md#rss)"),  # heading anchor
        ("[[kb/linux/index]]", "[리눅스](linux/index.md)"),
    ],
)
def test_a_target_resolves_by_path_name_title_or_alias(written: str, becomes: str) -> None:
    assert links_of(f"앞 {written} 뒤\n") == ([becomes], [])


def test_a_korean_particle_after_the_link_stays_outside_it() -> None:
    body = "[[프로세스]]를 먼저 보세요.\n"
    (link,), _ = links_of(body)
    assert f"{link}를 먼저 보세요." == "[프로세스 명령어](processes.md)를 먼저 보세요."


def test_wikilinks_in_code_stay_text() -> None:
    body = "`[[memory]]` 와\n\n```markdown\n[[processes]]\n```\n\n~~~\n[[없는 글]]\n~~~\n"
    assert links_of(body) == ([], [])


@pytest.mark.parametrize(
    ("written", "message", "hint"),
    [
        ("[[없는 글]]", "names no page of this language", "a target is"),
        ("[[memry]]", "names no page of this language", "did you mean [[kb/memory]]?"),
        ("[[notes]]", "could be any of 2 pages", "[[kb/linux/notes]]"),
        ("[[english-only]]", "names no page of this language", "a page of 'en'"),
        ("[[processes#없는 제목]]", "has no heading '없는 제목'", "ps로 보기"),
    ],
)
def test_a_target_that_cannot_be_resolved_is_an_error_at_its_line(
    written: str, message: str, hint: str
) -> None:
    _, problems = links_of(f"첫 줄\n\n둘째 문단의 {written} 링크\n")
    (problem,) = problems
    assert problem.source.src_uri == "ko/kb/new.md" and problem.line == 3
    assert message in problem.message and hint in problem.hint


def test_an_error_line_counts_the_front_matter() -> None:
    pages = {"ko": [page("ko/a.md", "본문\n[[없다]]\n", title="A", tags=["x"])], "en": []}
    _, (problem,) = link_languages(pages, slugify_unicode)
    assert problem.line == 2 + 4  # two front matter keys between --- lines, then line 2


def test_each_language_resolves_only_its_own_pages() -> None:
    english, problems = links_of("[[processes]] and [[english-only]]\n", language="en")
    assert english == ["[Process commands](processes.md)", "[Only in English](english-only.md)"]
    assert problems == []


def _backlinks(linked: dict[str, LanguageLinks], src_uri: str) -> list[tuple[str, str]]:
    language = src_uri.split("/")[0]
    return [
        (backlink.source.src_uri, backlink.sentence)
        for backlink in linked[language].backlinks.get(src_uri, [])
    ]


def test_backlinks_name_each_linking_page_once_with_its_sentence() -> None:
    pages = {
        "ko": [
            page(
                "ko/kb/a.md",
                "# 가\n\n처음 문장이다. [[b]]를 보면 된다. 다음 문장.\n\n[[b]] 다시.\n",
            ),
            page("ko/kb/b.md", "# 나\n\n[[#나]] 자기 자신은 빼고.\n"),
            page("ko/kb/c.md", "# 다\n\n- 목록 [나](b.md#나)\n- 다른 항목\n"),
            page("ko/kb/lonely.md", "# 외톨이\n"),
        ],
        "en": [],
    }
    linked, problems = link_languages(pages, slugify_unicode)
    assert problems == []
    assert _backlinks(linked, "ko/kb/b.md") == [
        ("ko/kb/a.md", "나를 보면 된다."),
        ("ko/kb/c.md", "목록 나"),
    ]
    assert _backlinks(linked, "ko/kb/lonely.md") == []


def test_a_backlink_sentence_reads_as_the_linking_page_shows_it() -> None:
    """Code keeps what is written, other links show what a reader sees, images and
    escapes are not markup: the same plain text as a link preview."""
    body = "# 가\n\n`[[b]]`라고 쓰면 [[c]]처럼 보이고 ![그림](x.png) \\*별\\*도 [[b|나]]로 간다.\n"
    pages = {
        "ko": [
            page("ko/kb/a.md", body),
            page("ko/kb/b.md", "# 나\n"),
            page("ko/kb/c.md", "# 다\n"),
        ],
        "en": [],
    }
    linked, problems = link_languages(pages, slugify_unicode)
    assert problems == []
    assert _backlinks(linked, "ko/kb/b.md") == [
        ("ko/kb/a.md", "[[b]]라고 쓰면 다처럼 보이고 *별*도 나로 간다."),
    ]
