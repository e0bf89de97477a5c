"""The search worker pages load: ours, which wraps Material's.

Material reads the URL of its search worker from the __config script of each
page ("search"). Pointing that URL at our worker, written next to Material's,
puts the Korean query rewriting in front of Material's search without
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
PLACEHOLDER = "__MATERIAL_WORKER__"


class WorkerError(RuntimeError):
    """The page or the theme is not what this plugin knows how to change."""


@dataclass(frozen=True)
class Worker:
    material_name: str
    name: str
    source: str


@cache
def worker_for(material_name: str) -> Worker:
    """Our worker, loading Material's worker material_name from the same folder.

    Its name carries a hash of its content, as Material's does, so browsers
    never keep an old one in their cache.
    """
    template = resources.files("ko_search").joinpath("assets", "ko-search-worker.js")
    source = template.read_text(encoding="utf-8").replace(PLACEHOLDER, material_name)
    digest = hashlib.sha256(source.encode("utf-8")).hexdigest()[:8]
    return Worker(material_name=material_name, name=f"ko-search.{digest}.min.js", source=source)


def point_page_at_worker(html: str, where: str) -> tuple[str, Worker | None]:
    """Rewrites the page's __config to load our worker instead of Material's.

    Returns the page and the worker it now loads (None for a page without
    Material's __config). where names the page in errors.
    """
    worker: Worker | None = None

    def swap(settings: dict[str, Any]) -> None:
        nonlocal worker
        url = settings.get("search")
        if not isinstance(url, str):
            raise WorkerError(f"{where}: Material's __config has no search worker URL")
        folder, name = posixpath.split(url)
        if not MATERIAL_WORKER.match(name):
            raise WorkerError(
                f"{where}: the search worker {url!r} is not Material's; "
                "remove the other plugin or override that replaces it, or ko-search"
            )
        worker = worker_for(name)
        settings["search"] = posixpath.join(folder, worker.name)

    return change_material_config(html, swap), worker


def write_worker(site_dir: str, worker: Worker) -> None:
    folder = os.path.join(site_dir, WORKERS_DIR)
    if not os.path.isfile(os.path.join(folder, worker.material_name)):
        raise WorkerError(
            f"Material's search worker {worker.material_name} is not in {folder}; "
            "ko-search is made for mkdocs-material 9.8.2"
        )
    with open(os.path.join(folder, worker.name), "w", encoding="utf-8") as f:
        f.write(worker.source)
