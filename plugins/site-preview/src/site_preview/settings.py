"""What a preview builds, set on a freshly loaded config before each rebuild.

mkdocs.yml stays the full build's; the preview changes only the loaded copy: one
language unless both are asked for (static-i18n's `build_only_locale`, applied the way
its config validation applies it), and no work that only a published site needs.
"""

from __future__ import annotations

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import ConfigurationError

# Plugins of mkdocs.yml whose work only the published site needs: the link preview cards
# (social-cards), and the inner words ko-search adds to the Korean search index (the
# preview's search still finds whole words and their beginnings). Their absence changes
# no page an author previews.
PUBLISH_ONLY_PLUGINS = ("social-cards", "ko-search")


def languages_of(config: MkDocsConfig) -> list[str]:
    return [str(language.locale) for language in config.plugins["i18n"].config.languages]


def build_only(config: MkDocsConfig, locale: str) -> None:
    """Builds `locale` alone, as the site's root (static-i18n's build_only_locale)."""
    known = languages_of(config)
    if locale not in known:
        raise ConfigurationError(
            f"no language '{locale}' in mkdocs.yml; choose one of {', '.join(known)}"
        )
    for language in config.plugins["i18n"].config.languages:
        chosen = language.locale == locale
        language.default = chosen
        language.build = chosen


def skip_publish_only_work(config: MkDocsConfig) -> list[str]:
    """Turns off the feeds and publish-only plugins; returns what it turned off."""
    skipped = []
    for name in PUBLISH_ONLY_PLUGINS:
        plugin = config.plugins.get(name)
        if plugin is not None and plugin.config.get("enabled", True):
            plugin.config.enabled = False
            skipped.append(name)
    blog_i18n = config.plugins.get("blog-i18n")
    if blog_i18n is not None and blog_i18n.config.feed:
        blog_i18n.config.feed = False
        skipped.append("feeds")
    return skipped
