"""A second real site: git-changelog's documentation, which declares markdown-exec as
superfences custom fences, builds with fencerun in its place (the same fences pointed at
`fencerun.fence`, and the plugin for its options), and every block shows what markdown-exec
shows (`git_changelog_docs/README.md` says what the copy is).

The CLI reference imports git-changelog, which the dev lock does not hold: where it is not
installed, that block is left out of both builds, and the test says so.
"""

from __future__ import annotations

import importlib.util

import pytest

from tests.fencerun.conftest import HERE
from tests.fencerun.site_comparison import Builds, Compared, build_both, compare, drop_blocks

VENDORED = HERE / "git_changelog_docs"
PLUGINS = {
    "markdown-exec": "",
    "fencerun": "plugins:\n  - fencerun:\n      default_output: markdown\n",
}
NEEDS_GIT_CHANGELOG = "from git_changelog import get_parser"

# Blocks that may differ by design: (page, line of the fence in the copy) -> why. They
# differ where what they print holds a bare address: with git-changelog installed (its
# CLI reference; semver's summary in the credits), not with the dev lock alone.
MAY_DIFFER: dict[tuple[str, int], str] = {
    key: (
        "markdown-exec declared only as superfences fences (no plugin) converts a Markdown "
        "output with the extensions the page's Markdown registered, without their settings, "
        "so pymdownx.magiclink leaves bare addresses as text; fencerun converts it with the "
        "site's extensions and settings, as markdown-exec's plugin does (with the plugin "
        "both show links)"
    )
    for key in (("credits.md", 7), ("reference/cli.md", 20))
}


def with_fencerun_fences(side: str, config: str) -> str:
    """The site's config, its markdown-exec fences declared with fencerun's functions."""
    if side == "markdown-exec":
        return config
    return config.replace("markdown_exec.validator", "fencerun.fence.validator").replace(
        "markdown_exec.formatter", "fencerun.fence.formatter"
    )


@pytest.fixture(scope="module")
def has_git_changelog() -> bool:
    return importlib.util.find_spec("git_changelog") is not None


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory, has_git_changelog: bool) -> Builds:
    def without_what_cannot_run(page: str, text: str) -> str:
        return text if has_git_changelog else drop_blocks(text, [NEEDS_GIT_CHANGELOG])

    return build_both(
        VENDORED,
        ["docs", "scripts", "pyproject.toml"],
        tmp_path_factory.mktemp("git-changelog-docs"),
        plugins=PLUGINS,
        edit_page=without_what_cannot_run,
        edit_config=with_fencerun_fences,
    )


@pytest.fixture(scope="module")
def compared(builds: Builds, has_git_changelog: bool) -> list[Compared]:
    results = compare(builds)
    same = sum(1 for item in results if not item.diff)
    print(f"\n{len(results)} blocks compared, {same} show the same")
    if not has_git_changelog:
        print("left out: the CLI reference's block (needs git-changelog)")
    for item in results:
        if item.diff:
            print(f"\n{item.block}\n{item.diff}")
    return results


@pytest.mark.parametrize("side", list(PLUGINS))
def test_the_docs_build_with_strict(builds: Builds, side: str) -> None:
    assert builds.builds[side].returncode == 0, builds.builds[side].output[-3000:]


def test_every_block_shows_what_markdown_exec_shows(compared: list[Compared]) -> None:
    unexpected = [
        item
        for item in compared
        if item.diff and (item.block.page, item.block.line) not in MAY_DIFFER
    ]
    report = "\n\n".join(f"{item.block}\n{item.diff}" for item in unexpected)
    assert not unexpected, f"blocks showing something else than under markdown-exec:\n{report}"
    assert compared, "no block compared"
