"""Every option of the blog-i18n plugin, with its default."""

from __future__ import annotations

from mkdocs.config import config_options as c
from mkdocs.config.base import Config


class BlogI18nConfig(Config):  # type: ignore[no-untyped-call]  # mkdocs leaves it untyped
    enabled = c.Type(bool, default=True)

    # Settings for the blog's categories: each under the ASCII slug of its address,
    # with its name in every language (`linux: {ko: 리눅스, en: Linux}`). These names
    # are the blog's categories_allowed, and both translations of a category share one
    # readable URL (/blog/category/linux/). Empty: the blog's own settings apply.
    categories = c.DictOfItems(c.DictOfItems(c.Type(str)), default={})

    # Settings for reading time: words (runs of text between spaces, so that a
    # Korean word keeps its particles) per minute, per language. Languages not
    # listed use the blog plugin's post_readtime_words_per_minute.
    words_per_minute = c.Type(dict, default={})

    # Settings for glossaries: per language, the file pymdownx.snippets appends
    # to every page instead of its configured auto_append list.
    glossaries = c.Type(dict, default={})

    # Settings for feeds: one RSS 2.0 feed per language, at its root.
    feed = c.Type(bool, default=True)
    feed_file = c.Type(str, default="feed.xml")
    feed_length = c.Type(int, default=20)
