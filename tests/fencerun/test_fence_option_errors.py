"""A tree or pyodide fence with an option it does not take, or a value it cannot use, is an
error naming the file and line, as for every exec fence; the fence's text never ends up in
the page."""

from __future__ import annotations

import pytest

from tests.fencerun.conftest import Build, build, build_pages, write_project

# header -> what the error says
BAD_HEADERS = {
    'tree icon="none"': "unknown option icon on a tree fence\n"
    "  hint: did you mean icons? tree fences take: icons, result, title",
    'tree icons="fancy"': 'icons="fancy" is not a kind of icons',
    'tree source="above"': "unknown option source on a tree fence",
    "tree icons=none": "the value of icons is not quoted",
    "{.pyodide heigth=3}": "unknown option heigth on a pyodide fence\n  hint: did you mean height?",
    'pyodide height="tall"': 'height="tall" is not a number of lines',
    'pyodide theme="a,b,c"': 'theme="a,b,c" does not name one or two editor themes',
    'pyodide install="cowsay,,griffe"': 'install="cowsay,,griffe" has an empty package name',
    'pyodide version="latest"': 'version="latest" is not a Pyodide release',
    'pyodide assets="maybe"': 'assets="maybe" is not on or off',
}


def page_with(header: str) -> str:
    return f"""
        # A page

        Some prose.

        ```{header}
        folder/
            file.py
        ```
    """


@pytest.fixture(scope="module")
def failed(tmp_path_factory: pytest.TempPathFactory) -> Build:
    pages = {f"page{number}.md": page_with(header) for number, header in enumerate(BAD_HEADERS)}
    return build_pages(tmp_path_factory.mktemp("bad-options"), pages)


def test_a_bad_option_fails_the_build(failed: Build) -> None:
    assert failed.returncode == 1
    assert "Traceback" not in failed.output


@pytest.mark.parametrize(("number", "header"), list(enumerate(BAD_HEADERS)), ids=list(BAD_HEADERS))
def test_the_error_names_file_line_and_what_is_wrong(
    failed: Build, number: int, header: str
) -> None:
    assert f"docs/page{number}.md:5: {BAD_HEADERS[header]}" in failed.output


def test_with_on_error_warn_a_bad_fence_shows_as_code_and_never_as_text(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    project = tmp_path_factory.mktemp("bad-options-warn")
    pages = {
        "index.md": page_with('tree icon="none"'),
        "output.md": """
            ````md exec="on"
            ```pyodide heigth="3"
            print("from an output")
            ```
            ````
        """,
    }
    write_project(project, pages, plugin_options="on_error: warn")
    result = build(project, strict=False)
    assert result.returncode == 0, result.output
    assert "WARNING -  fencerun: docs/index.md:5: unknown option icon" in result.output
    # Found with the literate block's own fences, before anything renders.
    assert "WARNING -  fencerun: docs/output.md:2: unknown option heigth" in result.output
    for name, code in (("index.html", "file.py"), ("output/index.html", "from an output")):
        soup = result.soup(name)
        for pre in soup.select("pre"):
            pre.extract()  # a fence's text shown as code is what code shows
        assert "```" not in soup.get_text(), name
        soup = result.soup(name)
        shown = [pre.get_text() for pre in soup.select("pre")]
        assert any(code in text for text in shown), (name, shown)
