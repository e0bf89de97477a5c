"""The real site for the card tests (built once per session in tests/conftest.py)."""

from __future__ import annotations

import pytest

from tests.site.built_site import BuiltSite


@pytest.fixture(scope="session")
def site(real_site: BuiltSite) -> BuiltSite:
    return real_site
