"""Language switcher targets for the blog's pages.

A post's translation is the file at the same place in the other language's
folder (docs/ko/blog/posts/x.md <-> docs/en/blog/posts/x.md), as static-i18n
pairs other pages. Its URL is this post's URL under the other language's root,
which holds only if both share `date` and `slug`: checked here, since the
blog's post_url_format builds URLs from them.
"""

from __future__ import annotations

import os
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File
from mkdocs.structure.pages import Page
from mkdocs.utils.meta import get_data

from .languages import Languages
from .paths import key_line, shown

SHARED_KEYS = ("date", "slug")


def check_post_url_format(post_url_format: str) -> None:
    for placeholder in ("{categories}", "{file}"):
        if placeholder in post_url_format:
            raise PluginError(
                f"blog-i18n: post_url_format '{post_url_format}' uses {placeholder}, which "
                "differs between translations; use only {date} and {slug}"
            )


def link_posts(posts: list[Any], languages: Languages, config: MkDocsConfig) -> None:
    for post in posts:
        own_dir = languages.blog_dir()
        relative_src = post.file.src_uri.removeprefix(f"{own_dir}/")
        alternates = _own_alternate(post.file, languages)
        for other in languages.others:
            translation = f"{languages.blog_dir(other)}/{relative_src}"
            if os.path.isfile(os.path.join(config.docs_dir, translation)):
                _check_shared_keys(post, translation, config)
                alternates[other] = _counterpart(post.file, translation, other, languages, config)
            else:
                alternates[other] = _blog_index(other, languages, config)


def link_views(views: list[Page], languages: Languages, config: MkDocsConfig) -> None:
    """Archive, category and pagination views switch to the other blog's index:
    the same year or category may have no posts in the other language."""
    for view in views:
        alternates = _own_alternate(view.file, languages)
        for other in languages.others:
            alternates[other] = _blog_index(other, languages, config)


def _own_alternate(file: File, languages: Languages) -> dict[str, File]:
    # The attributes static-i18n's language switcher reads (on_page_context).
    file.locale = languages.current  # type: ignore[attr-defined]
    file.locale_alternate_of = languages.current  # type: ignore[attr-defined]
    file.alternates = {languages.current: file}  # type: ignore[attr-defined]
    return file.alternates  # type: ignore[attr-defined, no-any-return]


def _counterpart(
    file: File, src_uri: str, language: str, languages: Languages, config: MkDocsConfig
) -> File:
    dest_uri = languages.root(language) + file.dest_uri.removeprefix(languages.root())
    counterpart = File(
        src_uri, config.docs_dir, config.site_dir, config.use_directory_urls, dest_uri=dest_uri
    )
    counterpart.locale = language  # type: ignore[attr-defined]
    return counterpart


def _blog_index(language: str, languages: Languages, config: MkDocsConfig) -> File:
    src_uri = f"{languages.blog_dir(language)}/index.md"
    dest_uri = f"{languages.root(language)}blog/index.html"
    index = File(
        src_uri, config.docs_dir, config.site_dir, config.use_directory_urls, dest_uri=dest_uri
    )
    index.locale = language  # type: ignore[attr-defined]
    return index


def _check_shared_keys(post: Any, translation: str, config: MkDocsConfig) -> None:
    with open(os.path.join(config.docs_dir, translation), encoding="utf-8-sig") as f:
        translated_text = f.read()
    _, meta = get_data(translated_text)
    with open(post.file.abs_src_path, encoding="utf-8-sig") as f:
        own_text = f.read()
    for key in SHARED_KEYS:
        own, theirs = post.meta.get(key), meta.get(key)
        if str(own) != str(theirs):
            here = _at(shown(config, post.file.src_uri), key_line(own_text, key))
            there = _at(shown(config, translation), key_line(translated_text, key))
            raise PluginError(
                f"blog-i18n: {here}: {key}: {_value(own)} differs from its translation's "
                f"{key}: {_value(theirs)} ({there}); translations of a post must share "
                f"{' and '.join(SHARED_KEYS)}, so that both get the same URL: set one "
                "value in both"
            )


def _at(path: str, line: int | None) -> str:
    return path if line is None else f"{path}:{line}"


def _value(value: object) -> str:
    # As the author wrote it (2024-02-01), not as Python shows it (datetime.date(...)).
    return "(none)" if value is None else str(value)
