"""The MkDocs plugin: each note shows when it was created and last changed, and each blog
post when it was last changed, in the language of the build that renders it.

Front matter wins (`date`, `updated`, or Material's `date: {created, updated}`); then git's
history, read once per build for the whole docs folder (static-i18n builds the other
languages inside the first, with the same plugin object). Where neither says, the page
shows no date rather than a guessed one: a checkout's file times are the time of the
checkout, so they would date every page to the day it was built.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import re
from pathlib import Path, PurePosixPath
from typing import Any

from material.plugins.blog.structure import Post
from mkdocs.config import config_options
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils.templates import TemplateContext

from page_dates.history import FileDates, History, read_history
from page_dates.shown import NotADate, front_matter_dates, page_dates

log = logging.getLogger("mkdocs.plugins.page_dates")


class PageDatesConfig(Config):  # type: ignore[no-untyped-call]  # mkdocs leaves it untyped
    # The folder, inside each language's, whose pages are notes (its index.md pages are
    # the lists of its sections, not notes).
    notes_dir = config_options.Type(str, default="kb")


class PageDatesPlugin(BasePlugin[PageDatesConfig]):  # type: ignore[no-untyped-call]
    def __init__(self) -> None:
        super().__init__()
        self.history = History()

    # Read the history once per build, in the first language's: static-i18n flags the
    # builds of the others, which it runs inside the first.
    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        if getattr(config.plugins.get("i18n"), "building", False):
            return
        self.history = read_history(Path(config.docs_dir))
        if self.history.missing:
            log.info(
                f"No git history ({self.history.missing}): pages show only the dates "
                "their front matter gives"
            )
        elif self.history.shallow:
            log.info(
                "This clone is shallow: dates older than its oldest commit are left out; "
                "fetch the whole history (git fetch --unshallow; in GitHub Actions, "
                "actions/checkout with fetch-depth: 0)"
            )

    # Give a note its dates, for partials/page-dates.html, and a post the date it last
    # changed, for Material's "updated" line - before either is rendered.
    def on_page_context(
        self, context: TemplateContext, *, page: Page, config: MkDocsConfig, nav: Navigation
    ) -> TemplateContext | None:
        git = self.history.of(page.file.src_uri)
        try:
            if isinstance(page, Post):
                _date_post(page, git)
            elif self._is_note(page):
                dates = page_dates(page.meta, git, _language(config))
                page.page_dates = dates  # type: ignore[attr-defined]
        except NotADate as problem:
            raise PluginError(f"{_where(page, problem.key, config)}: {problem}") from problem
        return context

    def _is_note(self, page: Page) -> bool:
        # static-i18n's path of the page inside its language folder (kb/x.md for ko/kb/x.md).
        uri = PurePosixPath(getattr(page.file, "norm_src_uri", None) or page.file.src_uri)
        return uri.parts[0] == self.config.notes_dir and uri.name != "index.md"


def _language(config: MkDocsConfig) -> str:
    """The language of this build: Material's `language` (static-i18n sets it for each
    language), else the `locale` every MkDocs theme has."""
    theme = config.theme
    return str(theme.get("language", theme.locale))


def _date_post(post: Any, git: FileDates | None) -> None:
    """Material shows `date.updated` when a post has one: from front matter, else git's
    last change when it is later than the day the post was published."""
    dates = post.config.date
    _, written = front_matter_dates(post.meta)
    if dates.get("updated") is not None:
        return
    if written is not None:
        dates["updated"] = _as_material_does(written)
    elif git and git.changed and git.changed.date() > dates.created.date():
        dates["updated"] = git.changed


def _as_material_does(when: dt.date) -> dt.datetime:
    """A front matter date as Material's blog keeps its own: a datetime, UTC if unzoned."""
    if not isinstance(when, dt.datetime):
        when = dt.datetime.combine(when, dt.time())
    return when if when.tzinfo else when.replace(tzinfo=dt.UTC)


def _where(page: Page, key: str, config: MkDocsConfig) -> str:
    """The page's file from the project folder, and the line of `key` in its front matter."""
    source = page.file.abs_src_path or ""
    project = os.path.dirname(os.path.abspath(config.config_file_path or "mkdocs.yml"))
    where = os.path.relpath(source, project).replace(os.sep, "/")
    with open(source, encoding="utf-8-sig") as stream:
        lines = stream.read().splitlines()
    for number, line in enumerate(lines[1:], start=2):
        if line.rstrip() in ("---", "..."):  # the end of the front matter
            break
        if re.match(rf"{re.escape(key)}\s*:", line):
            return f"{where}:{number}"
    return where
