"""Internal links resolve; images have alt text and come from the site itself.

A link's `#anchor` is the build's to check (see the package's docstring)."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote

from .findings import Finding, error, warning
from .markdown_source import Page
from .references import Reference, find_references
from .site_config import Site

URL_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


def check_page_links(page: Page, site: Site) -> Iterator[Finding]:
    found = find_references(page)
    for target in found.targets:
        yield from _check_target(page, target, site)
    for image in found.images:
        if image.alt is None or not image.alt.strip():
            fix = (
                'add alt="what it shows"' if image.alt is None else "describe it: ![what it shows]"
            )
            yield error(
                page.shown,
                image.line,
                f"image {image.source!r} has no alt text; {fix} (screen readers and search "
                "read it)",
            )
        if URL_SCHEME.match(image.source) or image.source.startswith("//"):
            yield error(
                page.shown,
                image.line,
                f"image {image.source!r} is loaded from another host, and the site must work "
                "offline; save it next to the page and link it relatively",
            )
    for label in found.undefined_labels:
        yield error(
            page.shown,
            label.line,
            f"reference [{label.label}] is never defined, so it renders as plain text; add a "
            f"line `[{label.label}]: target.md` or write an inline link",
        )


def _check_target(page: Page, reference: Reference, site: Site) -> Iterator[Finding]:
    target = reference.target
    if not target:
        yield error(page.shown, reference.line, f"{reference.kind} has an empty target; fill it in")
        return
    if URL_SCHEME.match(target) or target.startswith("//"):
        return
    if target.startswith("/"):
        yield warning(
            page.shown,
            reference.line,
            f"absolute link {target!r} is not checked and breaks when the site moves; link "
            "the .md file relatively instead",
        )
        return
    path_part = unquote(target.partition("#")[0].partition("?")[0])
    if not path_part:  # `#anchor` within the page
        return
    written = Path(os.path.normpath(page.path.parent / path_part))
    # A translation may use the default language's file, as static-i18n falls back to it.
    resolved = site.served_file(written, page.language)
    if not written.is_relative_to(site.docs_dir):
        yield error(
            page.shown,
            reference.line,
            f"{target!r} points outside {site.shown(site.docs_dir)}; link only to files of "
            "the site",
        )
    elif (folder := _other_language_folder(page, written, site)) is not None:
        yield error(
            page.shown,
            reference.line,
            f"{target!r} points into {site.shown(folder)}, another language's folder, and the "
            "build quietly links this language's page instead; link the page in this "
            "language's folder (readers change language with the switcher)",
        )
    elif resolved.is_dir():
        index = (Path(path_part) / "index.md").as_posix()
        yield error(
            page.shown,
            reference.line,
            f"{target!r} points to a folder; link to its page instead: {index!r}",
        )
    elif not resolved.is_file():
        yield error(
            page.shown,
            reference.line,
            f"{target!r} does not exist (no {site.shown(written)}); fix the path, relative "
            f"to {site.shown(page.path.parent)}",
        )


def _other_language_folder(page: Page, target: Path, site: Site) -> Path | None:
    """The language folder `target` is in, when it is not the page's own."""
    if page.language is None:
        return None
    for language in site.languages:
        folder = site.language_dir(language)
        if language != page.language and target.is_relative_to(folder):
            return folder
    return None
