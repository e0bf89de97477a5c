"""Material's blog plugin and mkdocs-static-i18n (folder layout), working together.

Upstream the two do not mix (ultrabug/mkdocs-static-i18n#283): the blog looks
for its posts before static-i18n has sorted files into languages. This plugin
runs the blog's file resolution after static-i18n's, once per language, with
the blog pointed at that language's folder; then gives each language its own
language switcher targets, search index, feed, sitemap, reading time and 404
page.

static-i18n builds each further language as a nested build() from the default
language's on_post_build, with the same config and plugin instances: every
hook below from on_config to on_post_build runs once per language.
"""

from __future__ import annotations

import copy
import logging
import os
from typing import Any

from jinja2 import Environment, Template
from markupsafe import Markup
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from . import alternates, blog_files, drafts, search_index, sitemap
from .categories import CategorySlugs, allowed_names
from .config import BlogI18nConfig
from .feed import Feed, FeedItem, write_feed
from .languages import Languages
from .paths import name_pages_from_the_project
from .quiet_log import quiet_static_i18n
from .readtime import reading_minutes

log = logging.getLogger("mkdocs.plugins.blog-i18n")


class BlogI18nPlugin(BasePlugin[BlogI18nConfig]):  # type: ignore[no-untyped-call]
    def __init__(self) -> None:
        super().__init__()
        self.blog: Any = None
        self.i18n: Any = None
        self.languages: Languages
        self.blog_on_files: Any = None
        self.default_auto_append: list[str] | None = None
        self.default_search_index = ""
        self.default_not_found = ""
        self.drafts: list[str] = []
        # Before static-i18n's on_config logs its first override.
        quiet_static_i18n()

    # Point the blog at this language's folder (run early) - before the blog's
    # own on_config (priority 0) reads its authors file from blog_dir. Also
    # take the blog's on_files out of the event list: it must see the files
    # static-i18n has sorted, so on_files below calls it later.
    @event_priority(10)
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        if not self.config.enabled:
            return None
        self.blog = config.plugins.get("material/blog")
        self.i18n = config.plugins.get("i18n")
        if self.blog is None or self.i18n is None:
            raise PluginError("blog-i18n needs the 'blog' and 'i18n' plugins in mkdocs.yml")
        if self.i18n.config.docs_structure != "folder":
            raise PluginError("blog-i18n needs i18n's docs_structure: folder")
        alternates.check_post_url_format(self.blog.config.post_url_format)
        name_pages_from_the_project(config)
        self.languages = Languages.of(self.i18n)
        if not _inside_another_build(self.i18n):
            self.drafts = []
        self.blog.config.blog_dir = self.languages.blog_dir()
        self._use_categories()
        self._take_over_blog_on_files(config)
        self._use_language_glossary(config)
        return config

    # Resolve the blog after static-i18n (run later, static-i18n is at -100) -
    # by now the files are this language's, with default-language fallbacks
    # for pages without a translation: the blog must not publish those.
    @event_priority(-110)
    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files | None:
        if not self.config.enabled:
            return None
        blog_files.require_blog_folders(self.languages, config)
        blog_files.drop_other_languages_posts(files, self.languages, config)
        self.blog_on_files(files, config=config)
        self.drafts += drafts.left_out(files, self.blog, config)
        blog_files.move_to_language_root(
            blog_files.blog_pages(self.blog.blog), self.languages, config
        )
        return files

    # Link each post to its translation (run later) - after static-i18n's
    # on_nav (-100), which resets the alternates of the blog's pages, and the
    # blog's (-50), which attaches the views.
    @event_priority(-110)
    def on_nav(self, nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation | None:
        if not self.config.enabled:
            return None
        posts = list(self.blog.blog.posts)
        views = [page for page in blog_files.blog_pages(self.blog.blog) if page not in posts]
        alternates.link_posts(posts, self.languages, config)
        alternates.link_views(views, self.languages, config)
        return nav

    # Compute the reading time of a post (run early) - before the blog's
    # on_page_content (priority 0), which keeps a reading time already set.
    @event_priority(10)
    def on_page_content(
        self, html: str, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str | None:
        if not self.config.enabled or page not in self.blog.blog.posts:
            return None
        post: Any = page
        if not post.config.readtime:
            words_per_minute = self.config.words_per_minute.get(
                self.languages.current, self.blog.config.post_readtime_words_per_minute
            )
            post.config.readtime = reading_minutes(html, words_per_minute)
        return html

    # Tell templates where this language's root is, for links to its feed.
    def on_env(self, env: Environment, *, config: MkDocsConfig, files: Files) -> Environment | None:
        if not self.config.enabled:
            return None
        env.globals["language_root"] = self.languages.root()
        env.globals["language_feed"] = self.config.feed_file if self.config.feed else None
        return env

    # Make this page search its own language's index.
    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str | None:
        if not self.config.enabled:
            return None
        return search_index.point_search_at_language_root(output, self.languages)

    # Reset the language switcher before the 404 page - static-i18n points it
    # at each page's translations (as the attribute config.extra.alternate,
    # which templates read first) and resets it only for pages.
    def on_pre_template(
        self, template: Template, *, template_name: str, config: MkDocsConfig
    ) -> Template | None:
        if self.config.enabled and template_name == "404.html" and self.i18n.extra_alternate:
            config.extra.alternate = copy.deepcopy(self.i18n.extra_alternate)  # type: ignore[attr-defined]
        return template

    # Give each language its own 404 page - every build writes 404.html to the
    # site root, so the last language built would win. The default language's
    # stays at the root (the page GitHub Pages serves), others go to /en/404.html.
    def on_post_template(
        self, output_content: str, *, template_name: str, config: MkDocsConfig
    ) -> str | None:
        if not self.config.enabled or template_name != "404.html":
            return None
        if self.languages.is_default:
            self.default_not_found = output_content
            return output_content
        path = os.path.join(config.site_dir, self.languages.root(), "404.html")
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as f:
            f.write(search_index.point_search_at_language_root(output_content, self.languages))
        return self.default_not_found

    # Keep this language's search index, write its feed and, outside the
    # root, its sitemap (run after the search plugin, priority 0, has written
    # the index and MkDocs the sitemap; before static-i18n, -100, builds the
    # other languages and merges their indexes).
    @event_priority(-90)
    def _on_post_build_per_language(self, *, config: MkDocsConfig) -> None:
        if not self.config.enabled:
            return
        index = search_index.language_index(config, self.languages)
        search_index.write_index(config, self.languages.root(), index)
        if self.languages.is_default:
            self.default_search_index = index
        if self.config.feed:
            self._write_feed(config)
        if not self.languages.is_default:
            sitemap.write_language_sitemap(
                config.site_dir, config.site_url or "", self.languages.root()
            )

    # Undo static-i18n's merged index (run last, after its -100): the root
    # index is the default language's.
    @event_priority(-110)
    def _on_post_build_restore_root_index(self, *, config: MkDocsConfig) -> None:
        if not self.config.enabled:
            return
        if self.default_search_index:
            search_index.write_index(config, "", self.default_search_index)
        if not _inside_another_build(self.i18n) and self.drafts:
            log.info(drafts.summary(self.drafts))

    on_post_build = CombinedEvent(_on_post_build_per_language, _on_post_build_restore_root_index)

    def _take_over_blog_on_files(self, config: MkDocsConfig) -> None:
        events = config.plugins.events["files"]
        for handler in list(events):
            if getattr(handler, "__self__", None) is self.blog:
                events.remove(handler)
                self.blog_on_files = handler
        if self.blog_on_files is None:
            raise PluginError("blog-i18n: the blog plugin has no on_files handler to take over")

    def _use_categories(self) -> None:
        """The blog allows the names of blog-i18n's categories and gives each its slug."""
        if not self.config.categories:
            return
        names = allowed_names(self.config.categories)
        # Set by the first language's build; any other list would be a second home.
        if self.blog.config.categories_allowed not in ([], names):
            raise PluginError(
                "blog-i18n sets the blog's categories_allowed from its own `categories`: "
                "list each category there once and remove categories_allowed from the blog"
            )
        self.blog.config.categories_allowed = names
        if not isinstance(self.blog.config.categories_slugify, CategorySlugs):
            self.blog.config.categories_slugify = CategorySlugs(
                self.config.categories, self.blog.config.categories_slugify
            )

    def _use_language_glossary(self, config: MkDocsConfig) -> None:
        snippets = config.mdx_configs.get("pymdownx.snippets")
        if snippets is None or not self.config.glossaries:
            return
        if self.default_auto_append is None:
            self.default_auto_append = copy.copy(snippets.get("auto_append", []))
        glossary = self.config.glossaries.get(self.languages.current)
        snippets["auto_append"] = [glossary] if glossary else self.default_auto_append

    def _write_feed(self, config: MkDocsConfig) -> None:
        site_url = config.site_url or ""
        root = self.languages.root()
        posts = sorted(
            self.blog.blog.posts, key=lambda post: post.config.date.created, reverse=True
        )
        feed = Feed(
            title=config.site_name,
            link=site_url + root,
            self_link=site_url + root + self.config.feed_file,
            description=config.site_description or config.site_name,
            language=self.languages.current,
            items=tuple(
                FeedItem(
                    title=plain_title(post),
                    link=site_url + post.url,
                    description=str(post.meta.get("description") or plain_title(post)),
                    published=post.config.date.created,
                    categories=tuple(post.config.categories),
                )
                for post in posts[: self.config.feed_length]
            ),
        )
        write_feed(feed, os.path.join(config.site_dir, root, self.config.feed_file))


def plain_title(page: Page) -> str:
    """A page's title as text. A front matter title is text already; one MkDocs takes from
    the page's heading is HTML (`&amp;`, `&lt;`), which the feed would escape a second time."""
    title = page.meta.get("title")
    if title:
        return str(title)
    return Markup(page.title or "").striptags()


def _inside_another_build(i18n: Any) -> bool:
    """Whether this is one of the languages static-i18n builds inside the first one's
    on_post_build (-100), which it flags itself while it does."""
    return bool(i18n.building)
