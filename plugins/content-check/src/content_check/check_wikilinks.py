"""Every [[wikilink]] names one page of its own language, and a heading it names is there:
the rules the build applies (plugins/kb-links/), found before the build."""

from __future__ import annotations

from collections.abc import Iterator

from kb_links.graph import link_languages
from kb_links.sources import read_languages
from markdown.extensions.toc import slugify_unicode

from .findings import Finding, error
from .site_config import Site


def check_wikilinks(site: Site) -> Iterator[Finding]:
    # The site's slugify (pymdownx.slugs, lower case) keeps Hangul as this one does: an
    # anchor the two spell apart is still caught by the build's own anchor check.
    pages = read_languages(str(site.docs_dir), site.languages)
    _, problems = link_languages(pages, slugify_unicode)
    for problem in problems:
        shown = site.shown(site.docs_dir / problem.source.src_uri)
        yield error(shown, problem.line, f"{problem.message}; {problem.hint}")
