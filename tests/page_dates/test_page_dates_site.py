"""On the real site, committed to a git repository of its own with known days: each note
shows when it was created and last changed under its title, each post when it last
changed, in the page's language; front matter wins; a shallow clone and a copy outside
git build without an error and leave out what they cannot know."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup, Tag

from tests.page_dates.repository import (
    FIRST,
    SECOND,
    commit_all,
    new_repository,
    shallow_clone,
)
from tests.site.built_site import POSTS, ROOTS, SITE_URL, BuiltSite
from tests.site_copy import build_site, built_copy, copy_site

LABELS = {"ko": ("작성일", "마지막 업데이트"), "en": ("Created", "Last update")}
SEOUL_MAY_6 = {"ko": "2025년 5월 6일", "en": "May 6, 2025"}
SEOUL_JUNE_1 = {"ko": "2025년 6월 1일", "en": "June 1, 2025"}
EDITED_POST = next(post for post in POSTS if post.slug == "xor-swap-experiment")
DATED_POST = next(post for post in POSTS if post.slug == "2023-retrospective")


def add_front_matter(page: Path, lines: str) -> None:
    text = page.read_text(encoding="utf-8")
    assert text.startswith("---\n"), page
    page.write_text("---\n" + lines + text.removeprefix("---\n"), encoding="utf-8")


def append(page: Path, text: str) -> None:
    page.write_text(page.read_text(encoding="utf-8") + text, encoding="utf-8")


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site in a repository: everything committed on May 6, 2025 (Seoul); on June 1 the
    disk note and the XOR post changed, and the memory note and the 2023 retrospective
    were given dates in their front matter; a draft note is not committed at all."""
    project = new_repository(copy_site(tmp_path_factory.mktemp("dated") / "project"))
    commit_all(project, "The site", when=FIRST)
    for language in ROOTS:
        docs = project / "docs" / language
        append(docs / "kb" / "disk.md", "\nOne more paragraph.\n")
        append(docs / "blog" / "posts" / f"{EDITED_POST.slug}.md", "\nOne more paragraph.\n")
        add_front_matter(docs / "kb" / "memory.md", "date: 2024-01-02\nupdated: 2024-03-04\n")
        add_front_matter(docs / "blog" / "posts" / f"{DATED_POST.slug}.md", "updated: 2025-07-07\n")
    commit_all(project, "Edits", when=SECOND)
    (project / "docs" / "ko" / "kb" / "draft-note.md").write_text(
        "# 초안 노트\n\n아직 커밋하지 않은 노트입니다.\n", encoding="utf-8"
    )
    return project


