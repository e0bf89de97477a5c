"""Every option of the kb-links plugin, with its default."""

from __future__ import annotations

from mkdocs.config import config_options as c
from mkdocs.config.base import Config


class KbLinksConfig(Config):  # type: ignore[no-untyped-call]  # mkdocs leaves it untyped
    # Settings for the nav: while a language's knowledge base holds at most this many
    # pages, every page's nav lists them all. Above, a page's nav lists only the notes of
    # the folders the page is in, and each other folder (the knowledge base itself too,
    # on a page outside it) as one link to its index, as Material's navigation.prune does:
    # else every page carries every note, and a build grows with pages times notes.
    prune_nav_above = c.Type(int, default=100)
