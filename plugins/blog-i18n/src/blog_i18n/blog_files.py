"""Where the blog's pages of one language go, and which pages are its own."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from .languages import Languages
from .paths import shown

log = logging.getLogger("mkdocs.plugins.blog-i18n")


BLOG_NEEDS = {
    "index.md": "create it with a title, e.g. '# Blog'",
    "posts": "create the folder (with a .gitkeep while it has no posts)",
}


def require_blog_folders(languages: Languages, config: MkDocsConfig) -> None:
    """Stops the build where the blog would write into docs/: it creates a
    missing index page and posts folder there."""
    for needed, remedy in BLOG_NEEDS.items():
        src_uri = f"{languages.blog_dir()}/{needed}"
        if not os.path.exists(os.path.join(config.docs_dir, src_uri)):
            raise PluginError(
                f"blog-i18n: {shown(config, src_uri)} is missing, and the "
                f"'{languages.current}' blog would write it into docs/: {remedy}"
            )


def drop_other_languages_posts(files: Files, languages: Languages, config: MkDocsConfig) -> None:
    """Removes the blog pages static-i18n adds as fallbacks from other languages.

    With fallback_to_default, a Korean post without an English translation
    would be rendered under /en/ as an orphan page outside the English blog.
    """
    for file in list(files.documentation_pages()):
        for other in languages.others:
            if file.src_uri.startswith(f"{languages.blog_dir(other)}/"):
                files.remove(file)
                if "/posts/" in file.src_uri:
                    log.info(
                        f"{shown(config, file.src_uri)} has no '{languages.current}' translation: "
                        f"the '{languages.current}' blog leaves it out"
                    )


def blog_pages(blog: Any) -> Iterator[Page]:
    """Every page the blog plugin made: its index, archive, category and
    pagination views, and the posts."""
    views = [blog]
    while views:
        view = views.pop()
        yield view
        yield from (page for page in view.pages if page is not view)
        views.extend(view.views)
    yield from blog.posts


def move_to_language_root(
    pages: Iterator[Page], languages: Languages, config: MkDocsConfig
) -> None:
    """Serves the default language's blog from the root, as static-i18n does
    for its other pages.

    The blog computes post and view paths from its blog_dir, ko/blog, so the
    Korean pages would land in /ko/blog/ instead of /blog/.
    """
    if not languages.is_default:
        return
    prefix = f"{languages.current}/"
    for page in pages:
        file: File = page.file
        if not file.dest_uri.startswith(prefix):
            continue
        file.dest_uri = file.dest_uri.removeprefix(prefix)
        file.url = file._get_url()
        file.abs_dest_path = os.path.normpath(os.path.join(config.site_dir, file.dest_uri))
        page._set_canonical_url(config.site_url)
