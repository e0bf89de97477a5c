"""What a block can read: the system, the project without its git data and the build's own
folders, never a home folder's secrets or the system's. Where no mount namespace hides files,
the protections line says in plain words that blocks can read the build user's files."""

from __future__ import annotations

import secrets
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from fencerun.isolation.protections import CAN_READ_USER_FILES
from fencerun.run import Executor

from tests.fencerun.run.helpers import run_one
from tests.hostile.conftest import has_mount_namespace, hostile_policy

TOKEN = "ghs_" + secrets.token_hex(16)
KEY = "-----BEGIN OPENSSH PRIVATE KEY-----" + secrets.token_hex(8)


@pytest.fixture(scope="module")
def home() -> Iterator[Path]:
    """The build user's home, with a key in it, outside /tmp (which blocks never see)."""
    folder = Path("/var/tmp") / ("fencerun-home-" + secrets.token_hex(4))
    (folder / ".ssh").mkdir(parents=True)
    (folder / ".ssh" / "id_ed25519").write_text(KEY + "\n")
    yield folder
    shutil.rmtree(folder)


@pytest.fixture(scope="module")
def checkout(home: Path) -> Path:
    """A checkout in the build user's home, as an author keeps one, with a CI token in its
    git config and results in its caches and built site."""
    root = home / "blog"
    for folder in (".git", "docs/examples", ".cache/fencerun", ".cache/social-cards", "site"):
        (root / folder).mkdir(parents=True)
    (root / ".git" / "config").write_text(f'[http]\n\textraheader = "AUTHORIZATION: {TOKEN}"\n')
    (root / ".cache" / "fencerun" / "results.sqlite").write_text(TOKEN)
    (root / ".cache" / "social-cards" / "card.png").write_text(TOKEN)
    (root / "site" / "index.html").write_text(TOKEN)
    (root / "docs" / "page.md").write_text("# shown\n")
    return root


@pytest.fixture(scope="module", params=["namespaces", "fallback"])
def executor(request: pytest.FixtureRequest, checkout: Path, home: Path) -> Iterator[Executor]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("HOME", str(home))
        with Executor(
            project_dir=checkout,
            workers=1,
            default_timeout=20.0,
            policy=hostile_policy(request.param),
            build_dirs=[checkout / ".cache" / "fencerun", checkout / "site"],
        ) as pool:
            summary = pool.protections_summary()  # the workers have read HOME
            # Where the kernel allows a mount namespace, the view is built: a failure to
            # hide something is fencerun's, and no reason to run blocks without one.
            assert "mount namespace ([Errno" not in summary, summary
            yield pool


def test_a_block_reads_no_secret_of_the_home_the_project_or_the_system(
    executor: Executor, checkout: Path, home: Path
) -> None:
    if not has_mount_namespace(executor):
        assert CAN_READ_USER_FILES in executor.protections_summary()
        return
    reads = "\n".join(
        f"cat {path} 2>&1"
        for path in (
            home / ".ssh" / "id_ed25519",
            checkout / ".git" / "config",
            checkout / ".cache" / "fencerun" / "results.sqlite",
            checkout / ".cache" / "social-cards" / "card.png",
            checkout / "site" / "index.html",
            "/etc/shadow",
            "/etc/gshadow",
        )
    )
    # The folders the build's secrets sit in (this test's home among them), searched
    # whole: `grep -r /` spent the block's whole time in /proc and never reached them.
    places = f"{home} /root /home /run /etc /tmp"
    result = run_one(executor, "bash", reads + f"\ngrep -rs {TOKEN[:12]} {places} | head")
    assert TOKEN not in result.output
    assert KEY not in result.output
    assert "root:" not in result.output  # no line of the shadow files
    assert "$y$" not in result.output and "$6$" not in result.output


def test_a_block_still_sees_the_project_and_its_interpreter(
    executor: Executor, checkout: Path
) -> None:
    result = run_one(
        executor,
        "bash",
        f"cat {checkout}/docs/page.md\npython -c 'import json, sys; print(sys.version_info[0])'",
    )
    assert result.returncode == 0, result.output
    assert result.output == "# shown\n3\n"


@pytest.mark.needs_protection("mount namespace")
def test_home_folders_show_only_what_the_build_needs(executor: Executor, home: Path) -> None:
    result = run_one(executor, "bash", f"ls -A {home} /home")
    assert result.returncode == 0, result.output
    assert ".ssh" not in result.output
    assert "blog" in result.output  # the project, shown again in the covered home
