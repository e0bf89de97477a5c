"""fencerun under Zensical, which has no plugin API: the exec fences are declared as
pymdownx.superfences custom fences (`fencerun.fence`), and one mkdocs.yml builds with either
generator, sharing the result store."""

from __future__ import annotations

import base64
import re
import subprocess
import sys
from pathlib import Path

import pytest
from fencerun.config import FencerunConfig
from fencerun.site_options import OPTION_NAMES

from tests.fencerun.conftest import Build, build, build_env, write_project

LANGUAGES = ("python", "py", "pycon", "bash", "sh", "console", "md", "markdown", "tree", "pyodide")

FENCES = "".join(
    f"""\
        - name: {language}
          class: {language}
          validator: !!python/name:fencerun.fence.validator
          format: !!python/name:fencerun.fence.formatter
"""
    for language in LANGUAGES
)

# Both generators read it: MkDocs runs the plugin (its own fences win over the declared
# ones), Zensical skips the plugin and runs the declared fences with the plugin's options.
MKDOCS_YML = f"""\
site_name: fencerun under Zensical
theme:
  name: material
plugins:
  - fencerun:
      provenance: false
markdown_extensions:
  - toc:
      permalink: true
  - pymdownx.tabbed:
      alternate_style: true
  - pymdownx.superfences:
      custom_fences:
{FENCES}"""

PAGES = {
    "index.md": """
        ---
        title: Home
        ---
        # Home

        ```bash exec="on"
        echo "bash says $((6 * 7))"
        ```

        ```python exec="on" session="walk" source="tabbed-left"
        steps = ["one", "two"]
        print("python counted", len(steps))
        ```

        Prose between the blocks of a session.

        ```python exec="on" session="walk"
        print("the session still has", "+".join(steps))
        ```

        ```python exec="on" markdown="on"
        print("## A heading from a block\\n\\nIts **own** paragraph.")
        ```
    """,
    "figure.md": """
        # Figure

        ```python exec="on"
        import matplotlib
        matplotlib.use("svg")
        import matplotlib.pyplot as plt
        plt.plot([1, 3, 2])
        ```
    """,
}

FAILING_PAGES = {
    "index.md": "# Home\n\nNothing runs here.\n",
    "broken.md": """
        # Broken

        - a list item

            ```bash exec="on"
            echo "the last words"
            exit 3
            ```
    """,
}


