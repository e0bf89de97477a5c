"""Literate Markdown (```md exec="on"): its body is rendered as Markdown, and the exec blocks in
it run, at any depth, as blocks of the page: in its sessions, kept in the store, and named at
their own line of the page when they fail."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from bs4 import BeautifulSoup

from tests.fencerun.conftest import Build, build, build_pages, section

NESTED = """
    # Literate

    ## Depth two

    ````md exec="on"
    Prose **inside**.

    ```python exec="on"
    print("depth-two-output")
    ```
    ````

    ## Depth three

    `````md exec="on"
    Outer prose.

    ````md exec="on"
    ```bash exec="on"
    echo depth-three-output
    ```
    ````
    `````

    ## Sessions

    ```python exec="on" session="shared"
    total = 40
    ```

    ````md exec="on"
    ```python exec="on" session="shared"
    total += 1
    print("nested sees", total)
    ```
    ````

    ```python exec="on" session="shared"
    print("top level sees", total + 1)
    ```

    ## Tabbed

    ````md exec="on" source="tabbed-left"
    Some *emphasis*.

    ```python exec="on"
    print("tabbed-output")
    ```
    ````
"""


@dataclass(frozen=True)
class Builds:
    first: Build
    page: BeautifulSoup  # as the first build left it
    second: Build


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> Builds:
    project = tmp_path_factory.mktemp("literate")
    first = build_pages(project, {"index.md": NESTED})
    assert first.returncode == 0, first.output
    page = first.soup()
    second = build(project)
    assert second.returncode == 0, second.output
    return Builds(first, page, second)


@pytest.fixture(scope="module")
def soup(builds: Builds) -> BeautifulSoup:
    return builds.page


def shown(soup: BeautifulSoup, heading_id: str) -> str:
    return "\n".join(element.get_text() for element in section(soup, heading_id))


@pytest.mark.parametrize(
    ("heading", "output"),
    [("depth-two", "depth-two-output"), ("depth-three", "depth-three-output")],
)
def test_blocks_nested_in_literate_markdown_run_and_show_their_output(
    soup: BeautifulSoup, heading: str, output: str
) -> None:
    text = shown(soup, heading)
    assert output in text
    assert "exec=" not in text  # the fence was replaced by its result, not shown as code
    assert soup.select(".fencerun-inert") == []


def test_nested_and_top_level_blocks_share_a_session_in_page_order(soup: BeautifulSoup) -> None:
    text = shown(soup, "sessions")
    assert "nested sees 41" in text
    assert "top level sees 42" in text


def test_tabbed_left_shows_the_raw_body_then_the_body_with_its_blocks_run(
    soup: BeautifulSoup,
) -> None:
    (tabs,) = section(soup, "tabbed")
    labels = [label.get_text() for label in tabs.select(".tabbed-labels label")]
    assert labels == ["Source", "Result"]
    source, result = tabs.select(".tabbed-block")
    assert 'Some *emphasis*.\n\n```python exec="on"\nprint("tabbed-output")\n```' in (
        source.get_text()
    )
    assert "tabbed-output" in result.get_text() and "print(" not in result.get_text()
    emphasis = result.find("em")
    assert emphasis is not None and emphasis.get_text() == "emphasis"


def test_every_nested_block_counts_as_a_block_of_the_build(builds: Builds) -> None:
    assert "blocks 6 run, 0 reused, 0 failed" in builds.first.output


def test_a_second_build_reuses_the_stored_results_of_nested_blocks(builds: Builds) -> None:
    assert "blocks 0 run, 6 reused, 0 failed" in builds.second.output
    for output in ("depth-two-output", "depth-three-output", "nested sees 41", "tabbed-output"):
        assert output in builds.second.html()


FRONT_MATTER = """
    ---
    title: Broken
    ---

    # Broken

"""

FAILING = """
    ````md exec="on"
    Prose.

    ```python exec="on"
    raise SystemExit(3)
    ```
    ````
"""

MALFORMED = """
    `````md exec="on"
    ````md exec="on"
    ```bash exec="on" colour="red"
    echo never
    ```
    ````
    `````
"""


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (FAILING, "docs/index.md:10: python block exited with 3, expected 0"),
        (MALFORMED, "docs/index.md:9: unknown option colour"),
    ],
    ids=["failing", "malformed"],
)
def test_a_nested_block_that_fails_is_named_at_its_own_line_of_the_page(
    tmp_path_factory: pytest.TempPathFactory, body: str, message: str
) -> None:
    page = FRONT_MATTER + body.lstrip("\n")
    built = build_pages(tmp_path_factory.mktemp("broken"), {"index.md": page})
    assert built.returncode == 1
    assert message in built.output
