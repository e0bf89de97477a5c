"""The MkDocs plugin that keeps the theme's templates compiled between builds.

Every build (and every rebuild of `mkdocs serve`, and each language static-i18n builds)
makes a new Jinja environment, which compiles Material's templates and the site's overrides
again: about a fifth of this site's build. Jinja's own bytecode cache keeps the compiled
form on disk, keyed by each template's source, so a changed template is compiled again and
nothing stale is ever used; it writes each file atomically, so two builds can share it.
"""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, FileSystemBytecodeCache
from mkdocs.config import config_options
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import Files


class TemplateCacheConfig(Config):  # type: ignore[no-untyped-call]  # mkdocs leaves it untyped
    # Relative to the folder of mkdocs.yml.
    cache_dir = config_options.Type(str, default=".cache/templates")


class TemplateCachePlugin(BasePlugin[TemplateCacheConfig]):  # type: ignore[no-untyped-call]
    def on_env(self, env: Environment, /, *, config: MkDocsConfig, files: Files) -> Environment:
        if env.bytecode_cache is not None:
            return env  # the preview keeps compiled templates in memory for its whole life
        folder = Path(config.config_file_path).parent / self.config.cache_dir
        folder.mkdir(parents=True, exist_ok=True)
        env.bytecode_cache = FileSystemBytecodeCache(str(folder))
        return env
