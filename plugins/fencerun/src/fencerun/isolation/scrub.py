"""Rewrite the build machine's private paths in published output to neutral names."""

from __future__ import annotations

import os
import re
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path

# A path is replaced only as a whole path component: "/tmp" in "/var/tmp" or
# "/tmpfile" stays as it is.
_BEFORE = r"(?<![\w.\-])"
_AFTER = r"(?![\w\-])"


class PathScrubber:
    """Replaces each private path with its neutral name, longest path first."""

    def __init__(self, replacements: Iterable[tuple[str, str]]) -> None:
        table: dict[str, str] = {}
        for path, name in replacements:
            for variant in {path, os.path.realpath(path)}:
                cleaned = variant.rstrip("/")
                if cleaned and cleaned not in table:
                    table[cleaned] = name
        self._table = table
        self._last: tuple[tuple[tuple[str, str], ...], PathScrubber] | None = None
        ordered = sorted(table, key=len, reverse=True)
        alternatives = "|".join(re.escape(path) for path in ordered)
        self._pattern = re.compile(f"{_BEFORE}(?:{alternatives}){_AFTER}") if ordered else None

    def with_paths(self, replacements: tuple[tuple[str, str], ...]) -> PathScrubber:
        """A scrubber that also rewrites these paths (a block's own folders).

        The last one is remembered: with namespaces every block has the same
        folders, and the pattern need not be compiled again for each.
        """
        if self._last is None or self._last[0] != replacements:
            self._last = (replacements, PathScrubber([*self._table.items(), *replacements]))
        return self._last[1]

    def __call__(self, text: str) -> str:
        if self._pattern is None:
            return text
        return self._pattern.sub(lambda match: self._table[match.group(0)], text)


# The neutral names of private paths. They look like HTML tags: an output shown as HTML or
# Markdown must show them as text (`render.output.names_as_text`, `markdown_ext`).
PROJECT = "<project>"
VENV = "<venv>"
HOME = "<home>"
TMP = "<tmp>"
WORKDIR = "<workdir>"
NEUTRAL_NAMES = (PROJECT, VENV, HOME, TMP, WORKDIR)

# Temp folders every machine has: naming one in output tells nothing about the build
# machine, and a block with a mount namespace has a /tmp of its own there.
_SHARED_TEMP = ("/tmp", "/var/tmp", "/dev/shm")


def build_private_paths(project_dir: Path) -> list[tuple[str, str]]:
    """The build machine's private places, as (path, neutral name).

    The system /tmp is not one of them: `findmnt -T /tmp` must print /tmp. A block's own
    folders under it (home, temp, work) are added per block, and only where they are host
    folders (no mount namespace). A temp folder of the build's own (TMPDIR set to a
    private place, as on some CI runners) is.
    """
    paths = [(str(project_dir), PROJECT)]
    if sys.prefix != sys.base_prefix:
        paths.append((sys.prefix, VENV))
    home = os.path.expanduser("~")
    if home not in ("", "/"):
        paths.append((home, HOME))
    temp = tempfile.gettempdir()
    if os.path.realpath(temp).rstrip("/") not in _SHARED_TEMP and temp.rstrip("/"):
        paths.append((temp, TMP))
    return paths
