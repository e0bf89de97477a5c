"""Small MkDocs sites in temporary folders, built with `mkdocs build` in a child process."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from bs4 import BeautifulSoup, Tag

HERE = Path(__file__).resolve().parent

PLAIN_MKDOCS_YML = """\
site_name: fencerun test
theme: mkdocs
plugins:
  - fencerun{plugin_options}
markdown_extensions:
  - admonition
  - attr_list
  - md_in_html
  - pymdownx.superfences
  - pymdownx.highlight
  - pymdownx.tabbed:
      alternate_style: true
  - toc:
      permalink: true
"""


@dataclass(frozen=True)
class Build:
    project: Path
    returncode: int
    output: str  # stdout and stderr of mkdocs build

    def html(self, page: str = "index.html") -> str:
        return (self.project / "site" / page).read_text(encoding="utf-8")

    def soup(self, page: str = "index.html") -> BeautifulSoup:
        return BeautifulSoup(self.html(page), "html.parser")


def build_env(extra: Mapping[str, str] = {}) -> dict[str, str]:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    env.pop("FENCERUN_EXECUTE", None)  # each test says whether blocks run
    return {**env, **extra}


def write_project(
    project: Path,
    pages: Mapping[str, str],
    *,
    mkdocs_yml: str | None = None,
    plugin_options: str = "",
) -> None:
    options = textwrap.indent(textwrap.dedent(plugin_options).strip("\n"), "      ")
    yml = mkdocs_yml or PLAIN_MKDOCS_YML.format(plugin_options=":\n" + options if options else "")
    project.mkdir(parents=True, exist_ok=True)
    (project / "mkdocs.yml").write_text(yml, encoding="utf-8")
    for name, text in pages.items():
        path = project / "docs" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")


def build(
    project: Path,
    *,
    env: Mapping[str, str] = {},
    strict: bool = True,
    python: str = sys.executable,
) -> Build:
    command = [python, "-m", "mkdocs", "build"] + (["--strict"] if strict else [])
    done = subprocess.run(
        command,
        cwd=project,
        env=build_env(env),
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    return Build(project, done.returncode, done.stdout + done.stderr)


def build_pages(
    project: Path,
    pages: Mapping[str, str],
    *,
    plugin_options: str = "",
    mkdocs_yml: str | None = None,
    env: Mapping[str, str] = {},
) -> Build:
    write_project(project, pages, mkdocs_yml=mkdocs_yml, plugin_options=plugin_options)
    return build(project, env=env)


def text_of(soup: BeautifulSoup, selector: str) -> list[str]:
    return [element.get_text() for element in soup.select(selector)]


def section(soup: BeautifulSoup, heading_id: str) -> list[Tag]:
    """The elements between a heading and the next heading of the same level or higher."""
    heading = soup.find(id=heading_id)
    assert isinstance(heading, Tag), heading_id
    elements = []
    for sibling in heading.find_next_siblings():
        if sibling.name in {"h1", "h2"}:
            break
        elements.append(sibling)
    return elements
