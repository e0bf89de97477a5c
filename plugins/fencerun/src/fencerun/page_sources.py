"""Pages read as MkDocs reads them: the Markdown without its front matter, the line where
that starts, and the page's path relative to the docs folder; also the pages a build
has not read yet, straight from the docs folder."""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File
from mkdocs.utils.meta import get_data

from fencerun.fences import first_line_of
from fencerun.model import PageSource


def page_body(source: str) -> tuple[str, int]:
    """The page's Markdown without its front matter (read as MkDocs reads it), and the line
    of `source` where that starts."""
    body, _meta = get_data(source)
    return body, first_line_of(source, body)


def page_path(file: File, config: MkDocsConfig) -> str:
    """How the engine names the page: its path relative to the docs folder (a page a plugin
    generated has no source file, only its address)."""
    if file.abs_src_path:
        return Path(os.path.relpath(file.abs_src_path, config.docs_dir)).as_posix()
    return file.src_uri


def pages_under(
    docs_dir: str, *, exclude: Mapping[str, object], drafts: bool
) -> Iterator[PageSource]:
    """Every Markdown page under `docs_dir` but those in `exclude`, as the build reads them;
    hidden files and folders are left out, as MkDocs leaves them out, and so are pages
    marked `draft: true` unless `drafts` (the blog publishes them under `mkdocs serve`)."""
    for root, folders, names in os.walk(docs_dir):
        folders[:] = sorted(folder for folder in folders if not folder.startswith("."))
        for name in sorted(names):
            if name.startswith(".") or not name.endswith((".md", ".markdown")):
                continue
            path = Path(root, name)
            relative = path.relative_to(docs_dir).as_posix()
            if relative in exclude:
                continue
            try:
                source = path.read_text(encoding="utf-8-sig")
            except (OSError, UnicodeDecodeError):
                continue  # the build reports it if it builds the page
            body, meta = get_data(source)
            if meta.get("draft") is True and not drafts:
                continue
            yield PageSource(relative, body, first_line_of(source, body))
