"""Runs every check over a site's docs folder and gathers the findings."""

from __future__ import annotations

from collections.abc import Iterator

from .authors import KnownAuthors, known_authors
from .check_links import check_page_links
from .check_posts import check_post, is_post, tag_spellings
from .check_translations import missing_translations, shared_post_fields
from .check_wikilinks import check_wikilinks
from .findings import Finding, error
from .markdown_source import Page, read_page
from .site_config import Site


def site_pages(site: Site) -> list[Page]:
    """Every Markdown page MkDocs would build (it skips files and folders named `.*`)."""
    paths = sorted(
        path
        for path in site.docs_dir.rglob("*.md")
        if not any(part.startswith(".") for part in path.relative_to(site.docs_dir).parts)
    )
    return [read_page(path, site.shown(path), site.docs_dir, site.languages) for path in paths]


def check_site(site: Site, pages: list[Page]) -> list[Finding]:
    by_path = {page.path: page for page in pages}
    authors = {language: known_authors(site, language) for language in site.languages}
    findings = [found.problem for found in authors.values() if found.problem]
    for page in pages:
        findings.extend(_check_page(page, site, authors))
    findings.extend(shared_post_fields(by_path, site))
    findings.extend(tag_spellings(pages))
    findings.extend(missing_translations(pages, site))
    findings.extend(check_wikilinks(site))
    return sorted(findings)


def _check_page(page: Page, site: Site, authors: dict[str, KnownAuthors]) -> Iterator[Finding]:
    problem = page.front_matter_error
    if problem is not None:
        yield error(page.shown, problem.line, problem.message)
    if is_post(page) and page.language is not None:
        yield from check_post(page, site, authors[page.language])
    yield from check_page_links(page, site)
