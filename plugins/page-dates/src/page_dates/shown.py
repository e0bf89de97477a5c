"""The dates a page shows: the author's front matter first, git's history after it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from babel.dates import format_date

from page_dates.history import FileDates


@dataclass(frozen=True)
class ShownDate:
    """A date as a page prints it: `text` in the page's language, `iso` for <time datetime>."""

    text: str
    iso: str


@dataclass(frozen=True)
class PageDates:
    created: ShownDate | None
    changed: ShownDate | None  # None as well when it is the day the page was created


class NotADate(ValueError):
    """A front matter date that YAML did not read as a date (quoted, or not a date)."""

    def __init__(self, key: str, value: Any) -> None:
        super().__init__(
            f"`{key}: {value!r}` is not a date; write it unquoted as YYYY-MM-DD, "
            "e.g. `updated: 2025-05-06`"
        )
        self.key = key


def front_matter_dates(meta: Mapping[str, Any]) -> tuple[dt.date | None, dt.date | None]:
    """`date: 2025-05-06` or Material's `date: {created: ..., updated: ...}`, and `updated:`."""
    written = meta.get("date")
    created, updated = written, meta.get("updated")
    if isinstance(written, Mapping):
        created = written.get("created")
        updated = updated or written.get("updated")
    return _date("date", created), _date("updated", updated)


def page_dates(meta: Mapping[str, Any], git: FileDates | None, language: str) -> PageDates:
    """What a note shows: each date from its front matter, else from git, else nothing."""
    written_created, written_changed = front_matter_dates(meta)
    created = written_created or (git.created if git else None)
    changed = written_changed or (git.changed if git else None)
    if created is not None and changed is not None and _day(changed) <= _day(created):
        changed = None
    return PageDates(shown(created, language), shown(changed, language))


def shown(when: dt.date | None, language: str) -> ShownDate | None:
    """`2025년 5월 6일` or `May 6, 2025`: Babel's long date, the one Material's blog shows.
    A time from git keeps its author's offset, so the day is the one the author saw."""
    if when is None:
        return None
    return ShownDate(format_date(_day(when), "long", locale=language.replace("-", "_")), _iso(when))


def _date(key: str, value: Any) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    raise NotADate(key, value)


def _day(when: dt.date) -> dt.date:
    return when.date() if isinstance(when, dt.datetime) else when


def _iso(when: dt.date) -> str:
    return when.isoformat(timespec="seconds") if isinstance(when, dt.datetime) else when.isoformat()
