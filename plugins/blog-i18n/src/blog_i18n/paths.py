"""How messages name a page: from the project folder (docs/ko/blog/posts/x.md), as
MkDocs users see it in their editor and as fencerun and the content check name it."""

from __future__ import annotations

import logging
import os
import re

from mkdocs.config.defaults import MkDocsConfig

# A quoted page in MkDocs' own messages: "Doc file 'ko/about.md' contains a link ..."
_QUOTED_PAGE = re.compile(r"'([^'\s]+\.md)'")
# MkDocs' warnings about one link of a page (a missing target or anchor, an absolute or
# unrecognized link) name the page first, then the link as its author wrote it.
_LINK_WARNING = re.compile(
    r"\ADoc file '(?P<page>[^'\s]+\.md)' contains (?:a|an absolute|an unrecognized relative) "
    r"link '(?P<link>[^']+)'"
)


def shown(config: MkDocsConfig, src_uri: str) -> str:
    """A page of the docs folder, by its path from the folder holding mkdocs.yml."""
    project_dir = os.path.dirname(os.path.abspath(config.config_file_path or "mkdocs.yml"))
    path = os.path.join(config.docs_dir, src_uri)
    return os.path.relpath(path, project_dir).replace(os.sep, "/")


def key_line(text: str, key: str) -> int | None:
    """The line of a top-level front matter key, 1-based."""
    match = re.search(rf"^{re.escape(key)}\s*:", text, re.MULTILINE)
    return None if match is None else text.count("\n", 0, match.start()) + 1


def link_line(text: str, link: str) -> int | None:
    """The line of a page's Markdown where `link` is written as a link's destination:
    `](link)`, `](<link>)`, `[label]: link` or `href="link"`, 1-based."""
    written = re.search(rf"(?<=[(<\s\"']){re.escape(link)}(?=[)>\s\"'])", text)
    return None if written is None else text.count("\n", 0, written.start()) + 1


class ProjectPaths(logging.Filter):
    """Names pages in MkDocs' own warnings as this plugin names them (docs/ko/about.md, not
    ko/about.md), and the page of a warning about a link with the line the link is written
    on (docs/ko/about.md:12). Only a quoted name that is a file of the docs folder is
    rewritten, so a link target written in a page stays as its author wrote it."""

    def __init__(self, config: MkDocsConfig) -> None:
        super().__init__()
        self.config = config

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno >= logging.WARNING and record.name.startswith("mkdocs."):
            message = record.getMessage()
            named = _QUOTED_PAGE.sub(self._project_path, message)
            link = _LINK_WARNING.match(message)
            if link is not None:
                named = self._with_line(named, link["page"], link["link"])
            if named != message:
                record.msg, record.args = named, ()
        return True

    def _project_path(self, quoted: re.Match[str]) -> str:
        src_uri = quoted[1]
        if not os.path.isfile(os.path.join(self.config.docs_dir, src_uri)):
            return quoted[0]
        return f"'{shown(self.config, src_uri)}'"

    def _with_line(self, message: str, src_uri: str, link: str) -> str:
        try:
            with open(os.path.join(self.config.docs_dir, src_uri), encoding="utf-8") as page:
                line = link_line(page.read(), link)
        except (OSError, UnicodeError):
            return message
        if line is None:  # not in the page's own text: a plugin or a snippet wrote it
            return message
        return re.sub(r"\A(Doc file '[^']+)'", rf"\1:{line}'", message, count=1)


def name_pages_from_the_project(config: MkDocsConfig) -> None:
    """Puts ProjectPaths on the handlers of MkDocs' logger, once: a filter on the logger
    itself would not see the records its child loggers (mkdocs.structure.pages) pass up."""
    for handler in logging.getLogger("mkdocs").handlers:
        for existing in [f for f in handler.filters if isinstance(f, ProjectPaths)]:
            handler.removeFilter(existing)
        handler.addFilter(ProjectPaths(config))
