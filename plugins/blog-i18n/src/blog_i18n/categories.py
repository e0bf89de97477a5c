"""The blog's categories: each under one ASCII slug, with its name in every language."""

from __future__ import annotations

from collections.abc import Callable, Mapping

Slugify = Callable[[str, str], str]
# slug -> {language: name}, as blog-i18n's `categories` option lists them
Categories = Mapping[str, Mapping[str, str]]


def allowed_names(categories: Categories) -> list[str]:
    """Every name of every category, language by language: the blog's categories_allowed."""
    languages = list(dict.fromkeys(language for names in categories.values() for language in names))
    return [
        names[language]
        for language in languages
        for names in categories.values()
        if language in names
    ]


class CategorySlugs:
    """The blog's categories_slugify: a listed name gets its category's ASCII slug
    (리눅스 -> linux), any other name the blog's own slug."""

    def __init__(self, categories: Categories, fallback: Slugify) -> None:
        self.slugs = {name: slug for slug, names in categories.items() for name in names.values()}
        self.fallback = fallback

    def __call__(self, name: str, separator: str) -> str:
        return self.slugs.get(name) or self.fallback(name, separator)
