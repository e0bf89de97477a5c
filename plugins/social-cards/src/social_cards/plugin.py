"""MkDocs glue: a card for every page, written next to the pages, named in their context.

With mkdocs-static-i18n every hook runs once per language, and each language's
cards go into that build's site_dir (site/ and site/en/).
"""

from __future__ import annotations

import logging
import posixpath
from dataclasses import dataclass
from pathlib import Path
from typing import cast
from urllib.parse import urljoin

from markupsafe import Markup
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils.templates import TemplateContext

from .cache import CardCache
from .config import SocialCardsConfig
from .draw import HEIGHT, WIDTH, CardText
from .fonts import FontError, missing_characters, nanum_gothic

log = logging.getLogger(f"mkdocs.plugins.{__name__}")


@dataclass(frozen=True)
class SocialCard:
    """What the page template needs for og:image and twitter:image."""

    url: str  # absolute: previews are fetched from outside the site
    width: int
    height: int
    alt: str


class SocialCardsPlugin(BasePlugin[SocialCardsConfig]):  # type: ignore[no-untyped-call]
    def __init__(self) -> None:
        super().__init__()
        self.cards: CardCache | None = None

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        if not self.config.enabled:
            return None
        if not config.site_url:
            raise PluginError(
                "social-cards: set site_url in mkdocs.yml; link previews need the "
                "card's absolute address"
            )
        try:
            fonts = nanum_gothic()
        except FontError as error:
            raise PluginError(f"social-cards: {error}") from error
        project_dir = Path(config.config_file_path).parent
        self.cards = CardCache(project_dir / self.config.cache_dir, fonts)
        return config

    # By now the page is rendered to HTML, so its title is known, and Material's
    # blog has given posts their authors.
    def on_page_context(
        self, context: TemplateContext, *, page: Page, config: MkDocsConfig, nav: Navigation
    ) -> TemplateContext | None:
        if self.cards is None:
            return None
        text = card_text(page, config)
        self._warn_about_missing_glyphs(text, page)
        card_path = posixpath.join(self.config.output_dir, card_name(page.file.dest_uri))
        target = Path(config.site_dir) / card_path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(self.cards.card(text))
        page_dir = posixpath.dirname(page.file.dest_uri) or "."
        url = _absolute(page, posixpath.relpath(card_path, page_dir))
        card = SocialCard(url, WIDTH, HEIGHT, f"{text.title} — {text.site_name}")
        # MkDocs types the context with its own keys only; templates read any key.
        cast("dict[str, object]", context)["social_card"] = card
        return context

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        if self.cards is not None:
            log.info(
                f"social-cards: cards drawn {self.cards.drawn}, reused {self.cards.reused} "
                f"(cache: {self.cards.folder})"
            )

    def _warn_about_missing_glyphs(self, text: CardText, page: Page) -> None:
        assert self.cards is not None
        fonts = self.cards.fonts
        for field, value, font in (
            ("title", text.title, fonts.extra_bold),
            ("description", text.description, fonts.regular),
            ("site name", text.site_name, fonts.bold),
            ("author", text.author, fonts.bold),
        ):
            missing = missing_characters(value, font)
            if missing:
                log.warning(
                    f"social-cards: {page.file.src_uri}: the {field} {value!r} has characters "
                    f"NanumGothic cannot draw ({' '.join(missing)}); the card shows boxes "
                    "for them: write them differently in the page's front matter"
                )


def card_text(page: Page, config: MkDocsConfig) -> CardText:
    """The card's words, chosen as overrides/main.html chooses og:title and og:description."""
    meta = page.meta or {}
    if meta.get("title"):
        title = str(meta["title"])
    elif page.title and not page.is_homepage:
        title = Markup(page.title).striptags()
    else:
        title = config.site_name
    authors = [author.name for author in getattr(page, "authors", None) or ()]
    author = ", ".join(authors) or str(meta.get("author") or config.site_author or "")
    description = str(meta.get("description") or config.site_description or "")
    return CardText(title=title, description=description, site_name=config.site_name, author=author)


def card_name(dest_uri: str) -> str:
    """blog/2023/03/19/slug/index.html -> blog/2023/03/19/slug.png; index.html -> index.png."""
    stem = dest_uri.removesuffix(".html").removesuffix("/index")
    return f"{stem}.png"


def _absolute(page: Page, relative: str) -> str:
    assert page.canonical_url is not None  # site_url is set (on_config)
    return urljoin(page.canonical_url, relative)
