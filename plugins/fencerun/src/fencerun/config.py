"""The plugin's settings in mkdocs.yml, every one typed, with its default, and the engine's
`Settings` made from them (for the plugin and the `fencerun` command alike)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig

from fencerun.isolation.project_view import ProjectView
from fencerun.render.pyodide import CDN_ASSETS, PyodideAssets
from fencerun.render.snippets import SnippetView, snippet_settings, snippets_of
from fencerun.settings import Settings
from fencerun.site_options import OPTION_NAMES, SiteOptions, site_settings
from fencerun.site_options import docs_label as docs_label_for

# The defaults are SiteOptions', which Zensical builds read too.
_DEFAULT = SiteOptions()


class PyodideAssetsConfig(Config):  # type: ignore[no-untyped-call]  # mkdocs leaves it untyped
    """Where a page with a pyodide editor loads Pyodide, Ace and highlight.js from."""

    pyodide = c.Type(str, default=CDN_ASSETS.pyodide)  # {version}: the block's release
    ace = c.Type(str, default=CDN_ASSETS.ace)
    highlight = c.Type(str, default=CDN_ASSETS.highlight)
    highlight_light = c.Type(str, default=CDN_ASSETS.highlight_light)
    highlight_dark = c.Type(str, default=CDN_ASSETS.highlight_dark)


class FencerunConfig(Config):  # type: ignore[no-untyped-call]  # mkdocs leaves it untyped
    # Running blocks
    execute = c.Type(bool, default=_DEFAULT.execute)  # FENCERUN_EXECUTE=0/1 overrides it
    # Seconds, per block; a block's timeout="N" overrides it
    timeout = c.Type((int, float), default=_DEFAULT.timeout)
    workers = c.Optional(c.Type(int))  # parallel blocks; unset: sized to the machine
    max_output = c.Type(int, default=_DEFAULT.max_output)  # bytes kept of one block's output
    # Blocks see none of the build's environment unless named here (a change reruns them)
    environment = c.DictOfItems(c.Type(str), default={})  # NAME: value, set for every block
    pass_environment = c.ListOfItems(c.Type(str), default=[])  # names copied from the build
    # fail: a failing or malformed block stops the build; warn: markdown-exec's way, the page
    # shows the error and the build logs a WARNING (which --strict turns into a failure)
    on_error = c.Choice(("fail", "warn"), default=_DEFAULT.on_error)

    # Showing results
    # markdown: markdown-exec's
    default_output = c.Choice(("text", "markdown"), default=_DEFAULT.default_output)
    # Footer under outputs; provenance="off" per block
    provenance = c.Type(bool, default=_DEFAULT.provenance)
    # pyodide editors: addresses with a host, or files of the site; markdown-exec's CDN by default
    pyodide_assets = c.SubConfig(PyodideAssetsConfig)

    # Where results are kept, relative to the folder of mkdocs.yml
    cache_dir = c.Type(str, default=_DEFAULT.cache_dir)
    # Recorded outputs of frozen blocks, committed with the site
    frozen_dir = c.Type(str, default=_DEFAULT.frozen_dir)


def engine_settings(
    config: MkDocsConfig,
    options: FencerunConfig,
    *,
    environ: Mapping[str, str] = os.environ,
) -> Settings:
    """The engine's settings for this site; raises FencerunError for what no block could use."""
    chosen = {name: options[name] for name in OPTION_NAMES}
    chosen["pass_environment"] = tuple(chosen["pass_environment"])
    return site_settings(
        SiteOptions(**chosen),
        project_dir=project_folder(config),
        docs_dir=Path(config.docs_dir),
        site_dir=Path(config.site_dir),
        environ=environ,
        snippets=snippet_settings(config.markdown_extensions, config.mdx_configs),
    )


def pyodide_assets(options: FencerunConfig) -> PyodideAssets:
    chosen = options.pyodide_assets
    return PyodideAssets(
        pyodide=chosen.pyodide,
        ace=chosen.ace,
        highlight=chosen.highlight,
        highlight_light=chosen.highlight_light,
        highlight_dark=chosen.highlight_dark,
    )


def project_folder(config: MkDocsConfig) -> Path:
    """The folder of mkdocs.yml: cache_dir, frozen_dir and workdir are relative to it."""
    return Path(config.config_file_path or ".").resolve().parent


def docs_label(config: MkDocsConfig) -> str:
    """How messages name the docs folder, relative to mkdocs.yml: "docs/" ("" when the same)."""
    return docs_label_for(project_folder(config), config.docs_dir)


def snippet_view(config: MkDocsConfig, project: ProjectView) -> SnippetView | None:
    """What outputs may include with the site's pymdownx.snippets (`snippets_of`)."""
    return snippets_of(config.markdown_extensions, config.mdx_configs, project)
