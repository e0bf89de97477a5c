"""Executors for hostile blocks: tight limits, once with every protection the kernel
allows and once with namespaces turned off, the fallback of CI runners that forbid them."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest
from fencerun.isolation import IsolationPolicy
from fencerun.run import Executor

MIB = 1024 * 1024
OUTPUT_CAP = 10_000


def hostile_policy(*, namespaces: bool) -> IsolationPolicy:
    return IsolationPolicy(namespaces=namespaces, memory_bytes=1024 * MIB, max_processes=64)


@pytest.fixture(scope="session")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("hostile-project")
    (root / "docs" / "scratch").mkdir(parents=True)
    (root / "docs" / "page.md").write_text("# page\n")
    return root


@pytest.fixture(scope="session", params=["namespaces", "fallback"])
def executor(request: pytest.FixtureRequest, project: Path) -> Iterator[Executor]:
    policy = hostile_policy(namespaces=request.param == "namespaces")
    with Executor(
        project_dir=project,
        workers=2,
        default_timeout=5.0,
        max_output_bytes=OUTPUT_CAP,
        policy=policy,
    ) as pool:
        yield pool


@pytest.fixture
def marker() -> str:
    """A name short enough for /proc/PID/comm, unique to the test."""
    return "hx" + secrets.token_hex(6)


def has_mount_namespace(executor: Executor) -> bool:
    return "mount namespace" in executor.protections_summary().split("; not available:")[0]


def mark_python(marker: str) -> str:
    """Code that names the block's process and tags what it starts with the marker."""
    return (
        "import ctypes, os\n"
        f"ctypes.CDLL(None).prctl(15, b'{marker}', 0, 0, 0)\n"
        f"os.environ['HOSTILE_MARK'] = '{marker}'\n"
    )


def mark_shell(marker: str) -> str:
    return f"printf %s {marker} > /proc/$$/comm\nexport HOSTILE_MARK={marker}\n"
