"""The repository's site, copied for the tests to build: a build there has its own result
store and output folder, so no test reads or writes what `scripts/site build` publishes
(the checkout's .cache/fencerun/ and site/)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.site.built_site import BuiltSite, tree

REPO = Path(__file__).resolve().parents[1]
# Never copied: the checkout's own store and output, environments, caches of tools.
_LEFT_OUT = shutil.ignore_patterns(
    ".git",
    ".venv",
    ".cache",
    "site",
    "test-artifacts",
    "node_modules",
    "__pycache__",
    ".pytest_cache",
    ".mypy_cache",
    ".ruff_cache",
    ".hypothesis",
)


# What `scripts/site build` publishes from and to.
PUBLISHED = (".cache/fencerun", ".cache/social-cards", "site")


def published_state() -> frozenset[tuple[str, int, int]]:
    """Every file of the checkout's store and output, with its size and mtime."""
    state = set()
    for name in PUBLISHED:
        for path in (REPO / name).rglob("*"):
            if path.is_file():
                stat = path.stat()
                state.add((path.relative_to(REPO).as_posix(), stat.st_size, stat.st_mtime_ns))
    return frozenset(state)


def copy_site(into: Path) -> Path:
    """The site's sources (mkdocs.yml, docs, includes, overrides, frozen, ...) in `into`."""
    shutil.copytree(REPO, into, ignore=_LEFT_OUT, symlinks=True)
    return into


def build_site(
    project: Path, out: Path, *, site_url: str, run_blocks: bool = True
) -> subprocess.CompletedProcess[str]:
    """`mkdocs build --strict` of the copy in `project` into `out`, its blocks run (a store
    shared by every build of the copy, so each block runs once per test session), or with
    `run_blocks=False` none of them (FENCERUN_EXECUTE=0), for tests of the site's own text."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SITE_URL": site_url}
    if run_blocks:
        env.pop("FENCERUN_EXECUTE", None)  # the site as published: its blocks ran
    else:
        env["FENCERUN_EXECUTE"] = "0"
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(out)],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def built_copy(project: Path, out: Path, *, site_url: str, run_blocks: bool = True) -> BuiltSite:
    """`build_site` of the copy in `project` into `out`, read back as a BuiltSite that also
    tells whether the build changed its docs or what the checkout publishes; a build that
    fails fails the test."""
    docs_before, published_before = tree(project / "docs"), published_state()
    result = build_site(project, out, site_url=site_url, run_blocks=run_blocks)
    if result.returncode != 0:
        pytest.fail(f"mkdocs build --strict failed:\n{result.stdout}\n{result.stderr}"[-6000:])
    return BuiltSite(
        out,
        docs_before,
        tree(project / "docs"),
        project=project,
        published_unchanged=published_state() == published_before,
        log=result.stderr,
    )
