"""The real site for the posts and knowledge-base tests (built once in tests/conftest.py)."""

from __future__ import annotations

import pytest

from tests.site.built_site import BuiltSite


@pytest.fixture(scope="session")
def built(real_site: BuiltSite) -> BuiltSite:
    return real_site
