"""The real site, built once per test session and shared by every test folder that reads it.

Every build of the real site in the tests builds a copy of it (tests/site_copy.py), never
the checkout: the tests' blocks fill a store of their own."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.site.built_site import SITE_URL, BuiltSite
from tests.site_copy import built_copy, copy_site


@pytest.fixture(scope="session")
def site_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The copy of the site every real-site build of this session uses."""
    return copy_site(tmp_path_factory.mktemp("real-site") / "project")


@pytest.fixture(scope="session")
def real_site(site_project: Path, tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    return built_copy(site_project, tmp_path_factory.mktemp("site"), site_url=SITE_URL)
