"""markdown-exec's `tree` fence draws the same file tree under fencerun as under markdown-exec:
the same page is built with each plugin and every tree's HTML compared."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from tests.fencerun.conftest import Build, build, build_env, build_pages, write_project

MARKDOWN_EXEC_MKDOCS_YML = """\
site_name: markdown-exec
theme: mkdocs
plugins:
  - markdown-exec
markdown_extensions:
  - admonition
  - attr_list
  - md_in_html
  - pymdownx.superfences
  - pymdownx.highlight
  - pymdownx.tabbed:
      alternate_style: true
"""

TREES = """
    # Trees

    ```tree
    root1            # comment 1
        file1
        dir1
            file
        dir2
            file1    # comment 2
            file2    # comment 3
        file2
        file3
    root2
        file1
    ```

    ```tree result="javascript"
    root1            // comment 1
        dir1/
        dir2/
    ```

    ```tree title="layout.txt"
    project/
        Dockerfile
        .gitignore
        main.cpp
        lib.rs
        archive.tar.gz
        README
        src/
            app.py
            style.scss
    ```

    ```{.tree icons="none"}
    folder/
        file
        file.py
    ```

    ```tree icons="basic"
    folder/
        file.py
        file.rb
    ```

    ```tree icons="material"
    folder/
        file.rs
    ```

    ```tree exec="on" icons="auto"
    folder/
        file.js
    ```

    ```tree
    root
        a
            deep
          between
        last
    ```

    !!! note "In an admonition"

        ```tree
        folder/
            file.md
        ```

    ````md exec="on"
    Drawn from a block's Markdown:

    ```tree
    shown/
        inside.py
    ```
    ````
"""


def trees(result: Build) -> list[str]:
    soup = BeautifulSoup(result.html(), "html.parser")
    return [str(block) for block in soup.select(".highlight")]


@pytest.fixture(scope="module")
def markdown_exec(tmp_path_factory: pytest.TempPathFactory) -> Build:
    project = tmp_path_factory.mktemp("markdown-exec")
    write_project(project, {"index.md": TREES}, mkdocs_yml=MARKDOWN_EXEC_MKDOCS_YML)
    result = build(project)
    assert result.returncode == 0, result.output
    return result


@pytest.fixture(scope="module")
def fencerun(tmp_path_factory: pytest.TempPathFactory) -> Build:
    result = build_pages(tmp_path_factory.mktemp("fencerun"), {"index.md": TREES})
    assert result.returncode == 0, result.output
    return result


def test_every_tree_is_drawn_as_markdown_exec_draws_it(
    markdown_exec: Build, fencerun: Build
) -> None:
    expected = trees(markdown_exec)
    assert len(expected) == 10
    assert trees(fencerun) == expected


def test_a_tree_shows_branches_folders_and_file_icons(fencerun: Build) -> None:
    soup = BeautifulSoup(fencerun.html(), "html.parser")
    first = soup.select(".highlight")[0]
    text = first.get_text()
    assert text.startswith("📁 root1")
    assert "├── 📁 dir1\n│   └── " in text
    assert first.select("span.twemoji svg"), "files get Material's icons"
    basic = soup.select(".highlight")[4].get_text()
    assert basic == "📁 folder/\n├── 📄 file.py\n└── 📄 file.rb\n"


def test_the_page_shows_no_fence_text(fencerun: Build) -> None:
    soup = BeautifulSoup(fencerun.html(), "html.parser")
    assert "```" not in soup.get_text()
    assert "icons=" not in soup.get_text()


# mkdocs build in a Python where neither Material for MkDocs nor Zensical's theme (which
# ships the same icons) can be imported.
WITHOUT_MATERIAL = (
    "import sys; sys.modules.update(material=None, zensical=None, zensical_ui=None); "
    "from mkdocs.__main__ import cli; cli(['build', '--strict'])"
)


def build_without_material(project: Path) -> Build:
    done = subprocess.run(
        [sys.executable, "-c", WITHOUT_MATERIAL],
        cwd=project,
        env=build_env(),
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    return Build(project, done.returncode, done.stdout + done.stderr)


def test_without_material_files_get_the_plain_emoji_as_with_markdown_exec(
    tmp_path: Path,
) -> None:
    page = {"index.md": "```tree\nfolder/\n    file.py\n    Dockerfile\n```\n"}
    write_project(tmp_path / "markdown-exec", page, mkdocs_yml=MARKDOWN_EXEC_MKDOCS_YML)
    write_project(tmp_path / "fencerun", page)
    expected = build_without_material(tmp_path / "markdown-exec")
    result = build_without_material(tmp_path / "fencerun")
    assert expected.returncode == 0 and result.returncode == 0, expected.output + result.output
    assert trees(result) == trees(expected)
    text = BeautifulSoup(result.html(), "html.parser").get_text()
    assert "📁 folder/\n├── 📄 file.py\n└── 📄 Dockerfile" in text
