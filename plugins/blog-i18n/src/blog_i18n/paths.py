"""How messages name a page: from the project folder (docs/ko/blog/posts/x.md), as
MkDocs users see it in their editor and as fencerun and the content check name it."""

from __future__ import annotations

import logging
import os
import re

from mkdocs.config.defaults import MkDocsConfig

# A quoted page in MkDocs' own messages: "Doc file 'ko/about.md' contains a link ..."
_QUOTED_PAGE = re.compile(r"'([^'\s]+\.md)'")


def shown(config: MkDocsConfig, src_uri: str) -> str:
    """A page of the docs folder, by its path from the folder holding mkdocs.yml."""
    project_dir = os.path.dirname(os.path.abspath(config.config_file_path or "mkdocs.yml"))
    path = os.path.join(config.docs_dir, src_uri)
    return os.path.relpath(path, project_dir).replace(os.sep, "/")


def key_line(text: str, key: str) -> int | None:
    """The line of a top-level front matter key, 1-based."""
    match = re.search(rf"^{re.escape(key)}\s*:", text, re.MULTILINE)
    return None if match is None else text.count("\n", 0, match.start()) + 1


class ProjectPaths(logging.Filter):
    """Names pages in MkDocs' own warnings as this plugin names them (docs/ko/about.md, not
    ko/about.md). Only a quoted name that is a file of the docs folder is rewritten, so a
    link target written in a page stays as its author wrote it."""

    def __init__(self, config: MkDocsConfig) -> None:
        super().__init__()
        self.config = config

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno >= logging.WARNING and record.name.startswith("mkdocs."):
            message = record.getMessage()
            named = _QUOTED_PAGE.sub(self._project_path, message)
            if named != message:
                record.msg, record.args = named, ()
        return True

    def _project_path(self, quoted: re.Match[str]) -> str:
        src_uri = quoted[1]
        if not os.path.isfile(os.path.join(self.config.docs_dir, src_uri)):
            return quoted[0]
        return f"'{shown(self.config, src_uri)}'"


def name_pages_from_the_project(config: MkDocsConfig) -> None:
    """Puts ProjectPaths on the handlers of MkDocs' logger, once: a filter on the logger
    itself would not see the records its child loggers (mkdocs.structure.pages) pass up."""
    for handler in logging.getLogger("mkdocs").handlers:
        for existing in [f for f in handler.filters if isinstance(f, ProjectPaths)]:
            handler.removeFilter(existing)
        handler.addFilter(ProjectPaths(config))
