"""Snippets first: a block whose body names files with pymdownx.snippets runs what they hold, as
under markdown-exec (which sees the page after snippets), with the site's own snippets settings;
an edit of an included file reruns the block, and a file that cannot be included is an error
at its line."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from tests.fencerun.conftest import PLAIN_MKDOCS_YML, build, section, write_project


def snippets_yml(*, check_paths: bool = True) -> str:
    return PLAIN_MKDOCS_YML.format(plugin_options="") + (
        "  - pymdownx.snippets:\n"
        "      base_path: [., docs/snippets]\n"
        f"      check_paths: {'true' if check_paths else 'false'}\n"
    )


def make_site(
    project: Path, page: str, snippets: dict[str, str], *, check_paths: bool = True
) -> None:
    write_project(project, {"index.md": page}, mkdocs_yml=snippets_yml(check_paths=check_paths))
    for name, text in snippets.items():
        path = project / "docs" / "snippets" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


PAGE = """
    # Snippets

    ## Whole body

    ```python exec="on"
    --8<-- "docs/snippets/answer.py"
    ```

    ## Part of a body

    ```bash exec="on"
    echo before
    --8<-- "greet.sh"
    echo after
    ```

    ## Nested

    ````md exec="on" source="tabbed-left"
    ```python exec="on" source="above"
    --8<-- "answer.py"
    ```
    ````
"""

ANSWER = 'print("the answer is", 6 * 7)\n'


@dataclass(frozen=True)
class Built:
    """A build's log and its page, kept before the next build overwrites the site."""

    output: str
    soup: BeautifulSoup


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> tuple[Built, Built, Built]:
    project = tmp_path_factory.mktemp("snippet-bodies")
    make_site(project, PAGE, {"answer.py": ANSWER, "greet.sh": "echo hello from greet.sh\n"})
    kept = []
    for edit in (None, None, 'print("edited answer")\n'):
        if edit is not None:
            (project / "docs" / "snippets" / "answer.py").write_text(edit, encoding="utf-8")
        built = build(project)
        assert built.returncode == 0, built.output
        kept.append(Built(built.output, built.soup()))
    first, unchanged, edited = kept
    return first, unchanged, edited


def shown(built: Built, heading_id: str) -> str:
    return "\n".join(element.get_text() for element in section(built.soup, heading_id))


def test_a_body_that_is_a_snippet_line_runs_the_included_file(
    builds: tuple[Built, Built, Built],
) -> None:
    assert "the answer is 42" in shown(builds[0], "whole-body")


def test_a_snippet_line_among_other_lines_runs_in_its_place(
    builds: tuple[Built, Built, Built],
) -> None:
    text = shown(builds[0], "part-of-a-body")
    assert "before\nhello from greet.sh\nafter" in text


def test_a_nested_block_runs_its_snippet_and_shows_the_included_code(
    builds: tuple[Built, Built, Built],
) -> None:
    (tabs,) = section(builds[0].soup, "nested")
    source, result = tabs.select(".tabbed-block")
    # As markdown-exec shows it: the literate source after snippets, the code that ran above
    # its output.
    assert 'print("the answer is", 6 * 7)' in source.get_text()
    assert "--8<--" not in tabs.get_text()
    assert 'print("the answer is", 6 * 7)' in result.get_text()
    assert "the answer is 42" in result.get_text()


def test_an_unchanged_snippet_reuses_the_stored_results(
    builds: tuple[Built, Built, Built],
) -> None:
    # Two blocks run the same code: one result serves both.
    assert "blocks 2 run, 0 reused, 0 failed" in builds[0].output
    assert "blocks 0 run, 2 reused, 0 failed" in builds[1].output


def test_editing_an_included_file_reruns_the_blocks_that_include_it(
    builds: tuple[Built, Built, Built],
) -> None:
    edited = builds[2]
    assert "blocks 1 run, 1 reused, 0 failed" in edited.output
    assert "edited answer" in shown(edited, "whole-body")
    assert "edited answer" in shown(edited, "nested")


MISSING = """
    # Missing

    Prose.

    ```python exec="on"
    print("kept")
    --8<-- "missing.py"
    ```
"""


def test_a_missing_snippet_is_an_error_at_its_line_when_check_paths_is_on(
    tmp_path: Path,
) -> None:
    make_site(tmp_path, MISSING, {})
    built = build(tmp_path)
    assert built.returncode == 1
    assert "docs/index.md:7: pymdownx.snippets cannot include" in built.output
    assert "'missing.py' could not be found" in built.output


def test_a_missing_snippet_is_left_out_as_snippets_does_when_check_paths_is_off(
    tmp_path: Path,
) -> None:
    make_site(tmp_path, MISSING, {}, check_paths=False)
    built = build(tmp_path)
    assert built.returncode == 0, built.output
    assert "kept" in built.soup().get_text()


def test_a_snippet_line_the_included_code_holds_shows_as_it_ran(tmp_path: Path) -> None:
    # snippets takes one ";" off and includes nothing: the code that ran holds the line as
    # text, and so does the source shown, though snippets reads the page again.
    code = 'text = """\n;--8<-- "secret.txt"\n"""\nprint(text.strip().replace("-", "="))\n'
    page = '# Page\n\n```python exec="on" source="above"\n--8<-- "shows.py"\n```\n'
    make_site(tmp_path, page, {"shows.py": code, "secret.txt": "not-to-be-shown\n"})
    built = build(tmp_path)
    assert built.returncode == 0, built.output
    source, output = [pre.get_text() for pre in built.soup().select("pre")]
    assert source.split("\n")[1] == '--8<-- "secret.txt"'
    assert output.strip() == '==8<== "secret.txt"'
    assert "not-to-be-shown" not in built.html()


def test_an_exec_fence_a_literate_body_includes_is_not_silently_left_unrun(
    tmp_path: Path,
) -> None:
    page = '# Page\n\n````md exec="on" source="above"\n--8<-- "blocks.md"\n````\n'
    make_site(tmp_path, page, {"blocks.md": '```bash exec="on"\necho included\n```\n'})
    built = build(tmp_path)
    assert built.returncode == 1  # --strict: the warning fails the build
    assert "reached Markdown without being in a page's own source" in built.output
    built = build(tmp_path, strict=False)
    # The source as markdown-exec shows it: after snippets, the included fence whole.
    source = built.soup().select("pre")[0].get_text()
    assert source.strip() == '```bash exec="on"\necho included\n```'
