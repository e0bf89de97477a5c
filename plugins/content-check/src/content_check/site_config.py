"""What mkdocs.yml says about the content: docs folder, languages, the blog's categories."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from blog_i18n.categories import Categories, allowed_names

from .conventions import DEFAULT_LANGUAGES

CONFIG_FILE = "mkdocs.yml"
BLOG_I18N_PLUGIN_NAME = "blog-i18n"
I18N_PLUGIN_NAME = "i18n"


class SiteConfigError(Exception):
    """mkdocs.yml exists but cannot be read; the message says where and what to fix."""


class _ConfigLoader(yaml.SafeLoader):
    """Reads mkdocs.yml without importing anything it names.

    mkdocs.yml may hold `!!python/name:` and `!ENV` tags; their values do not
    matter here, so every unknown tag reads as null.
    """


def _ignore_tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> None:
    return None


_ConfigLoader.add_multi_constructor("", _ignore_tag)


@dataclass(frozen=True)
class Site:
    """The parts of a MkDocs project the content conventions depend on."""

    root: Path
    docs_dir: Path
    languages: tuple[str, ...]  # the default language first
    # blog-i18n's `categories` (slug -> name by language); empty when it lists none
    categories: Categories
    # static-i18n serves the default language's file where a translation lacks one.
    fallback_to_default: bool = True

    @property
    def default_language(self) -> str:
        return self.languages[0]

    def allowed_categories(self) -> list[str]:
        """The names posts may use, as the build allows them; empty: any name."""
        return allowed_names(self.categories)

    def category_in(self, name: str, language: str) -> str | None:
        """Category `name` (given in any language) as it is called in `language`."""
        for names in self.categories.values():
            if name in names.values():
                return names.get(language)
        return None

    def language_dir(self, language: str) -> Path:
        return self.docs_dir / language

    def served_file(self, path: Path, language: str | None) -> Path:
        """The file the built site uses for `path` linked from a `language` page."""
        if path.exists() or language in (None, self.default_language):
            return path
        if not (self.fallback_to_default and path.is_relative_to(self.language_dir(language))):
            return path
        fallback = self.language_dir(self.default_language) / path.relative_to(
            self.language_dir(language)
        )
        return fallback if fallback.exists() else path

    def shown(self, path: Path) -> str:
        """A path as messages show it: relative to the project root when inside it."""
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return path.as_posix()


def load_site(root: Path) -> Site:
    config_path = root / CONFIG_FILE
    config: dict[str, Any] = {}
    if config_path.is_file():
        try:
            loaded = yaml.load(config_path.read_text(encoding="utf-8"), Loader=_ConfigLoader)
        except yaml.MarkedYAMLError as error:
            line = error.problem_mark.line + 1 if error.problem_mark else 1
            raise SiteConfigError(
                f"{config_path}:{line}: mkdocs.yml is not valid YAML ({error.problem}); fix it "
                "so that `mkdocs build` can read it"
            ) from error
        if isinstance(loaded, dict):
            config = loaded
    docs_dir = root / str(config.get("docs_dir") or "docs")
    i18n = _plugin_options(config, I18N_PLUGIN_NAME)
    return Site(
        root=root,
        docs_dir=docs_dir,
        languages=_languages(i18n) or DEFAULT_LANGUAGES,
        categories=_categories(_plugin_options(config, BLOG_I18N_PLUGIN_NAME)),
        fallback_to_default=i18n.get("fallback_to_default", True) is not False,
    )


def _plugins(config: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """(name, options) of each plugin, whichever of MkDocs' list forms mkdocs.yml uses."""
    plugins = config.get("plugins") or []
    if isinstance(plugins, dict):
        plugins = [{name: options} for name, options in plugins.items()]
    for entry in plugins:
        if isinstance(entry, str):
            yield entry, {}
        elif isinstance(entry, dict):
            for name, options in entry.items():
                yield str(name), options if isinstance(options, dict) else {}


def _plugin_options(config: dict[str, Any], *names: str) -> dict[str, Any]:
    return next((options for name, options in _plugins(config) if name in names), {})


def _languages(i18n: dict[str, Any]) -> tuple[str, ...]:
    entries = [entry for entry in i18n.get("languages") or [] if isinstance(entry, dict)]
    locales = [str(entry["locale"]) for entry in entries if entry.get("locale")]
    defaults = [str(entry["locale"]) for entry in entries if entry.get("default")]
    if defaults:
        locales.remove(defaults[0])
        locales.insert(0, defaults[0])
    return tuple(locales)


def _categories(blog_i18n: dict[str, Any]) -> Categories:
    """`categories: {linux: {ko: 리눅스, en: Linux}}`; entries of another shape are left to
    MkDocs, which refuses them when it builds."""
    categories = blog_i18n.get("categories")
    if not isinstance(categories, dict):
        return {}
    return {
        str(slug): {str(language): str(name) for language, name in names.items()}
        for slug, names in categories.items()
        if isinstance(names, dict)
    }
