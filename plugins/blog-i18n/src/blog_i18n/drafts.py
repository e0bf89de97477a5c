"""The posts a build leaves out because they are drafts, named in one line at its end.

Material's blog drops a `draft: true` post from `mkdocs build` without a word (and shows
it under `mkdocs serve`); an author who forgot the flag would look for the post in vain.
"""

from __future__ import annotations

import os
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files

from .paths import shown


def left_out(files: Files, blog: Any, config: MkDocsConfig) -> list[str]:
    """The posts of this language's blog that the blog plugin did not publish, as paths
    from the project folder (docs/ko/blog/posts/x.md), sorted."""
    posts_dir = os.path.normpath(blog.config.post_dir.format(blog=blog.config.blog_dir))
    published = {post.file.src_uri for post in blog.blog.posts}
    drafts = []
    for file in files:
        if not file.is_documentation_page() or not file.src_path.startswith(posts_dir + os.sep):
            continue
        if file.src_uri not in published:
            drafts.append(shown(config, file.src_uri))
    return sorted(drafts)


def summary(drafts: list[str]) -> str:
    count = f"{len(drafts)} draft" + ("s" if len(drafts) > 1 else "")
    return f"blog: left out {count} (`draft: true`; `scripts/site serve` shows them): " + ", ".join(
        drafts
    )
