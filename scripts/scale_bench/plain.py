"""The site's mkdocs.yml as plain MkDocs + Material + static-i18n: the yardstick the
site's own plugins are measured against.

Kept: MkDocs, Material's search and tags, static-i18n and the stock Markdown extensions.
Dropped: every plugin of the site's own (plugins/: ko-search, blog-i18n, social-cards,
fencerun, and any added later), the theme overrides (they read what those plugins
provide), and Material's blog plugin, which upstream does not work with static-i18n's
folder layout (the site's blog-i18n exists for that, ultrabug/mkdocs-static-i18n#283):
the four posts a language become ordinary pages. The exec blocks then render as code.
Added: Material's navigation.prune, its own answer to a nav of thousands of pages, as the
site prunes its knowledge base's (kb-links, overrides/partials/nav-item.html).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

PLAIN_PLUGINS = frozenset({"search", "tags", "i18n"})
PLUGIN_ITEM = re.compile(r"^  - ([\w/-]+)")
TOP_LEVEL = re.compile(r"^\S")
CUSTOM_DIR = re.compile(r"^  custom_dir: .*\n", re.MULTILINE)
# The site's Markdown extensions (plugins/site-markdown) stand in for stock ones.
SITE_EXTENSION = re.compile(r"^(  - )site_markdown\.(\w+)", re.MULTILINE)
THEME_FEATURES = re.compile(r"^(  features:\n)", re.MULTILINE)
PRUNE = "    - navigation.prune\n"


@dataclass(frozen=True)
class PlainConfig:
    text: str
    dropped: tuple[str, ...]  # plugin names taken out, for the report


def plain_config(site_yml: str) -> PlainConfig:
    text = SITE_EXTENSION.sub(r"\1\2", CUSTOM_DIR.sub("", site_yml))
    text, features = THEME_FEATURES.subn(lambda found: found.group(1) + PRUNE, text, count=1)
    if not features:
        raise SystemExit(
            "error: mkdocs.yml: the plain build adds navigation.prune to the theme's "
            "features, which it looks for as a `  features:` list under `theme:`"
        )
    kept: list[str] = []
    dropped: list[str] = []
    pending_comments: list[str] = []
    in_plugins = False
    keep_item = True
    for line in text.splitlines():
        if TOP_LEVEL.match(line):
            in_plugins = line.startswith("plugins:")
            keep_item = True
        elif in_plugins:
            if line.startswith("  #"):
                pending_comments.append(line)  # belongs to the item below it
                continue
            if item := PLUGIN_ITEM.match(line):
                keep_item = item.group(1) in PLAIN_PLUGINS
                if not keep_item:
                    dropped.append(item.group(1))
                elif pending_comments:
                    kept += pending_comments
                pending_comments = []
            if not keep_item:
                continue
        kept.append(line)
    missing = PLAIN_PLUGINS - {
        match.group(1) for line in kept if (match := PLUGIN_ITEM.match(line))
    }
    if missing:
        raise SystemExit(
            f"error: mkdocs.yml: the plain build needs the plugins {sorted(missing)} "
            "in its plugins list, written as `  - name` items"
        )
    return PlainConfig("\n".join(kept) + "\n", tuple(dropped))
