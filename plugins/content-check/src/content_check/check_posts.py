"""Blog posts: complete, valid front matter and an excerpt separator."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator
from pathlib import PurePosixPath
from typing import Any

from .authors import KnownAuthors
from .conventions import EXCERPT_SEPARATOR, LANGUAGE_NAMES, POSTS_DIR, SLUG_RULE, is_valid_slug
from .findings import Finding, error, warning
from .front_matter import FrontMatter
from .markdown_source import Page
from .site_config import Site

TITLE_HEADING = re.compile(r"^#[ \t]+\S")


def is_post(page: Page) -> bool:
    return page.language is not None and page.in_language.startswith(f"{POSTS_DIR}/")


def post_date(value: Any) -> dt.date | None:
    """The creation date of a post, from `date: 2024-01-31` or `date: {created: ...}`."""
    if isinstance(value, dict):
        value = value.get("created")
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    return None


def _string_list(value: Any) -> list[str] | None:
    if isinstance(value, list) and all(isinstance(item, str) and item.strip() for item in value):
        return value
    return None


def check_post(page: Page, site: Site, authors: KnownAuthors) -> Iterator[Finding]:
    front = page.front_matter
    if front is None:
        if page.front_matter_error is None:
            yield error(
                page.shown,
                1,
                "post has no front matter; start it with a `---` block holding date, slug, "
                "authors, categories, tags and description (scripts/new-post writes one)",
            )
        return
    yield from _check_date(page, front)
    yield from _check_slug(page, front)
    yield from _check_authors(page, front, authors)
    yield from _check_categories(page, front, site)
    yield from _check_tags(page, front)
    yield from _check_description(page, front)
    yield from _check_body(page, front)
    if front.values.get("draft") is True:
        yield warning(
            page.shown,
            front.line_of("draft"),
            "draft: the post is not published; delete `draft: true` when it is ready",
        )


def _missing(page: Page, front: FrontMatter, key: str, example: str) -> Finding:
    return error(page.shown, front.line_of(key), f"front matter has no `{key}`; add `{example}`")


def _check_date(page: Page, front: FrontMatter) -> Iterator[Finding]:
    if "date" not in front.values:
        yield _missing(page, front, "date", "date: YYYY-MM-DD")
    elif post_date(front.values["date"]) is None:
        yield error(
            page.shown,
            front.line_of("date"),
            f"date {front.values['date']!r} is not a date; write it unquoted as "
            "`date: YYYY-MM-DD`, e.g. `date: 2024-03-01`",
        )


def _check_slug(page: Page, front: FrontMatter) -> Iterator[Finding]:
    slug = front.values.get("slug")
    stem = PurePosixPath(page.in_language).stem
    if "slug" not in front.values:
        yield _missing(page, front, "slug", f"slug: {stem}")
    elif not isinstance(slug, str) or not is_valid_slug(slug):
        yield error(
            page.shown, front.line_of("slug"), f"slug {slug!r} is not valid; use {SLUG_RULE}"
        )
    elif slug != stem:
        yield error(
            page.shown,
            front.line_of("slug"),
            f"slug {slug!r} differs from the file name {stem!r}; rename the file to {slug}.md "
            f"in every language, or set `slug: {stem}`",
        )


def _check_authors(page: Page, front: FrontMatter, authors: KnownAuthors) -> Iterator[Finding]:
    names = _string_list(front.values.get("authors"))
    if "authors" not in front.values:
        yield _missing(page, front, "authors", "authors: [linus]")
    elif not names:
        yield error(
            page.shown,
            front.line_of("authors"),
            "authors must be a non-empty list of author ids, e.g. `authors: [linus]`",
        )
    else:
        known = ", ".join(sorted(authors.names)) or "none yet"
        for index, name in enumerate(names):
            if name not in authors.names:
                yield error(
                    page.shown,
                    front.line_of_item("authors", index),
                    f"author {name!r} is unknown; add them to {authors.source} or use one of: "
                    f"{known}",
                )


def _check_categories(page: Page, front: FrontMatter, site: Site) -> Iterator[Finding]:
    language = page.language or site.default_language
    allowed = site.allowed_categories()
    names = _string_list(front.values.get("categories"))
    if "categories" not in front.values:
        yield _missing(page, front, "categories", f"categories: [{allowed[0] if allowed else ''}]")
        return
    if not names:
        choices = f"; choose from: {', '.join(allowed)}" if allowed else ""
        yield error(
            page.shown, front.line_of("categories"), f"categories must be a non-empty list{choices}"
        )
        return
    for index, name in enumerate(names):
        line = front.line_of_item("categories", index)
        translated = site.category_in(name, language)
        if translated is not None and translated != name:
            yield error(
                page.shown,
                line,
                f"category {name!r} is another language's name; in a "
                f"{LANGUAGE_NAMES.get(language, language)} post write {translated!r}",
            )
        elif allowed and name not in allowed:
            yield error(
                page.shown,
                line,
                f"category {name!r} is not allowed; choose from: {', '.join(allowed)}",
            )


def _check_tags(page: Page, front: FrontMatter) -> Iterator[Finding]:
    if "tags" not in front.values:
        yield _missing(page, front, "tags", "tags: [a-tag, another]")
    elif _string_list(front.values["tags"]) is None:
        yield error(
            page.shown,
            front.line_of("tags"),
            "tags must be a list of words, e.g. `tags: [Linux, Processes]`",
        )


def _check_description(page: Page, front: FrontMatter) -> Iterator[Finding]:
    description = front.values.get("description")
    if "description" not in front.values:
        yield _missing(
            page, front, "description", "description: <one line for search and previews>"
        )
    elif not isinstance(description, str) or not description.strip():
        yield error(
            page.shown,
            front.line_of("description"),
            "description is empty; write one line that says what the post gives the reader",
        )
    elif "\n" in description.strip():
        yield error(
            page.shown,
            front.line_of("description"),
            "description spans several lines; keep it to one line (it becomes the page's "
            "meta description)",
        )


def _check_body(page: Page, front: FrontMatter) -> Iterator[Finding]:
    prose = list(page.prose_lines())
    if "title" not in front.values and not any(TITLE_HEADING.match(line) for _, line in prose):
        yield error(
            page.shown,
            front.body_line,
            "post has no title; start the body with a `# Title` heading",
        )
    if not any(line.strip() == EXCERPT_SEPARATOR for _, line in prose):
        yield error(
            page.shown,
            front.body_line,
            f"post has no `{EXCERPT_SEPARATOR}` line; put it on its own line after the lead "
            "paragraph so the blog index shows only the lead",
        )


def tag_spellings(pages: Iterable[Page]) -> Iterator[Finding]:
    """A tag written two ways within one language (Linux, linux): the tags page would list
    them as two tags. Each later spelling is named with the first one seen."""
    first_seen: dict[tuple[str, str], tuple[str, str, int]] = {}
    for page in sorted(pages, key=lambda page: page.shown):
        front = page.front_matter
        if not is_post(page) or front is None or page.language is None:
            continue
        for index, tag in enumerate(_string_list(front.values.get("tags")) or []):
            line = front.line_of_item("tags", index)
            spelled = first_seen.setdefault(
                (page.language, tag.casefold()), (tag, page.shown, line)
            )
            if spelled[0] != tag:
                yield error(
                    page.shown,
                    line,
                    f"tag {tag!r} is written {spelled[0]!r} in {spelled[1]}:{spelled[2]}; "
                    "use one spelling, or the tags page lists them as two tags",
                )
