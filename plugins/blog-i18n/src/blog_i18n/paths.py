"""How messages name a page: from the project folder (docs/ko/blog/posts/x.md), as
MkDocs users see it in their editor and as fencerun and the content check name it."""

from __future__ import annotations

import os
import re

from mkdocs.config.defaults import MkDocsConfig


def shown(config: MkDocsConfig, src_uri: str) -> str:
    """A page of the docs folder, by its path from the folder holding mkdocs.yml."""
    project_dir = os.path.dirname(os.path.abspath(config.config_file_path or "mkdocs.yml"))
    path = os.path.join(config.docs_dir, src_uri)
    return os.path.relpath(path, project_dir).replace(os.sep, "/")


def key_line(text: str, key: str) -> int | None:
    """The line of a top-level front matter key, 1-based."""
    match = re.search(rf"^{re.escape(key)}\s*:", text, re.MULTILINE)
    return None if match is None else text.count("\n", 0, match.start()) + 1
