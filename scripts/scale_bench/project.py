"""The grown copy of the site, and the two builds of it that are compared."""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from tests.site_copy import copy_site

from .builds import Build, timed_build
from .generate import Grown, grow, layout
from .plain import plain_config

REPO = Path(__file__).resolve().parents[2]
PLAIN_YML = "mkdocs-plain.yml"
MARKER = ".bench-scale.json"  # what a kept copy was grown with
SITE_OUT = "site"
PLAIN_OUT = "site-plain"
# What a cold build starts without: the block results and the social cards.
STORES = (".cache/fencerun", ".cache/social-cards")


@dataclass(frozen=True)
class Project:
    root: Path
    grown: Grown
    dropped_plugins: tuple[str, ...]

    @property
    def site(self) -> Path:
        return self.root / SITE_OUT

    def site_build(self, what: str) -> Build:
        """`scripts/site build` of the copy, as its author runs it."""
        return timed_build(
            what,
            [str(self.root / "scripts" / "site"), "build"],
            self.root,
            environment(),
            self.log(what),
        )

    def plain_build(self, what: str) -> Build:
        mkdocs = str(self.root / ".venv" / "bin" / "mkdocs")
        argv = [mkdocs, "build", "-f", PLAIN_YML, "-d", PLAIN_OUT]
        return timed_build(what, argv, self.root, environment(), self.log(what))

    def output_mb(self) -> dict[str, float]:
        """The size of each build's output folder, of those that exist."""
        sizes = {}
        for name, folder in (("site", SITE_OUT), ("plain", PLAIN_OUT)):
            if (self.root / folder).is_dir():
                files = (self.root / folder).rglob("*")
                sizes[name] = sum(path.stat().st_size for path in files if path.is_file()) / 1e6
        return sizes

    def empty_stores(self) -> None:
        for store in STORES:
            shutil.rmtree(self.root / store, ignore_errors=True)

    def log(self, what: str) -> Path:
        folder = self.root / ".cache" / "bench-logs"
        folder.mkdir(parents=True, exist_ok=True)
        return folder / f"{what.replace(' ', '-')}.log"


def open_project(root: Path, notes: int, seed: int) -> Project:
    """The grown copy in root: made there if root is new or empty, else the one an earlier
    run made and kept there (its block store, cards and output as that run left them)."""
    marker = root / MARKER
    if marker.exists():
        made = json.loads(marker.read_text(encoding="utf-8"))
        if made != {"notes": notes, "seed": seed}:
            raise SystemExit(
                f"error: {root} holds a copy grown with {made}; pass --notes "
                f"{made['notes']} --seed {made['seed']}, or give another folder"
            )
        grown = layout(notes)
    elif root.exists() and any(root.iterdir()):
        raise SystemExit(f"error: {root} is neither empty nor a copy this benchmark made")
    else:
        if root.exists():
            root.rmdir()  # the copy makes it
        _copy(root)
        grown = grow(root, notes, seed)
        marker.write_text(json.dumps({"notes": notes, "seed": seed}), encoding="utf-8")
    plain = plain_config((root / "mkdocs.yml").read_text(encoding="utf-8"))
    (root / PLAIN_YML).write_text(plain.text, encoding="utf-8")
    return Project(root, grown, plain.dropped)


def _copy(root: Path) -> None:
    """The site's sources (never its store, cards or output), with the checkout's .venv
    linked in, as it is measured."""
    copy_site(root)
    # The copy leaves out everything named `site`, the build command too.
    shutil.copy2(REPO / "scripts" / "site", root / "scripts" / "site")
    (root / ".venv").symlink_to(REPO / ".venv")


def environment() -> dict[str, str]:
    environment = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    # The site as published: its blocks run.
    environment.pop("FENCERUN_EXECUTE", None)
    return environment
