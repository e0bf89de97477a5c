"""Translations: a post and its twin share date and slug; pages without a twin are listed."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path

from .check_posts import is_post, post_date
from .conventions import LANGUAGE_NAMES
from .findings import Finding, error, warning
from .front_matter import FrontMatter
from .markdown_source import Page
from .site_config import Site


def _language_name(language: str) -> str:
    return LANGUAGE_NAMES.get(language, language)


def missing_translations(pages: list[Page], site: Site) -> Iterator[Finding]:
    """A warning for each page whose twin in another language does not exist."""
    for page in pages:
        if page.language is None:
            continue
        for other in site.languages:
            twin = site.language_dir(other) / page.in_language
            if other != page.language and not twin.is_file():
                yield warning(
                    page.shown,
                    1,
                    f"no {_language_name(other)} translation; readers switching language land "
                    f"on a fallback copy. Translate it as {site.shown(twin)}",
                )


def shared_post_fields(pages: Mapping[Path, Page], site: Site) -> Iterator[Finding]:
    """Each translated post agrees with the default language's original on date and slug."""
    for page in pages.values():
        if not is_post(page) or page.language in (None, site.default_language):
            continue
        original = pages.get(site.language_dir(site.default_language) / page.in_language)
        if original is None or original.front_matter is None or page.front_matter is None:
            continue
        ours, theirs = page.front_matter, original.front_matter
        where = f"the {_language_name(site.default_language)} original {original.shown}"
        our_date, their_date = (
            post_date(ours.values.get("date")),
            post_date(theirs.values.get("date")),
        )
        if our_date and their_date and our_date != their_date:
            yield error(
                page.shown,
                ours.line_of("date"),
                f"date {our_date} differs from {where} ({their_date}); translations share "
                f"the date: set `date: {their_date}`",
            )
        our_slug, their_slug = ours.values.get("slug"), theirs.values.get("slug")
        if isinstance(our_slug, str) and isinstance(their_slug, str) and our_slug != their_slug:
            yield error(
                page.shown,
                ours.line_of("slug"),
                f"slug {our_slug!r} differs from {where} ({their_slug!r}); translations share "
                f"the slug and the file name: set `slug: {their_slug}`",
            )
        yield from _matching_categories(page, ours, original, theirs, site)


def _matching_categories(
    page: Page, ours: FrontMatter, original: Page, theirs: FrontMatter, site: Site
) -> Iterator[Finding]:
    our_names = ours.values.get("categories")
    their_names = theirs.values.get("categories")
    if not (isinstance(our_names, list) and isinstance(their_names, list) and page.language):
        return
    expected = [site.category_in(str(name), page.language) for name in their_names]
    if None in expected or sorted(map(str, our_names)) == sorted(map(str, expected)):
        return
    yield warning(
        page.shown,
        ours.line_of("categories"),
        f"categories {our_names} are not the translation of {original.shown}'s "
        f"{their_names}; expected {expected}",
    )
