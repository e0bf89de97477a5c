"""The search worker pages load: ours, in place of Material's.

Material reads the URL of its search worker from the __config script of each
page ("search"). Pointing that URL at our worker, written next to Material's,
puts search from the sharded index behind Material's search box without
touching the theme's templates.
"""

from __future__ import annotations

import hashlib
import os
import posixpath
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from site_kit.material_config import change_material_config

# Where Material's base.html puts its worker, relative to the site root.
WORKERS_DIR = posixpath.join("assets", "javascripts", "workers")
MATERIAL_WORKER = re.compile(r"^search\.[0-9a-f]+\.min\.js$")


class WorkerError(RuntimeError):
    """The page or the theme is not what this plugin knows how to change."""


@dataclass(frozen=True)
class Worker:
    name: str
    source: str


@cache
def worker() -> Worker:
    """Our worker. Its name carries a hash of its content, as Material's does, so
    browsers never keep an old one in their cache."""
    template = resources.files("ko_search").joinpath("assets", "ko-search-worker.js")
    source = template.read_text(encoding="utf-8")
    digest = hashlib.sha256(source.encode("utf-8")).hexdigest()[:8]
    return Worker(name=f"ko-search.{digest}.min.js", source=source)


def point_page_at_worker(html: str, where: str) -> tuple[str, Worker | None]:
    """Rewrites the page's __config to load our worker instead of Material's.

    Returns the page and the worker it now loads (None for a page without
    Material's __config). where names the page in errors.
    """
    swapped: Worker | None = None

    def swap(settings: dict[str, Any]) -> None:
        nonlocal swapped
        url = settings.get("search")
        if not isinstance(url, str):
            raise WorkerError(f"{where}: Material's __config has no search worker URL")
        folder, name = posixpath.split(url)
        if not MATERIAL_WORKER.match(name):
            raise WorkerError(
                f"{where}: the search worker {url!r} is not Material's; "
                "remove the other plugin or override that replaces it, or ko-search"
            )
        swapped = worker()
        settings["search"] = posixpath.join(folder, swapped.name)

    return change_material_config(html, swap), swapped


def write_worker(site_dir: str, written: Worker) -> None:
    folder = os.path.join(site_dir, WORKERS_DIR)
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, written.name), "w", encoding="utf-8") as f:
        f.write(written.source)