@pytest.fixture(scope="module")
def dated_site(project: Path, tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    return built_copy(
        project, tmp_path_factory.mktemp("dated-site"), site_url=SITE_URL, run_blocks=False
    )


def note_dates(page: BeautifulSoup) -> list[tuple[str, str, str]]:
    """(label, datetime, text) of each date under the page's title."""
    box = page.select_one(".site-page-dates")
    if box is None:
        return []
    # Right under the title, before the page's first paragraph.
    previous = box.find_previous_sibling()
    assert isinstance(previous, Tag) and previous.name == "h1", previous
    dates = []
    for item in box.select("li"):
        time = item.find("time")
        assert isinstance(time, Tag)
        label = item.get_text(" ", strip=True).removesuffix(time.get_text(strip=True)).strip()
        dates.append((label, str(time["datetime"]), time.get_text(strip=True)))
    return dates


def updated_line(page: BeautifulSoup) -> list[tuple[str, str]]:
    """(datetime, text) of the "updated" date under a post's title."""
    line = page.select_one(".site-post-meta--title")
    assert line is not None
    found = []
    for item in line.select("li"):
        time = item.find("time")
        if isinstance(time, Tag) and item.get_text(strip=True) != time.get_text(strip=True):
            found.append((str(time["datetime"]), time.get_text(strip=True)))
    return found


@pytest.mark.parametrize("language", ROOTS)
def test_a_note_with_two_commits_shows_the_first_as_created_and_the_last_as_changed(
    dated_site: BuiltSite, language: str
) -> None:
    created, changed = LABELS[language]
    page = dated_site.page(f"{ROOTS[language]}kb/disk/")
    assert note_dates(page) == [
        (created, FIRST, SEOUL_MAY_6[language]),
        (changed, SECOND, SEOUL_JUNE_1[language]),
    ]


@pytest.mark.parametrize("language", ROOTS)
def test_a_note_not_changed_since_its_first_commit_shows_one_date(
    dated_site: BuiltSite, language: str
) -> None:
    page = dated_site.page(f"{ROOTS[language]}kb/network/")
    assert note_dates(page) == [(LABELS[language][0], FIRST, SEOUL_MAY_6[language])]


@pytest.mark.parametrize(
    ("language", "created", "changed"),
    [("ko", "2024년 1월 2일", "2024년 3월 4일"), ("en", "January 2, 2024", "March 4, 2024")],
)
def test_a_notes_front_matter_dates_win_over_git(
    dated_site: BuiltSite, language: str, created: str, changed: str
) -> None:
    page = dated_site.page(f"{ROOTS[language]}kb/memory/")
    labels = LABELS[language]
    assert note_dates(page) == [
        (labels[0], "2024-01-02", created),
        (labels[1], "2024-03-04", changed),
    ]


def test_a_note_git_has_not_recorded_shows_no_dates_not_a_guess(dated_site: BuiltSite) -> None:
    draft = dated_site.page("kb/draft-note/")
    assert draft.h1 is not None and draft.h1.get_text(strip=True).startswith("초안 노트")
    assert note_dates(draft) == []
    # Beside it, in the same build, the committed notes are dated.
    assert note_dates(dated_site.page("kb/network/"))


@pytest.mark.parametrize("language", ROOTS)
def test_notes_are_dated_and_the_home_about_tags_and_index_pages_are_not(
    dated_site: BuiltSite, language: str
) -> None:
    notes = ("kb/disk/", "kb/network/", "kb/processes/", "kb/fencerun/")
    for url in notes:
        assert note_dates(dated_site.page(ROOTS[language] + url)), url
    for url in ("", "kb/", "about/", "tags/", "blog/"):
        assert dated_site.page(ROOTS[language] + url).select_one(".site-page-dates") is None, url


@pytest.mark.parametrize("language", ROOTS)
def test_a_post_shows_its_last_change_from_git(dated_site: BuiltSite, language: str) -> None:
    page = dated_site.page(EDITED_POST.url(language))
    assert updated_line(page) == [(SECOND.replace("T", " "), SEOUL_JUNE_1[language])]
    # The post sidebar (wide screens) says the same.
    sidebar = [
        (str(time["datetime"]), time.get_text(strip=True))
        for time in page.select(".site-post-meta--sidebar time")
    ]
    assert sidebar[1:] == [(SECOND.replace("T", " "), SEOUL_JUNE_1[language])]


@pytest.mark.parametrize(("language", "text"), [("ko", "2025년 7월 7일"), ("en", "July 7, 2025")])
def test_a_posts_front_matter_updated_date_wins_over_git(
    dated_site: BuiltSite, language: str, text: str
) -> None:
    page = dated_site.page(DATED_POST.url(language))
    assert updated_line(page) == [("2025-07-07 00:00:00+00:00", text)]


def test_a_shallow_clone_builds_and_leaves_out_what_it_cannot_know(
    project: Path, tmp_path: Path
) -> None:
    # actions/checkout's default: the newest commit only, which git shows as adding
    # every file; taken at its word, every page would date from the day of the build.
    clone = shallow_clone(project, tmp_path / "clone", depth=1)
    done = build_site(clone, tmp_path / "site", site_url=SITE_URL, run_blocks=False)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "clone is shallow" in done.stderr and "fetch-depth: 0" in done.stderr
    built = BuiltSite(tmp_path / "site", frozenset(), frozenset(), clone, True)
    for language in ROOTS:
        root = ROOTS[language]
        assert note_dates(built.page(f"{root}kb/disk/")) == []
        assert [date for _, date, _ in note_dates(built.page(f"{root}kb/memory/"))] == [
            "2024-01-02",
            "2024-03-04",
        ]
        assert updated_line(built.page(EDITED_POST.url(language))) == []


def test_a_copy_outside_git_builds_and_shows_only_front_matter_dates(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    outside = tmp_path / "outside"
    shutil.copytree(project, outside, ignore=shutil.ignore_patterns(".git"))
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    done = build_site(outside, tmp_path / "site", site_url=SITE_URL, run_blocks=False)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "No git history" in done.stderr
    built = BuiltSite(tmp_path / "site", frozenset(), frozenset(), outside, True)
    assert note_dates(built.page("kb/disk/")) == []
    assert [date for _, date, _ in note_dates(built.page("en/kb/memory/"))] == [
        "2024-01-02",
        "2024-03-04",
    ]
    assert updated_line(built.page(EDITED_POST.url("ko"))) == []
