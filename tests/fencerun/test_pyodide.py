"""markdown-exec's `pyodide` fence: the same editor markup as markdown-exec's, its scripts from
the addresses the site chooses (markdown-exec's CDN by default), and nothing of it on a page
without an editor."""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup, Tag

from tests.fencerun.conftest import Build, build, build_pages, write_project
from tests.fencerun.test_tree import MARKDOWN_EXEC_MKDOCS_YML

EDITORS = """
    # Editors

    ```pyodide
    import micropip

    print("Installing cowsay...")
    await micropip.install("cowsay")
    ```

    ```pyodide install="cowsay,griffe" height="2-10" theme="ambiance" session="other"
    print(something)
    ```

    ```{.pyodide height="7" theme="chrome,monokai" assets="no"}
    print("again")
    ```
"""

# markdown-exec numbers its editors' ids exec-N--, fencerun pyodide-N-- (so that they never
# meet the exec-N-- ids of an output's headings); compared without it.
_ID_PREFIX_RE = re.compile(r"\b(?:exec|pyodide)-\d+--")


def editors(result: Build) -> list[str]:
    soup = BeautifulSoup(result.html(), "html.parser")
    return [_ID_PREFIX_RE.sub("ID--", str(editor)) for editor in soup.select("div.pyodide")]


def asset_tags(result: Build) -> list[dict[str, str | list[str]]]:
    """The scripts and stylesheets the editors bring with them, in order."""
    content = BeautifulSoup(result.html(), "html.parser").select_one('[role="main"]')
    assert content is not None
    tags = content.find_all(
        lambda tag: (
            (tag.name == "script" and tag.get("src")) or tag.get("title") in ("light", "dark")
        )
    )
    return [dict(tag.attrs) for tag in tags]


def setup_arguments(result: Build) -> list[list[object]]:
    """The arguments each editor's script hands setupPyodide, in order."""
    calls = []
    for script in BeautifulSoup(result.html(), "html.parser").find_all("script"):
        text = script.get_text()
        if "setupPyodide(" in text:
            arguments = _arguments(text[text.index("setupPyodide(") + len("setupPyodide(") :])
            # markdown-exec writes name=value with Python literals; fencerun JSON values.
            calls.append([_literal(argument.split("=", 1)[-1]) for argument in arguments])
    return calls


def _arguments(text: str) -> list[str]:
    """The comma-separated arguments of a call, `text` starting after its parenthesis."""
    arguments, depth, current = [], 0, ""
    for char in text:
        if char == ")" and depth == 0:
            break
        depth += (char in "([") - (char in ")]")
        if char == "," and depth == 0:
            arguments.append(current)
            current = ""
        else:
            current += char
    return [argument.strip() for argument in [*arguments, current] if argument.strip()]


def _literal(value: str) -> object:
    try:
        return json.loads(value)
    except json.JSONDecodeError:
        return ast.literal_eval(value)


@pytest.fixture(scope="module")
def markdown_exec(tmp_path_factory: pytest.TempPathFactory) -> Build:
    project = tmp_path_factory.mktemp("markdown-exec")
    write_project(project, {"index.md": EDITORS}, mkdocs_yml=MARKDOWN_EXEC_MKDOCS_YML)
    result = build(project)
    assert result.returncode == 0, result.output
    return result


@pytest.fixture(scope="module")
def fencerun(tmp_path_factory: pytest.TempPathFactory) -> Build:
    result = build_pages(tmp_path_factory.mktemp("fencerun"), {"index.md": EDITORS})
    assert result.returncode == 0, result.output
    return result


def test_editors_have_markdown_exec_markup(markdown_exec: Build, fencerun: Build) -> None:
    expected = editors(markdown_exec)
    assert len(expected) == 3
    assert editors(fencerun) == expected


def test_editors_bring_markdown_exec_cdn_tags_by_default(
    markdown_exec: Build, fencerun: Build
) -> None:
    expected = asset_tags(markdown_exec)
    assert len(expected) == 10  # five for each editor but the one with assets="no"
    assert asset_tags(fencerun) == expected


