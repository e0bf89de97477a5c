"""Which language is being built, read from mkdocs-static-i18n."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Languages:
    """The languages of the site, seen from the build of one of them."""

    current: str
    default: str
    built: tuple[str, ...]

    @classmethod
    def of(cls, i18n: Any) -> Languages:
        # static-i18n sets current_language in its own on_config (priority
        # -100); before that, in the first build, the default is being built.
        default = str(i18n.default_language)
        current = i18n.current_language or default
        return cls(str(current), default, tuple(str(lang) for lang in i18n.build_languages))

    @property
    def others(self) -> tuple[str, ...]:
        return tuple(lang for lang in self.built if lang != self.current)

    @property
    def is_default(self) -> bool:
        return self.current == self.default

    def root(self, language: str | None = None) -> str:
        """URL prefix of a language's pages: '' for the default, 'en/' for English."""
        language = language or self.current
        return "" if language == self.default else f"{language}/"

    def blog_dir(self, language: str | None = None) -> str:
        """The blog's folder for a language, inside docs/ (folder layout)."""
        return f"{language or self.current}/blog"
