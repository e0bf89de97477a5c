"""The theme's templates, compiled and listed once for the server's life.

Every MkDocs build makes new Jinja environments, which compile the theme's templates
again (about a fifth of a one-language rebuild of this site). Jinja's bytecode cache
hands a new environment the code an earlier one compiled; a bucket is keyed by the
template's name and file and checked against its source, so an edited override is
compiled afresh.
"""

from __future__ import annotations

import os
from pathlib import Path
from types import CodeType
from typing import Any

from jinja2 import BytecodeCache, Environment, FileSystemLoader
from jinja2.bccache import Bucket


class MemoryBytecodeCache(BytecodeCache):
    def __init__(self) -> None:
        # Code objects as they are: one process, so nothing needs marshalling.
        self._compiled: dict[str, tuple[str, CodeType]] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        kept = self._compiled.get(bucket.key)
        if kept is not None and kept[0] == bucket.checksum:
            bucket.code = kept[1]

    def dump_bytecode(self, bucket: Bucket) -> None:
        if bucket.code is not None:
            self._compiled[bucket.key] = (bucket.checksum, bucket.code)


class ThemeMemo:
    """What every build of the theme repeats: compiling its templates and listing its files
    (Material ships a few thousand icons, walked on each build to find static files)."""

    def __init__(self) -> None:
        self.bytecode = MemoryBytecodeCache()
        self._listings: dict[tuple[object, ...], list[str]] = {}

    def attach(self, theme: Any) -> None:
        """Makes every Jinja environment `theme` creates use what this memo keeps."""
        make_env = theme.get_env

        def get_env() -> Environment:
            env: Environment = make_env()
            env.bytecode_cache = self.bytecode
            loader = env.loader
            if isinstance(loader, FileSystemLoader):
                self._keep_listing(loader)
            return env

        theme.get_env = get_env

    def _keep_listing(self, loader: FileSystemLoader) -> None:
        list_templates = loader.list_templates

        def listing() -> list[str]:
            # Installed themes do not change while the server runs; a project's own
            # folders (overrides/) may, so their folders' times are part of the key.
            key = tuple((folder, _tree_stamp(folder)) for folder in loader.searchpath)
            if key not in self._listings:
                self._listings[key] = list_templates()
            return list(self._listings[key])

        loader.list_templates = listing  # type: ignore[method-assign]


def _tree_stamp(folder: str) -> tuple[int, ...]:
    if "site-packages" in Path(folder).parts:
        return ()
    return tuple(os.stat(path).st_mtime_ns for path, _dirs, _files in os.walk(folder))
