"""scripts/new_post.py run on the content check's small two-language project."""

from __future__ import annotations

from collections.abc import Callable

import pytest

# The project new posts are written into, and the check they must pass.
from tests.content_check.conftest import REPO_ROOT, Run, check_content, run_script, site

__all__ = ["check_content", "site"]

NEW_POST = REPO_ROOT / "scripts" / "new_post.py"


@pytest.fixture
def new_post() -> Callable[..., Run]:
    """Runs scripts/new_post.py with flags on a project folder, stdin not a terminal."""
    return lambda root, *args: run_script(NEW_POST, "--root", str(root), *args)
