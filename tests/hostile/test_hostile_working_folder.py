"""A block without a workdir starts in a folder of its own that shows the project's files at
the paths markdown-exec's blocks use (they run in the project folder): read-only, never its
git data or the build's folders, and what the block writes there stays its own."""

from __future__ import annotations

import secrets
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from fencerun.isolation.project_view import project_view
from fencerun.run import Executor

from tests.fencerun.run.helpers import run_one
from tests.hostile.conftest import hostile_policy

TOKEN = "ghs_" + secrets.token_hex(16)


@pytest.fixture(scope="module")
def checkout() -> Iterator[Path]:
    """A checkout with a CI token in its git data, the build's folders, a nested repository
    and a link into .git, beside the files a page's blocks read. Outside pytest's temp
    folder, which only its owner may enter: a root build's blocks run as another user."""
    root = Path("/var/tmp") / ("fencerun-checkout-" + secrets.token_hex(4))
    for folder in (".git", "docs", "plugins/x/.git", ".cache/fencerun", "site"):
        (root / folder).mkdir(parents=True)
    (root / ".git" / "config").write_text(f'[http]\n\textraheader = "AUTHORIZATION: {TOKEN}"\n')
    (root / "plugins" / "x" / ".git" / "config").write_text(TOKEN)
    (root / ".cache" / "fencerun" / "results.sqlite").write_text(TOKEN)
    (root / "site" / "index.html").write_text(TOKEN)
    (root / "git-data").symlink_to(".git")
    (root / "pyproject.toml").write_text('[project]\nname = "shown"\n')
    (root / "docs" / "page.md").write_text("# shown\n")
    (root / "plugins" / "x" / "module.py").write_text("SHOWN = 1\n")
    for path in [root, *root.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)
    yield root
    shutil.rmtree(root)


@pytest.fixture(scope="module", params=["namespaces", "fallback", "portable"])
def executor(request: pytest.FixtureRequest, checkout: Path) -> Iterator[Executor]:
    with Executor(
        project_dir=checkout,
        workers=1,
        default_timeout=20.0,
        policy=hostile_policy(request.param),
        build_dirs=[checkout / ".cache" / "fencerun", checkout / "site"],
    ) as pool:
        yield pool


def test_the_working_folder_shows_the_projects_entries_but_git_data_and_the_builds(
    checkout: Path,
) -> None:
    view = project_view(checkout, [checkout / ".cache" / "fencerun", checkout / "site"])
    names = [Path(entry).name for entry in view.shown_entries()]
    assert names == ["docs", "plugins", "pyproject.toml"]


def test_a_block_reads_the_project_by_the_paths_markdown_exec_gives_it(
    executor: Executor,
) -> None:
    result = run_one(
        executor,
        "bash",
        "cat pyproject.toml docs/page.md plugins/x/module.py\nls -A\nls -A plugins/x",
    )
    assert result.returncode == 0, result.output
    shown = '[project]\nname = "shown"\n# shown\nSHOWN = 1\n'
    assert result.output.startswith(shown)
    listing = result.output.removeprefix(shown).split()
    assert listing[:3] == ["docs", "plugins", "pyproject.toml"]
    assert TOKEN not in result.output


@pytest.mark.needs_protection("mount namespace")
def test_git_data_and_the_builds_folders_stay_out_of_the_working_folder(
    executor: Executor,
) -> None:
    reads = "cat .git/config git-data/config plugins/x/.git/config .cache/fencerun/* site/*"
    result = run_one(executor, "bash", f"{reads} 2>&1\ngrep -rs {TOKEN[:12]} . | head")
    assert TOKEN not in result.output
    assert "No such file or directory" in result.output


@pytest.mark.needs_protection("mount namespace")
def test_what_a_block_writes_in_its_working_folder_stays_its_own(
    executor: Executor, checkout: Path
) -> None:
    code = (
        "echo mine > new.txt && cat new.txt\n"
        "echo no > docs/new.txt || echo docs-refused\n"
        "echo no >> pyproject.toml || echo pyproject-refused\n"
        "rm -f docs/page.md || echo remove-refused\n"
    )
    result = run_one(executor, "bash", code)
    assert result.output.splitlines()[0] == "mine"
    for refused in ("docs-refused", "pyproject-refused", "remove-refused"):
        assert refused in result.output
    assert not (checkout / "new.txt").exists() and not (checkout / "docs" / "new.txt").exists()
    assert (checkout / "pyproject.toml").read_text() == '[project]\nname = "shown"\n'
    assert (checkout / "docs" / "page.md").exists()
    again = run_one(executor, "bash", "ls new.txt 2>&1 || echo gone")
    assert "gone" in again.output
