"""The plugin's settings in mkdocs.yml, every one typed, with its default, and the engine's
`Settings` made from them (for the plugin and the `fencerun` command alike)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig

from fencerun.includes import SNIPPETS
from fencerun.isolation.project_view import ProjectView
from fencerun.render.snippets import SnippetView
from fencerun.settings import (
    DEFAULT_CACHE_DIR,
    DEFAULT_FROZEN_DIR,
    DEFAULT_MAX_OUTPUT,
    DEFAULT_TIMEOUT,
    Settings,
    execute_switch,
)


class FencerunConfig(Config):  # type: ignore[no-untyped-call]  # mkdocs leaves it untyped
    # Running blocks
    execute = c.Type(bool, default=True)  # FENCERUN_EXECUTE=0/1 overrides it
    # Seconds, per block; a block's timeout="N" overrides it
    timeout = c.Type((int, float), default=DEFAULT_TIMEOUT)
    workers = c.Optional(c.Type(int))  # parallel blocks; unset: sized to the machine
    max_output = c.Type(int, default=DEFAULT_MAX_OUTPUT)  # bytes kept of one block's output
    # Blocks see none of the build's environment unless named here (a change reruns them)
    environment = c.DictOfItems(c.Type(str), default={})  # NAME: value, set for every block
    pass_environment = c.ListOfItems(c.Type(str), default=[])  # names copied from the build
    # fail: a failing or malformed block stops the build; warn: markdown-exec's way, the page
    # shows the error and the build logs a WARNING (which --strict turns into a failure)
    on_error = c.Choice(("fail", "warn"), default="fail")

    # Showing results
    default_output = c.Choice(("text", "markdown"), default="text")  # markdown: markdown-exec's
    provenance = c.Type(bool, default=True)  # footer under outputs; provenance="off" per block

    # Where results are kept, relative to the folder of mkdocs.yml
    cache_dir = c.Type(str, default=DEFAULT_CACHE_DIR)
    # Recorded outputs of frozen blocks, committed with the site
    frozen_dir = c.Type(str, default=DEFAULT_FROZEN_DIR)


def engine_settings(
    config: MkDocsConfig,
    options: FencerunConfig,
    *,
    environ: Mapping[str, str] = os.environ,
) -> Settings:
    """The engine's settings for this site; raises FencerunError for what no block could use."""
    project_dir = project_folder(config)
    return Settings(
        project_dir=project_dir,
        cache_dir=project_dir / options.cache_dir,
        frozen_dir=project_dir / options.frozen_dir,
        execute=execute_switch(environ, options.execute),
        timeout=float(options.timeout),
        workers=options.workers,
        max_output_bytes=options.max_output,
        provenance=options.provenance,
        markdown_default=options.default_output == "markdown",
        docs_label=docs_label(config),
        env_extra=dict(options.environment),
        env_pass=tuple(options.pass_environment),
        build_dirs=(Path(config.site_dir),),
        snippets=snippet_settings(config),
    )


def project_folder(config: MkDocsConfig) -> Path:
    """The folder of mkdocs.yml: cache_dir, frozen_dir and workdir are relative to it."""
    return Path(config.config_file_path or ".").resolve().parent


def docs_label(config: MkDocsConfig) -> str:
    """How messages name the docs folder, relative to mkdocs.yml: "docs/" ("" when the same)."""
    docs = os.path.relpath(config.docs_dir, project_folder(config))
    return "" if docs == "." else Path(docs).as_posix() + "/"


def snippet_settings(config: MkDocsConfig) -> dict[str, Any] | None:
    """The site's pymdownx.snippets settings with its base paths absolute (snippets reads
    them relative to the folder the build runs in); None without snippets."""
    if SNIPPETS not in config.markdown_extensions:
        return None
    options = dict(config.mdx_configs.get(SNIPPETS, {}))
    base = options.get("base_path", ["."])
    # As snippets reads the setting: one path or a list.
    bases = [base] if isinstance(base, str | os.PathLike) else base
    options["base_path"] = [os.path.abspath(path) for path in bases]
    return options


def snippet_view(config: MkDocsConfig, project: ProjectView) -> SnippetView | None:
    """Where the site's pymdownx.snippets looks for files, and what outputs may include from
    `project` (the top-level build's view: its site_dir holds every language's, for
    static-i18n builds the others into folders of it); None without snippets."""
    options = snippet_settings(config)
    if options is None:
        return None
    return SnippetView(
        project=project,
        base_paths=tuple(options["base_path"]),
        restrict_base_path=bool(options.get("restrict_base_path", True)),
    )
