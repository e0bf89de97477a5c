"""Who may sign a post: the authors a language's blog declares in its .authors.yml."""

from __future__ import annotations

from dataclasses import dataclass

import yaml

from .conventions import AUTHORS_FILE, DEFAULT_AUTHORS
from .findings import Finding, error
from .site_config import Site


@dataclass(frozen=True)
class KnownAuthors:
    names: frozenset[str]
    source: str  # where the names come from, for messages
    problem: Finding | None = None  # set when the authors file cannot be used


def known_authors(site: Site, language: str) -> KnownAuthors:
    path = site.language_dir(language) / AUTHORS_FILE
    shown = site.shown(path)
    if not path.is_file():
        return KnownAuthors(DEFAULT_AUTHORS, f"the default authors (no {shown} yet)")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.MarkedYAMLError as problem:
        line = problem.problem_mark.line + 1 if problem.problem_mark else 1
        return KnownAuthors(
            frozenset(),
            shown,
            error(shown, line, f"not valid YAML ({problem.problem}); fix the syntax"),
        )
    authors = data.get("authors") if isinstance(data, dict) else None
    if not isinstance(authors, dict):
        return KnownAuthors(
            frozenset(),
            shown,
            error(shown, 1, "needs an `authors:` mapping, e.g. `authors: {linus: {name: ...}}`"),
        )
    return KnownAuthors(frozenset(str(name) for name in authors), shown)
