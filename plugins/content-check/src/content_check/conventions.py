"""The site's content conventions, in one place, for the check and for new_post."""

from __future__ import annotations

import re
from typing import Final

# Used when mkdocs.yml names no languages for mkdocs-static-i18n; the first is the default.
DEFAULT_LANGUAGES: Final = ("ko", "en")

LANGUAGE_NAMES: Final = {"ko": "Korean", "en": "English"}

# Used when a language's blog has no .authors.yml yet.
DEFAULT_AUTHORS: Final = frozenset({"linus"})

# Relative to a language's folder in docs/ (static-i18n's folder layout).
BLOG_DIR: Final = "blog"
POSTS_DIR: Final = f"{BLOG_DIR}/posts"
AUTHORS_FILE: Final = f"{BLOG_DIR}/.authors.yml"

EXCERPT_SEPARATOR: Final = "<!-- more -->"

SLUG_PATTERN: Final = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
SLUG_RULE: Final = "lowercase ASCII letters and digits, words joined by single hyphens"


def is_valid_slug(slug: str) -> bool:
    return SLUG_PATTERN.fullmatch(slug) is not None
