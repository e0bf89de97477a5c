"""Every option of the ko-search plugin, with its default."""

from __future__ import annotations

from mkdocs.config import config_options as c
from mkdocs.config.base import Config


class KoSearchConfig(Config):  # type: ignore[no-untyped-call]  # mkdocs leaves it untyped
    enabled = c.Type(bool, default=True)
