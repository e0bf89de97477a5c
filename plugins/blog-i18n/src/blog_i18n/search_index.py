"""One search index per language.

Material's search plugin writes search/search_index.json at the end of each
language's build, holding that language's pages only; static-i18n then merges
all languages into the root index. Here each language's index is kept at its
own root (/search/..., /en/search/...), with locations relative to that root
and the search settings Material would choose for a site in that language.
Pages of a language load its index because their __config "base" points at
the language's root (see point_search_at_language_root).
"""

from __future__ import annotations

import json
import os
import posixpath
import re
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from site_kit.material_config import change_material_config

from .languages import Languages

INDEX = posixpath.join("search", "search_index.json")


def language_index(config: MkDocsConfig, languages: Languages) -> str:
    """The index Material's search plugin just wrote, made this language's own."""
    with open(os.path.join(config.site_dir, INDEX), encoding="utf-8") as f:
        index: dict[str, Any] = json.load(f)
    index["config"].update(_search_settings(config))
    root = languages.root()
    depth = root.count("/")
    for doc in index["docs"]:
        location: str = doc["location"]
        doc["location"] = (
            location.removeprefix(root) if location.startswith(root) else "../" * depth + location
        )
    return json.dumps(index, ensure_ascii=False, separators=(",", ":"))


def write_index(config: MkDocsConfig, root: str, index: str) -> None:
    path = os.path.join(config.site_dir, root, INDEX)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(index)


def point_search_at_language_root(html: str, languages: Languages) -> str:
    """Sets the "base" of Material's __config to this language's root.

    Material loads search/search_index.json relative to "base", and resolves
    result locations against it.
    """
    root = languages.root()
    if not root:
        return html

    def rebase(settings: dict[str, Any]) -> None:
        settings["base"] = posixpath.join(settings["base"], root)

    return change_material_config(html, rebase)


def _search_settings(config: MkDocsConfig) -> dict[str, Any]:
    # The same defaults Material's search plugin reads from the theme's
    # translations, but for the language being built, not the first one.
    env = config.theme.get_env()
    template = env.get_template("partials/language.html", None, {"config": config})

    def translate(key: str) -> str:
        return str(template.module.t(key))  # type: ignore[attr-defined]

    return {
        "lang": [translate("search.config.lang")],
        "separator": translate("search.config.separator"),
        "pipeline": [
            step for step in re.split(r"\s*,\s*", translate("search.config.pipeline")) if step
        ],
    }
