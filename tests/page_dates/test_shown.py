"""The dates a note shows: in the page's language, front matter over git, and nothing
where neither says."""

from __future__ import annotations

import datetime as dt

import pytest
from page_dates.history import FileDates
from page_dates.shown import NotADate, ShownDate, page_dates, shown

from tests.page_dates.repository import FIRST, SECOND

GIT = FileDates(dt.datetime.fromisoformat(FIRST), dt.datetime.fromisoformat(SECOND))


@pytest.mark.parametrize(
    ("language", "text"),
    [("ko", "2025년 5월 6일"), ("en", "May 6, 2025"), ("en-US", "May 6, 2025")],
)
def test_a_date_reads_as_the_pages_language_writes_it(language: str, text: str) -> None:
    assert shown(dt.date(2025, 5, 6), language) == ShownDate(text, "2025-05-06")


def test_a_time_from_git_shows_the_day_its_author_saw() -> None:
    # 00:30 on the 7th in Seoul is still the 6th in UTC: the page shows the author's day.
    late = dt.datetime.fromisoformat("2025-05-07T00:30:00+09:00")
    assert shown(late, "ko") == ShownDate("2025년 5월 7일", "2025-05-07T00:30:00+09:00")


def test_git_dates_show_when_front_matter_gives_none() -> None:
    dates = page_dates({}, GIT, "ko")
    assert dates.created == ShownDate("2025년 5월 6일", FIRST)
    assert dates.changed == ShownDate("2025년 6월 1일", SECOND)


@pytest.mark.parametrize(
    "meta",
    [
        {"date": dt.date(2024, 1, 2), "updated": dt.date(2024, 3, 4)},
        {"date": {"created": dt.date(2024, 1, 2), "updated": dt.date(2024, 3, 4)}},
    ],
    ids=["date-and-updated", "materials-date-mapping"],
)
def test_front_matter_dates_win_over_git(meta: dict[str, object]) -> None:
    dates = page_dates(meta, GIT, "en")
    assert dates.created == ShownDate("January 2, 2024", "2024-01-02")
    assert dates.changed == ShownDate("March 4, 2024", "2024-03-04")


def test_front_matter_wins_date_by_date() -> None:
    dates = page_dates({"updated": dt.date(2025, 8, 15)}, GIT, "ko")
    assert dates.created == ShownDate("2025년 5월 6일", FIRST)
    assert dates.changed == ShownDate("2025년 8월 15일", "2025-08-15")


def test_a_change_on_the_day_of_creation_is_not_shown_again() -> None:
    same_day = FileDates(GIT.created, dt.datetime.fromisoformat("2025-05-06T18:00:00+09:00"))
    assert page_dates({}, same_day, "ko").changed is None


def test_without_front_matter_or_git_a_page_shows_no_dates() -> None:
    dates = page_dates({}, None, "ko")
    assert dates.created is None and dates.changed is None
    unknown = page_dates({}, FileDates(None, None), "en")
    assert unknown.created is None and unknown.changed is None


def test_a_quoted_date_is_an_error_that_says_how_to_write_it() -> None:
    with pytest.raises(NotADate, match=r"`updated: 'last week'` is not a date.*YYYY-MM-DD"):
        page_dates({"updated": "last week"}, GIT, "ko")
