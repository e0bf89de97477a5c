"""The real site, built once per test session and shared by every test folder that reads it."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.site.built_site import REPO, SITE_URL, BuiltSite, tree


@pytest.fixture(scope="session")
def real_site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    docs_before = tree(REPO / "docs")
    out = tmp_path_factory.mktemp("site")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SITE_URL": SITE_URL}
    env.pop("FENCERUN_EXECUTE", None)  # the site as published: its blocks ran
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "-d", str(out)],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        pytest.fail(f"mkdocs build --strict failed:\n{result.stdout}\n{result.stderr}"[-6000:])
    return BuiltSite(out, docs_before, tree(REPO / "docs"))
