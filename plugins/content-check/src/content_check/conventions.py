"""The site's content conventions, in one place, for the check and for new_post."""

from __future__ import annotations

import re
from typing import Final

# Used when mkdocs.yml names no languages for mkdocs-static-i18n; the first is the default.
DEFAULT_LANGUAGES: Final = ("ko", "en")

LANGUAGE_NAMES: Final = {"ko": "Korean", "en": "English"}

# Each category with its name in every language. When mkdocs.yml's blog plugin sets
# `categories_allowed`, that list decides what posts may use; this table still
# pairs a Korean category with its English twin.
CATEGORIES: Final = (
    {"ko": "커리어", "en": "Career"},
    {"ko": "리눅스", "en": "Linux"},
    {"ko": "파이썬", "en": "Python"},
    {"ko": "회고", "en": "Retrospective"},
)

# Used when a language's blog has no .authors.yml yet.
DEFAULT_AUTHORS: Final = frozenset({"linus"})

# Relative to a language's folder in docs/ (static-i18n's folder layout).
BLOG_DIR: Final = "blog"
POSTS_DIR: Final = f"{BLOG_DIR}/posts"
AUTHORS_FILE: Final = f"{BLOG_DIR}/.authors.yml"

EXCERPT_SEPARATOR: Final = "<!-- more -->"

SLUG_PATTERN: Final = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
SLUG_RULE: Final = "lowercase ASCII letters and digits, words joined by single hyphens"


def categories_of(language: str) -> tuple[str, ...]:
    """The category names this table gives for a language (none for an unknown language)."""
    return tuple(names[language] for names in CATEGORIES if language in names)


def category_in(name: str, language: str) -> str | None:
    """Category `name` (given in any language) as it is called in `language`."""
    for names in CATEGORIES:
        if name in names.values():
            return names.get(language)
    return None


def is_valid_slug(slug: str) -> bool:
    return SLUG_PATTERN.fullmatch(slug) is not None