def test_editors_are_set_up_with_markdown_exec_arguments(
    markdown_exec: Build, fencerun: Build
) -> None:
    expected = setup_arguments(markdown_exec)
    assert [call[1:] for call in expected] == [
        [[], "tomorrow", "tomorrow_night", "default", 4, 4],
        [["cowsay", "griffe"], "ambiance", "ambiance", "other", 2, 10],
        [[], "chrome", "monokai", "default", 7, 7],
    ]
    got = setup_arguments(fencerun)
    assert [call[1:] for call in got] == [call[1:] for call in expected]
    assert [call[0] for call in got] == ["pyodide-1--", "pyodide-2--", "pyodide-3--"]


def test_the_editor_shows_its_code_as_text(tmp_path: Path) -> None:
    page = """
        ```pyodide
        print("</pre><b>not bold</b>" if 1 < 2 else "")
        ```
    """
    result = build_pages(tmp_path, {"index.md": page})
    assert result.returncode == 0, result.output
    editor = result.soup().select_one("pre.pyodide-editor")
    assert editor is not None and editor.find("b") is None
    assert editor.get_text() == 'print("</pre><b>not bold</b>" if 1 < 2 else "")'


SITE_ASSETS = """
    pyodide_assets:
      pyodide: vendor/pyodide/v{version}/pyodide.js
      ace: /static/ace/ace.js
      highlight: vendor/highlight.min.js
      highlight_light: https://assets.example.org/light.css
      highlight_dark: vendor/dark.css
"""


def test_the_site_chooses_where_editors_load_their_scripts_from(tmp_path: Path) -> None:
    page = """
        ```pyodide version="0.27.7"
        print("hello")
        ```
    """
    result = build_pages(tmp_path, {"guide/editor.md": page}, plugin_options=SITE_ASSETS)
    assert result.returncode == 0, result.output
    soup = result.soup("guide/editor/index.html")
    content = soup.select_one('[role="main"]')
    assert content is not None
    assert [str(tag["src"]) for tag in content.find_all("script", src=True)] == [
        "/static/ace/ace.js",
        "../../vendor/highlight.min.js",
        "../../vendor/pyodide/v0.27.7/pyodide.js",
    ]
    scripts = [str(tag["src"]) for tag in soup.find_all("script", src=True)]
    assert scripts[-1] == "../../assets/fencerun-pyodide.js"
    themes = [str(tag["href"]) for tag in content.find_all("link", title=True)]
    assert themes == ["https://assets.example.org/light.css", "../../vendor/dark.css"]
    stylesheets = [str(tag["href"]) for tag in soup.find_all("link", rel="stylesheet")]
    assert "../../assets/fencerun-pyodide.css" in stylesheets
    site = result.project / "site" / "assets"
    assert "setupPyodide" in (site / "fencerun-pyodide.js").read_text(encoding="utf-8")
    assert ".pyodide-editor" in (site / "fencerun-pyodide.css").read_text(encoding="utf-8")


def _loads(soup: BeautifulSoup) -> list[str]:
    tags: list[Tag] = [*soup.find_all("script", src=True), *soup.find_all("link", href=True)]
    return [str(tag.get("src") or tag.get("href")) for tag in tags]


def test_only_pages_with_an_editor_load_anything_for_it(tmp_path: Path) -> None:
    pages = {
        "index.md": """
            # No editor

            ```python
            print("shown, not run")
            ```
        """,
        "editor.md": """
            # An editor

            ```pyodide assets="off"
            print("hello")
            ```
        """,
    }
    result = build_pages(tmp_path, pages)
    assert result.returncode == 0, result.output
    # The mkdocs theme loads highlight.js for its own code blocks: the same on both pages.
    theme = _loads(result.soup())
    assert not [url for url in theme if re.search(r"pyodide|\bace\b", url)], theme
    assert result.soup().select_one("div.pyodide") is None
    with_editor = _loads(result.soup("editor/index.html"))
    # assets="off": the site loads Pyodide's scripts itself; fencerun's own still come.
    assert [url for url in with_editor if url.removeprefix("../") not in theme] == [
        "../assets/fencerun-pyodide.js",
        "../assets/fencerun-pyodide.css",
    ]
