"""The plugin's settings in mkdocs.yml, every one typed, with its default."""

from __future__ import annotations

from mkdocs.config import config_options as c
from mkdocs.config.base import Config

from fencerun.config import (
    DEFAULT_CACHE_DIR,
    DEFAULT_FROZEN_DIR,
    DEFAULT_MAX_OUTPUT,
    DEFAULT_TIMEOUT,
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

    # Showing results
    default_output = c.Choice(("text", "markdown"), default="text")  # markdown: markdown-exec's
    provenance = c.Type(bool, default=True)  # footer under outputs; provenance="off" per block

    # Where results are kept, relative to the folder of mkdocs.yml
    cache_dir = c.Type(str, default=DEFAULT_CACHE_DIR)
    # Recorded outputs of frozen blocks, committed with the site
    frozen_dir = c.Type(str, default=DEFAULT_FROZEN_DIR)
