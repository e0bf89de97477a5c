"""markdown-exec's own documentation builds with fencerun in place of markdown-exec, and every
block shows what markdown-exec shows (`markdown_exec_docs/README.md` says what the copy is).

The gallery's blocks that need a package or program this machine lacks are left out of both
builds, and the test says which; with them installed, the whole gallery is compared.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import sys

import pytest

from tests.fencerun.conftest import HERE
from tests.fencerun.site_comparison import Builds, Compared, build_both, compare, drop_blocks

VENDORED = HERE / "markdown_exec_docs"
PLUGINS = {
    "markdown-exec": "plugins:\n  - markdown-exec\n",
    "fencerun": "plugins:\n  - fencerun:\n      default_output: markdown\n",
}

# A text of each gallery block that needs more than Python and bash, and what it needs:
# (Python modules, programs).
GALLERY_NEEDS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    'id="diagrams"': (("diagrams",), ("dot",)),
    'id="d2"': ((), ("d2",)),
    'id="matplotlib"': (("matplotlib",), ()),
    'id="pipdeptree1"': (("pipdeptree",), ("pipdeptree",)),
    'id="pipdeptree2"': (("pipdeptree", "mkdocstrings_handlers.python"), ("pipdeptree",)),
    'id="plotly"': (("plotly", "pandas"), ()),
    'id="pydeps"': (("pydeps",), ("dot",)),
    'id="rich"': (("rich",), ()),
    'id="richterminal"': (("rich",), ()),
    'id="chalk"': (("chalk", "colour"), ()),
    'id="drawsvg2"': (("drawsvg",), ()),
    'id="hyperbolic"': (("hyperbolic", "drawsvg"), ()),
    'id="qrcode"': (("qrcode",), ()),
    'id="textual"': (("textual",), ()),
    "gallery/argparse_format.py": (("duty",), ()),
    "gallery/argparse.py": (("duty",), ()),
}

# Blocks whose result differs by design: (page, line of the fence in the copy) -> why. The
# knowledge base's "Moving from markdown-exec" lists each, with what to do.
KNOWN_DIFFERENCES: dict[tuple[str, int], str] = {
    ("gallery.md", 179): (
        "the file tree's block prints exec fences for its subfolders, which markdown-exec runs "
        "and fencerun shows as code: every block is found and keyed in the page's source "
        "before any runs, and an output never becomes code that runs"
    ),
    ("usage/index.md", 308): (
        "`pwd` without a workdir prints the block's own folder (/tmp/work), not the project "
        "folder: the project's files are shown there read-only, and what the block writes "
        "stays its own"
    ),
}


def missing_here() -> dict[str, list[str]]:
    """Gallery blocks this machine cannot run -> what it lacks."""
    path = os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", "")
    missing = {}
    for needle, (modules, programs) in GALLERY_NEEDS.items():
        lacking = [name for name in modules if importlib.util.find_spec(name.split(".")[0]) is None]
        lacking += [name for name in programs if shutil.which(name, path=path) is None]
        if lacking:
            missing[needle] = lacking
    return missing


@pytest.fixture(scope="module")
def left_out() -> dict[str, list[str]]:
    return missing_here()


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory, left_out: dict[str, list[str]]) -> Builds:
    def without_what_cannot_run(page: str, text: str) -> str:
        return drop_blocks(text, left_out) if page == "gallery.md" else text

    return build_both(
        VENDORED,
        ["docs", "config"],
        tmp_path_factory.mktemp("markdown-exec-docs"),
        plugins=PLUGINS,
        edit_page=without_what_cannot_run,
    )


@pytest.fixture(scope="module")
def compared(builds: Builds, left_out: dict[str, list[str]]) -> list[Compared]:
    results = compare(builds)
    fences = sum(item.block.fences for item in results)
    same = sum(1 for item in results if not item.diff)
    print(f"\n{len(results)} blocks ({fences} fences) compared, {same} show the same")
    for needle, lacking in left_out.items():
        print(f"left out of the gallery: {needle} (needs {', '.join(lacking)})")
    for item in results:
        if item.diff:
            print(f"\n{item.block}\n{item.diff}")
    return results


@pytest.mark.parametrize("side", list(PLUGINS))
def test_the_docs_build_with_strict(builds: Builds, side: str) -> None:
    assert builds.builds[side].returncode == 0, builds.builds[side].output[-3000:]


def test_every_block_shows_what_markdown_exec_shows(compared: list[Compared]) -> None:
    differing = {(item.block.page, item.block.line): item for item in compared if item.diff}
    unexpected = [item for key, item in differing.items() if key not in KNOWN_DIFFERENCES]
    report = "\n\n".join(f"{item.block}\n{item.diff}" for item in unexpected)
    assert not unexpected, f"blocks showing something else than under markdown-exec:\n{report}"


def test_each_known_difference_is_still_one(compared: list[Compared]) -> None:
    blocks = {(item.block.page, item.block.line): item for item in compared}
    gone = [key for key in KNOWN_DIFFERENCES if key in blocks and not blocks[key].diff]
    assert not gone, f"these blocks now show what markdown-exec shows: {gone}"
