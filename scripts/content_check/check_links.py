"""Internal links and anchors resolve; images have alt text and come from the site itself."""

from __future__ import annotations

import difflib
import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import unquote

from .findings import Finding, error, warning
from .markdown_source import Page
from .references import Reference, find_references
from .site_config import Site

URL_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")

# The ids of the page at a path, None when no page is there.
IdsOf = Callable[[Path], frozenset[str] | None]


def check_page_links(page: Page, site: Site, ids_of: IdsOf) -> Iterator[Finding]:
    found = find_references(page)
    for target in found.targets:
        yield from _check_target(page, target, site, ids_of)
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


def _check_target(page: Page, reference: Reference, site: Site, ids_of: IdsOf) -> Iterator[Finding]:
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
    path_part, _, fragment = target.partition("#")
    path_part = unquote(path_part.partition("?")[0])
    fragment = unquote(fragment)
    if not path_part:
        yield from _check_anchor(page, reference, fragment, page.path, site, ids_of)
        return
    resolved = Path(os.path.normpath(page.path.parent / path_part))
    if not resolved.is_relative_to(site.docs_dir):
        yield error(
            page.shown,
            reference.line,
            f"{target!r} points outside {site.shown(site.docs_dir)}; link only to files of "
            "the site",
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
            f"{target!r} does not exist (no {site.shown(resolved)}); fix the path, relative "
            f"to {site.shown(page.path.parent)}",
        )
    elif fragment and resolved.suffix == ".md":
        yield from _check_anchor(page, reference, fragment, resolved, site, ids_of)


def _check_anchor(
    page: Page, reference: Reference, fragment: str, target: Path, site: Site, ids_of: IdsOf
) -> Iterator[Finding]:
    ids = ids_of(target)
    if ids is None or fragment in ids:
        return
    close = difflib.get_close_matches(fragment, sorted(ids), n=3, cutoff=0.4)
    hint = (
        f"did you mean {', '.join('#' + name for name in close)}?"
        if close
        else "headings there have no id like it"
    )
    yield error(
        page.shown,
        reference.line,
        f"anchor #{fragment} is not in {site.shown(target)}; {hint} (ids come from headings, "
        "lowercased, spaces as '-', or from an explicit `{#id}`)",
    )
