"""MkDocs' serve loop (mkdocs.commands.serve, 1.6.1) with the preview's pieces in.

The differences: each loaded config gets the preview's settings and plugin, the same
plugin instance for every rebuild (it keeps the compiled templates and rendered pages),
and the watcher looks for saved files every 0.1 s instead of 0.5 s.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
from dataclasses import dataclass
from os.path import isdir, isfile, join
from urllib.parse import urlsplit

from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.livereload import LiveReloadServer, _serve_url

from . import settings
from .plugin import NAME, PreviewPlugin

log = logging.getLogger("mkdocs.preview")

# How often the watcher looks at the watched files' times; a polling walk over this
# site's few hundred files costs well under a millisecond.
POLLING_INTERVAL = 0.1


@dataclass(frozen=True)
class Preview:
    config_file: str
    host: str
    port: int
    locale: str | None  # None: every language mkdocs.yml builds
    strict: bool = False
    publish_work: bool = False  # feeds, search tails, social cards


def serve(preview: Preview) -> None:
    site_dir = tempfile.mkdtemp(prefix="mkdocs_")
    plugin = PreviewPlugin()
    left_out: list[str] = []

    def get_config() -> MkDocsConfig:
        config = load_config(
            config_file=preview.config_file,
            site_dir=site_dir,
            dev_addr=f"{preview.host}:{preview.port}",
            strict=preview.strict,
        )
        if preview.locale is not None:
            settings.build_only(config, preview.locale)
        if not preview.publish_work:
            left_out[:] = settings.skip_publish_only_work(config)
        config.plugins[NAME] = plugin
        plugin.theme.attach(config.theme)
        return config

    config = get_config()
    _say_what_is_left_out(preview, left_out)
    config.plugins.on_startup(command="serve", dirty=False)
    mount_path = urlsplit(config.site_url or "/").path
    config.site_url = serve_url = _serve_url(preview.host, preview.port, mount_path)

    def builder(config: MkDocsConfig | None = None) -> None:
        log.info("Building documentation...")
        if config is None:
            config = get_config()
            config.site_url = serve_url
        build(config, serve_url=serve_url)

    server = LiveReloadServer(
        builder=builder,
        host=preview.host,
        port=preview.port,
        root=site_dir,
        mount_path=mount_path,
        polling_interval=POLLING_INTERVAL,
    )

    def error_page(code: int) -> bytes | None:
        page = join(site_dir, f"{code}.html")
        if code in (404, 500) and isfile(page):
            with open(page, "rb") as file:
                return file.read()
        return None

    server.error_handler = error_page
    try:
        builder(config)
        server.watch(config.docs_dir)
        if config.config_file_path:
            server.watch(config.config_file_path)
        server = config.plugins.on_serve(server, config=config, builder=builder)
        for item in config.watch:
            server.watch(item)
        try:
            server.serve()  # type: ignore[no-untyped-call]  # mkdocs leaves it untyped
        except KeyboardInterrupt:
            log.info("Shutting down...")
        finally:
            server.shutdown()
    finally:
        config.plugins.on_shutdown()
        if isdir(site_dir):
            shutil.rmtree(site_dir)


def _say_what_is_left_out(preview: Preview, left_out: list[str]) -> None:
    if preview.locale is not None:
        log.info(
            f"preview: '{preview.locale}' pages only, at the root (--lang all: every language)"
        )
    if left_out:
        log.info(f"preview: left out {', '.join(left_out)} (--publish-work: made too)")
