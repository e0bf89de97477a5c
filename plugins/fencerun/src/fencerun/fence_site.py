"""The site and the page a superfences formatter works for when no MkDocs plugin runs.

Under Zensical, the Markdown instance carries Zensical's rendering context (a preprocessor
holding the page's path and the parsed site config). Zensical drops the options of plugins it
does not know, so fencerun's own options are read from the `fencerun` entry of the site's
config file, the entry MkDocs reads: one site builds with the same settings, and so the same
block keys, under both. Plain Python-Markdown has no context: the site is the folder it runs
in, and the page is the text being converted.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from markdown import Markdown

from fencerun.errors import FencerunError
from fencerun.fences import first_line_of
from fencerun.model import PageSource
from fencerun.render.snippets import snippet_settings
from fencerun.settings import Settings
from fencerun.site_options import OnError, SiteOptions, read_site_options, site_settings

ZENSICAL_CONTEXT = "rendering_context"  # the preprocessor Zensical registers for each page
# In the order `zensical build` picks them when no config file is named.
CONFIG_FILES = ("zensical.toml", "mkdocs.yml", "mkdocs.yaml")
PLUGIN = "fencerun"
UNNAMED_PAGE = "(markdown)"  # how messages name the text of a plain Markdown conversion


@dataclass(frozen=True)
class FenceSite:
    settings: Settings
    on_error: OnError
    locale: str  # of the notices fencerun writes into pages
    docs_dir: Path | None  # None: plain Markdown, no page files
    # The site's Markdown extensions and their settings, for converting outputs
    extensions: Sequence[Any]
    configs: Mapping[str, Any]


def zensical_context(md: Markdown) -> Any | None:
    """Zensical's rendering context of this conversion (`.page.path`, `.config`), if any."""
    if ZENSICAL_CONTEXT in md.preprocessors:
        return md.preprocessors[ZENSICAL_CONTEXT]
    return None


def read_site(md: Markdown) -> FenceSite:
    """The site this conversion belongs to; raises FencerunError for options no block can use."""
    context = zensical_context(md)
    if context is None:
        root = Path.cwd()
        options = _options(root)
        return FenceSite(
            settings=site_settings(options, project_dir=root, docs_dir=root, site_dir=None),
            on_error=options.on_error,
            locale="en",
            docs_dir=None,
            extensions=list(md.registeredExtensions),
            configs={},
        )
    config = context.config
    root = Path(config["root_dir"]).resolve()
    options = _options(root)
    theme = config.get("theme") or {}
    docs_dir = root / config["docs_dir"]
    return FenceSite(
        settings=site_settings(
            options,
            project_dir=root,
            docs_dir=docs_dir,
            site_dir=root / config["site_dir"],
            snippets=snippet_settings(config["markdown_extensions"], config["mdx_configs"]),
        ),
        on_error=options.on_error,
        locale=str(theme.get("language") or "en"),
        docs_dir=docs_dir,
        extensions=config["markdown_extensions"],
        configs=config["mdx_configs"],
    )


def _options(root: Path) -> SiteOptions:
    where, raw = plugin_entry(root)
    return read_site_options(raw, where)


def plugin_entry(root: Path) -> tuple[str, object]:
    """Where the site's config file names fencerun's options, and those options (None when
    it has no such entry or no config file)."""
    for name in CONFIG_FILES:
        path = root / name
        if not path.is_file():
            continue
        try:
            if name.endswith(".toml"):
                with path.open("rb") as stream:
                    plugins = tomllib.load(stream).get("project", {}).get("plugins", {})
            else:
                with path.open(encoding="utf-8") as stream:
                    plugins = (yaml.load(stream, Loader=_TagBlindLoader) or {}).get("plugins")
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, yaml.YAMLError) as error:
            raise FencerunError(f"{name}: cannot be read for fencerun's options: {error}") from None
        where = f"[project.plugins.{PLUGIN}]" if name.endswith(".toml") else f"plugins: {PLUGIN}"
        return f"{name}: {where}", _entry(plugins)
    return "", None


def _entry(plugins: object) -> object:
    # MkDocs accepts plugins as a mapping or as a list of names and one-key mappings.
    if isinstance(plugins, Mapping):
        return plugins.get(PLUGIN)
    for item in plugins if isinstance(plugins, list) else []:
        if isinstance(item, Mapping) and PLUGIN in item:
            return item[PLUGIN]
    return None


class _TagBlindLoader(yaml.SafeLoader):
    """mkdocs.yml's tags (!ENV, !!python/name:, !relative) read as plain values: fencerun's
    options use none, and nothing of the file is ever called."""


def _untagged(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> object:
    if isinstance(node, yaml.MappingNode):
        return loader.construct_mapping(node)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node)
    return loader.construct_scalar(node)  # type: ignore[arg-type]


_TagBlindLoader.add_multi_constructor("", _untagged)
_TagBlindLoader.add_multi_constructor("tag:yaml.org,2002:python/", _untagged)


def page_candidates(md: Markdown, site: FenceSite) -> list[PageSource]:
    """Where this conversion's blocks are looked for, best first: the page's file as written
    (its lines and its code exactly: superfences hands formatters the code with tabs
    expanded), then the text being converted (an excerpt of a post on a blog index, text
    another extension added)."""
    converted = "\n".join(md.lines)
    context = zensical_context(md)
    if context is None or site.docs_dir is None:
        return [PageSource(UNNAMED_PAGE, converted)]
    path = Path(str(context.page.path)).as_posix()
    try:
        written = (site.docs_dir / path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return [PageSource(path, converted)]
    return [
        PageSource(path, written),
        PageSource(path, converted, first_line_of(written, converted)),
    ]
