"""Every option of the social-cards plugin, with its default."""

from __future__ import annotations

from mkdocs.config import config_options as c
from mkdocs.config.base import Config


class SocialCardsConfig(Config):  # type: ignore[no-untyped-call]  # mkdocs leaves it untyped
    enabled = c.Type(bool, default=True)
    # Cards drawn by earlier builds, relative to the folder of mkdocs.yml.
    cache_dir = c.Type(str, default=".cache/social-cards")
    # Where the cards go in the built site (of each language).
    output_dir = c.Type(str, default="assets/images/social")
