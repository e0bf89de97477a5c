"""Executors for hostile blocks, with tight limits: with every protection the kernel allows;
with namespaces turned off, the fallback of CI runners that forbid them; and with only what
every POSIX system offers, what a build on a Mac gets."""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest
from fencerun.isolation import IsolationPolicy
from fencerun.run import Executor

from tests.hostile.ceiling import process_ceiling
from tests.not_checked import Cause, skip_for

MIB = 1024 * 1024
OUTPUT_CAP = 10_000


CAP = 64  # processes a hostile block may have at once


def hostile_policy(variant: str) -> IsolationPolicy:
    return IsolationPolicy(
        linux_isolation=variant != "portable",
        namespaces=variant == "namespaces",
        memory_bytes=1024 * MIB,
        max_processes=CAP,
    )


# Far above what these tests start (workers, fork servers, blocks capped at 64 each).
CEILING = 600


def pytest_collection_finish(session: pytest.Session) -> None:
    """Lists the tests of this folder the run selected, where scripts/test asks for them in
    HOSTILE_SELECTION: as root, it runs them again as an ordinary user."""
    listing = os.environ.get("HOSTILE_SELECTION")
    if not listing or session.config.option.collectonly:
        return
    here = Path(__file__).parent
    selected = [item.nodeid for item in session.items if item.path.is_relative_to(here)]
    Path(listing).write_text("".join(f"{node_id}\n" for node_id in selected), encoding="utf-8")


@pytest.fixture(scope="session", autouse=True)
def ceiling() -> Iterator[str]:
    """How every process of these tests is capped, whatever fencerun does."""
    with process_ceiling(CEILING) as how:
        yield how


@pytest.fixture(scope="session")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("hostile-project")
    root.chmod(0o755)  # as a checkout is: readable to every user, not only to its owner
    (root / "docs" / "scratch").mkdir(parents=True)
    (root / "docs" / "page.md").write_text("# page\n")
    return root


@pytest.fixture(scope="session", params=["namespaces", "fallback", "portable"])
def executor(request: pytest.FixtureRequest, project: Path) -> Iterator[Executor]:
    policy = hostile_policy(request.param)
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


def active_protections(executor: Executor) -> str:
    return executor.protections_summary().split("; not available:")[0]


def has_mount_namespace(executor: Executor) -> bool:
    return "mount namespace" in active_protections(executor)


def skip_without(executor: Executor, protection: str, what: str = "") -> None:
    """Skip where this variant's blocks lack the protection (as the protections line
    calls it), with fencerun's own reason: by design where the variant turns it off."""
    __tracebackhide__ = True
    if protection not in active_protections(executor):
        missing = executor.protections_summary().partition("; not available: ")[2]
        cause = Cause.BY_DESIGN if "turned off by the policy" in missing else Cause.MACHINE
        skip_for(cause, f"no {what or protection} for this variant's blocks: {missing}")


@pytest.fixture(autouse=True)
def _required_protection(request: pytest.FixtureRequest) -> None:
    """Honours `needs_protection(name, what)` on tests that take an executor."""
    __tracebackhide__ = True
    needs = request.node.get_closest_marker("needs_protection")
    if needs is not None:
        skip_without(request.getfixturevalue("executor"), *needs.args, **needs.kwargs)


def has_subreaper(executor: Executor) -> bool:
    return "subreaper" in active_protections(executor)


def mark_python(marker: str) -> str:
    """Code that names the block's process and tags what it starts with the marker."""
    return (
        "import ctypes, os\n"
        f"ctypes.CDLL(None).prctl(15, b'{marker}', 0, 0, 0)\n"
        f"os.environ['HOSTILE_MARK'] = '{marker}'\n"
    )


def mark_shell(marker: str, code: str) -> str:
    """Shell code run so that every process it starts carries the marker: in the command
    line of a child bash (`$0`), which its subshells share, in its name where /proc lets it
    write one, and in the environment of every program it runs. The command line is what
    still marks a subshell where /proc is read-only and /proc/PID/environ shows only what
    the process started with (a build that is not root, in a user namespace)."""
    return (
        f"export HOSTILE_MARK={marker}\n"
        "bash -c \"$(cat <<'HOSTILE_CODE'\n"
        f"{{ printf %s {marker} > /proc/$$/comm; }} 2>/dev/null\n"
        f"{code}\n"
        "HOSTILE_CODE\n"
        f')" {marker}\n'
    )


def marked(language: str, marker: str, code: str) -> str:
    """A block's code, marked as `mark_python` or `mark_shell` does."""
    return mark_python(marker) + code if language == "python" else mark_shell(marker, code)
