"""ASCII slugs for category names."""

from __future__ import annotations

from collections.abc import Callable, Mapping

Slugify = Callable[[str, str], str]


class CategorySlugs:
    """The blog's categories_slugify: a listed name gets its ASCII slug
    (리눅스 -> linux), any other name the blog's own slug."""

    def __init__(self, slugs: Mapping[str, str], fallback: Slugify) -> None:
        self.slugs = dict(slugs)
        self.fallback = fallback

    def __call__(self, name: str, separator: str) -> str:
        return self.slugs.get(name) or self.fallback(name, separator)