def zensical_build(project: Path, *clean: str) -> Build:
    done = subprocess.run(
        [sys.executable, "-m", "zensical", "build", *clean],
        cwd=project,
        env=build_env(),
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    return Build(project, done.returncode, done.stdout + done.stderr)


def summary(output: str) -> str:
    match = re.search(r"fencerun: blocks \d+ run, \d+ reused, \d+ failed", output)
    assert match is not None, output
    return match[0]


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("zensical")
    write_project(folder, PAGES, mkdocs_yml=MKDOCS_YML)
    return folder


@pytest.fixture(scope="module")
def first(project: Path) -> Build:
    return zensical_build(project)


def test_zensical_shows_what_bash_and_python_blocks_print(first: Build) -> None:
    assert first.returncode == 0, first.output
    text = first.soup().get_text()
    assert "bash says 42" in text
    assert "python counted 2" in text


def test_a_session_keeps_its_state_across_blocks_of_a_page(first: Build) -> None:
    assert "the session still has one+two" in first.soup().get_text(), first.output


def test_tabs_and_markdown_outputs_render_and_the_heading_joins_the_contents(
    first: Build,
) -> None:
    soup = first.soup()
    labels = [label.get_text() for label in soup.select(".tabbed-labels label")]
    assert labels == ["Source", "Result"]
    headings = [h for h in soup.select("h2") if "A heading from a block" in h.get_text()]
    assert len(headings) == 1, first.output
    heading = headings[0]
    contents = soup.select_one('nav[aria-label="On this page"]')
    assert contents is not None
    assert f"#{heading['id']}" in [link["href"] for link in contents.select("a")]


def test_the_plugins_options_in_mkdocs_yml_apply_under_zensical(first: Build) -> None:
    # provenance: false, from the plugin's entry that Zensical itself skips
    assert first.soup().select(".fencerun-provenance") == []
    assert summary(first.output) == "fencerun: blocks 5 run, 0 reused, 0 failed"


def test_a_figure_is_inlined_since_zensical_deletes_files_it_did_not_write(
    first: Build,
) -> None:
    image = first.soup("figure/index.html").select_one("img.fencerun-figure")
    assert image is not None, first.output
    prefix = "data:image/svg+xml;base64,"
    assert str(image["src"]).startswith(prefix)
    assert b"<svg" in base64.b64decode(str(image["src"]).removeprefix(prefix))


def test_a_second_build_takes_every_result_from_the_store(tmp_path: Path) -> None:
    write_project(tmp_path, PAGES, mkdocs_yml=MKDOCS_YML)
    assert zensical_build(tmp_path).returncode == 0
    page = tmp_path / "docs" / "index.md"
    # A prose edit makes Zensical render the page again (it caches unchanged pages).
    page.write_text(page.read_text().replace("Prose between", "Other prose between"))
    again = zensical_build(tmp_path)
    assert again.returncode == 0, again.output
    assert summary(again.output) == "fencerun: blocks 0 run, 4 reused, 0 failed"
    assert "the session still has one+two" in again.soup().get_text()


def test_a_block_built_by_mkdocs_is_not_run_again_by_zensical(
    tmp_path: Path,
) -> None:
    write_project(tmp_path, PAGES, mkdocs_yml=MKDOCS_YML)
    by_mkdocs = build(tmp_path)
    assert by_mkdocs.returncode == 0, by_mkdocs.output
    by_zensical = zensical_build(tmp_path)
    assert by_zensical.returncode == 0, by_zensical.output
    assert summary(by_zensical.output) == "fencerun: blocks 0 run, 5 reused, 0 failed"


def test_a_failing_block_stops_the_build_naming_its_file_and_line(tmp_path: Path) -> None:
    write_project(tmp_path, FAILING_PAGES, mkdocs_yml=MKDOCS_YML)
    failed = zensical_build(tmp_path)
    assert failed.returncode != 0
    assert "docs/broken.md:5: bash block exited with 3, expected 0" in failed.output
    assert "| the last words" in failed.output


def test_zensical_reads_the_same_options_as_the_plugin() -> None:
    # pyodide editors need the plugin: their script is a file of the site.
    assert set(OPTION_NAMES) == set(FencerunConfig().keys()) - {"pyodide_assets"}


def test_an_option_zensical_cannot_use_is_named_with_its_file(tmp_path: Path) -> None:
    yml = MKDOCS_YML.replace("provenance: false", 'timeout: "soon"')
    write_project(tmp_path, PAGES, mkdocs_yml=yml)
    failed = zensical_build(tmp_path)
    assert failed.returncode != 0
    message = "mkdocs.yml: plugins: fencerun: timeout must be a number of seconds, not 'soon'"
    assert message in failed.output


def test_a_tree_is_drawn_as_the_plugin_draws_it(tmp_path: Path) -> None:
    tree = "```tree\nsite/\n    docs/\n        index.md\n    mkdocs.yml\n```\n"
    write_project(tmp_path, {"index.md": tree}, mkdocs_yml=MKDOCS_YML)
    by_zensical = zensical_build(tmp_path)
    assert by_zensical.returncode == 0, by_zensical.output
    drawn = re.search(
        r'<div class="highlight"><pre><span></span><code>📁.*?</div>', by_zensical.html(), re.DOTALL
    )
    by_mkdocs = build(tmp_path)
    assert by_mkdocs.returncode == 0, by_mkdocs.output
    assert drawn is not None and drawn.group(0) in by_mkdocs.html()
    assert "├──" in drawn.group(0) and "index.md" in drawn.group(0)


def test_a_pyodide_fence_is_refused_with_what_to_do(tmp_path: Path) -> None:
    write_project(tmp_path, {"index.md": "```pyodide\nprint(1)\n```\n"}, mkdocs_yml=MKDOCS_YML)
    failed = zensical_build(tmp_path)
    assert failed.returncode != 0
    assert "pyodide fences need fencerun's MkDocs plugin" in failed.output
