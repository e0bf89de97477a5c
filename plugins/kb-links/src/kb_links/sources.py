"""The Markdown pages of each language's folder, read as MkDocs reads them."""

from __future__ import annotations

import os
from collections.abc import Iterable

from mkdocs.utils.meta import get_data

from kb_links.graph import PageSource


def read_languages(docs_dir: str, languages: Iterable[str]) -> dict[str, list[PageSource]]:
    """Every .md file under docs_dir/<language>/, by language (static-i18n's folder layout).
    Files and folders named `.*` are left out, as MkDocs leaves them out."""
    return {
        language: [
            read_page(docs_dir, path) for path in _markdown_files(os.path.join(docs_dir, language))
        ]
        for language in languages
    }


def read_page(docs_dir: str, path: str) -> PageSource:
    with open(path, encoding="utf-8-sig") as file:
        text = file.read()
    body, meta = get_data(text)
    body_line = text[: len(text) - len(body)].count("\n") + 1
    src_uri = os.path.relpath(path, docs_dir).replace(os.sep, "/")
    return PageSource(src_uri, body, dict(meta), body_line)


def _markdown_files(folder: str) -> list[str]:
    found = []
    for root, folders, names in os.walk(folder):
        folders[:] = sorted(name for name in folders if not name.startswith("."))
        found += [
            os.path.join(root, name)
            for name in sorted(names)
            if name.endswith(".md") and not name.startswith(".")
        ]
    return found
