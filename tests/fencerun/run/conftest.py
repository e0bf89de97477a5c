"""One executor per test session: starting workers is the slow part, blocks are cheap."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fencerun.isolation import IsolationPolicy
from fencerun.run import Executor


@pytest.fixture(scope="session")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project folder with a workdir that blocks can declare."""
    root = tmp_path_factory.mktemp("project")
    root.chmod(0o755)  # as a checkout is: readable to every user, not only to its owner
    (root / "docs" / "examples").mkdir(parents=True)
    (root / "docs" / "examples" / "data.txt").write_text("데이터\n")
    (root / "docs" / "examples" / "helper.py").write_text(
        "def shout(text):\n    raise ValueError(text)\n"
    )
    return root


@pytest.fixture(scope="session")
def executor(project: Path) -> Iterator[Executor]:
    with Executor(project_dir=project, workers=2, default_timeout=20.0) as pool:
        yield pool


@pytest.fixture(scope="session")
def small_executor(project: Path) -> Iterator[Executor]:
    """Tight limits, for the tests of those limits."""
    policy = IsolationPolicy(memory_bytes=1024 * 1024 * 1024, max_processes=64)
    with Executor(
        project_dir=project,
        workers=2,
        default_timeout=5.0,
        max_output_bytes=1000,
        policy=policy,
    ) as pool:
        yield pool
